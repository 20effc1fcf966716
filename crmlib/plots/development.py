"""Chapter 3, developing customers (客户开发): lead channels, the AIDMAS funnel, the contact limit and
the Franklin balance sheet."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlib.plots._base import (
    _axes,
    _bar_colours,
    _bars,
    _category_axis,
    _dodged_bars,
    _kw,
    _lab,
    _need,
    _percent,
    _result,
    _start,
    _style,
    _text,
)


def channel_plot(report: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Cost per acquisition (获客成本) of each lead channel, cheapest first, with the return of the
    channel written at the end of its bar (the picture of :func:`crmlib.development.channel_report`).
    ``**kwargs`` go to ``seaborn.barplot`` (``palette=``, ``color=`` …).

    >>> from crmlib.development import channel_report
    >>> leads = pd.DataFrame({"channel": ["phone", "phone", "referral"], "money": [1, 1, 1],
    ...                       "authority": [1, 1, 1], "need": [1, 1, 1], "won": [1, 0, 1],
    ...                       "cost": [50.0, 30.0, 20.0], "value": [400.0, 0.0, 300.0]})
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in channel_plot(channel_report(leads), ax=ax).get_yticklabels()]
    ['referral', 'phone']
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "channel_plot"
    lang = _start(lang, func, ax)
    _need(report, func, ["cost_per_acquisition", "return"], "report")
    r = report.sort_values("cost_per_acquisition", kind="mergesort")
    df = pd.DataFrame({"channel": r.index.astype(str), "cpa": r["cost_per_acquisition"].to_numpy()})
    with _style(lang, func):
        ax = _axes(ax, (7, 0.4 * len(df) + 1.6))
        sns.barplot(
            data=df, y="channel", x="cpa", ax=ax, **_kw(kwargs, {"hue": "channel", "palette": "crest", "legend": False})
        )
        for i, (c, ret) in enumerate(zip(df["cpa"].to_numpy(), r["return"].to_numpy())):
            if np.isfinite(c):
                ax.text(c, i, f"  {ret:+.0%}" if np.isfinite(ret) else "", va="center", fontsize=9)
        ax.set_xlabel(_text("plots_channel_xlabel", lang, cpa=_lab("cost_per_acquisition", lang)))
        ax.set_ylabel(_lab("lead_channel", lang))
        ax.set_title(_lab("lead_channel", lang))
    return ax


def funnel_plot(f: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The AIDMAS funnel as drop-off bars: the share of the first stage still there at each stage,
    one colour per group when the funnel was split (``funnel(..., by=...)``), with the stage-to-stage
    conversion written above single funnels.
    ``**kwargs`` go to the bars of each group (Rectangle properties, as ``ax.bar`` takes them:
    ``color=``, ``alpha=`` …); ``palette=`` (a seaborn palette, default ``"Set2"``, for split
    funnels) and ``saturation=`` (default 0.75) colour them as seaborn's bar plots do.

    >>> from crmlib.development import funnel
    >>> f = funnel({"attention": 100, "interest": 40, "desire": 10}, stages=["attention", "interest", "desire"])
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in funnel_plot(f, ax=ax).texts]
    ['100%', '40%', '25%']
    >>> plt.close(fig)
    """
    func = "funnel_plot"
    lang = _start(lang, func, ax)
    _need(f, func, ["label", "count", "conversion", "share_of_first"], "f")
    grouped = isinstance(f.index, pd.MultiIndex)
    stage = f["label"].astype(str).to_numpy()
    share = f["share_of_first"].to_numpy(dtype=float)
    group = f.index.get_level_values(0).astype(str).to_numpy() if grouped else np.full(len(f), "all")
    order = list(dict.fromkeys(stage))
    groups = {
        g: pd.Series(share[group == g], index=stage[group == g]).groupby(level=0, sort=False).mean().reindex(order)
        for g in dict.fromkeys(group)
    }
    colours, kw = _bar_colours(kwargs, "Set2", list(groups), func)
    with _style(lang, func):
        ax = _axes(ax)
        if grouped:
            _dodged_bars(ax, groups, colours, kw)
            ax.legend(title="", fontsize=8)
        else:
            (blue,) = _bar_colours({}, ["tab:blue"], ["all"], func)[0].values()
            _bars(ax, np.arange(len(order)), groups["all"].to_numpy(), **_kw(kw, {"color": blue}))
            for i, (s, c) in enumerate(zip(share, f["conversion"].to_numpy())):
                ax.text(i, s, f"{c:.0%}" if np.isfinite(c) else "", ha="center", va="bottom", fontsize=9)
        _category_axis(ax.xaxis, order)
        ax.set_ylim(0, 1.08)
        _percent(ax.yaxis)
        ax.set_xlabel(_lab("stage", lang))
        ax.set_ylabel(_lab("customer_share", lang))
        ax.set_title(
            _lab("aidmas", lang) if grouped else _text("plots_funnel_title", lang, aidmas=_lab("aidmas", lang))
        )
    return ax


def contact_tradeoff_plot(
    tradeoff: pd.DataFrame, limit: int | None = None, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """What each contact limit saves (cost of contacts beyond it) against the margin of the deals it
    loses, and the net effect (12次沟通).
    ``**kwargs`` go to ``ax.plot`` (each of the three lines: ``lw=``, ``marker=`` …).

    >>> t = pd.DataFrame({"saved_cost": [30.0, 10.0], "lost_margin": [50.0, 0.0], "net": [-20.0, 10.0]},
    ...                  index=pd.Index([1, 2], name="limit"))
    >>> fig, ax = plt.subplots()
    >>> [l.get_label() for l in contact_tradeoff_plot(t, limit=2, ax=ax).get_lines()][:3]
    ['cost saved', 'margin of deals lost', 'net']
    >>> plt.close(fig)
    """
    func = "contact_tradeoff_plot"
    lang = _start(lang, func, ax)
    _need(tradeoff, func, ["saved_cost", "lost_margin", "net"], "tradeoff")
    x = tradeoff.index.to_numpy()
    with _style(lang, func):
        ax = _axes(ax)
        ax.plot(x, tradeoff["saved_cost"], **_kw(kwargs, {"color": "tab:green"}, lw=2, label=_lab("saved_cost", lang)))
        ax.plot(x, tradeoff["lost_margin"], **_kw(kwargs, {"color": "tab:red"}, lw=2, label=_lab("lost_margin", lang)))
        ax.plot(x, tradeoff["net"], **_kw(kwargs, {"color": "black"}, lw=2, ls="--", label=_text("plots_net", lang)))
        ax.axhline(0, color="grey", lw=0.8)
        if limit is not None:
            ax.axvline(limit, color="tab:blue", lw=1, ls=":")
        ax.set_xlabel(_lab("contact_limit", lang))
        ax.set_ylabel(_lab("profit", lang))
        ax.set_title(_lab("contact_rule", lang))
        ax.legend()
    return ax


def franklin_plot(result, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The Franklin balance sheet as a two-sided bar chart: reasons for buying to the right,
    objections to the left (富兰克林式表达).
    ``**kwargs`` go to ``ax.barh``.

    >>> from crmlib.development import franklin_balance
    >>> fig, ax = plt.subplots()
    >>> franklin_plot(franklin_balance({"faster": 3}, None, {"price": 2}), ax=ax).get_title()
    'Franklin balance sheet: 3.0 for, 2.0 against'
    >>> plt.close(fig)
    """
    func = "franklin_plot"
    lang = _start(lang, func, ax)
    _result(result, "FranklinResult", "franklin_balance", func, "result")
    t = result.table
    colors = dict(zip(t["side"].cat.categories, ["tab:green", "tab:olive", "tab:red"]))
    y = np.arange(len(t))[::-1]
    with _style(lang, func):
        ax = _axes(ax, (7, 0.35 * len(t) + 1.8))
        ax.barh(y, t["signed"].to_numpy(), **_kw(kwargs, {"color": [colors[s] for s in t["side"]]}))
        ax.set_yticks(y, t["item"].tolist())
        ax.axvline(0, color="black", lw=0.8)
        for side, color in colors.items():
            ax.bar(0, 0, color=color, label=side)
        ax.legend(fontsize=8, loc="best")
        ax.set_xlabel(_lab("weight", lang))
        ax.set_title(_text("plots_franklin_title", lang, for_buying=result.for_buying, against=result.against))
    return ax
