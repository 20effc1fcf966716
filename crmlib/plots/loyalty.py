"""Chapter 5, loyalty, retention and customer lifetime value (客户忠诚与客户终身价值)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlib import _validate as V
from crmlib._errors import CRMDataError
from crmlib.plots._base import _axes, _bars, _histogram, _kw, _lab, _need, _scatter, _start, _style, _text


def value_loyalty_plot(m: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The value × loyalty matrix (客户价值—忠诚度矩阵): one dot per customer, coloured by relationship,
    with the two cut lines.
    ``**kwargs`` go to ``ax.scatter`` (the dots of each relationship: ``s=``, ``alpha=`` …;
    ``color=`` draws one colour); ``palette=`` (a seaborn palette, default ``"Set1"``) colours the
    relationships.

    >>> from crmlib.loyalty import value_loyalty_matrix
    >>> m = value_loyalty_matrix([900, 800, 50, 40], [6, 0, 5, 1], value_cut=500, loyalty_cut=3)
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in value_loyalty_plot(m, ax=ax).get_legend().get_texts()]
    ['strategic partner', 'retain (vendor relationship)', 'develop', 'build relationship']
    >>> plt.close(fig)
    """
    func = "value_loyalty_plot"
    lang = _start(lang, func, ax)
    _need(m, func, ["value", "loyalty", "relationship"], "m")
    rng = np.random.default_rng(0)  # a little jitter so that equal repeat counts do not overlap
    loyalty = m["loyalty"].to_numpy(dtype=float) + rng.uniform(-0.25, 0.25, len(m))
    with _style(lang, func):
        ax = _axes(ax, (6.5, 5))
        _scatter(
            ax,
            m["value"].to_numpy(),
            loyalty,
            m["relationship"],
            kwargs,
            func,
            "Set1",
            {"title": "relationship"},
            s=14,
            linewidth=0,
            alpha=0.7,
        )
        if m.attrs.get("value_cut") is not None:
            ax.axvline(m.attrs["value_cut"], color="grey", ls="--", lw=1)
        if m.attrs.get("loyalty_cut") is not None:
            ax.axhline(m.attrs["loyalty_cut"] - 0.5, color="grey", ls="--", lw=1)
        if m["value"].min() > 0 and m["value"].max() / m["value"].min() > 100:
            ax.set_xscale("log")
        if (loyalty > 30).any():
            ax.set_yscale("symlog", linthresh=10)
        ax.set_xlabel(_lab("revenue", lang))
        ax.set_ylabel(_lab("loy_repeat_purchases", lang))
        ax.set_title(_lab("loy_value_loyalty", lang))
    return ax


def cohort_heatmap(
    triangle: pd.DataFrame, max_periods: int | None = 12, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """Heatmap of a cohort retention triangle (同期群保持率) from :func:`crmlib.loyalty.cohort_retention`.
    ``**kwargs`` go to ``seaborn.heatmap`` (``cmap=``, ``annot=`` …).

    >>> from crmlib.loyalty import cohort_retention
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"], "date": ["2024-01-03", "2024-02-10", "2024-01-20"]})
    >>> fig, ax = plt.subplots()
    >>> cohort_heatmap(cohort_retention(tx), ax=ax).get_xlabel()
    'periods since first purchase'
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "cohort_heatmap"
    lang = _start(lang, func, ax)
    t = V.table(triangle, func, name="triangle")
    if max_periods is not None:
        t = t.iloc[:, : V.integer(max_periods, func, "max_periods", lo=1) + 1]
    with _style(lang, func):
        ax = _axes(ax, (8, max(3.0, 0.28 * len(t) + 1.5)))
        sns.heatmap(
            t.astype(float),
            ax=ax,
            **_kw(
                kwargs,
                cmap="YlGnBu",
                vmin=0,
                vmax=1,
                annot=len(t) <= 30 and t.shape[1] <= 13,
                fmt=".0%",
                annot_kws={"fontsize": 6},
                cbar=True,
                yticklabels=[str(i) for i in t.index],
            ),
        )
        ax.set_xlabel(_lab("loy_periods_since", lang))
        ax.set_ylabel(_lab("loy_cohort", lang))
        ax.set_title(_lab("loy_cohort_retention", lang))
    return ax


def clv_histogram(
    report: pd.DataFrame, customer: Any = None, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """Distribution of customer lifetime value (客户终身价值) from :func:`crmlib.loyalty.clv_report`,
    with one ``customer`` marked.
    ``**kwargs``: ``bins=`` (default 40), ``range=``, ``weights=``, ``density=`` as ``numpy.histogram``
    takes them; the rest go to the bars (Rectangle properties: ``color=`` …; ``alpha=``, default
    0.75, shades the bars but not their edges, as in ``seaborn.histplot``).

    >>> rep = pd.DataFrame({"clv": [1.0, 5.0, 40.0, 300.0]}, index=list("abcd"))
    >>> fig, ax = plt.subplots()
    >>> clv_histogram(rep, customer="c", ax=ax).get_title()
    'customer lifetime value: c = 40'
    >>> plt.close(fig)
    """
    func = "clv_histogram"
    lang = _start(lang, func, ax)
    rep = _need(report, func, ["clv"], "report")
    v = rep["clv"].astype(float)
    if customer is not None and customer not in rep.index:
        raise CRMDataError(func, "customer", f"is not in the report: {customer!r}")
    x = np.log10(v.clip(lower=0.01).to_numpy())
    with _style(lang, func):
        ax = _axes(ax)
        _histogram(ax, x[np.isfinite(x)], _kw(kwargs, {"color": "tab:blue"}, bins=40))
        ax.set_ylabel("Count")
        ax.set_xlabel(f"log10 {_lab('clv', lang)}")
        title = _lab("clv", lang)
        if customer is not None:
            x = float(v.loc[customer])
            ax.axvline(np.log10(max(x, 0.01)), color="tab:red", lw=2)
            title += f": {customer} = {x:,.0f}"
        ax.set_title(title)
    return ax


def retention_economics_plot(econ: pd.Series, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Bars of what extra retention is worth (:func:`crmlib.loyalty.retention_economics`): sales cost
    saved, value kept, and the cost of keeping the extra customers against winning as many new ones.
    ``**kwargs`` go to the bars (Rectangle properties, as ``ax.barh`` takes them).

    >>> from crmlib.loyalty import retention_economics
    >>> e = retention_economics(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300)
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in retention_economics_plot(e, ax=ax).get_yticklabels()]
    ['sales cost saved', 'value kept', 'cost to keep them', 'cost to win as many new']
    >>> plt.close(fig)
    """
    func = "retention_economics_plot"
    lang = _start(lang, func, ax)
    keys = ["sales_cost_saved", "value_kept", "cost_keep", "cost_replace"]
    if not isinstance(econ, pd.Series) or any(k not in econ.index for k in keys):
        raise CRMDataError(func, "econ", "must be the Series returned by loyalty.retention_economics")
    names = [_text(f"plots_{k}", lang) for k in keys]
    y = np.arange(len(keys))[::-1]
    with _style(lang, func):
        ax = _axes(ax, (7, 3.2))
        _bars(
            ax,
            y,
            econ[keys].to_numpy(dtype=float),
            horizontal=True,
            **_kw(kwargs, {"color": ["tab:green", "tab:green", "tab:blue", "tab:red"]}),
        )
        ax.set_yticks(y, names)
        ax.set_title(_text("plots_retention_title", lang, retention=_lab("retention", lang), kept=econ["kept_extra"]))
    return ax
