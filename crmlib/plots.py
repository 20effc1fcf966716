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
# a notebook's own figures often put the Chinese term beside the English one: give them the CJK fallback too
i18n.use_fonts("en")


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


def _result(obj: Any, kind: str, maker: str, func: str, field: str) -> None:
    """A plot of a result record (FranklinResult …) gets that record, or a CRMDataError saying so."""
    from crmlib._errors import CRMDataError
    if type(obj).__name__ != kind:
        raise CRMDataError(func, field, f"must be the {kind} returned by {maker}(...), got {type(obj).__name__}")


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
    with V.caller(func):
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
    with V.caller("lorenz_plot"):
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
def ideal_score_plot(scores: pd.DataFrame, top: int = 15, ax=None, lang: str | None = None):
    """The best ``top`` accounts by ideal-customer score (理想客户评分), each bar split into what every
    criterion contributes (weight × criterion × 100).

    >>> from crmlib.selection import ideal_customer_score
    >>> from crmlib.datasets import make_accounts
    >>> ax = ideal_score_plot(ideal_customer_score(make_accounts(n=30, seed=1)), top=5)
    >>> len(ax.get_yticklabels()), ax.get_xlabel()
    (5, 'ideal-customer score')
    """
    from crmlib.selection import CRITERIA
    func = "ideal_score_plot"
    lang = _start(lang, func)
    _need(scores, func, [*CRITERIA, "score"], "scores")
    top = V.integer(top, func, "top", 1, 200)
    w = scores.attrs.get("weights") or {k: 1 / len(CRITERIA) for k in CRITERIA}
    best = scores.sort_values("score", ascending=False, kind="mergesort").head(top).iloc[::-1]
    ax = _ax(ax, (7, max(3.0, 0.3 * len(best) + 1.2)))
    left = np.zeros(len(best))
    colors = sns.color_palette("Set2", len(CRITERIA))
    ylabels = [str(i) for i in best.index]
    for k, c in zip(CRITERIA, colors):
        part = 100 * w[k] * best[k].to_numpy()
        ax.barh(ylabels, part, left=left, color=c, label=_lab("crit_" + k, lang))
        left += part
    ax.set_xlim(0, 100)
    ax.set_xlabel(_lab("ideal_score", lang))
    ax.set_title(_lab("ideal_customer", lang) + (f" — 前 {len(best)} 名" if lang == "zh" else f" — top {len(best)}"))
    ax.legend(fontsize=7, loc="lower right")
    return ax


def whale_plot(curve: pd.DataFrame, ax=None, lang: str | None = None):
    """The whale curve (鲸鱼曲线): cumulative share of total profit against the share of customers,
    most profitable first, with its peak marked.

    >>> from crmlib.selection import whale_curve
    >>> whale_plot(whale_curve([-20.0, 50.0, 70.0])).get_title()
    'whale curve — peak 120% of total profit'
    """
    func = "whale_plot"
    lang = _start(lang, func)
    _need(curve, func, ["cum_share", "cum_customer_share"], "curve")
    x = np.concatenate([[0], curve["cum_customer_share"].to_numpy()])
    y = np.concatenate([[0], curve["cum_share"].to_numpy()])
    i = int(np.argmax(y))
    ax = _ax(ax)
    ax.plot(x, y, color="tab:blue", lw=2)
    ax.axhline(1.0, color="grey", ls="--", lw=1)
    ax.scatter([x[i]], [y[i]], color="crimson", zorder=3)
    ax.annotate(f"{y[i]:.0%}", (x[i], y[i]), textcoords="offset points", xytext=(6, 6))
    ax.set_xlim(0, 1)
    ax.set_ylim(min(0.0, y.min()) , max(1.05, y.max() * 1.08))
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(_lab("customer_share", lang))
    ax.set_ylabel(_lab("cumulative_share", lang) + " — " + _lab("profit", lang))
    peak = f"{y[i]:.0%}"
    ax.set_title(f"{_lab('whale_curve', lang)} — " + (f"峰值为总利润的 {peak}" if lang == "zh"
                                                       else f"peak {peak} of total profit"))
    return ax


def risk_plot(risks: pd.DataFrame, ax=None, lang: str | None = None):
    """Share of big versus other accounts carrying each of the four big-customer risks (大客户风险).

    >>> r = pd.DataFrame({"big": [True, False], "financial_risk": [True, False], "profit_risk": [True, True],
    ...     "management_risk": [False, False], "churn_risk": [False, True]})
    >>> risk_plot(r).get_ylabel()
    'share of accounts'
    """
    from crmlib.selection import risk_summary
    lang = _start(lang, "risk_plot")
    with V.caller("risk_plot"):
        summ = risk_summary(risks, lang=lang)
    long = summ.reset_index(names="risk").melt(id_vars="risk", var_name="group", value_name="share")
    ax = _ax(ax)
    sns.barplot(data=long, x="risk", y="share", hue="group", palette=["tab:red", "tab:grey"], ax=ax)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("")
    ax.set_ylabel("客户占比" if lang == "zh" else "share of accounts")
    ax.set_title(_lab("big_customer", lang) + (" ≠ 理想客户" if lang == "zh" else " ≠ ideal customer"))
    ax.legend(title="")
    return ax


def growth_plot(potential: pd.DataFrame, ax=None, lang: str | None = None):
    """Revenue (log scale) against sales growth; promising small accounts highlighted (成长潜力).

    >>> from crmlib.selection import growth_potential
    >>> acc = pd.DataFrame({"account_id": list("abcd"), "revenue": [100.0, 200.0, 5000.0, 300.0],
    ...     "revenue_growth": [0.5, 0.02, 0.3, 0.2], "avg_days_late": [3.0, 0.0, 0.0, 30.0],
    ...     "partnership_interest": [4, 5, 5, 4]})
    >>> growth_plot(growth_potential(acc)).get_xscale()
    'log'
    """
    func = "growth_plot"
    lang = _start(lang, func)
    _need(potential, func, ["revenue", "revenue_growth", "small", "promising"], "potential")
    ax = _ax(ax)
    grp = np.where(potential["promising"], _lab("growth_potential", lang),
                   np.where(potential["small"], "小客户" if lang == "zh" else "small",
                            _lab("other_accounts", lang)))
    sns.scatterplot(x=potential["revenue"].to_numpy(), y=potential["revenue_growth"].to_numpy(), hue=grp,
                    palette={_lab("growth_potential", lang): "tab:green",
                             ("小客户" if lang == "zh" else "small"): "tab:olive",
                             _lab("other_accounts", lang): "tab:grey"}, s=18, linewidth=0, ax=ax)
    ax.set_xscale("log")
    ax.axhline(0, color="black", lw=0.8)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(_lab("revenue", lang))
    ax.set_ylabel("年增长率" if lang == "zh" else "yearly sales growth")
    ax.set_title(_lab("growth_potential", lang))
    return ax


def rubric_plot(rubric: pd.DataFrame, ax=None, lang: str | None = None):
    """Share of accounts meeting each of the five selection principles (客户选择的原则).

    >>> r = pd.DataFrame({"fits_positioning": [True, False], "ideal": [True, True], "potential": [False, False],
    ...     "matches_strength": [True, True], "satisfied": [True, False]})
    >>> [round(float(p.get_width()), 2) for p in rubric_plot(r).patches]
    [0.5, 1.0, 0.0, 1.0, 0.5]
    """
    from crmlib.selection import PRINCIPLE_KEYS
    func = "rubric_plot"
    lang = _start(lang, func)
    _need(rubric, func, list(PRINCIPLE_KEYS), "rubric")
    keys = ["principle_positioning", "principle_ideal", "principle_potential", "principle_strength",
            "principle_satisfied"]
    shares = [float(V.flags(rubric[k], func, k).mean()) for k in PRINCIPLE_KEYS]
    ax = _ax(ax, (7, 3.2))
    ax.barh([_lab(k, lang) for k in keys][::-1], shares[::-1], color=sns.color_palette("crest", 5))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("符合该原则的客户占比" if lang == "zh" else "share of accounts meeting the principle")
    ax.set_title(_lab("selection_principles", lang))
    return ax


def credit_plot(credit: pd.DataFrame, ax=None, lang: str | None = None):
    """Distribution of 5C credit scores (5C信用评分) coloured by rating, with the rating cut-offs.

    >>> from crmlib.receivables import credit_score_5c
    >>> from crmlib.datasets import make_accounts
    >>> credit_plot(credit_score_5c(make_accounts(n=30, seed=1))).get_xlabel()
    'credit score'
    """
    from crmlib.receivables import RATING_CUTS
    func = "credit_plot"
    lang = _start(lang, func)
    _need(credit, func, ["score", "rating"], "credit")
    ax = _ax(ax)
    sns.histplot(data=credit, x="score", hue="rating", multiple="stack", binwidth=2.5, binrange=(0, 100),
                 palette="RdYlGn_r", ax=ax)
    for c in RATING_CUTS:
        ax.axvline(c, color="grey", ls="--", lw=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_lab("credit_score", lang))
    ax.set_ylabel(_lab("customers", lang))
    ax.set_title(_lab("five_c", lang))
    return ax


def aging_plot(aging, ax=None, lang: str | None = None):
    """Open receivables per aging bucket (应收账款账龄), with the number of invoices on each bar.

    >>> from crmlib.receivables import receivables_aging
    >>> inv = pd.DataFrame({"account_id": ["a", "b"], "amount": [1000.0, 200.0],
    ...     "issue_date": ["2024-01-01", "2024-06-01"], "due_date": ["2024-01-31", "2024-07-01"],
    ...     "paid_date": [None, None]})
    >>> [float(p.get_height()) for p in aging_plot(receivables_aging(inv, "2024-06-30")).patches]
    [200.0, 0.0, 0.0, 0.0, 1000.0]
    """
    from crmlib._errors import CRMDataError
    from crmlib.receivables import AgingReport
    func = "aging_plot"
    lang = _start(lang, func)
    if not isinstance(aging, AgingReport):
        raise CRMDataError(func, "aging", f"must be the result of receivables_aging, got {type(aging).__name__}")
    t = aging.total
    ax = _ax(ax)
    labels = [str(x) for x in t.index]
    ax.bar(labels, t["amount"].to_numpy(), color=sns.color_palette("flare", len(labels)))
    for i, (a, n) in enumerate(zip(t["amount"], t["count"])):
        ax.annotate(f"{int(n)}", (i, a), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel(_lab("open_amount", lang))
    ax.set_xlabel(_lab("days_past_due", lang))
    ax.set_title(f"{_lab('aging', lang)} — {aging.as_of.date()}")
    return ax


# ============================================================================ Chapter 3 (development)
def channel_plot(report: pd.DataFrame, ax=None, lang: str | None = None):
    """Cost per acquisition (获客成本) of each lead channel, cheapest first, with the return of the
    channel written at the end of its bar (the picture of :func:`crmlib.development.channel_report`).

    >>> from crmlib.development import channel_report
    >>> leads = pd.DataFrame({"channel": ["phone", "phone", "referral"], "money": [1, 1, 1],
    ...                       "authority": [1, 1, 1], "need": [1, 1, 1], "won": [1, 0, 1],
    ...                       "cost": [50.0, 30.0, 20.0], "value": [400.0, 0.0, 300.0]})
    >>> [t.get_text() for t in channel_plot(channel_report(leads)).get_yticklabels()]
    ['referral', 'phone']
    """
    lang = _start(lang, "channel_plot")
    _need(report, "channel_plot", ["cost_per_acquisition", "return"], "report")
    r = report.sort_values("cost_per_acquisition", kind="mergesort")
    df = pd.DataFrame({"channel": r.index.astype(str), "cpa": r["cost_per_acquisition"].to_numpy()})
    ax = _ax(ax, (7, 0.4 * len(df) + 1.6))
    sns.barplot(data=df, y="channel", x="cpa", hue="channel", palette="crest", legend=False, ax=ax)
    for i, (c, ret) in enumerate(zip(df["cpa"].to_numpy(), r["return"].to_numpy())):
        if np.isfinite(c):
            ax.text(c, i, f"  {ret:+.0%}" if np.isfinite(ret) else "", va="center", fontsize=9)
    ax.set_xlabel(_lab("cost_per_acquisition", lang) + (" (文字 = 投资回报率)" if lang == "zh" else " (label = return)"))
    ax.set_ylabel(_lab("lead_channel", lang))
    ax.set_title(_lab("lead_channel", lang))
    return ax


def funnel_plot(f: pd.DataFrame, ax=None, lang: str | None = None):
    """The AIDMAS funnel as drop-off bars: the share of the first stage still there at each stage,
    one colour per group when the funnel was split (``funnel(..., by=...)``), with the stage-to-stage
    conversion written above single funnels.

    >>> from crmlib.development import funnel
    >>> f = funnel({"attention": 100, "interest": 40, "desire": 10}, stages=["attention", "interest", "desire"])
    >>> [t.get_text() for t in funnel_plot(f).texts]
    ['100%', '40%', '25%']
    """
    lang = _start(lang, "funnel_plot")
    _need(f, "funnel_plot", ["label", "count", "conversion", "share_of_first"], "f")
    ax = _ax(ax)
    grouped = isinstance(f.index, pd.MultiIndex)
    df = pd.DataFrame({"stage": f["label"].astype(str).to_numpy(), "share": f["share_of_first"].to_numpy(),
                       "group": (f.index.get_level_values(0).astype(str) if grouped else ["all"] * len(f))})
    order = list(dict.fromkeys(df["stage"]))
    if grouped:
        sns.barplot(data=df, x="stage", y="share", hue="group", order=order, palette="Set2", ax=ax)
        ax.legend(title="", fontsize=8)
    else:
        sns.barplot(data=df, x="stage", y="share", order=order, color="tab:blue", ax=ax)
        for i, (s, c) in enumerate(zip(df["share"].to_numpy(), f["conversion"].to_numpy())):
            ax.text(i, s, f"{c:.0%}" if np.isfinite(c) else "", ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(_lab("stage", lang))
    ax.set_ylabel(_lab("customer_share", lang))
    ax.set_title(_lab("aidmas", lang) + (" — 文字 = 阶段转化率" if lang == "zh" and not grouped else
                                         " — label = stage-to-stage conversion" if not grouped else ""))
    return ax


def contact_tradeoff_plot(tradeoff: pd.DataFrame, limit: int | None = None, ax=None, lang: str | None = None):
    """What each contact limit saves (cost of contacts beyond it) against the margin of the deals it
    loses, and the net effect (12次沟通).

    >>> t = pd.DataFrame({"saved_cost": [30.0, 10.0], "lost_margin": [50.0, 0.0], "net": [-20.0, 10.0]},
    ...                  index=pd.Index([1, 2], name="limit"))
    >>> [l.get_label() for l in contact_tradeoff_plot(t, limit=2).get_lines()][:3]
    ['cost saved', 'margin of deals lost', 'net']
    """
    lang = _start(lang, "contact_tradeoff_plot")
    _need(tradeoff, "contact_tradeoff_plot", ["saved_cost", "lost_margin", "net"], "tradeoff")
    ax = _ax(ax)
    x = tradeoff.index.to_numpy()
    ax.plot(x, tradeoff["saved_cost"], color="tab:green", lw=2, label=_lab("saved_cost", lang))
    ax.plot(x, tradeoff["lost_margin"], color="tab:red", lw=2, label=_lab("lost_margin", lang))
    ax.plot(x, tradeoff["net"], color="black", lw=2, ls="--", label="净效果" if lang == "zh" else "net")
    ax.axhline(0, color="grey", lw=0.8)
    if limit is not None:
        ax.axvline(limit, color="tab:blue", lw=1, ls=":")
    ax.set_xlabel(_lab("contact_limit", lang))
    ax.set_ylabel(_lab("profit", lang))
    ax.set_title(_lab("contact_rule", lang))
    ax.legend()
    return ax


def franklin_plot(result, ax=None, lang: str | None = None):
    """The Franklin balance sheet as a two-sided bar chart: reasons for buying to the right,
    objections to the left (富兰克林式表达).

    >>> from crmlib.development import franklin_balance
    >>> franklin_plot(franklin_balance({"faster": 3}, None, {"price": 2})).get_title()
    'Franklin balance sheet: 3.0 for, 2.0 against'
    """
    lang = _start(lang, "franklin_plot")
    _result(result, "FranklinResult", "franklin_balance", "franklin_plot", "result")
    t = result.table
    ax = _ax(ax, (7, 0.35 * len(t) + 1.8))
    colors = dict(zip(t["side"].cat.categories, ["tab:green", "tab:olive", "tab:red"]))
    y = np.arange(len(t))[::-1]
    ax.barh(y, t["signed"].to_numpy(), color=[colors[s] for s in t["side"]])
    ax.set_yticks(y, t["item"].tolist())
    ax.axvline(0, color="black", lw=0.8)
    for side, color in colors.items():
        ax.bar(0, 0, color=color, label=side)
    ax.legend(fontsize=8, loc="best")
    ax.set_xlabel(_lab("weight", lang))
    if lang == "zh":
        ax.set_title(f"富兰克林式表达：支持 {result.for_buying:.1f}，反对 {result.against:.1f}")
    else:
        ax.set_title(f"Franklin balance sheet: {result.for_buying:.1f} for, {result.against:.1f} against")
    return ax


# ============================================================================ Chapter 4 (satisfaction)
def ipa_plot(ipa: pd.DataFrame, annotate: bool = True, ax=None, lang: str | None = None):
    """Importance–performance grid (重要性—绩效分析): one dot per indicator, coloured by quadrant, with
    the cross-hairs of :func:`crmlib.satisfaction.importance_performance` and each dot's code.

    >>> from crmlib.satisfaction import importance_performance
    >>> s = pd.DataFrame({"category": ["x"] * 4, "indicator": list("abcd"),
    ...                   "importance": [5, 5, 1, 1], "performance": [1, 5, 1, 5]})
    >>> [t.get_text() for t in ipa_plot(importance_performance(s)).texts][:2]
    ['a', 'b']
    """
    lang = _start(lang, "ipa_plot")
    _need(ipa, "ipa_plot", ["importance", "performance", "quadrant"], "ipa")
    ax = _ax(ax, (7, 5.2))
    df = pd.DataFrame({"importance": ipa["importance"].to_numpy(), "performance": ipa["performance"].to_numpy(),
                       "quadrant": ipa["quadrant"].to_numpy()})
    palette = dict(zip(ipa["quadrant"].cat.categories, ["tab:red", "tab:green", "tab:grey", "tab:orange"]))
    sns.scatterplot(data=df, x="performance", y="importance", hue="quadrant", palette=palette, s=60, ax=ax)
    if annotate:
        for name, x, y in zip(ipa.index.astype(str), df["performance"], df["importance"]):
            ax.annotate(name, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=7)
    il, pl = ipa.attrs.get("importance_line"), ipa.attrs.get("performance_line")
    if il is not None and pl is not None:
        ax.axhline(il, color="black", lw=0.8, ls="--")
        ax.axvline(pl, color="black", lw=0.8, ls="--")
    ax.set_xlabel(_lab("performance", lang))
    ax.set_ylabel(_lab("importance", lang))
    ax.set_title(_lab("ipa", lang))
    ax.legend(title="", fontsize=8, loc="best")
    return ax


def satisfaction_index_plot(result, ax=None, lang: str | None = None):
    """The satisfaction index of each category (bars, 0–100) with the overall index as a line
    (the picture of :func:`crmlib.satisfaction.satisfaction_index`).

    >>> from crmlib.satisfaction import satisfaction_index
    >>> s = pd.DataFrame({"category": ["a", "b"], "indicator": ["a1", "b1"], "importance": [5, 1],
    ...                   "performance": [4, 2]})
    >>> satisfaction_index_plot(satisfaction_index(s)).get_title()
    'satisfaction index = 66.7'
    """
    lang = _start(lang, "satisfaction_index_plot")
    _result(result, "SatisfactionIndex", "satisfaction_index", "satisfaction_index_plot", "result")
    cat = result.by_category.sort_values("index", kind="mergesort")
    df = pd.DataFrame({"category": cat.index.astype(str), "index": cat["index"].to_numpy()})
    ax = _ax(ax, (7, 0.4 * len(df) + 1.6))
    sns.barplot(data=df, y="category", x="index", hue="category", palette=PALETTE, legend=False, ax=ax)
    ax.axvline(result.overall, color="black", lw=1.2, ls="--")
    ax.set_xlim(0, 100)
    ax.set_xlabel(_lab("satisfaction_index", lang) + " (0–100)")
    ax.set_ylabel("")
    ax.set_title(f"{_lab('satisfaction_index', lang)} = {result.overall:.1f}")
    return ax


def nps_plot(scores: Any, ax=None, lang: str | None = None):
    """Answers to "would you recommend us?" (0–10) coloured as detractors, passives and promoters,
    with the NPS and its confidence interval in the title (净推荐值).

    >>> nps_plot([10, 9, 9, 8, 7, 6, 3, 10, 10, 0]).get_title()
    'Net Promoter Score (NPS) = +20.0 (95% CI -34.0 … +74.0)'
    """
    from crmlib.satisfaction import nps, nps_groups
    lang = _start(lang, "nps_plot")
    with V.caller("nps_plot"):
        r = nps(scores)
        groups = nps_groups(scores, lang=lang)
    s = V.numeric(scores, "nps_plot", "scores")
    counts = pd.crosstab(s.astype(int).to_numpy(), groups.to_numpy()).reindex(range(11), fill_value=0)
    counts = counts.reindex(columns=list(groups.cat.categories), fill_value=0)
    ax = _ax(ax)
    colors = ["tab:red", "tab:grey", "tab:green"]
    bottom = np.zeros(11)
    for col, color in zip(counts.columns, colors):
        ax.bar(counts.index, counts[col].to_numpy(), bottom=bottom, color=color, label=col)
        bottom += counts[col].to_numpy()
    ax.set_xticks(range(11))
    ax.set_xlabel("0–10")
    ax.set_ylabel("n")
    ax.legend(fontsize=8)
    ax.set_title(f"{_lab('nps', lang)} = {r.nps:+.1f} ({r.confidence:.0%} CI {r.low:+.1f} … {r.high:+.1f})")
    return ax


def iceberg_plot(iceberg: pd.DataFrame, ax=None, lang: str | None = None):
    """The complaint iceberg (投诉冰山) as horizontal bars on a log scale: the complaints we see on
    top, the unhappy customers, leavers, lost customers and people told below the waterline.

    >>> from crmlib.satisfaction import complaint_iceberg
    >>> len(iceberg_plot(complaint_iceberg(40)).patches)
    6
    """
    lang = _start(lang, "iceberg_plot")
    _need(iceberg, "iceberg_plot", ["label", "count"], "iceberg")
    ax = _ax(ax)
    y = np.arange(len(iceberg))[::-1]
    counts = iceberg["count"].to_numpy(dtype=float)
    colors = ["tab:cyan"] + ["tab:blue"] * (len(iceberg) - 1)
    ax.barh(y, np.maximum(counts, 1e-9), color=colors)
    ax.set_xscale("log")
    ax.set_yticks(y, iceberg["label"].tolist())
    for yi, c in zip(y, counts):
        ax.text(c, yi, f" {c:,.0f}", va="center", fontsize=9)
    ax.axhline(len(iceberg) - 1.5, color="navy", lw=1, ls=":")
    ax.set_xlabel("n (log)")
    ax.set_title(_lab("complaint_iceberg", lang))
    return ax


def complaint_steps_plot(report, ax=None, lang: str | None = None):
    """Median hours each of the six complaint-handling steps took (处理投诉), on a log scale, from
    :func:`crmlib.satisfaction.complaint_report`.

    >>> from crmlib.satisfaction import complaint_report
    >>> log = pd.DataFrame({"customer_id": ["a"], "cause": ["late"], "apologise_h": [0.1], "restate_h": [0.2],
    ...                     "reassure_h": [0.3], "remedy_h": [24.0], "follow_up_h": [100.0], "review_h": [500.0]})
    >>> complaint_steps_plot(complaint_report(log, satisfied_col=None)).get_xlabel()
    'hours'
    """
    lang = _start(lang, "complaint_steps_plot")
    _result(report, "ComplaintReport", "complaint_report", "complaint_steps_plot", "report")
    st = report.steps
    ax = _ax(ax)
    df = pd.DataFrame({"step": st["label"].astype(str).to_numpy(), "hours": st["median_hours"].to_numpy()})
    sns.barplot(data=df, y="step", x="hours", color="tab:blue", ax=ax)
    ax.set_xscale("log")
    for i, h in enumerate(df["hours"].to_numpy()):
        if np.isfinite(h):
            ax.text(h, i, f" {h:,.1f} h" if h < 48 else f" {h / 24:,.1f} d", va="center", fontsize=9)
    ax.set_xlabel(_lab("hours", lang))
    ax.set_ylabel("")
    ax.set_title(_lab("complaint_handling", lang) + (" — 各步骤耗时中位数" if lang == "zh" else " — median time per step"))
    return ax


# ============================================================================ Chapter 5 (loyalty, CLV)
# ---- chapter 5: loyalty and retention (crmlib.loyalty)
def value_loyalty_plot(m: pd.DataFrame, ax=None, lang: str | None = None):
    """The value × loyalty matrix (客户价值—忠诚度矩阵): one dot per customer, coloured by relationship,
    with the two cut lines.

    >>> from crmlib.loyalty import value_loyalty_matrix
    >>> m = value_loyalty_matrix([900, 800, 50, 40], [6, 0, 5, 1], value_cut=500, loyalty_cut=3)
    >>> [t.get_text() for t in value_loyalty_plot(m).get_legend().get_texts()]
    ['strategic partner', 'retain (vendor relationship)', 'develop', 'build relationship']
    """
    func = "value_loyalty_plot"
    lang = _start(lang, func)
    _need(m, func, ["value", "loyalty", "relationship"], "m")
    ax = _ax(ax, (6.5, 5))
    data = m.assign(loyalty=m["loyalty"].astype(float))
    rng = np.random.default_rng(0)       # a little jitter so that equal repeat counts do not overlap
    data["loyalty"] = data["loyalty"] + rng.uniform(-0.25, 0.25, len(data))
    sns.scatterplot(data=data, x="value", y="loyalty", hue="relationship", palette="Set1", s=14,
                    linewidth=0, alpha=0.7, ax=ax)
    if m.attrs.get("value_cut") is not None:
        ax.axvline(m.attrs["value_cut"], color="grey", ls="--", lw=1)
    if m.attrs.get("loyalty_cut") is not None:
        ax.axhline(m.attrs["loyalty_cut"] - 0.5, color="grey", ls="--", lw=1)
    if m["value"].min() > 0 and m["value"].max() / m["value"].min() > 100:
        ax.set_xscale("log")
    if data["loyalty"].max() > 30:
        ax.set_yscale("symlog", linthresh=10)
    ax.set_xlabel(_lab("revenue", lang))
    ax.set_ylabel(_lab("loy_repeat_purchases", lang))
    ax.set_title(_lab("loy_value_loyalty", lang))
    return ax


def cohort_heatmap(triangle: pd.DataFrame, max_periods: int | None = 12, ax=None, lang: str | None = None):
    """Heatmap of a cohort retention triangle (同期群保持率) from :func:`crmlib.loyalty.cohort_retention`.

    >>> from crmlib.loyalty import cohort_retention
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"], "date": ["2024-01-03", "2024-02-10", "2024-01-20"]})
    >>> cohort_heatmap(cohort_retention(tx)).get_xlabel()
    'periods since first purchase'
    """
    func = "cohort_heatmap"
    lang = _start(lang, func)
    t = V.table(triangle, func, name="triangle")
    if max_periods is not None:
        t = t.iloc[:, : V.integer(max_periods, func, "max_periods", lo=1) + 1]
    ax = _ax(ax, (8, max(3.0, 0.28 * len(t) + 1.5)))
    sns.heatmap(t.astype(float), cmap="YlGnBu", vmin=0, vmax=1, annot=len(t) <= 30 and t.shape[1] <= 13,
                fmt=".0%", annot_kws={"fontsize": 6}, cbar=True, ax=ax,
                yticklabels=[str(i) for i in t.index])
    ax.set_xlabel(_lab("loy_periods_since", lang))
    ax.set_ylabel(_lab("loy_cohort", lang))
    ax.set_title(_lab("loy_cohort_retention", lang))
    return ax


def clv_histogram(report: pd.DataFrame, customer: Any = None, ax=None, lang: str | None = None):
    """Distribution of customer lifetime value (客户终身价值) from :func:`crmlib.loyalty.clv_report`,
    with one ``customer`` marked.

    >>> rep = pd.DataFrame({"clv": [1.0, 5.0, 40.0, 300.0]}, index=list("abcd"))
    >>> clv_histogram(rep, customer="c").get_title()
    'customer lifetime value: c = 40'
    """
    func = "clv_histogram"
    lang = _start(lang, func)
    rep = _need(report, func, ["clv"], "report")
    ax = _ax(ax)
    v = rep["clv"].astype(float)
    sns.histplot(np.log10(v.clip(lower=0.01)), bins=40, color="tab:blue", ax=ax)
    ax.set_xlabel(f"log10 {_lab('clv', lang)}")
    title = _lab("clv", lang)
    if customer is not None:
        if customer not in rep.index:
            raise V.CRMDataError(func, "customer", f"is not in the report: {customer!r}")
        x = float(v.loc[customer])
        ax.axvline(np.log10(max(x, 0.01)), color="tab:red", lw=2)
        title += f": {customer} = {x:,.0f}"
    ax.set_title(title)
    return ax


def retention_economics_plot(econ: pd.Series, ax=None, lang: str | None = None):
    """Bars of what extra retention is worth (:func:`crmlib.loyalty.retention_economics`): sales cost
    saved, value kept, and the cost of keeping the extra customers against winning as many new ones.

    >>> from crmlib.loyalty import retention_economics
    >>> e = retention_economics(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300)
    >>> [t.get_text() for t in retention_economics_plot(e).get_yticklabels()]
    ['sales cost saved', 'value kept', 'cost to keep them', 'cost to win as many new']
    """
    func = "retention_economics_plot"
    lang = _start(lang, func)
    keys = ["sales_cost_saved", "value_kept", "cost_keep", "cost_replace"]
    if not isinstance(econ, pd.Series) or any(k not in econ.index for k in keys):
        raise V.CRMDataError(func, "econ", "must be the Series returned by loyalty.retention_economics")
    names = {"en": ["sales cost saved", "value kept", "cost to keep them", "cost to win as many new"],
             "zh": ["节省的销售成本", "保住的价值", "保持他们的成本", "争取同样多新客户的成本"]}[lang]
    ax = _ax(ax, (7, 3.2))
    y = np.arange(len(keys))[::-1]
    ax.barh(y, econ[keys].to_numpy(dtype=float), color=["tab:green", "tab:green", "tab:blue", "tab:red"])
    ax.set_yticks(y, names)
    ax.set_title(_lab("retention", lang) + (f" +{econ['kept_extra']:,.0f}" if lang == "en" else f"：多保持 {econ['kept_extra']:,.0f} 位客户"))
    return ax


# ============================================================================ Casework 1-3
def comp_economics_plot(econ: pd.DataFrame, ax=None, lang: str | None = None):
    """Comp cost against the value of the retention it buys, per card tier (哈拉赌场的返还与保持),
    from :func:`crmlib.casework.comp_economics`.

    >>> from crmlib.casework import comp_economics
    >>> e = comp_economics([100, 300, 1000, 5000], ["silver", "gold", "platinum", "diamond"])
    >>> comp_economics_plot(e).get_ylabel()
    'card tier'
    """
    func = "comp_economics_plot"
    lang = _start(lang, func)
    e = _need(econ, func, ["comp_cost", "value_kept"], "econ")
    df = pd.DataFrame({"tier": list(map(str, e.index)) * 2,
                       "what": [_lab("cw_comp_cost", lang)] * len(e) + [_lab("cw_value_kept", lang)] * len(e),
                       "amount": np.r_[e["comp_cost"].to_numpy(float), e["value_kept"].to_numpy(float)]})
    ax = _ax(ax)
    sns.barplot(data=df, y="tier", x="amount", hue="what", palette=["tab:red", "tab:green"], ax=ax)
    ax.set_ylabel(_lab("cw_tier", lang))
    ax.set_xlabel("")
    ax.legend(title="")
    ax.set_title(_lab("cw_comp", lang) + ("：返还成本与保持价值" if lang == "zh" else "s: what they cost, what they keep"))
    return ax


def lobby_plot(triage: pd.DataFrame, first: int = 5, ax=None, lang: str | None = None):
    """The bank lobby at a glance (大堂经理的客户识别): assets × yearly inflow of each visitor,
    coloured by desk, with the first ``first`` of the serving order numbered.
    From :func:`crmlib.casework.lobby_triage`.

    >>> t = pd.DataFrame({"assets": [1e3, 1e6], "annual_inflow": [2e4, 3e5], "order": [2, 1],
    ...                   "desk": ["counter/self-service", "VIP room"]}, index=["V1", "V2"])
    >>> len(lobby_plot(t, first=1).texts)
    1
    """
    func = "lobby_plot"
    lang = _start(lang, func)
    t = _need(triage, func, ["assets", "annual_inflow", "order", "desk"], "triage")
    k = V.integer(first, func, "first", lo=0)
    ax = _ax(ax, (7, 5))
    d = t.assign(assets=t["assets"].astype(float).clip(lower=100))
    sns.scatterplot(data=d, x="assets", y="annual_inflow", hue="desk", palette="Set1", s=40, ax=ax)
    ax.set_xscale("log")
    ax.set_yscale("log")
    for _, r in d[d["order"] <= k].iterrows():
        ax.annotate(str(int(r["order"])), (r["assets"], r["annual_inflow"]), xytext=(4, 4),
                    textcoords="offset points", fontsize=9, weight="bold")
    ax.set_xlabel("资产(元)" if lang == "zh" else "assets (yuan)")
    ax.set_ylabel("年流入(潜力)" if lang == "zh" else "yearly inflow (potential)")
    ax.legend(title="")
    ax.set_title(_lab("cw_lobby_manager", lang) + (" — 服务顺序" if lang == "zh" else " — serving order"))
    return ax


def files_plot(monthly: pd.DataFrame, ax=None, lang: str | None = None):
    """Customer files opened per month (bars) and the running total against the target (lines), from
    :func:`crmlib.casework.monthly_files`.

    >>> m = pd.DataFrame({"new": [3, 4], "files": [3, 7], "target": [5, 10]}, index=["2024-01", "2024-02"])
    >>> files_plot(m).get_title()
    'new customer files'
    """
    func = "files_plot"
    lang = _start(lang, func)
    m = _need(monthly, func, ["new", "files", "target"], "monthly")
    ax = _ax(ax)
    x = np.arange(len(m))
    ax.bar(x, m["new"].to_numpy(float), color="tab:blue", alpha=0.5, label=_lab("cw_new_files", lang))
    ax.plot(x, m["files"].to_numpy(float), marker="o", color="tab:blue", label="Σ")
    ax.plot(x, m["target"].to_numpy(float), ls="--", color="tab:red", label=_lab("cw_target", lang))
    ax.set_xticks(x, [str(i) for i in m.index], rotation=45)
    ax.set_xlabel(_lab("cw_month", lang))
    ax.legend()
    ax.set_title(_lab("cw_new_files", lang))
    return ax



# ============================================================================ Casework 4-6
def delivery_calendar_plot(plan: pd.DataFrame, ax=None, lang: str | None = None):
    """The rice shop's delivery calendar (送米日历): households to deliver to on each day of the plan
    (:func:`crmlib.casework.delivery_plan`).

    >>> plan = pd.DataFrame({"delivery_date": pd.to_datetime(["2025-02-15", "2025-02-15", "2025-02-17"])})
    >>> [int(p.get_height()) for p in delivery_calendar_plot(plan).patches]
    [2, 0, 1]
    """
    func = "delivery_calendar_plot"
    lang = _start(lang, func)
    df = _need(plan, func, ["delivery_date"], "plan")
    days = V.dates(df["delivery_date"], func, "delivery_date").dt.normalize()
    rng = pd.date_range(days.min(), days.max(), freq="D") if len(days) else pd.DatetimeIndex([])
    counts = days.value_counts().reindex(rng, fill_value=0)
    ax = _ax(ax, (8, 3.6))
    ax.bar(range(len(counts)), counts.to_numpy(), color=sns.color_palette(PALETTE, 3)[1])
    ax.set_xticks(range(len(counts)), [f"{d:%m-%d}" for d in counts.index], rotation=60, fontsize=8)
    ax.set_xlabel(_lab("cw4_delivery_date", lang))
    ax.set_ylabel(_lab("cw4_deliveries", lang))
    return ax


def schedule_comparison_plot(summary: pd.DataFrame, ax=None, lang: str | None = None):
    """Predicted against fixed deliveries (:func:`crmlib.casework.schedule_summary`): stacked bars of
    the share of households reached late, on time and early.

    >>> from crmlib.casework import schedule_summary
    >>> s = schedule_summary(pd.DataFrame({"predictive_gap": [0, -1], "fixed_gap": [5, -20]}), lang="en")
    >>> [t.get_text() for t in schedule_comparison_plot(s, lang="en").get_legend().get_texts()]
    ['late (ran out first)', 'on time', 'early']
    """
    func = "schedule_comparison_plot"
    lang = _start(lang, func)
    df = _need(summary, func, [], "summary")
    if df.shape[1] < 4:
        from crmlib._errors import CRMDataError
        raise CRMDataError(func, "summary", "needs the late / on time / early share columns and days without rice")
    ax = _ax(ax, (7, 3))
    df.iloc[:, :3].plot.barh(stacked=True, ax=ax, color=["#d62728", "#2ca02c", "#bbbbbb"])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.legend(loc="lower right", fontsize=8)
    return ax


def asset_mix_pie(mix: pd.Series, ax=None, lang: str | None = None):
    """A client's asset mix (资产配置) as a pie, from :func:`crmlib.casework.asset_mix`.

    >>> ax = asset_mix_pie(pd.Series({"deposits": 0.5, "funds": 0.3, "stocks": 0.2}, name="2025Q4"), lang="en")
    >>> [t.get_text() for t in ax.texts]
    ['deposits', 'funds', 'stocks', '50%', '30%', '20%']
    """
    func = "asset_mix_pie"
    lang = _start(lang, func)
    s = V.values(mix, func, "mix")
    V.positive_total(s, func, "mix")
    labels = [_lab(f"cw5_{k}", lang) if f"cw5_{k}" in i18n.GLOSSARY else str(k) for k in s.index]
    ax = _ax(ax, (5, 5))
    ax.pie(s.to_numpy(), labels=labels, autopct="%1.0f%%", startangle=90, counterclock=False,
           colors=sns.color_palette("Set2", len(s)))
    ax.set_title(f"{_lab('cw5_asset_mix', lang)} — {getattr(mix, 'name', '') or ''}".rstrip(" —"))
    return ax


def asset_trend_bars(review: pd.DataFrame, ax=None, lang: str | None = None):
    """A client's asset trend (资产变化趋势): one stacked bar per quarter by asset class, from
    :func:`crmlib.casework.asset_review`.

    >>> r = pd.DataFrame({"deposits": [100.0, 120], "funds": [100.0, 100], "total": [200.0, 220],
    ...     "change": [None, 0.1]}, index=pd.Index(["2024Q1", "2024Q2"], name="quarter"))
    >>> len(asset_trend_bars(r, lang="en").patches)
    4
    """
    func = "asset_trend_bars"
    lang = _start(lang, func)
    df = _need(review, func, ["total"], "review")
    parts = df.drop(columns=[c for c in ("total", "change") if c in df.columns])
    parts = parts.rename(columns=lambda k: _lab(f"cw5_{k}", lang) if f"cw5_{k}" in i18n.GLOSSARY else k)
    ax = _ax(ax, (8, 4))
    parts.plot.bar(stacked=True, ax=ax, color=sns.color_palette("Set2", parts.shape[1]), width=0.75)
    ax.set_xlabel(_lab("cw5_quarter", lang))
    ax.set_ylabel(_lab("cw5_aum", lang))
    ax.set_title(_lab("cw5_asset_trend", lang))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def key_account_map(plan: pd.DataFrame, ax=None, lang: str | None = None):
    """Value against potential of every account (客户价值与潜力), key accounts highlighted, dot size
    by service budget — from :func:`crmlib.casework.key_account_plan`.

    >>> p = pd.DataFrame({"value": [900.0, 100, 50], "potential": [10.0, 800, 5],
    ...     "key_account": [True, True, False], "budget": [60.0, 30, 10]})
    >>> [t.get_text() for t in key_account_map(p, lang="en").get_legend().get_texts()]
    ['key account', 'other account']
    """
    func = "key_account_map"
    lang = _start(lang, func)
    df = _need(plan, func, ["value", "potential", "key_account", "budget"], "plan")
    key = V.flags(df["key_account"], func, "key_account").to_numpy()
    size = 20 + 280 * df["budget"].to_numpy(float) / max(float(df["budget"].max()), 1e-9)
    ax = _ax(ax, (7, 5))
    ax.scatter(df["value"][key], df["potential"][key], s=size[key], color="#d62728", alpha=0.7,
               label=_lab("cw6_key", lang))
    ax.scatter(df["value"][~key], df["potential"][~key], s=size[~key], color="#7f7f7f", alpha=0.4,
               label=_lab("cw6_other", lang))
    if df["value"].min() > 0 and df["value"].max() / df["value"].min() > 100:
        ax.set_xscale("log")
    ax.set_xlabel(_lab("cw6_value", lang))
    ax.set_ylabel(_lab("cw6_potential", lang))
    ax.set_title(_lab("loy_key_priority", lang))
    ax.legend()
    return ax


# ============================================================================ Chapter 6 (customer records)
def customer_timeline_plot(card: Any, ax=None, lang: str | None = None):
    """One customer's file on a time line (客户档案时间轴): purchases as stems (height = amount), follow-ups
    and complaints as markers — the linked tables of :meth:`crmlib.records.Archive.customer_card` joined
    again on one axis.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from crmlib.records import Archive
    >>> arc = Archive(":memory:")
    >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["Mill"]}))
    >>> _ = arc.add("purchases", pd.DataFrame({"customer_id": ["K1", "K1"], "date": ["2024-01-05", "2024-02-04"],
    ...                                        "amount": [100.0, 50.0]}))
    >>> ax = customer_timeline_plot(arc.customer_card("K1"), lang="en")
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Customer K1: purchases, follow-ups and complaints', ['purchases'])
    """
    from crmlib.records import Card
    func = "customer_timeline_plot"
    lang = _start(lang, func)
    if not isinstance(card, Card):
        from crmlib._errors import CRMDataError
        raise CRMDataError(func, "card", f"must be a card from Archive.customer_card, got {type(card).__name__}")
    ax = _ax(ax, (8, 3.6))
    colors = sns.color_palette(PALETTE, 3)
    pu = card.purchases
    if len(pu):
        d = pd.to_datetime(pu["date"])
        ax.vlines(d, 0, pu["amount"], color=colors[1], lw=2)
        ax.plot(d, pu["amount"], "o", color=colors[1], ms=4, label=_lab("rec_purchases", lang))
    top = float(pu["amount"].max()) if len(pu) else 1.0
    if len(card.follow_ups):
        fd = pd.to_datetime(card.follow_ups["date"])
        ax.plot(fd, [-0.06 * top] * len(fd), "^", color=colors[2], ms=8, label=_lab("rec_follow_ups", lang))
    if len(card.complaints):
        cd = pd.to_datetime(card.complaints["date"])
        ax.plot(cd, [-0.14 * top] * len(cd), "X", color="#d62728", ms=8, label=_lab("rec_complaints", lang))
    ax.axhline(0, color="#999", lw=0.8)
    ax.set_ylabel(_lab("rec_amount", lang))
    ax.set_xlabel(_lab("rec_date", lang))
    cid = card.fields.get("customer_id")
    ax.set_title(f"客户 {cid}：购买、跟进与投诉" if lang == "zh" else f"Customer {cid}: purchases, follow-ups and complaints")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return ax
