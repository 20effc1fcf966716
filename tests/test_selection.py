"""Customer selection (crmlib.selection), its plots, widget and data: hand-computed cases,
properties, bad input.

Every expected number below is worked out by hand in the comments next to it.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

matplotlib.use("Agg")

from _support import expect_error
from crmlib import (
    CRMDataError,
    exercises,
    i18n,
    plots,
    selection as S,
    widgets,
)
from crmlib.datasets import load_dataset, make_accounts

FAST = settings(max_examples=50, deadline=None)


def three() -> pd.DataFrame:
    """Three accounts; the columns of every selection function."""
    return pd.DataFrame(
        {
            "account_id": ["a", "b", "c"],
            "industry": ["healthcare", "retail", "IT services"],
            "revenue": [100.0, 400.0, 200.0],
            "discounts": [0.0, 80.0, 10.0],
            "cogs": [60.0, 260.0, 120.0],
            "service_cost": [10.0, 100.0, 10.0],
            "avg_days_late": [0.0, 36.5, 3.65],
            "price_sensitivity": [0.2, 0.9, 0.5],
            "on_time_share": [0.95, 0.4, 0.8],
            "debt_ratio": [0.3, 0.8, 0.5],
            "revenue_growth": [0.3, -0.1, 0.05],
            "industry_outlook": [4, 2, 3],
            "partnership_interest": [5, 2, 3],
            "years_as_customer": [2, 10, 5],
            "employees": [100, 5000, 400],
            "satisfaction": [5, 2, 4],
        }
    )


# ============================================================================ ideal customers
def test_ideal_criteria_hand_computed():
    c = S.ideal_criteria(three())
    assert list(c.columns) == list(S.CRITERIA) and list(c.index) == ["a", "b", "c"]
    # demand = percentile rank of revenue: 100 < 200 < 400 -> a 1/3, c 2/3, b 1
    assert c["demand"].tolist() == pytest.approx([1 / 3, 1, 2 / 3])
    # payment: a is best on all three parts (rank 1), c middle (2/3), b worst (1/3)
    assert c["payment"].tolist() == pytest.approx([1, 1 / 3, 2 / 3])
    # service share: a 0.10, b 0.25, c 0.05 -> less is better: c 1, a 2/3, b 1/3
    assert c["service_cost"].tolist() == pytest.approx([2 / 3, 1 / 3, 1])


def test_ideal_customer_score_equal_and_custom_weights():
    s = S.ideal_customer_score(three())
    # equal weights: score = 100 × mean of the five criteria; a wins everything but demand
    assert s["score"].tolist() == pytest.approx((100 * S.ideal_criteria(three()).mean(axis=1)).tolist())
    # a: 1/3 + 1 + 2/3 + 1 + (1 + 1/3)/2 = 11/3; c: 2/3 + 2/3 + 1 + 2/3 + 2/3 = 11/3; b: the rest -> a, c tie
    assert s.loc["a", "score"] == pytest.approx(100 * 11 / 15) and s.loc["c", "score"] == pytest.approx(100 * 11 / 15)
    assert s["rank"].tolist() == [1, 3, 1]
    # weights are normalised: {demand: 5} is the same as {demand: 1}: pure revenue ranking
    d = S.ideal_customer_score(three(), weights={"demand": 5})
    assert d["rank"].tolist() == [3, 1, 2]
    assert d["score"].tolist() == pytest.approx([100 / 3, 100, 200 / 3])
    assert d.attrs["weights"]["demand"] == 1.0 and d.attrs["weights"]["risk"] == 0.0


def test_weigh_criteria_by_hand():
    crit = pd.DataFrame(
        {"demand": [0.5, 1.0, 0.25], "payment": [1.0, 0.5, 0.75], "service_cost": [0.2, 0.4, 1.0],
         "risk": [0.5, 0.5, 0.5], "partnership": [1.0, 0.0, 0.5]},
        index=["a", "b", "c"],
    )  # fmt: skip
    r = S.weigh_criteria(crit, {"demand": 2, "service_cost": 2})
    # weights 0.5 / 0.5: a 50 (0.5 + 0.2) = 35, b 50 (1.0 + 0.4) = 70, c 50 (0.25 + 1.0) = 62.5
    assert r["score"].tolist() == pytest.approx([35.0, 70.0, 62.5])
    assert r["rank"].tolist() == [3, 1, 2] and r.attrs["weights"]["demand"] == 0.5
    # equal weights: a (0.5+1+0.2+0.5+1)/5 = 0.64, b 0.48, c 0.6
    assert S.weigh_criteria(crit)["score"].tolist() == pytest.approx([64.0, 48.0, 60.0])
    assert "score" not in crit.columns


@pytest.mark.parametrize("weights", [None, {"demand": 1}, {"risk": 2.5, "payment": 0.5, "partnership": 4}])
def test_weigh_criteria_of_ideal_criteria_is_ideal_customer_score(weights):
    from crmlib.datasets import make_accounts

    acc = make_accounts(n=80, seed=4)
    got = S.weigh_criteria(S.ideal_criteria(acc), weights)
    expect = S.ideal_customer_score(acc, weights)
    pd.testing.assert_frame_equal(got, expect)
    assert got.attrs == expect.attrs


def test_ideal_score_ties_share_the_best_rank():
    acc = three().iloc[[0, 0]].assign(account_id=["x", "y"])
    assert S.ideal_customer_score(acc)["rank"].tolist() == [1, 1]


@pytest.mark.parametrize(
    "weights, rows, text",
    [
        ({"volume": 1}, ["volume"], "unknown criteria"),
        ({"demand": -1, "risk": 2}, ["demand"], "negative"),
        ({"demand": 0, "risk": 0}, None, "sum to zero"),
    ],
)
def test_ideal_score_rejects_bad_weights(weights, rows, text):
    err = expect_error(
        lambda: S.ideal_customer_score(three(), weights=weights),
        "ideal_customer_score",
        "weights",
        rows=rows,
        contains=(text,),
    )
    assert isinstance(err, ValueError)


def test_ideal_score_rejects_bad_table():
    expect_error(
        lambda: S.ideal_customer_score(three().drop(columns="debt_ratio")), "ideal_customer_score", "debt_ratio"
    )
    bad = three()
    bad.loc[1, "revenue"] = 0.0
    expect_error(lambda: S.ideal_customer_score(bad), "ideal_customer_score", "revenue", rows=["b"])
    dup = three().assign(account_id=["a", "a", "c"])
    expect_error(lambda: S.ideal_customer_score(dup), "ideal_customer_score", "account_id", rows=[0, 1])


@FAST
@given(st.lists(st.floats(0, 5), min_size=5, max_size=5).filter(lambda w: sum(w) > 0.01), st.floats(0.1, 10))
def test_ideal_score_properties(w, factor):
    acc = make_accounts(n=25, seed=3)
    weights = dict(zip(S.CRITERIA, w))
    s = S.ideal_customer_score(acc, weights=weights)
    assert ((s["score"] >= 0) & (s["score"] <= 100)).all()
    assert s["rank"].min() == 1 and s["rank"].max() <= len(acc)
    # scaling every weight leaves scores unchanged (weights are normalised)
    scaled = S.ideal_customer_score(acc, weights={k: v * factor for k, v in weights.items()})
    np.testing.assert_allclose(scaled["score"], s["score"], atol=1e-9)
    # a higher score never gets a worse rank
    order = s.sort_values("score", ascending=False)
    assert order["rank"].is_monotonic_increasing


def test_ideal_score_does_not_mutate_input():
    acc = three()
    before = acc.copy()
    S.ideal_customer_score(acc, weights={"risk": 1})
    pd.testing.assert_frame_equal(acc, before)


# ============================================================================ profitability and whale curve
def test_customer_profitability_hand_computed():
    p = S.customer_profitability(three(), cost_of_capital=0.10)
    # b: net 400 - 80 = 320; delay 320 × 0.10 × 36.5 / 365 = 3.2; profit 320 - 260 - 100 - 3.2 = -43.2
    assert p.loc["b", "delay_cost"] == pytest.approx(3.2)
    assert p.loc["b", "profit"] == pytest.approx(-43.2)
    assert p.loc["b", "profit_margin"] == pytest.approx(-43.2 / 400)
    # c: net 190; delay 190 × 0.1 × 0.01 = 0.19; profit 190 - 120 - 10 - 0.19 = 59.81
    assert p.loc["c", "profit"] == pytest.approx(59.81)
    # a: 100 - 60 - 10 = 30
    assert p.loc["a", "profit"] == pytest.approx(30.0)


def test_customer_profitability_bad_input():
    bad = three()
    bad.loc[2, "discounts"] = 500.0
    expect_error(lambda: S.customer_profitability(bad), "customer_profitability", "discounts", rows=["c"])
    bad = three()
    bad.loc[0, "cogs"] = -1.0
    expect_error(lambda: S.customer_profitability(bad), "customer_profitability", "cogs", rows=[0])
    expect_error(
        lambda: S.customer_profitability(three(), cost_of_capital=2), "customer_profitability", "cost_of_capital"
    )


def test_profit_by_hand_computed():
    p = S.customer_profitability(three(), cost_of_capital=0.10)
    groups = pd.Series(["x", "y", "x"], index=pd.Index(["a", "b", "c"], name="account_id"), name="tier")
    out = S.profit_by(p, groups)
    assert out.index.name == "tier" and out.index.tolist() == ["x", "y"]
    assert out.columns.tolist() == ["revenue", "discounts", "service_cost", "delay_cost", "profit", "margin"]
    # x = a + c: revenue 100 + 200 = 300, discounts 0 + 10, service 10 + 10, delay 0 + 0.19,
    # profit 30 + 59.81 = 89.81, margin 89.81 / 300
    assert out.loc["x", ["revenue", "discounts", "service_cost"]].tolist() == [300.0, 10.0, 20.0]
    assert out.loc["x", "delay_cost"] == pytest.approx(0.19)
    assert out.loc["x", "profit"] == pytest.approx(89.81)
    assert out.loc["x", "margin"] == pytest.approx(89.81 / 300)
    # y = b alone: profit -43.2 on 400, margin -0.108
    assert out.loc["y", "profit"] == pytest.approx(-43.2) and out.loc["y", "margin"] == pytest.approx(-0.108)


def test_profit_by_matches_groups_by_label_position_or_category():
    p = S.customer_profitability(three())
    by_label = S.profit_by(p, pd.Series(["x", "x", "y", "z"], index=["c", "a", "b", "zz"]))  # order and extras
    assert by_label.index.name == "group" and by_label["revenue"].tolist() == [300.0, 400.0]
    by_position = S.profit_by(p, ["x", "y", "x"])  # a list: in the rows' order
    pd.testing.assert_frame_equal(by_label, by_position)
    assert S.profit_by(p, three()["industry"]).index.tolist() == ["IT services", "healthcare", "retail"]
    cat = pd.Series(pd.Categorical(["s", "l", "s"], categories=["s", "m", "l"]), index=p.index, name="size")
    out = S.profit_by(p, cat)  # a Categorical keeps its order and shows its empty class
    assert out.index.tolist() == ["s", "m", "l"] and out.loc["m", "revenue"] == 0.0
    assert math.isnan(out.loc["m", "margin"])


def test_profit_by_bad_groups():
    p = S.customer_profitability(three())
    expect_error(lambda: S.profit_by(p, pd.Series(["x", "y"], index=["a", "b"])), "profit_by", "groups", rows=["c"])
    expect_error(lambda: S.profit_by(p, ["x", None, "y"]), "profit_by", "groups", rows=["b"])
    expect_error(lambda: S.profit_by(p, ["x", "y"]), "profit_by", "profit, groups")
    expect_error(lambda: S.profit_by(p, "size"), "profit_by", "groups")
    twice = pd.Series(["x", "y", "x", "y"], index=["a", "b", "c", "a"])
    expect_error(lambda: S.profit_by(p, twice), "profit_by", "groups", rows=["a", "a"])


def test_whale_curve_hand_computed():
    # profits 30, -43.2, 59.81 -> total 46.61; sorted 59.81, 30, -43.2
    p = S.customer_profitability(three())["profit"]
    c = S.whale_curve(p)
    assert list(c.index) == ["c", "a", "b"]
    assert c["cum_share"].tolist() == pytest.approx([59.81 / 46.61, 89.81 / 46.61, 1.0])
    assert S.whale_peak(p) == pytest.approx(89.81 / 46.61)
    assert c["cum_customer_share"].tolist() == pytest.approx([1 / 3, 2 / 3, 1])


def test_whale_curve_rejects_non_positive_total():
    expect_error(lambda: S.whale_curve([10.0, -10.0]), "whale_curve", "profit", contains=("positive total",))
    expect_error(lambda: S.whale_curve([1.0, float("nan")]), "whale_curve", "profit", rows=[1])


@FAST
@given(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=40).filter(lambda v: sum(v) > 1))
def test_whale_curve_properties(values):
    c = S.whale_curve(values)
    assert c["cum_share"].iloc[-1] == pytest.approx(1.0)
    assert c["cum_share"].max() >= 1.0 - 1e-9  # the peak is at least the total
    assert c["profit"].is_monotonic_decreasing
    if min(values) >= 0:  # no loss-makers: no hump
        assert c["cum_share"].max() == pytest.approx(1.0)


# ============================================================================ risks, growth, rubric
def test_big_customer_risks_hand_computed():
    r = S.big_customer_risks(three(), big_share=0.34)  # ceil(0.34 × 3) = 2 big: b and c
    assert r["big"].tolist() == [False, True, True]
    # b: 36.5 days late and debt 0.8 -> financial; margin -10.8 % -> profit; service 25 % -> management;
    # growth -10 % -> churn
    assert r.loc["b", list(S.RISK_KEYS)].tolist() == [True, True, True, True] and r.loc["b", "n_risks"] == 4
    # c: 3.65 days late, debt 0.5, margin 29.9 %, service 5 %, growth 5 %, partnership 3 > 2: none
    assert r.loc["c", "n_risks"] == 0
    summ = S.risk_summary(r)
    assert summ.loc["profit risk", "big accounts"] == 0.5 and summ.loc["profit risk", "other accounts"] == 0.0


def test_risk_summary_in_chinese():
    summ = S.risk_summary(S.big_customer_risks(three()), lang="zh")
    assert "财务风险" in summ.index and "大客户" in summ.columns


def test_growth_potential_hand_computed():
    g = S.growth_potential(three(), small_share=0.5, growth_min=0.2, horizon=2)
    # ceil(0.5 × 3) = 2 smallest by revenue: a (100) and c (200)
    assert g["small"].tolist() == [True, False, True]
    assert g.loc["a", "projected_revenue"] == pytest.approx(100 * 1.3**2)
    # a grows 30 %, pays on time, partnership 5 -> promising; c grows 5 % only
    assert g["promising"].tolist() == [True, False, False]


def test_growth_potential_bad_input():
    expect_error(lambda: S.growth_potential(three(), small_share=0), "growth_potential", "small_share")
    bad = three()
    bad.loc[1, "revenue_growth"] = -1.5
    expect_error(lambda: S.growth_potential(bad), "growth_potential", "revenue_growth", rows=["b"])


def test_selection_rubric_hand_computed():
    r = S.selection_rubric(
        three(), target_industries=("healthcare", "IT services"), our_employees=300, strength_ratio=5
    )
    # employees within 60..1500: a (100) and c (400), not b (5000)
    assert r["matches_strength"].tolist() == [True, False, True]
    assert r["fits_positioning"].tolist() == [True, False, True]
    assert r["satisfied"].tolist() == [True, False, True]
    assert r["potential"].tolist() == [True, False, True]
    assert r.loc["b", "passed"] <= 1
    assert str(r.loc["a", "verdict"]) == "select"
    assert list(r["verdict"].cat.categories) == ["select", "consider", "avoid for now"]
    zh = S.selection_rubric(three(), lang="zh")
    assert list(zh["verdict"].cat.categories) == ["优先选择", "可以考虑", "暂不选择"]


def test_selection_rubric_bad_input():
    expect_error(
        lambda: S.selection_rubric(three(), target_industries="healthcare"), "selection_rubric", "target_industries"
    )
    expect_error(
        lambda: S.selection_rubric(three(), target_industries=["mining"]),
        "selection_rubric",
        "target_industries",
        contains=("matches no industry",),
    )
    expect_error(lambda: S.selection_rubric(three(), our_employees=0), "selection_rubric", "our_employees")
    expect_error(lambda: S.selection_rubric(three(), weights={"demand": 0}), "selection_rubric", "weights")


# ============================================================================ data
def test_accounts_dataset_equals_generator_and_is_deterministic():
    pd.testing.assert_frame_equal(load_dataset("accounts"), make_accounts(), check_exact=False, rtol=0, atol=1e-9)
    pd.testing.assert_frame_equal(make_accounts(n=50, seed=5), make_accounts(n=50, seed=5))
    assert not make_accounts(n=50, seed=5).equals(make_accounts(n=50, seed=6))


def test_accounts_tell_the_chapter_story():
    acc = make_accounts(n=2000, seed=11)
    p = S.customer_profitability(acc).join(acc.set_index("account_id")["size"])
    margin = p.groupby("size")["profit"].sum() / p.groupby("size")["revenue"].sum()
    assert margin["large"] < margin["small"] and margin["large"] < margin["medium"]  # big ≠ ideal
    assert 0.05 < (p["profit"] < 0).mean() < 0.25  # some loss-makers
    assert 1.2 < S.whale_peak(p["profit"]) < 2.5
    assert S.growth_potential(acc)["promising"].mean() > 0.05  # small can be ideal
    r = S.big_customer_risks(acc)
    assert r.loc[r["big"], "n_risks"].mean() > r.loc[~r["big"], "n_risks"].mean()


# ============================================================================ plots and widget
def test_selection_plots_draw():
    import matplotlib.pyplot as plt

    acc = make_accounts(n=60, seed=2)
    fresh = lambda: plt.figure().subplots()  # noqa: E731  (plots draw on the current Axes by default)
    ax = plots.ideal_score_plot(S.ideal_customer_score(acc), top=10, ax=fresh())
    assert len(ax.get_yticklabels()) == 10
    assert (
        plots.whale_plot(S.whale_curve(S.customer_profitability(acc)["profit"]), ax=fresh())
        .get_title()
        .startswith("whale")
    )
    assert plots.risk_plot(S.big_customer_risks(acc), lang="zh", ax=fresh()).get_ylabel() == "客户占比"
    assert plots.growth_plot(S.growth_potential(acc), ax=fresh()).get_xscale() == "log"
    assert len(plots.rubric_plot(S.selection_rubric(acc), ax=fresh()).patches) == 5
    expect_error(lambda: plots.ideal_score_plot(S.ideal_customer_score(acc), top=0), "ideal_score_plot", "top")
    plt.close("all")


def test_ideal_score_explorer_reranks_headless():
    acc = make_accounts(n=40, seed=1)
    e = widgets.ideal_score_explorer(acc, draw=False)
    assert set(e.sliders) == set(S.CRITERIA)
    pd.testing.assert_frame_equal(e.result, S.ideal_customer_score(acc))
    for k in S.CRITERIA:
        e.sliders[k].value = 0.0 if k != "service_cost" else 2.0
    expected = S.ideal_customer_score(acc, weights={"service_cost": 1})
    pd.testing.assert_series_equal(e.result["rank"], expected["rank"])
    assert str(expected["rank"].idxmin()) in e.text.value
    e.sliders["service_cost"].value = 0.0  # all zero: a message, not a crash
    assert e.result is None and "weight" in e.text.value


def test_ideal_score_explorer_draws_and_rejects_bad_weights():
    acc = make_accounts(n=30, seed=4)
    e = widgets.ideal_score_explorer(acc, weights={"demand": 2, "risk": 1}, lang="zh")
    assert e.sliders["demand"].value == 2.0 and e.sliders["payment"].value == 0.0
    assert e.output.outputs and "image/png" in e.output.outputs[0]["data"]
    with pytest.raises(CRMDataError):
        widgets.ideal_score_explorer(acc, weights={"size": 1}, draw=False)


def test_ideal_score_explorer_bars_are_the_new_weights_shares():
    """After a slider moves, the figure's bars are the best accounts' weight × criterion × 100."""
    acc = make_accounts(n=30, seed=4)
    e = widgets.ideal_score_explorer(acc, weights={"demand": 1, "risk": 1}, top=5)
    e.sliders["demand"].value = 3.0  # weights demand 0.75, risk 0.25
    expect = S.ideal_customer_score(acc, weights={"demand": 3, "risk": 1})
    best = expect.sort_values("score", ascending=False, kind="mergesort").head(5).iloc[::-1]
    ax = e.figure.axes[0]
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(S.CRITERIA), 5)
    assert widths[0] == pytest.approx(75 * best["demand"].to_numpy())
    assert widths[3] == pytest.approx(25 * best["risk"].to_numpy())
    assert (widths[[1, 2, 4]] == 0).all()
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(i) for i in best.index]


# ============================================================================ exercises
def test_chapter2_selection_exercises_are_data_driven():
    acc = make_accounts(n=80, seed=9)
    top = exercises.expected("ch2.top_ideal", accounts=acc, weights=[1, 0, 0, 0, 0])
    assert top == acc.loc[acc["revenue"].idxmax(), "account_id"]
    peak = exercises.expected("ch2.whale_peak", accounts=acc, cost_of_capital=0.1)
    assert exercises.check("ch2.whale_peak", peak + 0.001, accounts=acc, cost_of_capital=0.1, strict=False)
    assert not exercises.check("ch2.whale_peak", peak + 0.1, accounts=acc, cost_of_capital=0.1, strict=False)
    assert math.isfinite(peak) and peak >= 1.0


def test_glossary_has_the_chapter_terms():
    for k in ("ideal_customer", "whale_curve", "financial_risk", "five_c", "dso", "aging", "bad_debt"):
        assert i18n.label(k, "zh") and i18n.label(k, "en")
