"""Chapter 2, selecting customers (客户选择): ideal-customer scores, the whale curve, big-customer risks,
growth potential, the selection principles, 5C credit and receivables aging."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlib import _validate as V
from crmlib._errors import CRMDataError
from crmlib.plots._base import _axes, _bars, _kw, _lab, _need, _percent, _scatter, _start, _style, _text


def ideal_score_plot(
    scores: pd.DataFrame, top: int = 15, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """The best ``top`` accounts by ideal-customer score (理想客户评分), each bar split into what every
    criterion contributes (weight × criterion × 100).
    ``**kwargs`` go to each criterion's part of the bars (Rectangle properties, as ``ax.barh`` takes
    them).

    >>> from crmlib.selection import ideal_customer_score
    >>> from crmlib.datasets import make_accounts
    >>> fig, ax = plt.subplots()
    >>> ax = ideal_score_plot(ideal_customer_score(make_accounts(n=30, seed=1)), top=5, ax=ax)
    >>> len(ax.get_yticklabels()), ax.get_xlabel()
    (5, 'ideal-customer score')
    >>> plt.close(fig)
    """
    import seaborn as sns

    from crmlib.selection import CRITERIA

    func = "ideal_score_plot"
    lang = _start(lang, func, ax)
    best = _ideal_parts(scores, top, func)
    with _style(lang, func):
        ax = _axes(ax, (7, max(3.0, 0.3 * len(best) + 1.2)))
        left = np.zeros(len(best))
        colors = sns.color_palette("Set2", len(CRITERIA))
        y = np.arange(len(best))
        for k, c in zip(CRITERIA, colors):
            part = best[k].to_numpy()
            _bars(
                ax,
                y,
                part,
                horizontal=True,
                **_kw(kwargs, {"color": c}, left=left.copy(), label=_lab("crit_" + k, lang)),
            )
            left += part
        ax.set_yticks(y, list(best.index))
        ax.set_xlim(0, 100)
        ax.set_xlabel(_lab("ideal_score", lang))
        ax.set_title(_text("plots_ideal_title", lang, ideal=_lab("ideal_customer", lang), n=len(best)))
        ax.legend(fontsize=7, loc="lower right")
    return ax


def _ideal_parts(scores: pd.DataFrame, top: Any, func: str) -> pd.DataFrame:
    from crmlib.selection import CRITERIA

    _need(scores, func, [*CRITERIA, "score"], "scores")
    top = V.integer(top, func, "top", 1, 200)
    w = scores.attrs.get("weights") or {k: 1 / len(CRITERIA) for k in CRITERIA}
    best = scores.sort_values("score", ascending=False, kind="mergesort").head(top).iloc[::-1]
    parts = pd.DataFrame({k: 100 * w[k] * best[k].to_numpy(dtype=float) for k in CRITERIA})
    parts.index = [str(i) for i in best.index]
    return parts


def ideal_score_parts(scores: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """The bars of :func:`ideal_score_plot`: one row per account drawn (from the bottom bar up, its
    id as text), one column per criterion holding that criterion's part of the bar (weight ×
    criterion × 100) — what an explorer changes when only the weights move.

    >>> from crmlib.selection import CRITERIA
    >>> s = pd.DataFrame({k: [1.0, 0.5] for k in CRITERIA}, index=["A1", "A2"])
    >>> s["score"] = [100.0, 50.0]
    >>> s.attrs["weights"] = {k: 0.5 if k in ("demand", "payment") else 0.0 for k in CRITERIA}
    >>> ideal_score_parts(s, top=2)[["demand", "payment", "risk"]]
        demand  payment  risk
    A2    25.0     25.0   0.0
    A1    50.0     50.0   0.0
    """
    return _ideal_parts(scores, top, "ideal_score_parts")


def whale_plot(curve: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The whale curve (鲸鱼曲线): cumulative share of total profit against the share of customers,
    most profitable first, with its peak marked.
    ``**kwargs`` go to ``ax.plot`` (the curve).

    >>> from crmlib.selection import whale_curve
    >>> fig, ax = plt.subplots()
    >>> whale_plot(whale_curve([-20.0, 50.0, 70.0]), ax=ax).get_title()
    'whale curve — peak 120% of total profit'
    >>> plt.close(fig)
    """
    func = "whale_plot"
    lang = _start(lang, func, ax)
    _need(curve, func, ["cum_share", "cum_customer_share"], "curve")
    x = np.concatenate([[0], curve["cum_customer_share"].to_numpy()])
    y = np.concatenate([[0], curve["cum_share"].to_numpy()])
    i = int(np.argmax(y))
    with _style(lang, func):
        ax = _axes(ax)
        ax.plot(x, y, **_kw(kwargs, {"color": "tab:blue"}, lw=2))
        ax.axhline(1.0, color="grey", ls="--", lw=1)
        ax.scatter([x[i]], [y[i]], color="crimson", zorder=3)
        ax.annotate(f"{y[i]:.0%}", (x[i], y[i]), textcoords="offset points", xytext=(6, 6))
        ax.set_xlim(0, 1)
        ax.set_ylim(min(0.0, y.min()), max(1.05, y.max() * 1.08))
        _percent(ax.xaxis)
        _percent(ax.yaxis)
        ax.set_xlabel(_lab("customer_share", lang))
        ax.set_ylabel(_lab("cumulative_share", lang) + " — " + _lab("profit", lang))
        ax.set_title(_text("plots_whale_title", lang, whale=_lab("whale_curve", lang), peak=y[i]))
    return ax


def risk_plot(risks: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Share of big versus other accounts carrying each of the four big-customer risks (大客户风险).
    ``**kwargs`` go to ``seaborn.barplot`` (``palette=`` …; ``color=`` draws one colour).

    >>> r = pd.DataFrame({"big": [True, False], "financial_risk": [True, False], "profit_risk": [True, True],
    ...     "management_risk": [False, False], "churn_risk": [False, True]})
    >>> fig, ax = plt.subplots()
    >>> risk_plot(r, ax=ax).get_ylabel()
    'share of accounts'
    >>> plt.close(fig)
    """
    import seaborn as sns

    from crmlib.selection import risk_summary

    func = "risk_plot"
    lang = _start(lang, func, ax)
    with V.caller(func):
        summ = risk_summary(risks, lang=lang)
    long = summ.reset_index(names="risk").melt(id_vars="risk", var_name="group", value_name="share")
    with _style(lang, func):
        ax = _axes(ax)
        sns.barplot(
            data=long, x="risk", y="share", ax=ax, **_kw(kwargs, {"hue": "group", "palette": ["tab:red", "tab:grey"]})
        )
        _percent(ax.yaxis)
        ax.set_xlabel("")
        ax.set_ylabel(_text("plots_share_of_accounts", lang))
        ax.set_title(_text("plots_risk_title", lang, big=_lab("big_customer", lang)))
        if ax.get_legend() is not None:
            ax.legend(title="")
    return ax


def growth_plot(potential: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Revenue (log scale) against sales growth; promising small accounts highlighted (成长潜力).
    ``**kwargs`` go to ``ax.scatter`` (the dots of each group: ``s=``, ``marker=`` …; ``color=`` draws
    one colour); ``palette=`` (a seaborn palette; default green, olive and grey) colours the groups.

    >>> from crmlib.selection import growth_potential
    >>> acc = pd.DataFrame({"account_id": list("abcd"), "revenue": [100.0, 200.0, 5000.0, 300.0],
    ...     "revenue_growth": [0.5, 0.02, 0.3, 0.2], "avg_days_late": [3.0, 0.0, 0.0, 30.0],
    ...     "partnership_interest": [4, 5, 5, 4]})
    >>> fig, ax = plt.subplots()
    >>> growth_plot(growth_potential(acc), ax=ax).get_xscale()
    'log'
    >>> plt.close(fig)
    """
    func = "growth_plot"
    lang = _start(lang, func, ax)
    _need(potential, func, ["revenue", "revenue_growth", "small", "promising"], "potential")
    promising, small, other = (_lab("growth_potential", lang), _text("plots_small", lang), _lab("other_accounts", lang))
    grp = np.where(potential["promising"], promising, np.where(potential["small"], small, other))
    with _style(lang, func):
        ax = _axes(ax)
        _scatter(
            ax,
            potential["revenue"].to_numpy(),
            potential["revenue_growth"].to_numpy(),
            grp,
            kwargs,
            func,
            {promising: "tab:green", small: "tab:olive", other: "tab:grey"},
            None,
            s=18,
            linewidth=0,
        )
        ax.set_xscale("log")
        ax.axhline(0, color="black", lw=0.8)
        _percent(ax.yaxis)
        ax.set_xlabel(_lab("revenue", lang))
        ax.set_ylabel(_text("plots_yearly_growth", lang))
        ax.set_title(_lab("growth_potential", lang))
    return ax


def rubric_plot(rubric: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Share of accounts meeting each of the five selection principles (客户选择的原则).
    ``**kwargs`` go to ``ax.barh``.

    >>> r = pd.DataFrame({"fits_positioning": [True, False], "ideal": [True, True], "potential": [False, False],
    ...     "matches_strength": [True, True], "satisfied": [True, False]})
    >>> fig, ax = plt.subplots()
    >>> [round(float(p.get_width()), 2) for p in rubric_plot(r, ax=ax).patches]
    [0.5, 1.0, 0.0, 1.0, 0.5]
    >>> plt.close(fig)
    """
    import seaborn as sns

    from crmlib.selection import PRINCIPLE_KEYS

    func = "rubric_plot"
    lang = _start(lang, func, ax)
    _need(rubric, func, list(PRINCIPLE_KEYS), "rubric")
    keys = [
        "principle_positioning",
        "principle_ideal",
        "principle_potential",
        "principle_strength",
        "principle_satisfied",
    ]
    shares = [float(V.flags(rubric[k], func, k).mean()) for k in PRINCIPLE_KEYS]
    with _style(lang, func):
        ax = _axes(ax, (7, 3.2))
        ax.barh(
            [_lab(k, lang) for k in keys][::-1], shares[::-1], **_kw(kwargs, {"color": sns.color_palette("crest", 5)})
        )
        ax.set_xlim(0, 1)
        _percent(ax.xaxis)
        ax.set_xlabel(_text("plots_rubric_xlabel", lang))
        ax.set_title(_lab("selection_principles", lang))
    return ax


def credit_plot(credit: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Distribution of 5C credit scores (5C信用评分) coloured by rating, with the rating cut-offs.
    ``**kwargs`` go to ``seaborn.histplot`` (``palette=``, ``binwidth=`` …; ``color=`` draws one colour).

    >>> from crmlib.receivables import credit_score_5c
    >>> from crmlib.datasets import make_accounts
    >>> fig, ax = plt.subplots()
    >>> credit_plot(credit_score_5c(make_accounts(n=30, seed=1)), ax=ax).get_xlabel()
    'credit score'
    >>> plt.close(fig)
    """
    import seaborn as sns

    from crmlib.receivables import RATING_CUTS

    func = "credit_plot"
    lang = _start(lang, func, ax)
    _need(credit, func, ["score", "rating"], "credit")
    with _style(lang, func):
        ax = _axes(ax)
        sns.histplot(
            data=credit,
            x="score",
            ax=ax,
            **_kw(
                kwargs, {"hue": "rating", "multiple": "stack", "palette": "RdYlGn_r"}, binwidth=2.5, binrange=(0, 100)
            ),
        )
        for c in RATING_CUTS:
            ax.axvline(c, color="grey", ls="--", lw=1)
        ax.set_xlim(0, 100)
        ax.set_xlabel(_lab("credit_score", lang))
        ax.set_ylabel(_lab("customers", lang))
        ax.set_title(_lab("five_c", lang))
    return ax


def aging_plot(aging, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Open receivables per aging bucket (应收账款账龄), with the number of invoices on each bar.
    ``**kwargs`` go to the bars (Rectangle properties, as ``ax.bar`` takes them).

    >>> from crmlib.receivables import receivables_aging
    >>> inv = pd.DataFrame({"account_id": ["a", "b"], "amount": [1000.0, 200.0],
    ...     "issue_date": ["2024-01-01", "2024-06-01"], "due_date": ["2024-01-31", "2024-07-01"],
    ...     "paid_date": [None, None]})
    >>> fig, ax = plt.subplots()
    >>> [float(p.get_height()) for p in aging_plot(receivables_aging(inv, "2024-06-30"), ax=ax).patches]
    [200.0, 0.0, 0.0, 0.0, 1000.0]
    >>> plt.close(fig)
    """
    import seaborn as sns

    from crmlib.receivables import AgingReport

    func = "aging_plot"
    lang = _start(lang, func, ax)
    if not isinstance(aging, AgingReport):
        raise CRMDataError(func, "aging", f"must be the result of receivables_aging, got {type(aging).__name__}")
    t = aging.total
    labels = [str(x) for x in t.index]
    with _style(lang, func):
        ax = _axes(ax)
        x = np.arange(len(labels))
        _bars(
            ax, x, t["amount"].to_numpy(dtype=float), **_kw(kwargs, {"color": sns.color_palette("flare", len(labels))})
        )
        ax.set_xticks(x, labels)
        for i, (a, n) in enumerate(zip(t["amount"], t["count"])):
            ax.text(i, a, f"{int(n)}", ha="center", va="bottom", fontsize=8)
        ax.set_ylabel(_lab("open_amount", lang))
        ax.set_xlabel(_lab("days_past_due", lang))
        ax.set_title(f"{_lab('aging', lang)} — {aging.as_of.date()}")
    return ax
