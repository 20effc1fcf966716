"""Plots draw the numbers the library computes, label themselves in the chosen language, and follow
seaborn's habits: ``ax=`` (else the current Axes), ``**kwargs`` on to matplotlib, the Axes returned,
no matplotlib setting changed by importing crmlib or by drawing."""

from __future__ import annotations

import ast
import doctest
import inspect
import json
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt

import crmlib.plots
from _support import expect_error
from crmlib import CRMDataError, i18n, plots, qualification as qual, segmentation as seg

PLOTS_DIR = Path(crmlib.plots.__file__).parent


@pytest.fixture(autouse=True)
def _close():
    plt.close("all")  # a figure left open elsewhere would be the "current Axes" of these plots
    yield
    plt.close("all")


# ============================================================================ one small input per plot
def _samples() -> dict:
    """name → (positional arguments, keyword arguments) of a small valid call of every plot."""
    from crmlib import (
        casework as C,
        development as D,
        loyalty as L,
        receivables as R,
        satisfaction as S,
        selection as SEL,
    )
    from crmlib.datasets import make_accounts
    from crmlib.records import Archive

    survey = pd.DataFrame(
        {
            "category": ["a", "a", "b", "b"],
            "indicator": list("wxyz"),
            "importance": [5, 5, 1, 1],
            "performance": [1, 5, 1, 5],
        }
    )
    leads = pd.DataFrame(
        {
            "channel": ["phone", "phone", "referral"],
            "money": [1, 1, 1],
            "authority": [1, 1, 1],
            "need": [1, 1, 1],
            "won": [1, 0, 1],
            "cost": [50.0, 30.0, 20.0],
            "value": [400.0, 0.0, 300.0],
        }
    )
    inv = pd.DataFrame(
        {
            "account_id": ["a", "b"],
            "amount": [1000.0, 200.0],
            "issue_date": ["2024-01-01", "2024-06-01"],
            "due_date": ["2024-01-31", "2024-07-01"],
            "paid_date": [None, None],
        }
    )
    complaints = pd.DataFrame(
        {
            "customer_id": ["a"],
            "cause": ["late"],
            "apologise_h": [0.1],
            "restate_h": [0.2],
            "reassure_h": [0.3],
            "remedy_h": [24.0],
            "follow_up_h": [100.0],
            "review_h": [500.0],
        }
    )
    growth = pd.DataFrame(
        {
            "account_id": list("abcd"),
            "revenue": [100.0, 200.0, 5000.0, 300.0],
            "revenue_growth": [0.5, 0.02, 0.3, 0.2],
            "avg_days_late": [3.0, 0.0, 0.0, 30.0],
            "partnership_interest": [4, 5, 5, 4],
        }
    )
    arc = Archive(":memory:", lang="en")
    arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["Mill"]}))
    arc.add(
        "purchases",
        pd.DataFrame({"customer_id": ["K1", "K1"], "date": ["2024-01-05", "2024-02-04"], "amount": [100.0, 50.0]}),
    )
    accounts = make_accounts(n=30, seed=1)
    return {
        "pareto_chart": (([50, 20, 10, 10, 5, 5, 0, 0, 0, 0],), {}),
        "lorenz_plot": (([1, 2, 3, 10],), {}),
        "abc_plot": ((seg.abc_classes([50, 30, 10, 5, 5]),), {}),
        "rfm_segment_plot": (
            (seg.rfm_segments(pd.DataFrame({"R": [5, 1], "F": [5, 1], "M": [5, 1], "monetary": [90.0, 10.0]})),),
            {},
        ),
        "rfm_heatmap": ((pd.DataFrame({"R": [1, 2, 2], "F": [1, 1, 2], "monetary": [10.0, 20.0, 40.0]}),), {}),
        "value_matrix_plot": ((seg.value_matrix([900, 800, 100, 50], [50, 600, 700, 20]),), {}),
        "profitability_plot": ((seg.profitability_tiers([100, 50, 10, 0, -20]),), {}),
        "relationship_plot": (
            (seg.relationship_type([500, 20, 300, -10], [0.05, 0.35, 0.1, 0.4]),),
            {"discount_cut": 0.2},
        ),
        "man_plot": ((qual.man_table(pd.DataFrame({"money": [1, 0], "authority": [1, 0], "need": [1, 1]})),), {}),
        "state_plot": (
            (
                qual.customer_state(
                    pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
                    pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [0]}),
                ),
            ),
            {},
        ),
        "ideal_score_plot": ((SEL.ideal_customer_score(accounts),), {"top": 5}),
        "whale_plot": ((SEL.whale_curve([-20.0, 50.0, 70.0]),), {}),
        "risk_plot": (
            (
                pd.DataFrame(
                    {
                        "big": [True, False],
                        "financial_risk": [True, False],
                        "profit_risk": [True, True],
                        "management_risk": [False, False],
                        "churn_risk": [False, True],
                    }
                ),
            ),
            {},
        ),
        "growth_plot": ((SEL.growth_potential(growth),), {}),
        "rubric_plot": (
            (
                pd.DataFrame(
                    {
                        "fits_positioning": [True, False],
                        "ideal": [True, True],
                        "potential": [False, False],
                        "matches_strength": [True, True],
                        "satisfied": [True, False],
                    }
                ),
            ),
            {},
        ),
        "credit_plot": ((R.credit_score_5c(accounts),), {}),
        "aging_plot": ((R.receivables_aging(inv, "2024-06-30"),), {}),
        "channel_plot": ((D.channel_report(leads),), {}),
        "funnel_plot": (
            (D.funnel({"attention": 100, "interest": 40, "desire": 10}, stages=["attention", "interest", "desire"]),),
            {},
        ),
        "contact_tradeoff_plot": (
            (
                pd.DataFrame(
                    {"saved_cost": [30.0, 10.0], "lost_margin": [50.0, 0.0], "net": [-20.0, 10.0]},
                    index=pd.Index([1, 2], name="limit"),
                ),
            ),
            {"limit": 2},
        ),
        "franklin_plot": ((D.franklin_balance({"faster": 3}, None, {"price": 2}),), {}),
        "ipa_plot": ((S.importance_performance(survey),), {}),
        "satisfaction_index_plot": ((S.satisfaction_index(survey),), {}),
        "nps_plot": (([10, 9, 9, 8, 7, 6, 3, 10, 10, 0],), {}),
        "iceberg_plot": ((S.complaint_iceberg(40),), {}),
        "complaint_steps_plot": ((S.complaint_report(complaints, satisfied_col=None),), {}),
        "value_loyalty_plot": (
            (L.value_loyalty_matrix([900, 800, 50, 40], [6, 0, 5, 1], value_cut=500, loyalty_cut=3),),
            {},
        ),
        "cohort_heatmap": (
            (
                L.cohort_retention(
                    pd.DataFrame({"customer_id": ["A", "A", "B"], "date": ["2024-01-03", "2024-02-10", "2024-01-20"]})
                ),
            ),
            {},
        ),
        "clv_histogram": ((pd.DataFrame({"clv": [1.0, 5.0, 40.0, 300.0]}, index=list("abcd")),), {"customer": "c"}),
        "retention_economics_plot": (
            (L.retention_economics(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300),),
            {},
        ),
        "comp_economics_plot": (
            (C.comp_economics([100, 300, 1000, 5000], ["silver", "gold", "platinum", "diamond"]),),
            {},
        ),
        "lobby_plot": (
            (
                pd.DataFrame(
                    {
                        "assets": [1e3, 1e6],
                        "annual_inflow": [2e4, 3e5],
                        "order": [2, 1],
                        "desk": ["counter/self-service", "VIP room"],
                    },
                    index=["V1", "V2"],
                ),
            ),
            {"first": 1},
        ),
        "files_plot": (
            (pd.DataFrame({"new": [3, 4], "files": [3, 7], "target": [5, 10]}, index=["2024-01", "2024-02"]),),
            {},
        ),
        "delivery_calendar_plot": (
            (pd.DataFrame({"delivery_date": pd.to_datetime(["2025-02-15", "2025-02-17"])}),),
            {},
        ),
        "schedule_comparison_plot": (
            (C.schedule_summary(pd.DataFrame({"predictive_gap": [0, -1], "fixed_gap": [5, -20]}), lang="en"),),
            {},
        ),
        "asset_mix_pie": ((pd.Series({"deposits": 0.5, "funds": 0.3, "stocks": 0.2}, name="2025Q4"),), {}),
        "asset_trend_bars": (
            (
                pd.DataFrame(
                    {"deposits": [100.0, 120], "funds": [100.0, 100], "total": [200.0, 220], "change": [None, 0.1]},
                    index=pd.Index(["2024Q1", "2024Q2"], name="quarter"),
                ),
            ),
            {},
        ),
        "key_account_map": (
            (
                pd.DataFrame(
                    {
                        "value": [900.0, 100, 50],
                        "potential": [10.0, 800, 5],
                        "key_account": [True, True, False],
                        "budget": [60.0, 30, 10],
                    }
                ),
            ),
            {},
        ),
        "customer_timeline_plot": ((arc.customer_card("K1"),), {}),
    }


SAMPLES = _samples()
#: a keyword every plot passes on to its artist (``ax.pie`` takes no artist properties, only ``wedgeprops``)
GID = {"asset_mix_pie": {"wedgeprops": {"gid": "crmlib-test"}}}


def _artists(ax) -> int:
    """How many data artists (bars, lines, collections, texts, images) an Axes holds."""
    return len(ax.patches) + len(ax.lines) + len(ax.collections) + len(ax.texts) + len(ax.images)


def test_every_plot_has_a_sample_and_the_same_signature_shape():
    assert sorted(SAMPLES) == sorted(plots.PLOTS)
    for name in plots.PLOTS:
        params = inspect.signature(getattr(plots, name)).parameters
        kinds = [p.kind for p in params.values()]
        assert "ax" in params and params["ax"].default is None, name
        assert "lang" in params and params["lang"].default is None, name
        assert kinds[-1] is inspect.Parameter.VAR_KEYWORD, f"{name} takes no **kwargs"
        names = list(params)
        assert names.index("ax") + 1 == names.index("lang") == len(names) - 2, name  # ..., ax, lang, **kwargs
        assert inspect.signature(getattr(plots, name)).return_annotation in ("Axes", plt.Axes), name


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_plot_draws_on_the_given_axes_returns_it_and_passes_kwargs_on(name):
    args, kw = SAMPLES[name]
    fig, (other, ax) = plt.subplots(1, 2)
    plt.sca(other)  # the current Axes is not the one given
    before, before_other = _artists(ax), _artists(other)
    out = getattr(plots, name)(*args, ax=ax, **kw, **GID.get(name, {"gid": "crmlib-test"}))
    assert out is ax
    assert plt.get_fignums() == [fig.number], "a plot given ax= made a figure of its own"
    assert _artists(ax) > before and _artists(other) == before_other
    assert any(a.get_gid() == "crmlib-test" for a in ax.findobj()), "**kwargs did not reach an artist"


@pytest.mark.parametrize("name", ["man_plot", "pareto_chart", "nps_plot"])
def test_without_ax_a_plot_draws_on_the_current_axes(name):
    args, kw = SAMPLES[name]
    fig, ax = plt.subplots()
    assert getattr(plots, name)(*args, **kw) is ax and plt.get_fignums() == [fig.number]


def test_without_any_figure_a_plot_makes_one_of_its_own_size():
    assert plt.get_fignums() == []
    ax = plots.lorenz_plot([1, 2, 3, 10])
    assert tuple(ax.figure.get_size_inches()) == (5, 5) and plt.get_fignums() == [ax.figure.number]
    # like seaborn, the next plot without ax= draws on that (now current) Axes: give each its own
    assert plots.lorenz_plot([1, 1, 2]) is ax and len(ax.lines) == 4


def test_two_plots_on_the_axes_of_one_figure_stay_apart():
    fig, (a1, a2) = plt.subplots(1, 2)
    plots.pareto_chart(np.arange(1, 21), ax=a1)
    plots.lorenz_plot(np.arange(1, 21), ax=a2)
    assert len(a1.patches) == 10 and len(a2.patches) == 0 and len(a2.lines) == 2
    assert a1.get_title().startswith("Top 20%") and a2.get_title().startswith("Lorenz")


def test_ax_that_is_not_an_axes_is_named():
    expect_error(lambda: plots.lorenz_plot([1, 2], ax="left"), "lorenz_plot", "ax", contains=("Axes",))
    expect_error(lambda: plots.man_plot(None, ax=plt.figure()), "man_plot", "ax", contains=("Figure",))


# ============================================================================ kwargs reach the artists
def _rgba(c):
    return tuple(np.round(mcolors.to_rgba(c), 3))


def test_color_replaces_the_plots_colouring():
    red = _rgba("#aa1133")
    ax = plots.pareto_chart(np.arange(1, 21), color="#aa1133", alpha=0.5)
    assert {_rgba(p.get_facecolor())[:3] for p in ax.patches} == {red[:3]}
    assert {p.get_alpha() for p in ax.patches} == {0.5}
    plt.close("all")
    ax = plots.lorenz_plot([1, 2, 3, 10], color="#aa1133", lw=4)
    assert _rgba(ax.lines[1].get_color()) == red and ax.lines[1].get_linewidth() == 4
    assert _rgba(ax.collections[0].get_facecolor()[0])[:3] == red[:3]  # the shading follows the curve
    plt.close("all")
    vm = seg.value_matrix([900, 800, 100, 50], [50, 600, 700, 20])
    ax = plots.value_matrix_plot(vm, color="#aa1133", s=50)
    dots = ax.collections[0]
    assert {_rgba(c) for c in dots.get_facecolors()} == {red} and set(dots.get_sizes()) == {50}
    plt.close("all")
    ax = plots.rfm_segment_plot(SAMPLES["rfm_segment_plot"][0][0], color="#aa1133", saturation=1)
    assert {_rgba(p.get_facecolor()) for p in ax.patches if p.get_width() > 0} == {red}


def test_palette_and_other_seaborn_keywords_pass_through():
    vm = seg.value_matrix([900, 800, 100, 50], [50, 600, 700, 20])
    ax = plots.value_matrix_plot(vm, palette="dark:#aa1133", marker="s")
    assert ax.get_legend() is not None and len(ax.get_legend().get_texts()) == 4
    plt.close("all")
    sc = pd.DataFrame({"R": [1, 2, 2], "F": [1, 1, 2], "monetary": [10.0, 20.0, 40.0]})
    ax = plots.rfm_heatmap(sc, cmap="Reds", annot=False)
    assert ax.collections[0].get_cmap().name == "Reds" and len(ax.texts) == 0


# ============================================================================ the fast artists
def _pixels(ax):
    ax.figure.canvas.draw()
    return np.asarray(ax.figure.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize(
    "horizontal, args, kw, log",
    [
        (False, ([0, 1, 2], [3.0, 0.0, 5.0]), {"color": ["red", "green", "blue"]}, False),
        (
            False,
            ([0, 1, 2], [3.0, 1.0, 5.0], 0.4, 1.0),
            {"color": "C1", "edgecolor": "k", "lw": 2, "align": "edge"},
            False,
        ),
        (True, (np.arange(4), [1e0, 1e2, 1e4, 0.0]), {"color": "tab:blue", "label": "n"}, True),
        (
            True,
            (np.arange(3), [0.2, 0.5, 0.3], 0.5, [0.1, 0.2, 0.0]),
            {"color": "#d62728", "alpha": 0.5, "hatch": "//"},
            False,
        ),
    ],
)
def test_fast_bars_are_the_bars_of_ax_bar(horizontal, args, kw, log):
    """plots._base._bars makes the Rectangles ax.bar / ax.barh make: same pixels, limits, labels,
    colours, sticky edges and container."""
    from crmlib.plots._base import _bars

    made = []
    for fast in (False, True):
        _, ax = plt.subplots(figsize=(4, 3), dpi=60)
        if log:
            ax.set_xscale("log")
        if fast:
            bars = _bars(ax, *args, horizontal=horizontal, **kw)
        elif horizontal:
            extra = dict(zip(["height", "left"], args[2:]))
            bars = ax.barh(*args[:2], **extra, **kw)
        else:
            bars = ax.bar(*args, **kw)
        made.append((ax, bars))
    (ax1, slow), (ax2, fast) = made
    assert (_pixels(ax1) == _pixels(ax2)).all()
    assert ax1.get_xlim() == ax2.get_xlim() and ax1.get_ylim() == ax2.get_ylim()
    assert slow.get_label() == fast.get_label() and slow.orientation == fast.orientation
    assert len(ax1.containers) == len(ax2.containers) == 1 and len(ax1.patches) == len(ax2.patches)
    for p, q in zip(slow, fast):
        assert p.get_facecolor() == q.get_facecolor() and p.get_edgecolor() == q.get_edgecolor()
        assert p.get_linewidth() == q.get_linewidth() and p.get_hatch() == q.get_hatch()
        assert p.get_label() == q.get_label() and p.sticky_edges.x == q.sticky_edges.x
        assert p.sticky_edges.y == q.sticky_edges.y
        assert p.get_bbox().bounds == pytest.approx(q.get_bbox().bounds)


def _legend(ax):
    lg = ax.get_legend()
    return [t.get_text() for t in lg.get_texts()], [_rgba(h.get_markerfacecolor()) for h in lg.legend_handles]


def test_scatter_plots_colour_each_class_as_seaborn_did():
    """One ax.scatter per class, in the colour seaborn's hue gave it; the legend lists every class
    (an empty quadrant too) in order, with seaborn's marker, size, white edge and title."""
    import seaborn as sns

    vm = seg.value_matrix([900, 800, 100, 50, 30], [50, 600, 700, 20, 1], current_cut=850, potential_cut=100)
    ax = plots.value_matrix_plot(vm)
    set2 = [_rgba(c) for c in sns.color_palette("Set2", 4)]
    names = ["invest and retain", "maintain", "develop", "minimise cost"]
    assert _legend(ax) == (names, set2) and ax.get_legend().get_title().get_text() == "quadrant"
    (h,) = {
        (h.get_marker(), round(h.get_markersize() ** 2), h.get_markeredgecolor())
        for h in ax.get_legend().legend_handles
    }
    assert h == ("o", 14, "w")
    present = vm["quadrant"].astype(str)
    assert [c.get_label() for c in ax.collections] == [n for n in names if (present == n).any()]
    for dots in ax.collections:
        assert {_rgba(c) for c in dots.get_facecolors()} == {set2[names.index(dots.get_label())]}
        assert len(dots.get_offsets()) == (present == dots.get_label()).sum()
        assert set(dots.get_sizes()) == {14} and set(dots.get_linewidths()) == {0}
    plt.close("all")
    ax = plots.value_matrix_plot(vm, s=40, marker="s", alpha=0.5, palette={n: "black" for n in names})
    assert {(d.get_sizes()[0], d.get_alpha()) for d in ax.collections} == {(40, 0.5)}
    assert _legend(ax)[1] == [_rgba("black")] * 4 and ax.get_legend().legend_handles[0].get_marker() == "s"
    plt.close("all")
    with pytest.raises(CRMDataError, match="palette"):
        plots.value_matrix_plot(vm, palette={"develop": "red"})
    plt.close("all")
    ax = plots.value_matrix_plot(vm, legend=False)  # seaborn's keyword, still understood
    assert ax.get_legend() is None and len(ax.collections) == 3


def test_ipa_and_lobby_dots_keep_seaborn_edges_and_legends():
    from crmlib import casework, datasets, satisfaction

    ipa = satisfaction.importance_performance(datasets.make_survey(n_respondents=60, seed=4))
    ax = plots.ipa_plot(ipa)
    colours = dict(zip(ipa["quadrant"].cat.categories, ["tab:red", "tab:green", "tab:grey", "tab:orange"]))
    order = list(dict.fromkeys(ipa["quadrant"].astype(str)))  # the quadrants as met, as seaborn listed them
    assert _legend(ax) == (order, [_rgba(colours[q]) for q in order])
    assert ax.get_legend().get_texts()[0].get_fontsize() == 8 and ax.get_legend().get_title().get_text() == ""
    assert {round(float(d.get_linewidths()[0]), 4) for d in ax.collections} == {round(0.08 * 60**0.5, 4)}
    assert [t.get_text() for t in ax.texts] == list(ipa.index.astype(str))
    plt.close("all")
    t = casework.lobby_triage(datasets.make_lobby_visitors(40, seed=1))
    ax = plots.lobby_plot(t, first=3)
    desks = list(t["desk"].cat.categories) if hasattr(t["desk"], "cat") else list(dict.fromkeys(t["desk"]))
    assert _legend(ax)[0] == desks and ax.get_xscale() == ax.get_yscale() == "log"
    assert sorted(x.get_text() for x in ax.texts) == ["1", "2", "3"] and {x.get_weight() for x in ax.texts} == {"bold"}
    assert i18n.cjk_font() not in ax.texts[0].get_fontfamily()  # digits: no CJK font, which has no bold face


def test_bar_plots_keep_seaborns_greyed_palette_and_dodging():
    import seaborn as sns

    segs = SAMPLES["rfm_segment_plot"][0][0]
    ax = plots.rfm_segment_plot(segs)
    n = len(segs["segment"].cat.categories)
    viridis = [_rgba(sns.desaturate(c, 0.75)) for c in sns.color_palette("viridis", n)]
    assert [_rgba(p.get_facecolor()) for p in ax.patches] == viridis
    assert [float(p.get_height()) for p in ax.patches] == [0.8] * n and ax.get_ylim() == (n - 0.5, -0.5)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(segs["segment"].cat.categories)
    plt.close("all")
    ax = plots.rfm_segment_plot(segs, palette="rocket", saturation=1)
    assert [_rgba(p.get_facecolor()) for p in ax.patches] == [_rgba(c) for c in sns.color_palette("rocket", n)]
    plt.close("all")
    from crmlib.development import funnel

    stages = ["attention", "interest", "desire"]
    counts = {"a": [10, 5, 1], "b": [8, 6, 2]}
    f = pd.concat({g: funnel(dict(zip(stages, n)), stages=stages) for g, n in counts.items()}, names=["group"])
    ax = plots.funnel_plot(f, hatch="x")
    set2 = [_rgba(sns.desaturate(c, 0.75)) for c in sns.color_palette("Set2", 2)]
    assert [(float(p.get_x()), float(p.get_width())) for p in ax.patches[:2]] == [(-0.4, 0.4), (0.6, 0.4)]
    assert [_rgba(p.get_facecolor()) for p in ax.patches] == [set2[0]] * 3 + [set2[1]] * 3
    assert {p.get_hatch() for p in ax.patches} == {"x"} and [t.get_text() for t in ax.get_legend().get_texts()] == [
        "a",
        "b",
    ]


def test_clv_histogram_shades_the_bars_not_their_edges():
    rep = pd.DataFrame({"clv": [1.0, 5.0, 40.0, 300.0, 300.0]}, index=list("abcde"))
    ax = plots.clv_histogram(rep, bins=3, color="tab:green", alpha=0.5)
    assert [float(p.get_height()) for p in ax.patches] == list(np.histogram(np.log10(rep["clv"]), bins=3)[0])
    assert {_rgba(p.get_facecolor()) for p in ax.patches} == {_rgba(("tab:green", 0.5))}
    assert {_rgba(p.get_edgecolor()) for p in ax.patches} == {_rgba("black")} and ax.get_ylabel() == "Count"


# ============================================================================ numbers the plots draw
def test_value_matrix_axes_never_show_negative_ticks_for_non_negative_values():
    # skewed spend (10 … 50,000) and headroom with zeros: symlog from 0, not below it
    cur = [10.0, 30.0, 200.0, 1_000.0, 5_000.0, 50_000.0]
    pot = [0.0, 0.0, 40.0, 900.0, 20_000.0, 80_000.0]
    ax = plots.value_matrix_plot(seg.value_matrix(cur, pot))
    assert ax.get_xscale() == "log"  # all positive and spread over more than 100x
    assert ax.get_yscale() == "symlog" and ax.get_ylim()[0] == 0
    ax.figure.canvas.draw()
    shown = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert shown and min(shown) >= 0
    plt.close("all")
    # values of a narrow range, or with negatives (a margin), stay on linear axes
    ax = plots.value_matrix_plot(seg.value_matrix([-50.0, 10.0, 900.0, 4_000.0], [5.0, 6.0, 7.0, 8.0]))
    assert (ax.get_xscale(), ax.get_yscale()) == ("linear", "linear")


def test_pareto_chart_bars_are_decile_shares_and_line_is_cumulative():
    values = np.arange(1, 101, dtype=float)  # 100 customers, 1..100
    ax = plots.pareto_chart(values, top_fraction=0.2)
    heights = [p.get_height() for p in ax.patches]
    total = values.sum()
    # first bar = the 10 largest (91..100) = 955 / 5050
    assert heights[0] == pytest.approx(955 / total) and len(heights) == 10
    assert sum(heights) == pytest.approx(1.0)
    x, y = ax.lines[0].get_data()
    assert y[-1] == pytest.approx(1.0) and x[0] == 0
    assert "20%" in ax.get_title() and f"{seg.top_share(values, 0.2):.1%}" in ax.get_title()


def test_lorenz_plot_draws_the_curve_and_gini():
    ax = plots.lorenz_plot([0, 0, 0, 1])
    x, y = ax.lines[1].get_data()
    assert list(y) == [0, 0, 0, 0, 1]
    assert "0.75" in ax.get_title()


def test_segment_plot_counts():
    rfm = pd.DataFrame(
        {"recency_days": [1, 2, 300, 400], "frequency": [9, 8, 1, 1], "monetary": [90.0, 80.0, 5.0, 4.0]}
    )
    segs = seg.rfm_segments(seg.rfm_scores(rfm, bins=2))
    ax = plots.rfm_segment_plot(segs)
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == 4


def test_man_plot_orders_codes_by_priority():
    df = pd.DataFrame({"money": [1, 0, 0], "authority": [1, 0, 0], "need": [1, 0, 1]})
    ax = plots.man_plot(qual.man_table(df))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == qual.MAN_CODES
    heights = dict(zip(labels, [p.get_height() for p in ax.patches]))
    assert heights["M+A+N"] == 1 and heights["m+a+N"] == 1 and heights["m+a+n"] == 1 and heights["M+a+n"] == 0


def test_asset_mix_pie_labels_each_slice_with_its_class_and_share_in_any_matplotlib():
    """The slice order is set here (largest first, ties as given), and every label and percentage
    sits inside its own slice — whatever order matplotlib adds the texts in (3.10 and 3.11 differ)."""
    mix = pd.Series({"stocks": 0.2, "deposits": 0.5, "bonds": 0.1, "funds": 0.2})
    ax = plots.asset_mix_pie(mix, lang="zh")
    wedges = ax.patches
    assert [w.get_label() for w in wedges] == [
        i18n.label(f"cw5_{k}", "zh") for k in ["deposits", "stocks", "funds", "bonds"]
    ]
    shares = [0.5, 0.2, 0.2, 0.1]
    for w, share in zip(wedges, shares):
        assert (w.theta2 - w.theta1) == pytest.approx(360 * share)
        inside = []
        for t in ax.texts:
            x, y = t.get_position()
            angle = math.degrees(math.atan2(y, x)) % 360
            if (angle - w.theta1) % 360 <= (w.theta2 - w.theta1):
                inside.append(t.get_text())
        assert sorted(inside) == sorted([w.get_label(), f"{share:.0%}"]), (w.get_label(), inside)


def test_chinese_labels_come_from_the_templates():
    ax = plots.state_plot(
        qual.customer_state(
            pd.DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
            pd.DataFrame({"prospect_id": ["P"], "money": [1], "need": [0]}),
            lang="zh",
        ),
        lang="zh",
    )
    assert ax.get_title() == "客户状态"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["现实客户", "潜在客户", "流失客户", "非客户"]
    plt.close("all")
    ax = plots.pareto_chart([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], lang="zh")
    assert ax.get_title() == "前 20% 的客户贡献了 70.0% 的价值"
    plt.close("all")
    from crmlib.development import franklin_balance

    ax = plots.franklin_plot(franklin_balance({"faster": 3}, None, {"price": 2}), lang="zh")
    assert ax.get_title() == "富兰克林式表达：支持 3.0，反对 2.0"
    plt.close("all")
    ax = plots.retention_economics_plot(SAMPLES["retention_economics_plot"][0][0], lang="zh")
    assert [t.get_text() for t in ax.get_yticklabels()][0] == i18n.text("plots_sales_cost_saved", "zh")


def test_plots_hold_no_language_branches():
    """Every sentence is an i18n template or glossary label, not an ``if lang == "zh"`` pair."""
    for path in PLOTS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "lang":
                pytest.fail(f"{path.name}:{node.lineno}: a branch on lang")
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == "lang":
                pytest.fail(f"{path.name}:{node.lineno}: a table indexed by lang")
    used = set()
    for path in PLOTS_DIR.glob("*.py"):
        used |= set(re.findall(r'"(plots_\w+)"', path.read_text(encoding="utf-8")))
    used |= {f"plots_{k}" for k in ("sales_cost_saved", "value_kept", "cost_keep", "cost_replace")}
    assert used <= set(i18n.TEXTS), sorted(used - set(i18n.TEXTS))


def test_plots_reject_tables_without_their_columns():
    with pytest.raises(CRMDataError) as e:
        plots.value_matrix_plot(pd.DataFrame({"current": [1.0]}))
    assert "potential" in str(e.value)


# ============================================================================ global state, import cost, doctests
_PROBE = textwrap.dedent("""
    import json, sys
    import matplotlib as mpl
    before = mpl.rcParams.copy()
    import crmlib, crmlib.plots, crmlib.i18n
    after_import = mpl.rcParams.copy()
    heavy = sorted(m for m in ("seaborn", "scipy", "scipy.stats") if m in sys.modules)
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    crmlib.plots.state_plot(crmlib.qualification.customer_state(
        __import__("pandas").DataFrame({"customer_id": ["A"], "date": ["2024-01-01"]}),
        __import__("pandas").DataFrame({"prospect_id": ["P"], "money": [1], "need": [0]}), lang="zh"),
        lang="zh", ax=ax)
    crmlib.plots.lorenz_plot([1, 2, 3])
    changed = lambda a, b: sorted(k for k in set(a) | set(b) if k != "backend" and a.get(k) != b.get(k))
    print(json.dumps({"import": changed(before, after_import), "heavy": heavy,
                      "plots": changed(before, mpl.rcParams.copy())}))
""")


def test_importing_crmlib_and_drawing_change_no_matplotlib_setting_and_seaborn_waits():
    env = dict(os.environ, MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["import"] == [], f"importing crmlib changed rcParams {got['import']}"
    assert got["heavy"] == [], f"import crmlib.plots imported {got['heavy']} (import them inside the plots)"
    assert got["plots"] == [], f"drawing changed rcParams {got['plots']}"


def test_set_style_is_the_explicit_call_that_changes_settings():
    with matplotlib.rc_context():
        plots.set_style("zh", theme="ticks")
        font = i18n.cjk_font()
        assert font is None or matplotlib.rcParams["font.family"][-1] == font
        assert matplotlib.rcParams["xtick.major.size"] > 0 and not matplotlib.rcParams["axes.grid"]
        assert matplotlib.rcParams["axes.unicode_minus"] is (font is None)
    expect_error(lambda: plots.set_style(lang="fr"), "set_style", "lang")
    expect_error(lambda: plots.set_style(theme=3), "set_style", "theme")


def test_doctests_draw_on_their_own_figure_and_close_it():
    """No doctest leaves a figure open (the suite turns matplotlib's 'more than 20 figures' warning
    into an error) or relies on the current Axes another test left behind."""
    finder = doctest.DocTestFinder()
    seen = 0
    for path in sorted(PLOTS_DIR.glob("*.py")):
        module = __import__(f"crmlib.plots.{path.stem}" if path.stem != "__init__" else "crmlib.plots", fromlist=["_"])
        for test in finder.find(module):
            src = "".join(e.source for e in test.examples)
            draws = sum(src.count(f"{name}(") for name in plots.PLOTS)
            if not draws:
                continue
            seen += 1
            opened, closed = src.count("plt.subplots("), src.count("plt.close(")
            assert opened >= 1 and opened == closed, f"{test.name}: {opened} figures opened, {closed} closed"
            assert src.count("ax=ax") >= 1, f"{test.name}: draws without ax="
    assert seen >= len(plots.PLOTS)
