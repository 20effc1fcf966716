"""Credit management and receivables (crmlib.receivables), its plots, widget and data:
hand-computed cases, properties, bad input.

Every expected number below is worked out by hand in the comments next to it.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

matplotlib.use("Agg")

from _support import expect_error
from crmlib import (
    exercises,
    i18n,
    plots,
    receivables as R,
    widgets,
)
from crmlib.datasets import load_dataset, make_accounts, make_invoices

FAST = settings(max_examples=50, deadline=None)
AS_OF = "2024-06-30"


def book() -> pd.DataFrame:
    """Six invoices; on 2024-06-30 the open ones are 0, 1, 3, 5 (2 was paid, 4 is issued later)."""
    return pd.DataFrame(
        {
            "account_id": ["a", "a", "b", "b", "c", "c"],
            "issue_date": ["2024-01-01", "2024-05-01", "2024-05-20", "2024-06-01", "2024-07-05", "2024-04-01"],
            "due_date": ["2024-01-31", "2024-05-31", "2024-06-19", "2024-07-01", "2024-08-04", "2024-04-30"],
            "paid_date": [None, None, "2024-06-25", "2024-07-10", None, None],
            "amount": [100.0, 50.0, 70.0, 30.0, 999.0, 20.0],
        }
    )


# days past due on 06-30: invoice 0: 151 (over 90), 1: 30 (1–30), 3: -1 (not yet due), 5: 61 (61–90)


def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["a", "b", "c"],
            "on_time_share": [0.9, 0.5, 1.0],
            "current_ratio": [1.7, 0.2, 3.0],
            "debt_ratio": [0.4, 0.9, 0.0],
            "collateral": [500.0, 0.0, 1e6],
            "industry_outlook": [4, 1, 5],
            "revenue": [13200.0, 1200.0, 2400.0],
            "discounts": [1200.0, 0.0, 0.0],
        }
    )


# ============================================================================ 5C credit
def test_credit_score_5c_hand_computed():
    c = R.credit_score_5c(accounts())
    # a: character 90, capacity (1.7-0.5)/1.5 = 80, capital 60, collateral 500 / (2 × 1000) = 25,
    # conditions (4-1)/4 = 75 -> 0.3×90 + 0.25×80 + 0.2×60 + 0.1×25 + 0.15×75 = 72.75 -> B
    assert c.loc["a", list(R.FIVE_C)].tolist() == pytest.approx([90, 80, 60, 25, 75])
    assert c.loc["a", "score"] == pytest.approx(72.75) and str(c.loc["a", "rating"]) == "B"
    # b: 50, 0, 10, 0, 0 -> 15 + 0 + 2 + 0 + 0 = 17 -> D, no credit
    assert c.loc["b", "score"] == pytest.approx(17.0) and str(c.loc["b", "rating"]) == "D"
    assert c.loc["b", "credit_limit"] == 0.0 and c.loc["b", "terms_days"] == 0
    # c: all 100 -> A; limit 3 months × 2400/12 = 600
    assert c.loc["c", "score"] == pytest.approx(100.0) and c.loc["c", "credit_limit"] == pytest.approx(600.0)
    # B: 2 months of 1000
    assert c.loc["a", "credit_limit"] == pytest.approx(2000.0)


def test_credit_score_weights_and_language():
    c = R.credit_score_5c(accounts(), weights={"character": 1})  # character only
    assert c["score"].tolist() == pytest.approx([90.0, 50.0, 100.0])
    assert str(R.credit_score_5c(accounts(), lang="zh").loc["c", "rating"]).startswith("A")
    expect_error(
        lambda: R.credit_score_5c(accounts(), weights={"cash": 1}), "credit_score_5c", "weights", rows=["cash"]
    )
    expect_error(
        lambda: R.credit_score_5c(accounts(), weights={"capital": -1, "character": 1}),
        "credit_score_5c",
        "weights",
        rows=["capital"],
    )


def test_credit_score_bad_input():
    bad = accounts()
    bad.loc[1, "on_time_share"] = 1.5
    expect_error(lambda: R.credit_score_5c(bad), "credit_score_5c", "on_time_share", rows=["b"])
    bad = accounts()
    bad.loc[2, "industry_outlook"] = 7
    expect_error(lambda: R.credit_score_5c(bad), "credit_score_5c", "industry_outlook", rows=["c"])
    expect_error(lambda: R.credit_score_5c(accounts(), months=(1, 2, 0, 0)), "credit_score_5c", "months")


def test_credit_rating_and_limit():
    assert R.credit_rating([75, 74.99, 60, 45, 44.9]).tolist() == ["A", "B", "B", "C", "D"]
    assert R.credit_limit(["b", "A"], [100.0, 100.0], months=(4, 2, 1, 0)).tolist() == [200.0, 400.0]
    expect_error(lambda: R.credit_limit(["E"], [1.0]), "credit_limit", "rating", rows=[0])
    expect_error(lambda: R.credit_rating([101]), "credit_rating", "score", rows=[0])


def test_rating_summary_hand_computed():
    out = R.rating_summary(R.credit_score_5c(accounts()))
    # a: B with 72.75 points and a limit of 2000; b: D, 17 points, no credit; c: A, 100 points, limit 600
    assert out.index.tolist() == ["A", "B", "C", "D"] and out.index.name == "rating"
    assert out["accounts"].tolist() == [1, 1, 0, 1]
    assert out.loc[["A", "B", "D"], "mean_score"].tolist() == pytest.approx([100.0, 72.75, 17.0])
    assert np.isnan(out.loc["C", "mean_score"])  # nobody is rated C
    assert out["total_limit"].tolist() == pytest.approx([600.0, 2000.0, 0.0, 0.0])
    assert out["terms_days"].tolist() == [60, 45, 30, 0]
    # ratings as letters, two accounts rated B: (60 + 70) / 2 = 65 points, 300 + 500 = 800 of credit
    letters = pd.DataFrame({"rating": ["b", "B"], "score": [60.0, 70.0], "credit_limit": [300.0, 500.0]})
    assert R.rating_summary(letters).loc["B", ["accounts", "mean_score", "total_limit"]].tolist() == [2, 65.0, 800.0]
    zh = R.rating_summary(R.credit_score_5c(accounts(), lang="zh"), lang="zh")
    assert zh.index.tolist() == [i18n.label(k, "zh") for k in R.RATING_KEYS]
    assert zh["accounts"].tolist() == [1, 1, 0, 1]
    assert R.rating_summary(R.credit_score_5c(accounts(), lang="zh"), lang="en").index.tolist() == list("ABCD")
    expect_error(lambda: R.rating_summary(letters.assign(rating=["B", "E"])), "rating_summary", "rating", rows=[1])


def test_credit_exposure_hand_computed():
    credit = R.credit_score_5c(accounts())
    out = R.credit_exposure(credit, book(), AS_OF)
    # owed on 06-30: a 100 + 50 = 150; b only the 30 of 06-01 (the 70 was paid on 06-25); c the 20 of 04-01
    assert out.columns.tolist() == ["rating", "credit_limit", "owed", "over_limit"]
    assert out["owed"].tolist() == [150.0, 30.0, 20.0]
    # limits a 2000, b 0 (rated D), c 600: only b is over
    assert out["over_limit"].tolist() == [False, True, False]
    # an account with no invoice owes 0
    more = pd.concat([credit, credit.loc[["c"]].rename(index={"c": "d"})])
    assert R.credit_exposure(more, book(), AS_OF).loc["d", ["owed", "over_limit"]].tolist() == [0.0, False]
    expect_error(lambda: R.credit_exposure(credit, book(), "soon"), "credit_exposure", "as_of")
    expect_error(
        lambda: R.credit_exposure(credit.drop(columns="credit_limit"), book(), AS_OF), "credit_exposure", "credit_limit"
    )


@FAST
@given(st.floats(0, 1), st.floats(0.1, 5), st.floats(0, 1), st.floats(0, 1e5), st.integers(1, 5))
def test_credit_score_properties(on_time, current, debt, collateral, outlook):
    acc = pd.DataFrame(
        {
            "account_id": ["x"],
            "on_time_share": [on_time],
            "current_ratio": [current],
            "debt_ratio": [debt],
            "collateral": [collateral],
            "industry_outlook": [outlook],
            "revenue": [12000.0],
            "discounts": [0.0],
        }
    )
    c = R.credit_score_5c(acc).iloc[0]
    assert 0 <= c["score"] <= 100
    better = R.credit_score_5c(acc.assign(on_time_share=min(1.0, on_time + 0.1))).iloc[0]
    assert better["score"] >= c["score"] and better["credit_limit"] >= c["credit_limit"]


# ============================================================================ aging
def test_receivables_aging_hand_computed():
    rep = R.receivables_aging(book(), AS_OF)
    assert rep.labels == ("not yet due", "1–30 days", "31–60 days", "61–90 days", "over 90 days")
    assert rep.total["amount"].tolist() == [30.0, 50.0, 0.0, 20.0, 100.0]
    assert rep.total["count"].tolist() == [1, 1, 0, 1, 1]
    assert rep.total["share"].sum() == pytest.approx(1.0)
    by = rep.by_customer
    assert list(by.index) == ["a", "b", "c"]
    assert by.loc["a", ("amount", "total")] == 150.0 and by.loc["a", ("count", "over 90 days")] == 1
    assert by.loc["c", ("amount", "61–90 days")] == 20.0  # the 999 issued later is ignored
    assert rep.open["days_past_due"].tolist() == [151, 30, -1, 61]


def test_aging_edges_and_custom_buckets():
    rep = R.receivables_aging(book(), AS_OF, buckets=(30, 61))
    # 30 days past due is in 1–30; 61 in 31–61; 151 over 61
    assert rep.total["amount"].tolist() == [30.0, 50.0, 20.0, 100.0]
    assert R.receivables_aging(book(), AS_OF, lang="zh").labels[0] == "未到期"
    # no paid column: everything issued by as_of is open
    rep = R.receivables_aging(book().drop(columns="paid_date"), AS_OF, paid_col=None)
    assert rep.total["amount"].sum() == 270.0


@pytest.mark.parametrize(
    "buckets, text",
    [
        ((60, 30), "increasing"),
        ((30, 30), "increasing"),
        ((0, 30), "must lie"),
        ((30.5,), "whole"),
        ((), "non-empty"),
        ("30,60", "non-empty"),
    ],
)
def test_aging_rejects_bad_buckets(buckets, text):
    expect_error(
        lambda: R.receivables_aging(book(), AS_OF, buckets=buckets), "receivables_aging", "buckets", contains=(text,)
    )


def test_aging_rejects_bad_invoices():
    bad = book()
    bad.loc[[1, 3], "due_date"] = "2024-01-01"  # due before issue
    expect_error(lambda: R.receivables_aging(bad, AS_OF), "receivables_aging", "due_date", rows=[1, 3])
    bad = book()
    bad.loc[2, "paid_date"] = "2024-01-01"  # paid before issue
    expect_error(lambda: R.receivables_aging(bad, AS_OF), "receivables_aging", "paid_date", rows=[2])
    bad = book()
    bad.loc[0, "amount"] = -5.0
    expect_error(lambda: R.receivables_aging(bad, AS_OF), "receivables_aging", "amount", rows=[0])
    bad = book()
    bad.loc[5, "account_id"] = None  # an open invoice without a customer
    expect_error(lambda: R.receivables_aging(bad, AS_OF), "receivables_aging", "account_id", rows=[5])
    bad.loc[[0, 1], "account_id"] = "  "
    expect_error(lambda: R.receivables_aging(bad, AS_OF), "receivables_aging", "account_id", rows=[0, 1, 5])
    bad = book()
    bad.loc[5, "paid_date"] = "not a date"
    expect_error(lambda: R.receivables_aging(bad, AS_OF), "receivables_aging", "paid_date", rows=[5])
    expect_error(lambda: R.receivables_aging(book(), 20240630), "receivables_aging", "as_of")
    expect_error(lambda: R.receivables_aging(book().drop(columns="due_date"), AS_OF), "receivables_aging", "due_date")


@FAST
@given(st.integers(0, 400), st.lists(st.integers(1, 200), min_size=1, max_size=5, unique=True))
def test_aging_properties(day, edges):
    inv = make_invoices(make_accounts(n=15, seed=2), seed=2)
    as_of = pd.Timestamp("2024-01-01") + pd.Timedelta(days=day)
    rep = R.receivables_aging(inv, as_of, buckets=sorted(edges))
    # totals agree with a direct filter, per bucket sums agree with per-customer sums
    is_open = (inv["issue_date"] <= as_of) & (inv["paid_date"] > as_of)
    assert rep.total["amount"].sum() == pytest.approx(inv.loc[is_open, "amount"].sum())
    assert rep.total["count"].sum() == int(is_open.sum())
    np.testing.assert_allclose(
        rep.by_customer["amount"][list(rep.labels)].sum().to_numpy(), rep.total["amount"].to_numpy()
    )
    assert (rep.by_customer[("count", "total")] > 0).all()
    bal = R.open_balance(inv, as_of)
    assert bal.sum() == pytest.approx(rep.total["amount"].sum())


# ============================================================================ DSO, provision, collection
def test_dso_hand_computed():
    # open on 06-30: 100 + 50 + 30 + 20 = 200; issued in (04-01, 06-30]: 50 + 70 + 30 = 150 -> 200/150 × 90 = 120
    assert R.dso(book(), AS_OF, period_days=90) == pytest.approx(120.0)
    # 30-day window (05-31, 06-30]: only the 30 of 06-01 -> 200 / 30 × 30 = 200
    assert R.dso(book(), AS_OF, period_days=30) == pytest.approx(200.0)
    expect_error(lambda: R.dso(book(), "2023-01-01"), "dso", "issue_date", contains=("no sales",))
    expect_error(lambda: R.dso(book(), AS_OF, period_days=0), "dso", "period_days")


def test_dso_trend_hand_computed():
    trend = R.dso_trend(book(), ["2024-05-31", AS_OF], period_days=90)
    # 05-31: open 100 + 50 + 70 (paid only on 06-25) + 20 = 240; issued in (03-02, 05-31]: 50 + 70 + 20 = 140
    # -> 240 / 140 × 90; 06-30: 120 as above
    assert trend.tolist() == pytest.approx([240 / 140 * 90, 120.0])
    assert trend.index.tolist() == [pd.Timestamp("2024-05-31"), pd.Timestamp(AS_OF)] and trend.index.name == "as_of"
    assert trend.tolist() == [R.dso(book(), d, period_days=90) for d in ["2024-05-31", AS_OF]]
    ends = pd.date_range("2024-04-30", AS_OF, freq="ME")  # month ends, as chapter 2 draws them
    assert R.dso_trend(book(), ends).index.equals(pd.DatetimeIndex(ends, name="as_of"))
    expect_error(lambda: R.dso_trend(book(), ["2023-01-01"]), "dso_trend", "issue_date", contains=("no sales",))
    expect_error(lambda: R.dso_trend(book(), AS_OF), "dso_trend", "dates")
    expect_error(lambda: R.dso_trend(book(), []), "dso_trend", "dates")
    expect_error(lambda: R.dso_trend(book(), [AS_OF, "someday"]), "dso_trend", "dates", rows=[1])


def test_bad_debt_provision_hand_computed():
    prov = R.bad_debt_provision(R.receivables_aging(book(), AS_OF))
    # 30 × 1 % + 50 × 3 % + 0 + 20 × 25 % + 100 × 50 % = 0.3 + 1.5 + 5 + 50 = 56.8
    assert prov["provision"].sum() == pytest.approx(56.8)
    rep3 = R.receivables_aging(book(), AS_OF, buckets=(30, 90))
    assert R.bad_debt_provision(rep3, rates=[0, 0.1, 0.2, 1.0])["provision"].tolist() == pytest.approx(
        [0.0, 5.0, 4.0, 100.0]
    )
    expect_error(lambda: R.bad_debt_provision(rep3), "bad_debt_provision", "rates")
    expect_error(
        lambda: R.bad_debt_provision(rep3, rates=[0.1, 0.05, 0.2, 0.3]),
        "bad_debt_provision",
        "rates",
        rows=["1–30 days"],
        contains=("must not fall",),
    )
    expect_error(lambda: R.bad_debt_provision(rep3, rates=[0.1, 0.2]), "bad_debt_provision", "rates")
    expect_error(lambda: R.bad_debt_provision(book()), "bad_debt_provision", "aging")


def test_collection_actions_and_steps():
    act = R.collection_actions(R.receivables_aging(book(), AS_OF))
    assert act["oldest_bucket"].astype(str).tolist() == ["over 90 days", "not yet due", "61–90 days"]
    assert act["overdue"].tolist() == [150.0, 0.0, 20.0]
    assert act.loc["a", "action"].startswith("Final written demand")
    steps = R.collection_steps((30,))  # 3 buckets: first, middle, last step
    assert steps["action"].str[:8].tolist() == ["Courtesy", "Visit th", "Final wr"]
    assert R.collection_steps(lang="zh")["action"].iloc[0].startswith("到期前")
    expect_error(lambda: R.collection_actions("aging"), "collection_actions", "aging")


# ============================================================================ data, plots, widget, exercises
def test_invoices_dataset_equals_generator_and_is_consistent():
    inv = load_dataset("invoices")
    pd.testing.assert_frame_equal(inv, make_invoices(), check_exact=False, rtol=0, atol=1e-9)
    assert inv["invoice_id"].is_unique and inv["issue_date"].is_monotonic_increasing
    assert (inv["due_date"] >= inv["issue_date"]).all() and (inv["paid_date"] >= inv["issue_date"]).all()
    assert set(inv["account_id"]) <= set(load_dataset("accounts")["account_id"])
    expect_error(lambda: make_invoices(make_accounts(n=5).drop(columns="account_id")), "make_invoices", "account_id")


def test_receivables_plots_draw():
    rep = R.receivables_aging(book(), AS_OF)
    ax = plots.aging_plot(rep)
    assert [float(p.get_height()) for p in ax.patches] == [30.0, 50.0, 0.0, 20.0, 100.0]
    assert plots.credit_plot(R.credit_score_5c(make_accounts(n=40, seed=1))).get_xlabel() == "credit score"
    expect_error(lambda: plots.aging_plot(book()), "aging_plot", "aging")


def test_aging_explorer_headless():
    inv = make_invoices(make_accounts(n=30, seed=3), seed=3)
    e = widgets.aging_explorer(inv, as_of="2024-12-31", draw=False)
    pd.testing.assert_frame_equal(e.result.total, R.receivables_aging(inv, "2024-12-31").total)
    e.as_of.value = "2024-06-30"
    pd.testing.assert_frame_equal(e.result.total, R.receivables_aging(inv, "2024-06-30").total)
    assert f"{R.dso(inv, '2024-06-30'):.1f}" in e.text.value and "provision" in e.text.value
    e.scheme.value = "30 / 90"
    assert len(e.result.labels) == 4 and "provision" not in e.text.value
    drawn = widgets.aging_explorer(inv, lang="zh")
    assert drawn.result.labels[0] == "未到期" and drawn.output.outputs


def test_chapter2_receivables_exercises_are_data_driven():
    acc = make_accounts(n=60, seed=8)
    inv = make_invoices(acc, seed=8)
    amt = exercises.expected("ch2.oldest_bucket_amount", invoices=inv, as_of="2024-12-31", buckets=[30.0, 60.0, 90.0])
    assert amt == pytest.approx(R.receivables_aging(inv, "2024-12-31").total["amount"].iloc[-1])
    d = exercises.expected("ch2.dso", invoices=inv, as_of="2024-12-31", period_days=90)
    assert exercises.check("ch2.dso", d + 0.01, invoices=inv, as_of="2024-12-31", period_days=90, strict=False)
    n = exercises.expected("ch2.over_limit", accounts=acc, invoices=inv, as_of="2024-12-31", months=[3, 2, 1, 0])
    assert 0 <= n <= len(acc)
    # a tighter rule can only put more accounts over their limit
    assert (
        exercises.expected("ch2.over_limit", accounts=acc, invoices=inv, as_of="2024-12-31", months=[1, 0.5, 0, 0]) >= n
    )


def test_aging_explorer_defaults_and_bad_input():
    inv = make_invoices(make_accounts(n=20, seed=6), seed=6)
    e = widgets.aging_explorer(inv, draw=False)  # as_of: the last issue day
    assert e.result.as_of == inv["issue_date"].max()
    bad = inv.copy()
    bad.loc[3, "due_date"] = pd.Timestamp("2023-01-01")
    expect_error(lambda: widgets.aging_explorer(bad, draw=False), "aging_explorer", "due_date", rows=[3])
