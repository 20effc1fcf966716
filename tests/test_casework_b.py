"""Tests of cases 4-6 (crmlib.casework.rice_shop, .relationship_manager, .key_account; their data from
crmlib.datasets), their plots and exercises: hand-computed cases, properties, bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _support import en, expect_error, zh
from crmlib import casework as C, datasets as D, exercises, loyalty, params, plots
from crmlib.datasets import make_accounts


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _log(rows):
    return pd.DataFrame(rows, columns=["household_id", "household_size", "date", "kg"])


# ---------------------------------------------------------------- case 4: rice shop
@pytest.fixture(scope="module")
def rice():
    return D.make_rice_purchases(n_households=60, days=260, seed=3)


def test_make_rice_purchases_is_seeded_and_consistent(rice):
    again = D.make_rice_purchases(n_households=60, days=260, seed=3)
    pd.testing.assert_frame_equal(rice, again)
    assert not rice.equals(D.make_rice_purchases(n_households=60, days=260, seed=4))
    assert rice["household_id"].nunique() == 60
    assert rice.groupby("household_id")["household_size"].nunique().eq(1).all()
    assert (rice["kg"] >= 5).all() and (rice["kg"] % 5 == 0).all()
    assert rice["date"].is_monotonic_increasing
    assert (rice["date"] - rice["date"].min()).dt.days.max() < 260


def test_rice_run_out_by_hand():
    log = _log(
        [
            ("A", 2, "2025-01-01", 10.0),
            ("A", 2, "2025-01-21", 10.0),
            ("A", 2, "2025-02-10", 10.0),
            ("B", 4, "2025-02-01", 20.0),
            ("C", 1, "2025-02-01", 2.0),
            ("C", 1, "2025-02-01", 3.0),
        ]
    )
    fc = C.rice_run_out(log, as_of="2025-02-15")
    assert fc.loc["A", "daily_kg"] == 0.5 and fc.loc["A", "kg_per_person"] == 0.25
    assert fc.loc["A", "run_out"] == pd.Timestamp("2025-03-02") and fc.loc["A", "days_left"] == 15
    # B and C were seen on one day only: size × the others' median use per person (0.25)
    assert fc.loc["B", "estimated"] and fc.loc["B", "daily_kg"] == 1.0
    assert fc.loc["C", "last_kg"] == 5.0 and fc.loc["C", "run_out"] == pd.Timestamp("2025-02-21")
    assert fc.attrs["as_of"] == pd.Timestamp("2025-02-15")
    assert list(log.columns) == ["household_id", "household_size", "date", "kg"]  # input untouched


def test_rice_run_out_bad_input():
    good = _log([("A", 2, "2025-01-01", 10.0), ("A", 2, "2025-01-21", 10.0)])
    expect_error(lambda: C.rice_run_out(good.drop(columns="kg")), "rice_run_out", "kg")
    expect_error(lambda: C.rice_run_out(good.assign(kg=[10.0, -1.0])), "rice_run_out", "kg", rows=[1])
    expect_error(lambda: C.rice_run_out(good.assign(kg=[10.0, 0.0])), "rice_run_out", "kg", rows=[1])
    expect_error(lambda: C.rice_run_out(good.assign(household_size=[2, 0])), "rice_run_out", "household_size")
    expect_error(
        lambda: C.rice_run_out(good.assign(household_size=[2, 3])), "rice_run_out", "household_size", rows=[0, 1]
    )
    expect_error(lambda: C.rice_run_out(good.assign(date=["2025-01-01", "soon"])), "rice_run_out", "date", rows=[1])
    expect_error(lambda: C.rice_run_out(good, as_of="2024-12-01"), "rice_run_out", "as_of")
    expect_error(lambda: C.rice_run_out(good.iloc[:1]), "rice_run_out", "date", contains=("two different days",))
    expect_error(lambda: C.rice_run_out(good.assign(household_id=["A", None])), "rice_run_out", "household_id")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABCD"), st.integers(0, 90), st.sampled_from([5.0, 10.0, 20.0])),
        min_size=2,
        max_size=30,
    )
)
def test_rice_run_out_properties(rows):
    sizes = {"A": 1, "B": 2, "C": 3, "D": 5}
    log = _log([(h, sizes[h], pd.Timestamp("2025-01-01") + pd.Timedelta(days=d), kg) for h, d, kg in rows])
    if log.groupby("household_id")["date"].nunique().max() < 2:
        with pytest.raises(ValueError):
            C.rice_run_out(log)
        return
    fc = C.rice_run_out(log)
    assert (fc["daily_kg"] > 0).all()
    assert (fc["run_out"] >= fc["last_purchase"]).all()
    assert (fc["purchases"] == log.groupby("household_id").size()).all()
    # twice as large a household with the same history would eat twice as fast only if estimated
    est = fc[fc["estimated"]]
    if len(est):
        ratio = est["kg_per_person"].round(3).unique()
        assert len(ratio) == 1


def test_delivery_plan_by_hand_and_bad_input():
    fc = pd.DataFrame(
        {
            "run_out": pd.to_datetime(["2025-03-02", "2025-02-21", "2025-02-10"]),
            "last_kg": [10.0, 20.0, 5.0],
            "household_size": [2, 4, 1],
        },
        index=["A", "B", "C"],
    )
    plan = C.delivery_plan(fc, horizon_days=10, lead_days=2, as_of="2025-02-15")
    assert plan.index.tolist() == ["C", "B"]
    assert plan["delivery_date"].tolist() == [pd.Timestamp("2025-02-15"), pd.Timestamp("2025-02-19")]
    assert C.delivery_plan(fc, horizon_days=30, lead_days=0, as_of="2025-02-15").index.tolist() == ["C", "B", "A"]
    expect_error(lambda: C.delivery_plan(fc), "delivery_plan", "as_of")
    expect_error(lambda: C.delivery_plan(fc, horizon_days=0, as_of="2025-02-15"), "delivery_plan", "horizon_days")
    expect_error(lambda: C.delivery_plan(fc, lead_days=-1, as_of="2025-02-15"), "delivery_plan", "lead_days")
    expect_error(lambda: C.delivery_plan(fc.drop(columns="last_kg"), as_of="2025-02-15"), "delivery_plan", "last_kg")


def test_backtest_and_summary(rice):
    cut = rice["date"].min() + pd.Timedelta(days=150)
    bt = C.backtest_deliveries(rice, cut, interval_days=30, lead_days=1, early_days=5, lang="en")
    assert (bt["actual_run_out"] >= cut).all()
    assert (bt["fixed_delivery"] - cut).dt.days.between(0, 29).all()
    assert ((bt["predictive_gap"] > 0) == (bt["predictive_status"] == en("cw4_late"))).all()
    s = C.schedule_summary(bt, lang="en")
    assert np.allclose(s.iloc[:, :3].sum(axis=1), 1.0)
    # predicted deliveries reach more households in time than a monthly round
    assert s.loc[en("cw4_predictive"), en("cw4_on_time")] > s.loc[en("cw4_fixed"), en("cw4_on_time")]
    assert s.loc[en("cw4_predictive"), en("cw4_late")] < s.loc[en("cw4_fixed"), en("cw4_late")]
    zs = C.schedule_summary(bt, lang="zh")
    assert zh("cw4_fixed") in zs.index and zh("cw4_days_without") in zs.columns
    # a longer lead time never makes more deliveries late
    later = C.backtest_deliveries(rice, cut, lead_days=3)
    assert (later["predictive_gap"] > 0).mean() <= (bt["predictive_gap"] > 0).mean()


def test_lead_days_tradeoff_by_hand(rice):
    log = _log(
        [
            ("A", 2, "2025-01-01", 10.0),
            ("A", 2, "2025-01-21", 10.0),
            ("A", 2, "2025-02-10", 10.0),
            ("B", 4, "2025-01-05", 10.0),
            ("B", 4, "2025-01-15", 10.0),
            ("B", 4, "2025-01-25", 10.0),
            ("B", 4, "2025-02-04", 10.0),
        ]
    )
    t = C.lead_days_tradeoff(log, "2025-02-01", leads=[0, 3, 5], early_days=3, lang="en")
    # the forecast is exact: A runs out on 02-10, B on 02-04. Lead 0: both on time. Lead 3: A's rice on 02-07,
    # B's on 02-01 (never before today) — both within 3 days: on time. Lead 5: A's on 02-05, 5 days early.
    assert t.index.tolist() == [0, 3, 5] and t.index.name == "lead_days"
    assert t[en("cw4_on_time")].tolist() == [1.0, 1.0, 0.5] and t[en("cw4_early")].tolist() == [0.0, 0.0, 0.5]
    assert t[en("cw4_late")].sum() == 0 and t[en("cw4_days_without")].sum() == 0
    assert zh("cw4_on_time") in C.lead_days_tradeoff(log, "2025-02-01", leads=[1], lang="zh").columns
    # on the generated book each row is the predicted plan's summary for that lead time
    cut = rice["date"].min() + pd.Timedelta(days=150)
    rows = C.lead_days_tradeoff(rice, cut, leads=range(0, 3))
    for lead in range(0, 3):
        bt = C.backtest_deliveries(rice, cut, lead_days=lead)
        assert rows.loc[lead].tolist() == C.schedule_summary(bt).iloc[0].tolist()
    expect_error(lambda: C.lead_days_tradeoff(rice, cut, leads=[0, 0]), "lead_days_tradeoff", "leads", rows=[0])
    expect_error(lambda: C.lead_days_tradeoff(rice, "1990-01-01"), "lead_days_tradeoff", "cutoff")


def test_backtest_bad_input(rice):
    expect_error(lambda: C.backtest_deliveries(rice, "1990-01-01"), "backtest_deliveries", "cutoff")
    expect_error(lambda: C.backtest_deliveries(rice, 5), "backtest_deliveries", "cutoff")
    cut = rice["date"].min() + pd.Timedelta(days=150)
    expect_error(lambda: C.backtest_deliveries(rice, cut, interval_days=0), "backtest_deliveries", "interval_days")
    expect_error(lambda: C.backtest_deliveries(rice, cut, lang="fr"), "backtest_deliveries", "lang")
    expect_error(lambda: C.schedule_summary(pd.DataFrame({"fixed_gap": [1]})), "schedule_summary", "predictive_gap")
    expect_error(lambda: D.make_rice_purchases(n_households=0), "make_rice_purchases", "n_households")
    expect_error(lambda: D.make_rice_purchases(days=5), "make_rice_purchases", "days")


# ---------------------------------------------------------------- case 5: bank relationship manager
@pytest.fixture(scope="module")
def book():
    return D.make_bank_clients(n_clients=25, n_quarters=6, seed=9)


def test_make_bank_clients(book):
    cl, ins, a = book["clients"], book["insurance"], book["assets"]
    assert cl["client_id"].is_unique and len(cl) == 25
    assert set(ins["client_id"]) <= set(cl["client_id"]) and set(ins["policy"]) <= set(D.POLICIES)
    assert len(a) == 25 * 6 * len(D.ASSET_CLASSES) and (a["value"] > 0).all()
    pd.testing.assert_frame_equal(a, D.make_bank_clients(n_clients=25, n_quarters=6, seed=9)["assets"])


def test_coverage_review_by_hand_and_bad_input():
    cl = pd.DataFrame({"client_id": ["a", "b", "c"], "annual_income": [1e6, 5e5, 2e5]})
    ins = pd.DataFrame(
        {
            "client_id": ["a", "a", "b"],
            "policy": ["life", "medical", "life"],
            "cover": [4e6, 1e6, 6e6],
            "annual_premium": [6e4, 2e4, 7e4],
        }
    )
    cov = C.coverage_review(cl, ins)
    assert cov.loc["c", "life_cover"] == 0 and cov.loc["c", "life_gap"] == 2e6 and cov.loc["c", "premium"] == 0
    assert cov["underinsured"].tolist() == [True, False, True]
    assert cov["premium_heavy"].tolist() == [False, True, False]
    assert C.coverage_review(cl, ins, life_multiple=4)["underinsured"].tolist() == [False, False, True]
    expect_error(
        lambda: C.coverage_review(cl, ins.assign(client_id=["a", "x", "b"])), "coverage_review", "client_id", rows=[1]
    )
    expect_error(
        lambda: C.coverage_review(cl.assign(annual_income=[1e6, 0, 1]), ins),
        "coverage_review",
        "annual_income",
        rows=[1],
    )
    expect_error(lambda: C.coverage_review(cl, ins.assign(cover=[1, -1, 1])), "coverage_review", "cover", rows=[1])
    expect_error(lambda: C.coverage_review(cl, ins, premium_cap=2), "coverage_review", "premium_cap")
    expect_error(lambda: C.coverage_review(pd.concat([cl, cl.iloc[:1]]), ins), "coverage_review", "client_id")


def test_asset_review_mix_and_frequency(book):
    a = book["assets"]
    r = C.asset_review(a, "C001")
    assert list(r.columns) == D.ASSET_CLASSES + ["total", "change"]
    assert np.allclose(r[D.ASSET_CLASSES].sum(axis=1), r["total"])
    mix = C.asset_mix(a, "C001")
    assert mix.sum() == pytest.approx(1.0) and mix.is_monotonic_decreasing and mix.name == r.index.max()
    assert C.asset_mix(a, "C001", quarter=r.index[0]).sum() == pytest.approx(1.0)
    rf = C.review_frequency(a, monthly_from=5e6, quarterly_from=1.5e6, change_trigger=0.05, lang="en")
    assert set(rf["every_months"]) <= {1, 3, 6}
    assert (rf["reviews_per_year"] * rf["every_months"] == 12).all()
    big = rf["aum"] >= 5e6
    assert (rf.loc[big, "every_months"] == 1).all()
    # a lower bar for "moved" never makes reviews rarer
    rf2 = C.review_frequency(a, monthly_from=5e6, quarterly_from=1.5e6, change_trigger=0.01)
    assert (rf2["every_months"] <= rf["every_months"]).all()
    assert C.review_frequency(a, lang="zh")["frequency"].cat.categories.tolist() == [zh(k) for k in C.REVIEW_KEYS]


def test_asset_mixes_by_hand():
    # two clients, two quarters; b holds no bonds in 2024Q2 (a missing class counts as 0)
    a = pd.DataFrame(
        {
            "client_id": ["a", "a", "a", "b", "b", "a", "a", "b"],
            "quarter": ["2024Q2"] * 5 + ["2024Q1"] * 3,
            "asset_class": ["stocks", "deposits", "bonds", "deposits", "stocks", "deposits", "bonds", "stocks"],
            "value": [10.0, 60.0, 30.0, 40.0, 160.0, 50.0, 50.0, 1.0],
        }
    )
    mix = C.asset_mixes(a)  # latest quarter: 2024Q2
    assert mix.columns.tolist() == ["deposits", "bonds", "stocks"]  # the review table's order
    assert mix.loc["a"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert mix.loc["b"].tolist() == pytest.approx([0.2, 0.0, 0.8])
    q1 = C.asset_mixes(a, quarter="2024Q1")
    assert q1.loc["a"].tolist() == pytest.approx([0.5, 0.5, 0.0]) and q1.loc["b"].tolist() == pytest.approx([0, 0, 1])
    # the mean mix per group of a clients column
    cl = pd.DataFrame({"client_id": ["a", "b", "c"], "risk_profile": ["growth", "growth", "conservative"]})
    by = C.asset_mixes(a, clients=cl, by="risk_profile")
    assert by.index.tolist() == ["growth"] and by.index.name == "risk_profile"
    assert by.loc["growth"].tolist() == pytest.approx([0.4, 0.15, 0.45])
    # each client's row is the single-client asset_mix, sorted the other way
    assert C.asset_mix(a, "a").to_dict() == pytest.approx(mix.loc["a"].to_dict())


def test_asset_mixes_on_the_generated_book_follows_the_risk_profile(book):
    mix = C.asset_mixes(book["assets"])
    assert len(mix) == len(book["clients"]) and np.allclose(mix.sum(axis=1), 1.0)
    by = C.asset_mixes(book["assets"], clients=book["clients"], by="risk_profile")
    assert by.loc["growth", "stocks"] > by.loc["conservative", "stocks"]
    assert by.loc["conservative", "deposits"] > by.loc["growth", "deposits"]


def test_asset_mixes_bad_input(book):
    a, cl = book["assets"], book["clients"]
    expect_error(lambda: C.asset_mixes(a, quarter="1999Q1"), "asset_mixes", "quarter", contains=("unknown quarter",))
    expect_error(lambda: C.asset_mixes(a, clients=cl), "asset_mixes", "by")
    expect_error(lambda: C.asset_mixes(a, by="risk_profile"), "asset_mixes", "clients")
    expect_error(lambda: C.asset_mixes(a, clients=cl, by="colour"), "asset_mixes", "colour")
    expect_error(
        lambda: C.asset_mixes(a, clients=cl.iloc[1:], by="risk_profile"), "asset_mixes", "client_id", rows=["C001"]
    )
    nothing = a.assign(value=np.where(a["client_id"] == "C002", 0.0, a["value"]))
    expect_error(lambda: C.asset_mixes(nothing), "asset_mixes", "value", rows=["C002"])


def test_case5_bad_input(book):
    a = book["assets"]
    expect_error(lambda: C.asset_review(a, "C999"), "asset_review", "client")
    expect_error(lambda: C.asset_mix(a, "C001", quarter="1999Q1"), "asset_mix", "quarter")
    expect_error(lambda: C.asset_review(pd.concat([a, a.iloc[:1]]), "C001"), "asset_review", "asset_class")
    expect_error(lambda: C.asset_review(a.drop(columns="value"), "C001"), "asset_review", "value")
    expect_error(
        lambda: C.review_frequency(a, monthly_from=1e5, quarterly_from=1e6), "review_frequency", "monthly_from"
    )
    one = a[a["quarter"] == a["quarter"].min()]
    expect_error(lambda: C.review_frequency(one), "review_frequency", "quarter")
    expect_error(lambda: C.pick_client(book["clients"], 26), "pick_client", "number")
    assert C.pick_client(book["clients"], 25) == "C025"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0, 1e7), min_size=2, max_size=6), st.floats(0, 1e7), st.floats(0, 1e7))
def test_review_frequency_monotone_in_assets(values, lo, extra):
    a = pd.DataFrame(
        {
            "client_id": [f"c{i}" for i in range(len(values))] * 2,
            "quarter": ["2024Q1"] * len(values) + ["2024Q2"] * len(values),
            "asset_class": ["funds"] * 2 * len(values),
            "value": values + values,
        }
    )
    rf = C.review_frequency(a, monthly_from=lo + extra, quarterly_from=lo, change_trigger=0.5)
    order = rf.sort_values("aum")["every_months"].to_numpy()
    assert (np.diff(order) <= 0).all()  # more assets → reviewed at least as often


# ---------------------------------------------------------------- case 6: key-account plan
@pytest.fixture(scope="module")
def acc():
    return make_accounts(n=120, seed=4)


def test_key_account_needs_by_hand_and_bad_input():
    a = pd.DataFrame(
        {
            "account_id": list("abcd"),
            "satisfaction": [1, 4, 4, 3],
            "price_sensitivity": [0.9, 0.8, 0.2, 0.1],
            "partnership_interest": [5, 5, 5, 2],
        }
    )
    assert loyalty.key_account_needs(a, lang="zh").tolist() == [zh(k) for k in loyalty.NEED_KEYS]
    assert loyalty.key_account_needs(a, price_cut=0.95, lang="en").tolist()[1] == en("cw6_partnership")
    expect_error(lambda: loyalty.key_account_needs(a.drop(columns="satisfaction")), "key_account_needs", "satisfaction")
    expect_error(
        lambda: loyalty.key_account_needs(a.assign(price_sensitivity=[0.1, "x", 0.2, 0.3])),
        "key_account_needs",
        "price_sensitivity",
        rows=[1],
    )
    expect_error(lambda: loyalty.key_account_needs(a, price_cut=2), "key_account_needs", "price_cut")


def test_key_account_plan(acc):
    plan = C.key_account_plan(acc, top=0.1, value_weight=0.6, budget=1000.0, key_share=0.6)
    assert plan["priority"].tolist() == list(range(1, len(acc) + 1))
    assert plan["key_account"].sum() == 12 and plan["key_account"].iloc[:12].all()
    assert plan["budget"].sum() == pytest.approx(1000.0)
    assert plan.loc[plan["key_account"], "budget"].sum() == pytest.approx(600.0)
    assert (plan["potential"] >= 0).all() and plan["n_risks"].between(0, 4).all()
    exp = acc.set_index("account_id").loc[plan.index]
    assert np.allclose(plan["value"], exp["revenue"])
    assert np.allclose(plan["potential"], (exp["revenue"] * ((1 + exp["revenue_growth"]) ** 3 - 1)).clip(lower=0))
    # value_weight = 1: priority is plain revenue order
    by_value = C.key_account_plan(acc, top=0.1, value_weight=1.0)
    assert by_value["value"].is_monotonic_decreasing
    expect_error(lambda: C.key_account_plan(acc, top=0), "key_account_plan", "top")
    expect_error(lambda: C.key_account_plan(acc, horizon=0), "key_account_plan", "horizon")
    expect_error(lambda: C.key_account_plan(acc.drop(columns="revenue_growth")), "key_account_plan", "revenue_growth")


# ---------------------------------------------------------------- plots
def test_case_plots(rice, book, acc):
    fresh = lambda: plt.figure().subplots()  # noqa: E731  (plots draw on the current Axes by default)
    fc = C.rice_run_out(rice)
    plan = C.delivery_plan(fc, horizon_days=14)
    ax = plots.delivery_calendar_plot(plan, lang="en", ax=fresh())
    assert sum(p.get_height() for p in ax.patches) == len(plan)
    cut = rice["date"].min() + pd.Timedelta(days=150)
    ax = plots.schedule_comparison_plot(C.schedule_summary(C.backtest_deliveries(rice, cut)), lang="zh", ax=fresh())
    assert len(ax.patches) == 6
    ax = plots.asset_mix_pie(C.asset_mix(book["assets"], "C002"), lang="zh", ax=fresh())
    assert zh("cw5_stocks") in [t.get_text() for t in ax.texts]
    ax = plots.asset_trend_bars(C.asset_review(book["assets"], "C002"), lang="en", ax=fresh())
    assert len(ax.patches) == 6 * len(D.ASSET_CLASSES)
    ax = plots.key_account_map(C.key_account_plan(acc), lang="en", ax=fresh())
    assert ax.get_xlabel() == en("cw6_value")
    expect_error(
        lambda: plots.key_account_map(pd.DataFrame({"value": [1.0], "key_account": [True], "budget": [1.0]})),
        "key_account_map",
        "potential",
    )
    expect_error(lambda: plots.asset_mix_pie([0.0, 0.0]), "asset_mix_pie", "mix")


# ---------------------------------------------------------------- exercises and parameters
def test_exercises_expected_answers(rice, book, acc):
    cut = rice["date"].min() + pd.Timedelta(days=150)
    fc = C.rice_run_out(rice[rice["date"] < cut], as_of=cut)
    assert exercises.expected("case4.run_out_soon", purchases=rice, cutoff=cut, horizon_days=7) == int(
        (fc["days_left"] <= 7).sum()
    )
    bt = C.backtest_deliveries(rice, cut, interval_days=20, lead_days=2, early_days=4)
    assert exercises.expected(
        "case4.late_gap", purchases=rice, cutoff=cut, interval_days=20, lead_days=2, early_days=4
    ) == pytest.approx((bt["fixed_gap"] > 0).mean() - (bt["predictive_gap"] > 0).mean())
    assert exercises.check(
        "case4.mean_abs_error", float(bt["error_days"].abs().mean()), purchases=rice, cutoff=cut, strict=True
    )
    assert not exercises.check("case4.mean_abs_error", 99.0, purchases=rice, cutoff=cut, strict=False)
    mix = C.asset_mix(book["assets"], "C003")
    assert exercises.check("case5.top_class_share", float(mix.max()), assets=book["assets"], client="C003", strict=True)
    n_under = int(C.coverage_review(book["clients"], book["insurance"], life_multiple=10)["underinsured"].sum())
    assert exercises.check(
        "case5.underinsured",
        n_under,
        clients=book["clients"],
        insurance=book["insurance"],
        life_multiple=10.0,
        strict=True,
    )
    rf = C.review_frequency(book["assets"])
    assert (
        exercises.expected(
            "case5.rm_hours",
            assets=book["assets"],
            monthly_from=5e6,
            quarterly_from=1.5e6,
            change_trigger=0.15,
            hours_per_review=2.0,
        )
        == 2.0 * rf["reviews_per_year"].sum()
    )
    plan = C.key_account_plan(acc, top=0.2, value_weight=0.5, budget=500.0, key_share=0.5)
    assert exercises.check(
        "case6.top_budget",
        float(plan["budget"].iloc[0]),
        accounts=acc,
        top=0.2,
        value_weight=0.5,
        budget=500.0,
        key_share=0.5,
        strict=True,
    )
    key = plan[plan["key_account"]]
    assert exercises.check(
        "case6.key_value_share",
        float(key["value"].sum() / plan["value"].sum()),
        accounts=acc,
        top=0.2,
        value_weight=0.5,
        strict=True,
    )
    risky = list(key.index[key["n_risks"] >= 1])
    assert exercises.check("case6.risky_keys", risky, accounts=acc, top=0.2, value_weight=0.5, min_risks=1, strict=True)
    with pytest.raises(exercises.ExerciseCheckFailed):
        exercises.check(
            "case6.risky_keys",
            risky[:-1] + ["nobody"],
            accounts=acc,
            top=0.2,
            value_weight=0.5,
            min_risks=1,
            strict=True,
        )


@pytest.mark.parametrize(
    "stem, bad",
    [
        ("04_rice_shop", {"lead_days": 11}),
        ("05_bank_relationship_manager", {"premium_cap": 0.9}),
        ("06_key_account_plan", {"top": 0.0}),
    ],
)
def test_parameter_specs_reject_out_of_range(stem, bad):
    spec = params.SPECS[stem]
    ok = {k: (p.choices[0] if p.choices else p.kind(p.lo if p.lo is not None else 0)) for k, p in spec.items()}
    params.notebook_parameters(stem, ok)
    with pytest.raises(ValueError, match=next(iter(bad))):
        params.notebook_parameters(stem, {**ok, **bad})
    with pytest.raises(ValueError, match="not a parameter"):
        params.notebook_parameters(stem, {**ok, "seeed": 1})


def test_delivery_explorer_recomputes(rice):
    from crmlib import widgets

    cut = rice["date"].min() + pd.Timedelta(days=150)
    dx = widgets.delivery_explorer(rice, cut, draw=True, lang="en")
    assert dx.result.equals(C.schedule_summary(C.backtest_deliveries(rice, cut)))
    assert "on time" in dx.text.value and dx.output.outputs
    dx.interval.value = 14
    assert dx.result.equals(C.schedule_summary(C.backtest_deliveries(rice, cut, interval_days=14)))
    zx = widgets.delivery_explorer(rice, cut, draw=False, lang="zh")
    assert "及时" in zx.text.value
    expect_error(lambda: widgets.delivery_explorer(rice, cut, lead_days=-1), "backtest_deliveries", "lead_days")
