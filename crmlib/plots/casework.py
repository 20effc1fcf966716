"""The case studies (案例): Harrah's comps, the bank lobby, the gas station's files (cases 1-3); the rice
shop's deliveries, the relationship manager's asset review, the key-account plan (cases 4-6)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (the doctests draw on plt.subplots())
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.plots._base import (
    PALETTE,
    _axes,
    _bar_colours,
    _bars,
    _category_axis,
    _dodged_bars,
    _kw,
    _lab,
    _need,
    _plain_font,
    _scatter,
    _start,
    _style,
    _text,
)


# ============================================================================ Casework 1-3
def comp_economics_plot(econ: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Comp cost against the value of the retention it buys, per card tier (哈拉赌场的返还与保持),
    from :func:`crmlib.casework.comp_economics`.
    ``**kwargs`` go to the bars of cost and of value kept (Rectangle properties, as ``ax.barh`` takes
    them: ``color=`` paints both, ``alpha=`` …); ``palette=`` (a seaborn palette, default red and
    green) and ``saturation=`` (default 0.75) colour them as seaborn's bar plots do.

    >>> from crmlib.casework import comp_economics
    >>> e = comp_economics([100, 300, 1000, 5000], ["silver", "gold", "platinum", "diamond"])
    >>> fig, ax = plt.subplots()
    >>> comp_economics_plot(e, ax=ax).get_ylabel()
    'card tier'
    >>> plt.close(fig)
    """
    func = "comp_economics_plot"
    lang = _start(lang, func, ax)
    e = _need(econ, func, ["comp_cost", "value_kept"], "econ")
    parts = {
        _lab("cw_comp_cost", lang): e["comp_cost"].to_numpy(float),
        _lab("cw_value_kept", lang): e["value_kept"].to_numpy(float),
    }
    colours, kw = _bar_colours(kwargs, ["tab:red", "tab:green"], list(parts), func)
    with _style(lang, func):
        ax = _axes(ax)
        _dodged_bars(ax, parts, colours, kw, horizontal=True)
        _category_axis(ax.yaxis, e.index)
        ax.set_ylabel(_lab("cw_tier", lang))
        ax.set_xlabel("")
        ax.legend(title="")
        ax.set_title(_text("plots_comp_title", lang, comp=_lab("cw_comp", lang)))
    return ax


def lobby_plot(
    triage: pd.DataFrame, first: int = 5, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """The bank lobby at a glance (大堂经理的客户识别): assets × yearly inflow of each visitor,
    coloured by desk, with the first ``first`` of the serving order numbered.
    From :func:`crmlib.casework.lobby_triage`.
    ``**kwargs`` go to ``ax.scatter`` (the dots of each desk: ``s=``, ``marker=`` …; ``color=`` draws
    one colour); ``palette=`` (a seaborn palette, default ``"Set1"``) colours the desks.

    >>> t = pd.DataFrame({"assets": [1e3, 1e6], "annual_inflow": [2e4, 3e5], "order": [2, 1],
    ...                   "desk": ["counter/self-service", "VIP room"]}, index=["V1", "V2"])
    >>> fig, ax = plt.subplots()
    >>> len(lobby_plot(t, first=1, ax=ax).texts)
    1
    >>> plt.close(fig)
    """
    func = "lobby_plot"
    lang = _start(lang, func, ax)
    t = _need(triage, func, ["assets", "annual_inflow", "order", "desk"], "triage")
    k = V.integer(first, func, "first", lo=0)
    assets, inflow = _lobby_dots(t)
    with _style(lang, func):
        ax = _axes(ax, (7, 5))
        _scatter(ax, assets, inflow, t["desk"], kwargs, func, "Set1", {"title": ""}, s=40)
        ax.set_xscale("log")
        ax.set_yscale("log")
        digits = _plain_font()  # the numbers need no CJK font, which has no bold face
        for label, xy in lobby_numbers(t, k):
            ax.annotate(
                label,
                xy,
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=9,
                weight="bold",
                fontfamily=digits,
            )
        ax.set_xlabel(_text("plots_assets_yuan", lang))
        ax.set_ylabel(_text("plots_yearly_inflow", lang))
        ax.set_title(_text("plots_lobby_title", lang, lobby=_lab("cw_lobby_manager", lang)))
    return ax


def _lobby_dots(triage: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where :func:`lobby_plot` puts each visitor: (assets, yearly inflow), assets below 100 yuan at
    100 (the axis is logarithmic)."""
    return triage["assets"].to_numpy(dtype=float).clip(min=100), triage["annual_inflow"].to_numpy()


def lobby_numbers(triage: pd.DataFrame, first: int) -> list[tuple[str, tuple[float, float]]]:
    """The numbers :func:`lobby_plot` writes beside the first ``first`` visitors of the serving
    order: (label, (assets, inflow)) in the order of the table's rows — what an explorer moves when
    only the order changes.

    >>> t = pd.DataFrame({"assets": [50.0, 1e6], "annual_inflow": [2e4, 3e5], "order": [2, 1]})
    >>> lobby_numbers(t, 1)
    [('1', (1000000.0, 300000.0))]
    >>> [label for label, _ in lobby_numbers(t, 2)], lobby_numbers(t, 2)[0][1]
    (['2', '1'], (100.0, 20000.0))
    """
    t = _need(triage, "lobby_numbers", ["assets", "annual_inflow", "order"], "triage")
    first = V.integer(first, "lobby_numbers", "first", lo=0)
    assets, inflow = _lobby_dots(t)
    order = t["order"].to_numpy()
    first_k = np.flatnonzero(order <= first)
    return [(str(int(order[i])), (float(assets[i]), float(inflow[i]))) for i in first_k]


def files_plot(monthly: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Customer files opened per month (bars) and the running total against the target (lines), from
    :func:`crmlib.casework.monthly_files`.
    ``**kwargs`` go to ``ax.bar`` (the files opened each month).

    >>> m = pd.DataFrame({"new": [3, 4], "files": [3, 7], "target": [5, 10]}, index=["2024-01", "2024-02"])
    >>> fig, ax = plt.subplots()
    >>> files_plot(m, ax=ax).get_title()
    'new customer files'
    >>> plt.close(fig)
    """
    func = "files_plot"
    lang = _start(lang, func, ax)
    m = _need(monthly, func, ["new", "files", "target"], "monthly")
    x = np.arange(len(m))
    with _style(lang, func):
        ax = _axes(ax)
        ax.bar(
            x,
            m["new"].to_numpy(float),
            **_kw(kwargs, {"color": "tab:blue"}, alpha=0.5, label=_lab("cw_new_files", lang)),
        )
        ax.plot(x, m["files"].to_numpy(float), marker="o", color="tab:blue", label="Σ")
        ax.plot(x, m["target"].to_numpy(float), ls="--", color="tab:red", label=_lab("cw_target", lang))
        ax.set_xticks(x, [str(i) for i in m.index], rotation=45)
        ax.set_xlabel(_lab("cw_month", lang))
        ax.legend()
        ax.set_title(_lab("cw_new_files", lang))
    return ax


# ============================================================================ Casework 4-6
def delivery_calendar_plot(plan: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """The rice shop's delivery calendar (送米日历): households to deliver to on each day of the plan
    (:func:`crmlib.casework.delivery_plan`).
    ``**kwargs`` go to ``ax.bar``.

    >>> plan = pd.DataFrame({"delivery_date": pd.to_datetime(["2025-02-15", "2025-02-15", "2025-02-17"])})
    >>> fig, ax = plt.subplots()
    >>> [int(p.get_height()) for p in delivery_calendar_plot(plan, ax=ax).patches]
    [2, 0, 1]
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "delivery_calendar_plot"
    lang = _start(lang, func, ax)
    df = _need(plan, func, ["delivery_date"], "plan")
    days = V.dates(df["delivery_date"], func, "delivery_date").dt.normalize()
    rng = pd.date_range(days.min(), days.max(), freq="D") if len(days) else pd.DatetimeIndex([])
    counts = days.value_counts().reindex(rng, fill_value=0)
    with _style(lang, func):
        ax = _axes(ax, (8, 3.6))
        ax.bar(range(len(counts)), counts.to_numpy(), **_kw(kwargs, {"color": sns.color_palette(PALETTE, 3)[1]}))
        ax.set_xticks(range(len(counts)), [f"{d:%m-%d}" for d in counts.index], rotation=60, fontsize=8)
        ax.set_xlabel(_lab("cw4_delivery_date", lang))
        ax.set_ylabel(_lab("cw4_deliveries", lang))
    return ax


def schedule_comparison_plot(
    summary: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any
) -> Axes:
    """Predicted against fixed deliveries (:func:`crmlib.casework.schedule_summary`): stacked bars of
    the share of households reached late, on time and early.
    ``**kwargs`` go to the bars of each share (Rectangle properties, as ``ax.barh`` takes them).

    >>> from crmlib.casework import schedule_summary
    >>> s = schedule_summary(pd.DataFrame({"predictive_gap": [0, -1], "fixed_gap": [5, -20]}), lang="en")
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in schedule_comparison_plot(s, ax=ax, lang="en").get_legend().get_texts()]
    ['late (ran out first)', 'on time', 'early']
    >>> plt.close(fig)
    """
    func = "schedule_comparison_plot"
    lang = _start(lang, func, ax)
    df = _need(summary, func, [], "summary")
    if df.shape[1] < 4:
        raise CRMDataError(func, "summary", "needs the late / on time / early share columns and days without rice")
    with _style(lang, func):
        ax = _axes(ax, (7, 3))
        shares = df.iloc[:, :3]
        y, left = np.arange(len(shares)), np.zeros(len(shares))
        for col, colour in zip(shares.columns, ["#d62728", "#2ca02c", "#bbbbbb"]):
            share = shares[col].to_numpy(dtype=float)
            _bars(ax, y, share, 0.5, left, horizontal=True, **_kw(kwargs, {"color": colour}, label=str(col)))
            left = left + share
        ax.set_yticks(y, [str(i) for i in shares.index])
        ax.set_ylabel("" if shares.index.name is None else str(shares.index.name))
        ax.set_ylim(len(y) - 0.5, -0.5)  # the first schedule on top, as DataFrame.plot.barh + invert_yaxis
        ax.set_xlim(0, 1)
        ax.legend(loc="lower right", fontsize=8)
    return ax


def asset_mix_pie(mix: pd.Series, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """A client's asset mix (资产配置) as a pie, from :func:`crmlib.casework.asset_mix`: slices largest
    first, clockwise from twelve o'clock (equal shares keep the order given), each labelled with its
    class and share. ``**kwargs`` go to ``ax.pie``.

    >>> fig, ax = plt.subplots()
    >>> ax = asset_mix_pie(pd.Series({"funds": 0.3, "deposits": 0.5, "stocks": 0.2}, name="2025Q4"), ax=ax)
    >>> [w.get_label() for w in ax.patches]
    ['deposits', 'funds', 'stocks']
    >>> sorted(t.get_text() for t in ax.texts)
    ['20%', '30%', '50%', 'deposits', 'funds', 'stocks']
    >>> plt.close(fig)

    (matplotlib 3.10 adds each slice's label and share in turn, 3.11 all labels first: read the
    labels through the slices, or sort them, never in the order of ``ax.texts``.)
    """
    import seaborn as sns

    func = "asset_mix_pie"
    lang = _start(lang, func, ax)
    s = V.values(mix, func, "mix")
    V.positive_total(s, func, "mix")
    s = s.sort_values(ascending=False, kind="mergesort")
    labels = [_lab(f"cw5_{k}", lang) if f"cw5_{k}" in i18n.GLOSSARY else str(k) for k in s.index]
    with _style(lang, func):
        ax = _axes(ax, (5, 5))
        ax.pie(
            s.to_numpy(),
            **_kw(
                kwargs,
                {"colors": sns.color_palette("Set2", len(s))},
                labels=labels,
                autopct="%1.0f%%",
                startangle=90,
                counterclock=False,
            ),
        )
        ax.set_title(f"{_lab('cw5_asset_mix', lang)} — {getattr(mix, 'name', '') or ''}".rstrip(" —"))
    return ax


def asset_trend_bars(review: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """A client's asset trend (资产变化趋势): one stacked bar per quarter by asset class, from
    :func:`crmlib.casework.asset_review`.
    ``**kwargs`` go to ``DataFrame.plot.bar`` (and on to ``ax.bar``).

    >>> r = pd.DataFrame({"deposits": [100.0, 120], "funds": [100.0, 100], "total": [200.0, 220],
    ...     "change": [None, 0.1]}, index=pd.Index(["2024Q1", "2024Q2"], name="quarter"))
    >>> fig, ax = plt.subplots()
    >>> len(asset_trend_bars(r, ax=ax, lang="en").patches)
    4
    >>> plt.close(fig)
    """
    import seaborn as sns

    func = "asset_trend_bars"
    lang = _start(lang, func, ax)
    df = _need(review, func, ["total"], "review")
    parts = df.drop(columns=[c for c in ("total", "change") if c in df.columns])
    parts = parts.rename(columns=lambda k: _lab(f"cw5_{k}", lang) if f"cw5_{k}" in i18n.GLOSSARY else k)
    with _style(lang, func):
        ax = _axes(ax, (8, 4))
        parts.plot.bar(
            ax=ax, **_kw(kwargs, {"color": sns.color_palette("Set2", parts.shape[1])}, stacked=True, width=0.75)
        )
        ax.set_xlabel(_lab("cw5_quarter", lang))
        ax.set_ylabel(_lab("cw5_aum", lang))
        ax.set_title(_lab("cw5_asset_trend", lang))
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def key_account_map(plan: pd.DataFrame, ax: Axes | None = None, lang: str | None = None, **kwargs: Any) -> Axes:
    """Value against potential of every account (客户价值与潜力), key accounts highlighted, dot size
    by service budget — from :func:`crmlib.casework.key_account_plan`.
    ``**kwargs`` go to ``ax.scatter`` (both groups of dots).

    >>> p = pd.DataFrame({"value": [900.0, 100, 50], "potential": [10.0, 800, 5],
    ...     "key_account": [True, True, False], "budget": [60.0, 30, 10]})
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in key_account_map(p, ax=ax, lang="en").get_legend().get_texts()]
    ['key account', 'other account']
    >>> plt.close(fig)
    """
    func = "key_account_map"
    lang = _start(lang, func, ax)
    df = _need(plan, func, ["value", "potential", "key_account", "budget"], "plan")
    key = V.flags(df["key_account"], func, "key_account").to_numpy()
    size = 20 + 280 * df["budget"].to_numpy(float) / max(float(df["budget"].max()), 1e-9)
    with _style(lang, func):
        ax = _axes(ax, (7, 5))
        ax.scatter(
            df["value"][key],
            df["potential"][key],
            **_kw(kwargs, {"color": "#d62728"}, s=size[key], alpha=0.7, label=_lab("cw6_key", lang)),
        )
        ax.scatter(
            df["value"][~key],
            df["potential"][~key],
            **_kw(kwargs, {"color": "#7f7f7f"}, s=size[~key], alpha=0.4, label=_lab("cw6_other", lang)),
        )
        if df["value"].min() > 0 and df["value"].max() / df["value"].min() > 100:
            ax.set_xscale("log")
        ax.set_xlabel(_lab("cw6_value", lang))
        ax.set_ylabel(_lab("cw6_potential", lang))
        ax.set_title(_lab("loy_key_priority", lang))
        ax.legend()
    return ax
