"""Chapter 1, identifying customers (客户识别): value concentration, RFM, ABC, value matrix, MAN, states."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlib import _validate as V, segmentation
from crmlib.plots._base import (
    PALETTE,
    _axes,
    _bar_colours,
    _bars,
    _category_axis,
    _kw,
    _lab,
    _need,
    _percent,
    _scatter,
    _start,
    _style,
    _text,
)
from crmlib.qualification import MAN_CODES


def pareto_chart(
    values: Any, top_fraction: float = 0.2, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """Pareto chart of customer value (二八法则): revenue share of each tenth of customers (bars,
    most valuable first) and the cumulative share (line), with the top-``top_fraction`` point marked.
    ``**kwargs`` go to the bars of the tenths (Rectangle properties, as ``ax.bar`` takes them).

    >>> fig, ax = plt.subplots()
    >>> pareto_chart([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], ax=ax).get_title()
    'Top 20% of customers hold 70.0% of value'
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "pareto_chart"
    lang = _start(lang, func, ax)
    with V.caller(func):
        table = segmentation.pareto_table(values)
        share = segmentation.top_share(values, top_fraction)
    n = len(table)
    groups = min(10, n)
    decile = np.minimum((np.arange(n) * groups) // n, groups - 1)
    bars = table["share"].groupby(decile).sum()
    with _style(lang, func):
        ax = _axes(ax)
        pos = (np.arange(groups) + 0.5) / groups
        _bars(
            ax,
            pos,
            bars.to_numpy(),
            **_kw(
                kwargs,
                {"color": sns.color_palette(PALETTE, groups)},
                width=0.9 / groups,
                label=_lab("value_share", lang),
            ),
        )
        ax.plot(
            np.concatenate([[0], table["cum_customer_share"]]),
            np.concatenate([[0], table["cum_share"]]),
            color="black",
            lw=2,
            label=_lab("cumulative_share", lang),
        )
        ax.axvline(top_fraction, color="grey", ls="--", lw=1)
        ax.axhline(share, color="grey", ls="--", lw=1)
        ax.scatter([top_fraction], [share], color="crimson", zorder=3)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(_lab("customer_share", lang))
        ax.set_ylabel(_lab("value_share", lang))
        _percent(ax.xaxis)
        _percent(ax.yaxis)
        ax.set_title(_text("plots_pareto_title", lang, fraction=top_fraction, share=share))
        ax.legend(loc="center right")
    return ax


def lorenz_plot(values: Any, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Lorenz curve against the line of perfect equality, with the Gini index in the title.
    ``**kwargs`` go to ``ax.plot`` (the Lorenz curve; the shading takes its colour).

    >>> fig, ax = plt.subplots()
    >>> lorenz_plot([1, 1, 2], ax=ax, lang="zh").get_xlabel()
    '客户占比'
    >>> plt.close(fig)
    """
    func = "lorenz_plot"
    lang = _start(lang, func, ax)
    with V.caller(func):
        curve = segmentation.lorenz_curve(values)
        g = segmentation.gini(values)
    with _style(lang, func):
        ax = _axes(ax, (5, 5))
        ax.plot([0, 1], [0, 1], color="grey", ls="--", label=_lab("equality", lang))
        (line,) = ax.plot(
            curve["customer_share"],
            curve["value_share"],
            **_kw(kwargs, {"color": "tab:blue"}, lw=2, label=_lab("lorenz", lang)),
        )
        ax.fill_between(
            curve["customer_share"],
            curve["value_share"],
            curve["customer_share"],
            facecolor=line.get_color(),
            alpha=0.2,
        )
        ax.set_xlabel(_lab("customer_share", lang))
        ax.set_ylabel(_lab("value_share", lang))
        ax.set_title(f"{_lab('lorenz', lang)} — {_lab('gini', lang)} = {g:.2f}")
        ax.legend(loc="upper left")
    return ax


def abc_plot(abc: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Cumulative value share by customer rank, coloured by ABC class (关键/主要/普通客户).
    ``**kwargs`` go to ``ax.scatter`` (the dots of each class: ``s=``, ``marker=`` …; ``color=`` draws
    one colour); ``palette=`` (a seaborn palette, default ``"Set1"``) colours the classes.

    >>> fig, ax = plt.subplots()
    >>> abc_plot(segmentation.abc_classes([50, 30, 10, 5, 5]), ax=ax).get_title()
    'ABC classification: A key 2, B major 3, C ordinary 0'
    >>> plt.close(fig)
    """
    func = "abc_plot"
    lang = _start(lang, func, ax)
    _need(abc, func, ["cum_share", "abc"], "abc")
    x = np.arange(1, len(abc) + 1) / len(abc)
    counts = abc["abc"].value_counts(sort=False)
    with _style(lang, func):
        ax = _axes(ax)
        # the classes present, in the order met (as the plot always showed them)
        classes = abc["abc"].to_numpy(dtype=object)
        _scatter(ax, x, abc["cum_share"].to_numpy(), classes, kwargs, func, "Set1", {"title": "abc"}, s=12, linewidth=0)
        ax.set_xlabel(_lab("customer_share", lang))
        ax.set_ylabel(_lab("cumulative_share", lang))
        ax.set_title(_lab("abc", lang) + ": " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return ax


def rfm_segment_plot(segments: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Customers per RFM segment (bars) with each segment's share of monetary value.
    ``**kwargs`` go to the bars (Rectangle properties, as ``ax.barh`` takes them: ``color=``,
    ``alpha=`` …); ``palette=`` (a seaborn palette, default ``"viridis"``) and ``saturation=``
    (default 0.75) colour them as seaborn's bar plots do.

    >>> seg = segmentation.rfm_segments(pd.DataFrame({"R": [5, 1], "F": [5, 1], "M": [5, 1],
    ...                                               "monetary": [90.0, 10.0]}))
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in rfm_segment_plot(seg, ax=ax).texts][0]
    '  90%'
    >>> plt.close(fig)
    """
    func = "rfm_segment_plot"
    lang = _start(lang, func, ax)
    _need(segments, func, ["segment", "monetary"], "segments")
    counts = segments["segment"].value_counts(sort=False)
    value = segments.groupby("segment", observed=False)["monetary"].sum()
    share = value / value.sum()
    names = list(counts.index.astype(str))
    colours, kw = _bar_colours(kwargs, "viridis", list(dict.fromkeys(names)), func)
    with _style(lang, func):
        ax = _axes(ax, (7, 4.5))
        y = np.arange(len(names))
        _bars(ax, y, counts.to_numpy(dtype=float), horizontal=True, **_kw(kw, {"color": [colours[n] for n in names]}))
        _category_axis(ax.yaxis, names)
        for i, (c, s) in enumerate(zip(counts.to_numpy(), share.to_numpy())):
            ax.text(c, i, f"  {s:.0%}", va="center", fontsize=9)
        ax.set_xlabel(_text("plots_rfm_segment_xlabel", lang, customers=_lab("customers", lang)))
        ax.set_ylabel("")
        ax.set_title(_lab("rfm", lang))
    return ax


def rfm_heatmap(scores: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Mean monetary value of the customers in each R × F score cell.
    ``**kwargs`` go to ``seaborn.heatmap`` (``cmap=``, ``annot=`` …).

    >>> sc = pd.DataFrame({"R": [1, 2, 2], "F": [1, 1, 2], "monetary": [10.0, 20.0, 40.0]})
    >>> fig, ax = plt.subplots()
    >>> rfm_heatmap(sc, ax=ax).get_ylabel()
    'R — recency'
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "rfm_heatmap"
    lang = _start(lang, func, ax)
    _need(scores, func, ["R", "F", "monetary"], "scores")
    grid = scores.pivot_table(index="R", columns="F", values="monetary", aggfunc="mean").sort_index(ascending=False)
    with _style(lang, func):
        ax = _axes(ax, (6, 4.5))
        sns.heatmap(
            grid, ax=ax, **_kw(kwargs, annot=True, fmt=".0f", cmap="YlGnBu", cbar_kws={"label": _lab("monetary", lang)})
        )
        ax.set_xlabel("F — " + _lab("frequency", lang))
        ax.set_ylabel("R — " + _lab("recency", lang))
    return ax


def _skewed_scale(ax: Axes, which: str, values: pd.Series) -> None:
    """A log scale for skewed values that are never negative (a scatter's positions, not bar sizes):
    ``log`` when all are above 0, else ``symlog`` (linear below the 5th percentile of the positive
    values) starting at 0, so no tick is negative. Values with negatives, or a range under 100×, stay
    linear."""
    v = values.to_numpy(dtype=float)
    pos = v[v > 0]
    if (v < 0).any() or pos.size == 0 or pos.max() <= 100 * pos.min():
        return
    set_scale, set_lim = (ax.set_xscale, ax.set_xlim) if which == "x" else (ax.set_yscale, ax.set_ylim)
    if (v > 0).all():
        set_scale("log")
        return
    set_scale("symlog", linthresh=10.0 ** np.floor(np.log10(np.quantile(pos, 0.05))))
    set_lim(0, None)


def value_matrix_plot(vm: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Customer value matrix: current vs potential value, quadrant colours and cut lines.
    ``**kwargs`` go to ``ax.scatter`` (the dots of each quadrant: ``s=``, ``marker=``, ``alpha=`` …;
    ``color=`` draws one colour); ``palette=`` (a seaborn palette, default ``"Set2"``) colours the
    quadrants.

    >>> vm = segmentation.value_matrix([900, 800, 100, 50], [50, 600, 700, 20])
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in value_matrix_plot(vm, ax=ax).get_legend().get_texts()]
    ['invest and retain', 'maintain', 'develop', 'minimise cost']
    >>> plt.close(fig)
    """
    func = "value_matrix_plot"
    lang = _start(lang, func, ax)
    _need(vm, func, ["current", "potential", "quadrant"], "vm")
    with _style(lang, func):
        ax = _axes(ax, (6.5, 5))
        _scatter(
            ax,
            vm["current"].to_numpy(),
            vm["potential"].to_numpy(),
            vm["quadrant"],
            kwargs,
            func,
            "Set2",
            {"title": "quadrant"},
            s=14,
            linewidth=0,
        )
        cc, pc = vm.attrs.get("current_cut"), vm.attrs.get("potential_cut")
        if cc is not None:
            ax.axvline(cc, color="grey", ls="--", lw=1)
        if pc is not None:
            ax.axhline(pc, color="grey", ls="--", lw=1)
        _skewed_scale(ax, "x", vm["current"])
        _skewed_scale(ax, "y", vm["potential"])
        ax.set_xlabel(_lab("current_value", lang))
        ax.set_ylabel(_lab("potential_value", lang))
        ax.set_title(_lab("value_matrix", lang))
    return ax


def profitability_plot(tiers: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Customers sorted by profit (bars as an area), coloured by profitability tier.
    ``**kwargs`` go to ``ax.fill_between`` (each tier's area; ``color=`` paints them all).

    >>> fig, ax = plt.subplots()
    >>> ax = profitability_plot(segmentation.profitability_tiers([100, 50, 10, 0, -20]), ax=ax)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['most profitable', 'profitable', 'least profitable']
    >>> plt.close(fig)
    """
    func = "profitability_plot"
    lang = _start(lang, func, ax)
    _need(tiers, func, ["profit", "tier"], "tiers")
    t = tiers.sort_values("profit", ascending=False, kind="mergesort")
    x = np.arange(len(t))
    with _style(lang, func):
        ax = _axes(ax)
        colors = dict(zip(t["tier"].cat.categories, ["tab:green", "tab:blue", "tab:red"]))
        for cat, color in colors.items():
            m = (t["tier"] == cat).to_numpy()
            if m.any():
                ax.fill_between(
                    x,
                    0,
                    np.where(m, t["profit"].to_numpy(), np.nan),
                    **_kw(kwargs, {"color": color}, step="mid", label=cat),
                )
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel(_lab("customers", lang))
        ax.set_ylabel(_lab("profit", lang))
        ax.set_title(_lab("profitability", lang))
        ax.legend()
    return ax


def relationship_plot(
    rt: pd.DataFrame, discount_cut: float | None = None, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """Discount share against margin contribution, transactional vs relational customers.
    ``**kwargs`` go to ``ax.scatter`` (the dots of each type: ``s=``, ``marker=`` …; ``color=`` draws
    one colour); ``palette=`` (a seaborn palette, default blue and orange) colours the types.

    >>> rt = segmentation.relationship_type([500, 20, 300, -10], [0.05, 0.35, 0.1, 0.4])
    >>> fig, ax = plt.subplots()
    >>> relationship_plot(rt, discount_cut=0.2, ax=ax).get_xlabel()
    'discount percentage'
    >>> plt.close(fig)
    """
    func = "relationship_plot"
    lang = _start(lang, func, ax)
    _need(rt, func, ["margin", "discount_pct", "type"], "rt")
    with _style(lang, func):
        ax = _axes(ax)
        _scatter(
            ax,
            rt["discount_pct"].to_numpy(),
            rt["margin"].to_numpy(),
            rt["type"],
            kwargs,
            func,
            ["tab:blue", "tab:orange"],
            {"title": "type"},
            s=12,
            linewidth=0,
        )
        if discount_cut is not None:
            ax.axvline(discount_cut, color="grey", ls="--", lw=1)
        ax.axhline(0, color="black", lw=0.8)
        _percent(ax.xaxis)
        ax.set_xlabel(_lab("discount_pct", lang))
        ax.set_ylabel(_lab("margin", lang))
        ax.set_title(_lab("value_customer", lang))
    return ax


def man_plot(man: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Prospects per MAN code, in priority order (MAN法则).
    ``**kwargs`` go to ``seaborn.barplot`` (``palette=``, ``color=`` …).

    >>> from crmlib.qualification import man_table
    >>> man = man_table(pd.DataFrame({"money": [1, 1, 0], "authority": [1, 1, 0], "need": [1, 1, 0]}))
    >>> fig, ax = plt.subplots()
    >>> ax = man_plot(man, ax=ax)
    >>> [round(p.get_height()) for p in ax.patches][:2], [t.get_text() for t in ax.get_xticklabels()][-1]
    ([2, 0], 'm+a+n')
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "man_plot"
    lang = _start(lang, func, ax)
    _need(man, func, ["man_code"], "man")
    counts = man["man_code"].value_counts().reindex(MAN_CODES, fill_value=0)
    df = pd.DataFrame({"man_code": MAN_CODES, "count": counts.to_numpy()})
    with _style(lang, func):
        ax = _axes(ax)
        sns.barplot(
            data=df,
            x="man_code",
            y="count",
            ax=ax,
            **_kw(kwargs, {"hue": "man_code", "palette": "rocket", "legend": False}),
        )
        ax.set_xlabel(_lab("man", lang))
        ax.set_ylabel(_lab("count", lang))
        ax.set_title(_text("plots_man_title", lang, man=_lab("man", lang)))
    return ax


def state_plot(states: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """How many people are actual, potential, lost and non-customers (客户状态).
    ``**kwargs`` go to ``seaborn.barplot`` (``palette=``, ``color=`` …).

    >>> from crmlib.qualification import customer_state
    >>> st = customer_state(pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
    ...                     pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [1]}))
    >>> fig, ax = plt.subplots()
    >>> state_plot(st, ax=ax).get_title()
    'customer state'
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "state_plot"
    lang = _start(lang, func, ax)
    _need(states, func, ["state"], "states")
    counts = states["state"].value_counts(sort=False)
    df = pd.DataFrame({"state": counts.index.astype(str), "count": counts.to_numpy()})
    with _style(lang, func):
        ax = _axes(ax, (6, 3.5))
        sns.barplot(
            data=df, x="count", y="state", ax=ax, **_kw(kwargs, {"hue": "state", "palette": "mako", "legend": False})
        )
        ax.set_xlabel(_lab("count", lang))
        ax.set_ylabel("")
        ax.set_title(_lab("customer_state", lang))
    return ax
