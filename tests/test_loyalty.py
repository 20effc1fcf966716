"""Tests of crmlib.loyalty (Chapter 5): hand-computed cases, properties, bad input, widgets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _support import en, expect_error, zh
from crmlib import exercises, loyalty, plots, widgets
from crmlib.datasets import make_transactions
from crmlib.development import acquisition_economics
from crmlib.segmentation import top_share


@pytest.fixture(scope="module")
def tx():
    return make_transactions(n_customers=400, seed=3)


def _log(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


# ----------------------------------------------------------------------------- loyalty_status
def test_loyalty_status_counts_visits_not_tickets():
    t = _log(
        [
            ("A", "2024-01-01", 5),
            ("A", "2024-01-01", 7),
            ("A", "2024-02-01", 1),
            ("A", "2024-03-01", 1),
            ("A", "2024-04-01", 1),
            ("B", "2024-01-01", 2),
            ("B", "2024-01-02", 2),
        ]
    )
    s = loyalty.loyalty_status(t)
    assert s.loc["A", "visits"] == 4 and s.loc["A", "repeat_purchases"] == 3 and bool(s.loc["A", "loyal"])
    assert s.loc["B", "status"] == en("loy_repeat") and not s.loc["B", "loyal"]
    assert list(s["status"].cat.categories) == [en(k) for k in loyalty.LOYALTY_KEYS]
    assert s["status"].cat.ordered
    assert loyalty.loyalty_status(t, min_repeats=1, lang="zh").loc["B", "status"] == zh("loy_loyal")


def test_loyalty_status_does_not_mutate(tx):
    before = tx.copy()
    loyalty.loyalty_status(tx)
    pd.testing.assert_frame_equal(tx, before)


def test_loyalty_status_bad_input():
    t = _log([("A", "2024-01-01", 5), (None, "2024-01-02", 1), ("B", "not a date", 1)])
    expect_error(lambda: loyalty.loyalty_status(t, min_repeats=0), "loyalty_status", "min_repeats")
    expect_error(lambda: loyalty.loyalty_status(t), "loyalty_status", "customer_id", rows=[1])
    t2 = _log([("A", "2024-01-01", 5), ("B", "not a date", 1)])
    expect_error(lambda: loyalty.loyalty_status(t2), "loyalty_status", "date", rows=[1])
    expect_error(lambda: loyalty.loyalty_status(t2.iloc[:0]), "loyalty_status", "tx")
    expect_error(lambda: loyalty.loyalty_status(t2.drop(columns="date")), "loyalty_status", "date")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(0, 60)), min_size=1, max_size=40), st.integers(1, 5))
def test_loyalty_status_property(rows, k):
    t = pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta([r[1] for r in rows], unit="D"),
        }
    )
    s = loyalty.loyalty_status(t, min_repeats=k)
    assert (s["repeat_purchases"] == s["visits"] - 1).all()
    assert (s["loyal"] == (s["repeat_purchases"] >= k)).all()
    assert int(s["visits"].sum()) == len(t.drop_duplicates())


# ----------------------------------------------------------------------------- value × loyalty
def test_value_loyalty_matrix_quadrants_and_actions():
    m = loyalty.value_loyalty_matrix(
        pd.Series([900, 800, 50, 40], index=list("abcd")), [6, 0, 5, 1], value_cut=500, loyalty_cut=3
    )
    assert m.index.tolist() == list("abcd")
    assert m["relationship"].tolist() == [en(k) for k in loyalty.RELATION_KEYS]
    assert m.loc["b", "action"] == loyalty.RELATION_ACTION["loy_retain"][0]
    z = loyalty.value_loyalty_matrix([900, 800, 50, 40], [True, False, True, False], value_cut=500, lang="zh")
    assert z["relationship"].tolist() == [zh(k) for k in loyalty.RELATION_KEYS]
    assert z.attrs["loyalty_cut"] == 0.5


def test_value_loyalty_matrix_default_cuts_are_medians():
    m = loyalty.value_loyalty_matrix([1, 2, 3, 4], [4, 3, 2, 1])
    assert m.attrs == {"value_cut": 2.5, "loyalty_cut": 2.5}
    assert m["relationship"].tolist() == [en("loy_develop"), en("loy_develop"), en("loy_retain"), en("loy_retain")]


def test_value_loyalty_matrix_bad_input():
    expect_error(lambda: loyalty.value_loyalty_matrix([1, 2], [1]), "value_loyalty_matrix", "value, loyalty")
    expect_error(lambda: loyalty.value_loyalty_matrix([1, 2], [1, -3]), "value_loyalty_matrix", "loyalty", rows=[1])
    expect_error(lambda: loyalty.value_loyalty_matrix([1, "x"], [1, 2]), "value_loyalty_matrix", "value", rows=[1])
    expect_error(lambda: loyalty.value_loyalty_matrix([1, 2], 3), "value_loyalty_matrix", "loyalty")


def test_relationship_actions_table():
    t = loyalty.relationship_actions(lang="zh")
    assert t.index.tolist() == [zh(k) for k in loyalty.RELATION_KEYS]
    assert t["对策"].iloc[0] == loyalty.RELATION_ACTION["loy_partner"][1]  # a Chinese table has Chinese headings
    assert t.loc[zh("loy_retain"), ["价值", "忠诚度"]].tolist() == ["高", "低"]  # high value, low loyalty
    en = loyalty.relationship_actions(lang="en")
    assert en["action"].iloc[0] == loyalty.RELATION_ACTION["loy_partner"][0]
    assert en.loc["retain (vendor relationship)", ["value", "loyalty"]].tolist() == ["high", "low"]


# ----------------------------------------------------------------------------- retention economics
def test_retention_rules_of_thumb():
    assert loyalty.retention_saving(1000, 0.02) == 100.0
    assert loyalty.retention_saving(1000, 0.5) == 1000.0  # capped at the whole cost
    assert loyalty.unhappy_reach(4) == 100.0 and loyalty.unhappy_reach(4, reach=10) == 40.0
    e = loyalty.retention_economics(
        500, 0.9, sales_cost=20_000, retention_cost=10, customer_value=100, retention_gain=0.04, multiple=6
    )
    assert e["lost"] == pytest.approx(50) and e["kept_extra"] == pytest.approx(20)
    assert e["sales_cost_saved"] == pytest.approx(4000)
    assert e["cost_replace"] == pytest.approx(6 * e["cost_keep"]) == pytest.approx(1200)
    assert e["value_kept"] == pytest.approx(2000) and e["people_reached"] == pytest.approx(1250)
    a = acquisition_economics(budget=1000, retention_cost=10, multiple=6)
    assert a.at["acquire", "cost_per_customer"] == 60.0  # the same 6x rule, reused


def test_retention_economics_bad_input():
    expect_error(lambda: loyalty.retention_economics(0, 0.5, 1, 1, 1), "retention_economics", "customers")
    expect_error(lambda: loyalty.retention_economics(10, 1.5, 1, 1, 1), "retention_economics", "retention_rate")
    expect_error(
        lambda: loyalty.retention_economics(10, 0.99, 1, 1, 1, retention_gain=0.05),
        "retention_economics",
        "retention_gain",
    )
    expect_error(lambda: loyalty.retention_saving(-1), "retention_saving", "sales_cost")
    expect_error(lambda: loyalty.unhappy_reach(2, reach=-1), "unhappy_reach", "reach")


# ----------------------------------------------------------------------------- cohorts and churn
def test_cohort_retention_triangle_by_hand():
    t = _log(
        [
            ("A", "2024-01-03", 1),
            ("A", "2024-02-10", 1),
            ("A", "2024-02-11", 1),
            ("B", "2024-01-20", 1),
            ("C", "2024-02-02", 1),
            ("C", "2024-03-01", 1),
            ("D", "2024-03-05", 1),
        ]
    )
    tri = loyalty.cohort_retention(t)
    assert tri.index.astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    assert tri.loc[pd.Period("2024-01", "M")].tolist() == [1.0, 0.5, 0.0]
    assert tri.loc[pd.Period("2024-02", "M"), 1] == 1.0 and np.isnan(tri.loc[pd.Period("2024-02", "M"), 2])
    assert tri.attrs["sizes"].tolist() == [2, 1, 1]
    counts = loyalty.cohort_retention(t, counts=True)
    assert counts.iloc[0].tolist() == [2.0, 1.0, 0.0]
    q = loyalty.cohort_retention(t, period="Q")
    assert q.shape == (1, 1) and q.iloc[0, 0] == 1.0
    curve = loyalty.retention_curve(tri)
    assert curve.tolist()[:2] == [1.0, pytest.approx(2 / 3)]


def test_cohort_retention_on_generated_data(tx):
    tri = loyalty.cohort_retention(tx)
    assert (tri[0] == 1.0).all()
    vals = tri.to_numpy()
    assert np.nanmin(vals) >= 0 and np.nanmax(vals) <= 1
    assert int(tri.attrs["sizes"].sum()) == tx["customer_id"].nunique()
    assert np.isnan(vals[-1, 1:]).all()  # the newest cohort is seen for one period only


def test_cohort_retention_bad_input():
    empty = _log([])
    expect_error(lambda: loyalty.cohort_retention(empty), "cohort_retention", "tx", contains=("empty",))
    t = _log([("A", "2024-01-01", 1)])
    expect_error(lambda: loyalty.cohort_retention(t, period="D"), "cohort_retention", "period")
    t2 = _log([("A", "2024-01-01", 1), ("", "2024-01-02", 1)])
    expect_error(lambda: loyalty.cohort_retention(t2), "cohort_retention", "customer_id", rows=[1])


def test_churn_watch_by_hand_and_bad_input():
    t = _log(
        [
            ("A", "2024-01-01", 1),
            ("A", "2024-01-11", 1),
            ("A", "2024-01-21", 1),
            ("B", "2024-01-01", 1),
            ("B", "2024-01-31", 1),
            ("C", "2024-02-20", 1),
        ]
    )
    w = loyalty.churn_watch(t, as_of="2024-03-01")
    assert w.loc["A", "status"] == en("loy_lapsed") and w.loc["B", "status"] == en("loy_active")
    assert w.loc["C", "cycle_days"] == 20.0  # median cycle of the repeat buyers (10 and 30)
    assert w.loc["C", "days_since"] == 10
    expect_error(lambda: loyalty.churn_watch(t, as_of="2024-01-15"), "churn_watch", "date", rows=[2, 4, 5])
    expect_error(lambda: loyalty.churn_watch(t, at_risk=3, lapsed=2), "churn_watch", "lapsed")


def test_reference_tables():
    assert len(loyalty.churn_causes()) >= 8 and set(loyalty.churn_causes()["source"]) == {
        "company",
        "market",
        "customer",
    }
    assert len(loyalty.winback_steps()) == 5


# ----------------------------------------------------------------------------- key accounts
def test_key_accounts_priority_and_80_20(tx):
    rev = tx.groupby("customer_id")["amount"].sum()
    ka = loyalty.key_accounts(rev, rev * 0.5, top=0.2)
    assert ka.attrs["top_value_share"] == top_share(rev, 0.2)
    assert int(ka["key_account"].sum()) == int(np.ceil(0.2 * len(rev)))
    assert ka["priority"].min() == 1 and ka["priority"].is_unique
    # with potential proportional to value, priority follows value
    assert ka.loc[ka["priority"] == 1].index[0] == rev.idxmax()
    only_value = loyalty.key_accounts([3, 1, 2], [0, 9, 5], value_weight=1.0)
    assert only_value["priority"].tolist() == [1, 3, 2]


def test_allocate_resources_sums_to_budget():
    ka = loyalty.key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)
    b = loyalty.allocate_resources(ka, budget=1000, key_share=0.7)
    assert b.sum() == pytest.approx(1000)
    assert b[ka["key_account"]].sum() == pytest.approx(700)
    all_key = loyalty.key_accounts([1, 2], [1, 2], top=1.0)
    assert loyalty.allocate_resources(all_key, 100).sum() == pytest.approx(100)


def test_key_accounts_bad_input():
    expect_error(lambda: loyalty.key_accounts([1, -2], [1, 1]), "key_accounts", "value", rows=[1])
    expect_error(lambda: loyalty.key_accounts([0, 0], [1, 1]), "key_accounts", "value")
    expect_error(lambda: loyalty.key_accounts([1, 2], [1, 1], top=0), "key_accounts", "top")
    expect_error(
        lambda: loyalty.allocate_resources(pd.DataFrame({"score": [1.0]}), 10), "allocate_resources", "key_account"
    )


# ----------------------------------------------------------------------------- CLV report
def test_clv_report_units_and_horizon(tx):
    rep = loyalty.clv_report(tx, horizon_months=12, annual_discount=0.0)
    assert rep["T"].min() > 0  # observation ends the day after the log
    longer = loyalty.clv_report(tx, horizon_months=24, annual_discount=0.0, models=rep.attrs["models"])
    assert (longer["clv"] >= rep["clv"] - 1e-9).all()
    discounted = loyalty.clv_report(tx, horizon_months=24, annual_discount=0.2, models=rep.attrs["models"])
    assert (discounted["clv"] <= longer["clv"] + 1e-9).all()
    assert rep.attrs["horizon_weeks"] == pytest.approx(52.0)
    assert discounted.attrs["monthly_discount"] == pytest.approx(1.2 ** (1 / 12) - 1)
    expect_error(lambda: loyalty.clv_report(tx, horizon_months=0), "clv_report", "horizon_months")
    expect_error(lambda: loyalty.clv_report(tx, annual_discount=1.0), "clv_report", "annual_discount")


# ----------------------------------------------------------------------------- plots, widgets, exercises
def test_plots(tx):
    st_ = loyalty.loyalty_status(tx)
    rev = tx.groupby("customer_id")["amount"].sum()
    m = loyalty.value_loyalty_matrix(rev, st_["repeat_purchases"], loyalty_cut=3)
    ax = plots.value_loyalty_plot(m)
    assert ax.get_title() == en("loy_value_loyalty")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [en(k) for k in loyalty.RELATION_KEYS]
    _, ax = matplotlib.pyplot.subplots()  # plots draw on the current Axes: a fresh one, not the log-scaled matrix
    ax = plots.cohort_heatmap(loyalty.cohort_retention(tx), max_periods=6, ax=ax)
    assert len(ax.get_xticklabels()) == 7
    expect_error(
        lambda: plots.cohort_heatmap(loyalty.cohort_retention(tx), max_periods=0), "cohort_heatmap", "max_periods"
    )
    expect_error(
        lambda: plots.value_loyalty_plot(pd.DataFrame({"value": [1], "loyalty": [2]})),
        "value_loyalty_plot",
        "relationship",
    )


def test_value_loyalty_explorer_headless(tx):
    vx = widgets.value_loyalty_explorer(tx, draw=True)
    n_partners = int((vx.result["relationship"] == en("loy_partner")).sum())
    vx.min_repeats.value = 8
    assert int((vx.result["relationship"] == en("loy_partner")).sum()) < n_partners
    assert "strategic partner" in vx.text.value
    assert vx.output.outputs and "image/png" in vx.output.outputs[0]["data"]


def test_clv_explorer_headless(tx):
    cx = widgets.clv_explorer(tx, draw=False, lang="zh")
    first = cx.row["clv"]
    cx.discount.value = 0.3
    assert cx.row["clv"] < first
    cx.customer.value = cx.customer.options[-1]
    assert cx.customer.value in cx.text.value and "CLV" in cx.text.value


def test_exercises_against_direct_computation(tx):
    st_ = loyalty.loyalty_status(tx, min_repeats=2)
    assert exercises.check("ch5.loyal_share", float(st_["loyal"].mean()), tx=tx, min_repeats=2, strict=True)
    assert exercises.check(
        "ch5.cohort_retention", float(loyalty.cohort_retention(tx, "Q").iloc[0, 3]), tx=tx, period="Q", k=3, strict=True
    )
    assert not exercises.check("ch5.partners", -1, tx=tx, min_repeats=3, strict=False)
    rep = loyalty.clv_report(tx, horizon_months=6, annual_discount=0.1)
    assert exercises.check(
        "ch5.clv_top_share",
        top_share(rep["clv"], 0.1),
        tx=tx,
        horizon_months=6,
        annual_discount=0.1,
        fraction=0.1,
        strict=True,
    )


def test_retention_explorer_headless():
    rx = widgets.retention_explorer(1000, 0.9, sales_cost=50_000, retention_cost=20, customer_value=100, draw=True)
    assert rx.gain.max == pytest.approx(0.1)  # cannot keep more than all customers
    rx.multiple.value = 3.0
    assert rx.result["cost_replace"] == pytest.approx(3 * rx.result["cost_keep"])
    rx.reach.value = 10
    assert rx.result["people_reached"] == pytest.approx(1000.0)
    assert "1,000" in rx.text.value and rx.output.outputs
    expect_error(lambda: plots.retention_economics_plot(pd.Series({"lost": 1.0})), "retention_economics_plot", "econ")


# ============================================================================ summary tables (the notebook's tables)
def _two_years():
    # A buys in 2023 and 2024, B only in 2023, C only in 2024, D twice in 2023 and once in 2024
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "C", "D", "D", "D"],
            "date": pd.to_datetime(
                ["2023-03-01", "2024-02-01", "2023-05-01", "2024-07-01", "2023-01-10", "2023-12-31", "2024-01-01"]
            ),
            "amount": [100.0, 50.0, 30.0, 80.0, 10.0, 20.0, 40.0],
            "margin": [20.0, -10.0, 6.0, 16.0, 2.0, 3.0, 8.0],
        }
    )


def test_year_over_year_by_hand():
    out = loyalty.year_over_year(_two_years())
    assert out.index.tolist() == [2023, 2024] and out.index.name == "year"
    # 2023: A, B, D = 3 customers, revenue 100 + 30 + 10 + 20 = 160; margins A 20, B 6, D 5 → mean 31 / 3
    # 2024: A, C, D = 3; of 2023's three, A and D came back: 2 / 3; revenue 50 + 80 + 40 = 170;
    #       margins A -10 → 0, C 16, D 8 → mean 24 / 3 = 8
    assert out["customers"].tolist() == [3, 3] and out["revenue"].tolist() == [160.0, 170.0]
    assert out["retained"].isna().tolist() == [True, False] and out.loc[2024, "retained"] == 2
    assert np.isnan(out.loc[2023, "retention_rate"]) and out.loc[2024, "retention_rate"] == 2 / 3
    assert np.allclose(out["margin_per_customer"], [31 / 3, 8.0])
    no_margin = loyalty.year_over_year(_two_years().drop(columns="margin"), margin_col=None)
    assert "margin_per_customer" not in no_margin.columns


def test_year_over_year_after_a_gap_year_has_no_retention():
    tx = _two_years()
    tx.loc[tx["date"].dt.year == 2024, "date"] += pd.DateOffset(years=2)  # 2023, then 2026
    out = loyalty.year_over_year(tx)
    assert out.index.tolist() == [2023, 2026] and out["retained"].isna().all()
    assert out["retention_rate"].isna().all()


def test_year_over_year_matches_the_sets_of_the_notebook():
    tx = make_transactions(n_customers=300, seed=8)
    year = tx["date"].dt.year
    y1, y2 = tx[year == year.min()], tx[year == year.max()]
    first, second = set(y1["customer_id"]), set(y2["customer_id"])
    out = loyalty.year_over_year(tx)
    assert out["customers"].iloc[0] == len(first) and out["retention_rate"].iloc[-1] == len(first & second) / len(first)
    assert out["revenue"].iloc[-1] == y2["amount"].sum()
    assert out["margin_per_customer"].iloc[-1] == y2.groupby("customer_id")["margin"].sum().clip(lower=0).mean()


def test_year_over_year_bad_input():
    expect_error(lambda: loyalty.year_over_year(_two_years().drop(columns="margin")), "year_over_year", "margin")
    expect_error(lambda: loyalty.year_over_year(_two_years().assign(amount=["1,5"] * 7)), "year_over_year", "amount")


def test_value_loyalty_summary_by_hand():
    m = loyalty.value_loyalty_matrix([900, 800, 50, 40, 700], [6, 0, 5, 1, 4], value_cut=500, loyalty_cut=3)
    out = loyalty.value_loyalty_summary(m)
    # partner: 900 and 700 (loyalty 6, 4 ≥ 3); retain: 800; develop: 50; build: 40
    assert out.index.tolist() == [en(k) for k in loyalty.RELATION_KEYS]
    assert out["customers"].tolist() == [2, 1, 1, 1] and out["revenue"].tolist() == [1600.0, 800.0, 50.0, 40.0]
    zh_out = loyalty.value_loyalty_summary(loyalty.value_loyalty_matrix([900, 40], [6, 1], lang="zh"))
    assert zh_out.index.tolist() == [zh(k) for k in loyalty.RELATION_KEYS] and zh_out["customers"].tolist() == [
        1,
        0,
        0,
        1,
    ]


def test_clv_by_relationship_by_hand():
    rep = pd.DataFrame({"prob_alive": [0.9, 0.7, 0.2, 0.4], "clv": [500.0, 300.0, 10.0, 30.0]}, index=list("dcba"))
    vlm = loyalty.value_loyalty_matrix(
        pd.Series([900, 800, 50, 40], index=list("abcd")), [6, 0, 5, 1], value_cut=500, loyalty_cut=3
    )
    out = loyalty.clv_by_relationship(rep, vlm)
    # a partner (report row 4: 0.4, 30), b retain (0.2, 10), c develop (0.7, 300), d build (0.9, 500)
    assert out["prob_alive"].tolist() == [0.4, 0.2, 0.7, 0.9] and out["clv"].tolist() == [30.0, 10.0, 300.0, 500.0]
    expect_error(
        lambda: loyalty.clv_by_relationship(rep.rename(index={"d": "z"}), vlm),
        "clv_by_relationship",
        "report",
        rows=["z"],
    )


def test_loyalty_by_hand():
    tx = pd.DataFrame(
        {
            "customer_id": ["A"] * 4 + ["B"] * 3 + ["C", "D", "D"],
            "date": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
            + ["2024-01-05", "2024-02-05", "2024-03-05"]
            + ["2024-01-09", "2024-01-10", "2024-01-10"],
        }
    )
    status = loyalty.loyalty_status(tx, min_repeats=2)  # repeats: A 3, B 2, C 0, D 0 (one day) → A, B loyal
    kind = pd.Series({"D": "taxi", "C": "taxi", "B": "taxi", "A": "truck", "E": "truck"}, name="kind")
    out = loyalty.loyalty_by(status, kind)  # matched by label; E bought nothing and is not counted
    assert out.index.name == "kind" and out.index.tolist() == ["taxi", "truck"]
    # taxi: B, C, D, of whom B is loyal → 1 of 3; truck: A, loyal → 1 of 1
    assert out["customers"].tolist() == [3, 1] and out["loyal"].tolist() == [1, 1]
    assert out["loyal_share"].tolist() == pytest.approx([1 / 3, 1.0])
    by_list = loyalty.loyalty_by(status, ["truck", "taxi", "taxi", "taxi"])  # in the order of status
    assert by_list.index.name == "group" and by_list["loyal"].tolist() == [1, 1]
    expect_error(lambda: loyalty.loyalty_by(status, kind.drop("C")), "loyalty_by", "groups", rows=["C"])
    expect_error(lambda: loyalty.loyalty_by(status.drop(columns="loyal"), kind), "loyalty_by", "loyal")


def test_key_account_summary_by_hand():
    ka = loyalty.key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)
    budget = loyalty.allocate_resources(ka, budget=1000, key_share=0.6)
    out = loyalty.key_account_summary(ka, budget)
    # key accounts (priority 1, 2): 500 and 100 → 600 with 60 % of the budget; the others 900 + 50 + 10
    assert out.index.tolist() == [False, True] and out.index.name == "key_account"
    assert out.columns.tolist() == ["accounts", "value", "potential", "budget", "budget_per_account"]
    assert out["accounts"].tolist() == [3, 2] and out["accounts"].dtype == "int64"
    assert out["value"].tolist() == [960.0, 600.0] and np.allclose(out["budget"], [400.0, 600.0])
    # potential: the others 0 + 10 + 5 = 15, the key accounts 400 + 800 = 1200
    assert out["potential"].tolist() == [15.0, 1200.0]
    # budget per account: 400 / 3 and 600 / 2
    assert np.allclose(out["budget_per_account"], [400 / 3, 300.0])
    expect_error(lambda: loyalty.key_account_summary(ka, budget.iloc[:3]), "key_account_summary", "value, budget")


def test_key_account_summary_without_potential_and_with_the_tables_own_budget():
    plan = pd.DataFrame(
        {"value": [10.0, 20.0, 30.0], "key_account": [True, False, True], "budget": [70.0, 10.0, 50.0]},
        index=["a", "b", "c"],
    )
    out = loyalty.key_account_summary(plan)  # the budget column: key a + c = 120 over 2, other b = 10
    assert out.columns.tolist() == ["accounts", "value", "budget", "budget_per_account"]
    assert out["value"].tolist() == [20.0, 40.0] and out["budget"].tolist() == [10.0, 120.0]
    assert out["budget_per_account"].tolist() == [10.0, 60.0]
    # a budget given wins over the column: 1 each → 1 per account
    assert loyalty.key_account_summary(plan, [1.0, 1.0, 1.0])["budget_per_account"].tolist() == [1.0, 1.0]
    expect_error(lambda: loyalty.key_account_summary(plan.drop(columns="budget")), "key_account_summary", "budget")
    expect_error(
        lambda: loyalty.key_account_summary(plan.assign(potential=[1.0, "n/a", 2.0])),
        "key_account_summary",
        "potential",
        rows=["b"],
    )


def test_loyalty_summaries_match_the_plain_pandas_of_the_notebook(tx):
    from crmlib import segmentation

    status = loyalty.loyalty_status(tx)
    inputs = loyalty.value_loyalty_inputs(tx)  # chapter 5 and its value × loyalty explorer
    revenue = inputs["revenue"]
    pd.testing.assert_series_equal(
        revenue, tx.groupby("customer_id")["amount"].sum().reindex(status.index), check_names=False
    )
    # the revenue chapter 5 took before (chapter 1's monetary value): the same numbers
    pd.testing.assert_series_equal(revenue, segmentation.rfm_table(tx)["monetary"], check_names=False)
    pd.testing.assert_series_equal(inputs["repeat_purchases"], status["repeat_purchases"])
    vlm = loyalty.value_loyalty_matrix(revenue, inputs["repeat_purchases"], loyalty_cut=3)
    pd.testing.assert_frame_equal(
        loyalty.value_loyalty_summary(vlm),
        vlm.groupby("relationship", observed=False).agg(customers=("value", "size"), revenue=("value", "sum")),
    )
    ka = loyalty.key_accounts(revenue, revenue * 0.5 + 1.0, top=0.2)
    budget = loyalty.allocate_resources(ka, budget=100_000)
    plain = ka.assign(budget=budget).groupby("key_account")[["value", "potential", "budget"]].sum()
    plain.insert(0, "accounts", ka.groupby("key_account").size())
    pd.testing.assert_frame_equal(
        loyalty.key_account_summary(ka, budget),
        plain.assign(budget_per_account=lambda d: d["budget"] / d["accounts"]),
    )
