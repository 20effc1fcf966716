"""Chapter 4, satisfaction and complaints (客户满意与投诉): importance–performance, the satisfaction
index, NPS, the complaint iceberg and the six complaint-handling steps."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.transforms import offset_copy

from crmlib import _validate as V
from crmlib.plots._base import PALETTE, _axes, _bars, _kw, _lab, _need, _result, _scatter, _start, _style, _text


def ipa_plot(
    ipa: pd.DataFrame, annotate: bool = True, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """Importance–performance grid (重要性—绩效分析): one dot per indicator, coloured by quadrant, with
    the cross-hairs of :func:`crmlib.satisfaction.importance_performance` and each dot's code.
    ``**kwargs`` go to ``ax.scatter`` (the dots of each quadrant: ``s=``, ``marker=`` …; ``color=``
    draws one colour); ``palette=`` (a seaborn palette; default red, green, grey and orange)
    colours the quadrants.

    >>> from crmlib.satisfaction import importance_performance
    >>> s = pd.DataFrame({"category": ["x"] * 4, "indicator": list("abcd"),
    ...                   "importance": [5, 5, 1, 1], "performance": [1, 5, 1, 5]})
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in ipa_plot(importance_performance(s), ax=ax).texts][:2]
    ['a', 'b']
    >>> plt.close(fig)
    """
    func = "ipa_plot"
    lang = _start(lang, func, ax)
    _need(ipa, func, ["importance", "performance", "quadrant"], "ipa")
    importance, performance = ipa["importance"].to_numpy(), ipa["performance"].to_numpy()
    palette = dict(zip(ipa["quadrant"].cat.categories, ["tab:red", "tab:green", "tab:grey", "tab:orange"]))
    with _style(lang, func):
        ax = _axes(ax, (7, 5.2))
        _scatter(
            ax,
            performance,
            importance,
            ipa["quadrant"].to_numpy(dtype=object),  # the quadrants present, in the order met
            kwargs,
            func,
            palette,
            {"title": "", "fontsize": 8, "loc": "best"},
            s=60,
        )
        if annotate:  # each code 3 points right of and above its dot (plain texts: cheaper to draw)
            at = offset_copy(ax.transData, fig=ax.figure, x=3, y=3, units="points")
            for name, x, y in zip(ipa.index.astype(str), performance, importance):
                ax.text(x, y, name, transform=at, fontsize=7)
        il, pl = ipa.attrs.get("importance_line"), ipa.attrs.get("performance_line")
        if il is not None and pl is not None:
            ax.axhline(il, color="black", lw=0.8, ls="--")
            ax.axvline(pl, color="black", lw=0.8, ls="--")
        ax.set_xlabel(_lab("performance", lang))
        ax.set_ylabel(_lab("importance", lang))
        ax.set_title(_lab("ipa", lang))
    return ax


def satisfaction_index_plot(result, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The satisfaction index of each category (bars, 0–100) with the overall index as a line
    (the picture of :func:`crmlib.satisfaction.satisfaction_index`).
    ``**kwargs`` go to ``seaborn.barplot`` (``palette=``, ``color=`` …).

    >>> from crmlib.satisfaction import satisfaction_index
    >>> s = pd.DataFrame({"category": ["a", "b"], "indicator": ["a1", "b1"], "importance": [5, 1],
    ...                   "performance": [4, 2]})
    >>> fig, ax = plt.subplots()
    >>> satisfaction_index_plot(satisfaction_index(s), ax=ax).get_title()
    'satisfaction index = 66.7'
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "satisfaction_index_plot"
    lang = _start(lang, func, ax)
    _result(result, "SatisfactionIndex", "satisfaction_index", func, "result")
    cat = result.by_category.sort_values("index", kind="mergesort")
    df = pd.DataFrame({"category": cat.index.astype(str), "index": cat["index"].to_numpy()})
    with _style(lang, func):
        ax = _axes(ax, (7, 0.4 * len(df) + 1.6))
        sns.barplot(
            data=df,
            y="category",
            x="index",
            ax=ax,
            **_kw(kwargs, {"hue": "category", "palette": PALETTE, "legend": False}),
        )
        ax.axvline(result.overall, color="black", lw=1.2, ls="--")
        ax.set_xlim(0, 100)
        ax.set_xlabel(_lab("satisfaction_index", lang) + " (0–100)")
        ax.set_ylabel("")
        ax.set_title(f"{_lab('satisfaction_index', lang)} = {result.overall:.1f}")
    return ax


def nps_plot(scores: Any, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Answers to "would you recommend us?" (0–10) coloured as detractors, passives and promoters,
    with the NPS and its confidence interval in the title (净推荐值).
    ``**kwargs`` go to ``ax.bar`` (each group's bars).

    >>> fig, ax = plt.subplots()
    >>> nps_plot([10, 9, 9, 8, 7, 6, 3, 10, 10, 0], ax=ax).get_title()
    'Net Promoter Score (NPS) = +20.0 (95% CI -34.0 … +74.0)'
    >>> plt.close(fig)
    """
    from crmlib.satisfaction import nps, nps_groups

    func = "nps_plot"
    lang = _start(lang, func, ax)
    with V.caller(func):
        r = nps(scores)
        groups = nps_groups(scores, lang=lang)
    s = V.numeric(scores, func, "scores")
    counts = pd.crosstab(s.astype(int).to_numpy(), groups.to_numpy()).reindex(range(11), fill_value=0)
    counts = counts.reindex(columns=list(groups.cat.categories), fill_value=0)
    with _style(lang, func):
        ax = _axes(ax)
        bottom = np.zeros(11)
        for col, color in zip(counts.columns, ["tab:red", "tab:grey", "tab:green"]):
            ax.bar(counts.index, counts[col].to_numpy(), **_kw(kwargs, {"color": color}, bottom=bottom, label=col))
            bottom += counts[col].to_numpy()
        ax.set_xticks(range(11))
        ax.set_xlabel("0–10")
        ax.set_ylabel("n")
        ax.legend(fontsize=8)
        ax.set_title(f"{_lab('nps', lang)} = {r.nps:+.1f} ({r.confidence:.0%} CI {r.low:+.1f} … {r.high:+.1f})")
    return ax


def iceberg_plot(iceberg: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The complaint iceberg (投诉冰山) as horizontal bars on a log scale: the complaints we see on
    top, the unhappy customers, leavers, lost customers and people told below the waterline.
    ``**kwargs`` go to the bars (Rectangle properties, as ``ax.barh`` takes them).

    >>> from crmlib.satisfaction import complaint_iceberg
    >>> fig, ax = plt.subplots()
    >>> len(iceberg_plot(complaint_iceberg(40), ax=ax).patches)
    6
    >>> plt.close(fig)
    """
    func = "iceberg_plot"
    lang = _start(lang, func, ax)
    _need(iceberg, func, ["label", "count"], "iceberg")
    y = np.arange(len(iceberg))[::-1]
    counts = iceberg["count"].to_numpy(dtype=float)
    with _style(lang, func):
        ax = _axes(ax)
        colours = ["tab:cyan"] + ["tab:blue"] * (len(iceberg) - 1)
        _bars(ax, y, np.maximum(counts, 1e-9), horizontal=True, **_kw(kwargs, {"color": colours}))
        ax.set_xscale("log")
        ax.set_yticks(y, iceberg["label"].tolist())
        for yi, c in zip(y, counts):
            ax.text(c, yi, f" {c:,.0f}", va="center", fontsize=9)
        ax.axhline(len(iceberg) - 1.5, color="navy", lw=1, ls=":")
        ax.set_xlabel("n (log)")
        ax.set_title(_lab("complaint_iceberg", lang))
    return ax


def complaint_steps_plot(report, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Median hours each of the six complaint-handling steps took (处理投诉), on a log scale, from
    :func:`crmlib.satisfaction.complaint_report`.
    ``**kwargs`` go to ``seaborn.barplot``.

    >>> from crmlib.satisfaction import complaint_report
    >>> log = pd.DataFrame({"customer_id": ["a"], "cause": ["late"], "apologise_h": [0.1], "restate_h": [0.2],
    ...                     "reassure_h": [0.3], "remedy_h": [24.0], "follow_up_h": [100.0], "review_h": [500.0]})
    >>> fig, ax = plt.subplots()
    >>> complaint_steps_plot(complaint_report(log, satisfied_col=None), ax=ax).get_xlabel()
    'hours'
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "complaint_steps_plot"
    lang = _start(lang, func, ax)
    _result(report, "ComplaintReport", "complaint_report", func, "report")
    st = report.steps
    df = pd.DataFrame({"step": st["label"].astype(str).to_numpy(), "hours": st["median_hours"].to_numpy()})
    with _style(lang, func):
        ax = _axes(ax)
        sns.barplot(data=df, y="step", x="hours", ax=ax, **_kw(kwargs, {"color": "tab:blue"}))
        ax.set_xscale("log")
        for i, h in enumerate(df["hours"].to_numpy()):
            if np.isfinite(h):
                ax.text(h, i, f" {h:,.1f} h" if h < 48 else f" {h / 24:,.1f} d", va="center", fontsize=9)
        ax.set_xlabel(_lab("hours", lang))
        ax.set_ylabel("")
        ax.set_title(_text("plots_complaint_steps_title", lang, handling=_lab("complaint_handling", lang)))
    return ax
