"""Seaborn figures, one function per concept (图表).

Each function takes the result of the matching crmlib function (or the raw values it needs),
draws one figure, labels it through :mod:`crmlib.i18n` (``lang="zh"`` for Chinese) and returns
the matplotlib ``Axes``. Nothing is computed here that crmlib does not expose.

>>> import matplotlib; matplotlib.use("Agg")
>>> ax = lorenz_plot([1, 2, 3, 10])
>>> ax.get_title()
'Lorenz curve — Gini index = 0.44'
"""
from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from crmlib import _validate as V
from crmlib import i18n, segmentation
from crmlib.qualification import MAN_CODES

PALETTE = "crest"


def _ax(ax, figsize=(7, 4.2)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _lab(key: str, lang: str) -> str:
    return i18n.label(key, lang)


def _start(lang: str | None, func: str) -> str:
    lang = i18n.resolve(lang, func)
    i18n.use_fonts(lang)
    return lang


def _need(df: Any, func: str, cols: list[str], name: str) -> pd.DataFrame:
    return V.table(df, func, cols, name=name)


def pareto_chart(values: Any, top_fraction: float = 0.2, ax=None, lang: str | None = None):
    """Pareto chart of customer value (二八法则): revenue share of each tenth of customers (bars,
    most valuable first) and the cumulative share (line), with the top-``top_fraction`` point marked.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> pareto_chart([50, 20, 10, 10, 5, 5, 0, 0, 0, 0]).get_title()
    'Top 20% of customers hold 70.0% of value'
    """
    func = "pareto_chart"
    lang = _start(lang, func)
    table = segmentation.pareto_table(values)
    share = segmentation.top_share(values, top_fraction)
    n = len(table)
    groups = min(10, n)
    decile = np.minimum((np.arange(n) * groups) // n, groups - 1)
    bars = table["share"].groupby(decile).sum()
    ax = _ax(ax)
    pos = (np.arange(groups) + 0.5) / groups
    ax.bar(pos, bars.to_numpy(), width=0.9 / groups, color=sns.color_palette(PALETTE, groups),
           label=_lab("value_share", lang))
    ax.plot(np.concatenate([[0], table["cum_customer_share"]]), np.concatenate([[0], table["cum_share"]]),
            color="black", lw=2, label=_lab("cumulative_share", lang))
    ax.axvline(top_fraction, color="grey", ls="--", lw=1)
    ax.axhline(share, color="grey", ls="--", lw=1)
    ax.scatter([top_fraction], [share], color="crimson", zorder=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_lab("customer_share", lang))
    ax.set_ylabel(_lab("value_share", lang))
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    if lang == "zh":
        ax.set_title(f"前 {top_fraction:.0%} 的客户贡献了 {share:.1%} 的价值")
    else:
        ax.set_title(f"Top {top_fraction:.0%} of customers hold {share:.1%} of value")
    ax.legend(loc="center right")
    return ax


def lorenz_plot(values: Any, ax=None, lang: str | None = None):
    """Lorenz curve against the line of perfect equality, with the Gini index in the title.

    >>> lorenz_plot([1, 1, 2], lang="zh").get_xlabel()
    '客户占比'
    """
    lang = _start(lang, "lorenz_plot")
    curve = segmentation.lorenz_curve(values)
    g = segmentation.gini(values)
    ax = _ax(ax, (5, 5))
    ax.plot([0, 1], [0, 1], color="grey", ls="--", label=_lab("equality", lang))
    ax.plot(curve["customer_share"], curve["value_share"], color="tab:blue", lw=2, label=_lab("lorenz", lang))
    ax.fill_between(curve["customer_share"], curve["value_share"], curve["customer_share"], alpha=0.2)
    ax.set_xlabel(_lab("customer_share", lang))
    ax.set_ylabel(_lab("value_share", lang))
    ax.set_title(f"{_lab('lorenz', lang)} — {_lab('gini', lang)} = {g:.2f}")
    ax.legend(loc="upper left")
    return ax


def abc_plot(abc: pd.DataFrame, ax=None, lang: str | None = None):
    """Cumulative value share by customer rank, coloured by ABC class (关键/主要/普通客户).

    >>> abc_plot(segmentation.abc_classes([50, 30, 10, 5, 5])).get_title()
    'ABC classification: A key 2, B major 3, C ordinary 0'
    """
    lang = _start(lang, "abc_plot")
    _need(abc, "abc_plot", ["cum_share", "abc"], "abc")
    ax = _ax(ax)
    x = np.arange(1, len(abc) + 1) / len(abc)
    df = pd.DataFrame({"x": x, "cum_share": abc["cum_share"].to_numpy(), "abc": abc["abc"].to_numpy()})
    sns.scatterplot(data=df, x="x", y="cum_share", hue="abc", palette="Set1", s=12, linewidth=0, ax=ax)
    counts = abc["abc"].value_counts(sort=False)
    ax.set_xlabel(_lab("customer_share", lang))
    ax.set_ylabel(_lab("cumulative_share", lang))
    ax.set_title(_lab("abc", lang) + ": " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return ax


def rfm_segment_plot(segments: pd.DataFrame, ax=None, lang: str | None = None):
    """Customers per RFM segment (bars) with each segment's share of monetary value.

    >>> seg = segmentation.rfm_segments(pd.DataFrame({"R": [5, 1], "F": [5, 1], "M": [5, 1],
    ...                                               "monetary": [90.0, 10.0]}))
    >>> [t.get_text() for t in rfm_segment_plot(seg).texts][0]
    '  90%'
    """
    lang = _start(lang, "rfm_segment_plot")
    _need(segments, "rfm_segment_plot", ["segment", "monetary"], "segments")
    counts = segments["segment"].value_counts(sort=False)
    value = segments.groupby("segment", observed=False)["monetary"].sum()
    share = value / value.sum()
    df = pd.DataFrame({"segment": counts.index.astype(str), "count": counts.to_numpy()})
    ax = _ax(ax, (7, 4.5))
    sns.barplot(data=df, y="segment", x="count", hue="segment", palette="viridis", legend=False, ax=ax)
    for i, (c, s) in enumerate(zip(counts.to_numpy(), share.to_numpy())):
        ax.text(c, i, f"  {s:.0%}", va="center", fontsize=9)
    ax.set_xlabel(_lab("customers", lang) + (" (文字 = 价值占比)" if lang == "zh" else " (label = share of value)"))
    ax.set_ylabel("")
    ax.set_title(_lab("rfm", lang))
    return ax


def rfm_heatmap(scores: pd.DataFrame, ax=None, lang: str | None = None):
    """Mean monetary value of the customers in each R × F score cell.

    >>> sc = pd.DataFrame({"R": [1, 2, 2], "F": [1, 1, 2], "monetary": [10.0, 20.0, 40.0]})
    >>> rfm_heatmap(sc).get_ylabel()
    'R — recency'
    """
    lang = _start(lang, "rfm_heatmap")
    _need(scores, "rfm_heatmap", ["R", "F", "monetary"], "scores")
    grid = scores.pivot_table(index="R", columns="F", values="monetary", aggfunc="mean").sort_index(ascending=False)
    ax = _ax(ax, (6, 4.5))
    sns.heatmap(grid, annot=True, fmt=".0f", cmap="YlGnBu", ax=ax,
                cbar_kws={"label": _lab("monetary", lang)})
    ax.set_xlabel("F — " + _lab("frequency", lang))
    ax.set_ylabel("R — " + _lab("recency", lang))
    return ax


def value_matrix_plot(vm: pd.DataFrame, ax=None, lang: str | None = None):
    """Customer value matrix: current vs potential value, quadrant colours and cut lines.

    >>> vm = segmentation.value_matrix([900, 800, 100, 50], [50, 600, 700, 20])
    >>> [t.get_text() for t in value_matrix_plot(vm).get_legend().get_texts()]
    ['invest and retain', 'maintain', 'develop', 'minimise cost']
    """
    lang = _start(lang, "value_matrix_plot")
    _need(vm, "value_matrix_plot", ["current", "potential", "quadrant"], "vm")
    ax = _ax(ax, (6.5, 5))
    sns.scatterplot(data=vm, x="current", y="potential", hue="quadrant", palette="Set2", s=14,
                    linewidth=0, ax=ax)
    cc, pc = vm.attrs.get("current_cut"), vm.attrs.get("potential_cut")
    if cc is not None:
        ax.axvline(cc, color="grey", ls="--", lw=1)
    if pc is not None:
        ax.axhline(pc, color="grey", ls="--", lw=1)
    if vm["current"].min() > 0 and vm["current"].max() / vm["current"].min() > 100:
        ax.set_xscale("log")
    if vm["potential"].max() > 100 * max(vm["potential"][vm["potential"] > 0].min(), 1e-9):
        ax.set_yscale("symlog", linthresh=max(1.0, float(vm["potential"].median()) / 10))
    ax.set_xlabel(_lab("current_value", lang))
    ax.set_ylabel(_lab("potential_value", lang))
    ax.set_title(_lab("value_matrix", lang))
    return ax


def profitability_plot(tiers: pd.DataFrame, ax=None, lang: str | None = None):
    """Customers sorted by profit (bars as an area), coloured by profitability tier.

    >>> ax = profitability_plot(segmentation.profitability_tiers([100, 50, 10, 0, -20]))
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['most profitable', 'profitable', 'least profitable']
    """
    lang = _start(lang, "profitability_plot")
    _need(tiers, "profitability_plot", ["profit", "tier"], "tiers")
    t = tiers.sort_values("profit", ascending=False, kind="mergesort")
    x = np.arange(len(t))
    ax = _ax(ax)
    colors = dict(zip(t["tier"].cat.categories, ["tab:green", "tab:blue", "tab:red"]))
    for cat, color in colors.items():
        m = (t["tier"] == cat).to_numpy()
        if m.any():
            ax.fill_between(x, 0, np.where(m, t["profit"].to_numpy(), np.nan), color=color, step="mid", label=cat)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(_lab("customers", lang))
    ax.set_ylabel(_lab("profit", lang))
    ax.set_title(_lab("profitability", lang))
    ax.legend()
    return ax


def relationship_plot(rt: pd.DataFrame, discount_cut: float | None = None, ax=None, lang: str | None = None):
    """Discount share against margin contribution, transactional vs relational customers.

    >>> rt = segmentation.relationship_type([500, 20, 300, -10], [0.05, 0.35, 0.1, 0.4])
    >>> relationship_plot(rt, discount_cut=0.2).get_xlabel()
    'discount percentage'
    """
    lang = _start(lang, "relationship_plot")
    _need(rt, "relationship_plot", ["margin", "discount_pct", "type"], "rt")
    ax = _ax(ax)
    sns.scatterplot(data=rt, x="discount_pct", y="margin", hue="type", palette=["tab:blue", "tab:orange"],
                    s=12, linewidth=0, ax=ax)
    if discount_cut is not None:
        ax.axvline(discount_cut, color="grey", ls="--", lw=1)
    ax.axhline(0, color="black", lw=0.8)
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(_lab("discount_pct", lang))
    ax.set_ylabel(_lab("margin", lang))
    ax.set_title(_lab("value_customer", lang))
    return ax


def man_plot(man: pd.DataFrame, ax=None, lang: str | None = None):
    """Prospects per MAN code, in priority order (MAN法则).

    >>> from crmlib.qualification import man_table
    >>> man = man_table(pd.DataFrame({"money": [1, 1, 0], "authority": [1, 1, 0], "need": [1, 1, 0]}))
    >>> [round(p.get_height()) for p in man_plot(man).patches][:2], [t.get_text() for t in man_plot(man).get_xticklabels()][-1]
    ([2, 0], 'm+a+n')
    """
    lang = _start(lang, "man_plot")
    _need(man, "man_plot", ["man_code"], "man")
    counts = man["man_code"].value_counts().reindex(MAN_CODES, fill_value=0)
    df = pd.DataFrame({"man_code": MAN_CODES, "count": counts.to_numpy()})
    ax = _ax(ax)
    sns.barplot(data=df, x="man_code", y="count", hue="man_code", palette="rocket", legend=False, ax=ax)
    ax.set_xlabel(_lab("man", lang))
    ax.set_ylabel(_lab("count", lang))
    ax.set_title(_lab("man", lang) + (" — 按优先级排列" if lang == "zh" else " — in priority order"))
    return ax


def state_plot(states: pd.DataFrame, ax=None, lang: str | None = None):
    """How many people are actual, potential, lost and non-customers (客户状态).

    >>> from crmlib.qualification import customer_state
    >>> st = customer_state(pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
    ...                     pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [1]}))
    >>> state_plot(st).get_title()
    'customer state'
    """
    lang = _start(lang, "state_plot")
    _need(states, "state_plot", ["state"], "states")
    counts = states["state"].value_counts(sort=False)
    df = pd.DataFrame({"state": counts.index.astype(str), "count": counts.to_numpy()})
    ax = _ax(ax, (6, 3.5))
    sns.barplot(data=df, x="count", y="state", hue="state", palette="mako", legend=False, ax=ax)
    ax.set_xlabel(_lab("count", lang))
    ax.set_ylabel("")
    ax.set_title(_lab("customer_state", lang))
    return ax


# ============================================================================ Chapter 2 (selection)


# ============================================================================ Chapter 3 (development)
