"""Customer analysis and segmentation (crmlib.segmentation): hand-computed cases, properties, bad input.

Every expected number below is worked out by hand in the comments next to it, never copied from
a run of the code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _support import en, expect_error, zh
from crmlib import segmentation as seg

FAST = settings(max_examples=60, deadline=None)


# ============================================================================ fixtures
def small_tx() -> pd.DataFrame:
    """Five transactions of three customers (2024 is a leap year: February has 29 days)."""
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "A", "C", "B"],
            "date": ["2024-03-01", "2024-03-05", "2024-03-10", "2024-02-20", "2024-03-08"],
            "amount": [100.0, 40.0, 60.0, 25.0, 10.0],
        }
    )


def summary_tx() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "A", "C", "A", "D"],
            "date": ["2024-01-01", "2024-02-10", "2024-03-05", "2024-01-20", "2024-02-01", "2024-02-02"],
            "amount": [80.0, 50.0, 20.0, 90.0, 100.0, 0.0],
            "margin": [30.0, -2.0, 5.0, 20.0, 40.0, -1.0],
            "discount_pct": [0.2, 0.5, 0.0, 0.1, 0.5, 0.0],
        }
    )


# ============================================================================ customer_summary
def test_customer_summary_hand_computed():
    out = seg.customer_summary(summary_tx())
    assert list(out.index) == ["A", "B", "C", "D"] and out.index.name == "customer_id"
    assert list(out.columns) == [
        "n_transactions",
        "first_purchase",
        "last_purchase",
        "revenue",
        "margin",
        "discount_pct",
    ]
    # A: rows 0, 2, 4 -> 3 purchases, 01-01 .. 03-05, revenue 80+20+100 = 200, margin 30+5+40 = 75
    a = out.loc["A"]
    assert a["n_transactions"] == 3
    assert a["first_purchase"] == pd.Timestamp("2024-01-01")
    assert a["last_purchase"] == pd.Timestamp("2024-03-05")
    assert a["revenue"] == pytest.approx(200.0) and a["margin"] == pytest.approx(75.0)
    # list prices: 80/(1-0.2) = 100, 20/1 = 20, 100/(1-0.5) = 200 -> 320; discount 1 - 200/320 = 0.375
    assert a["discount_pct"] == pytest.approx(0.375)
    # B: 50 at half price -> list 100, discount 0.5; margin may be negative
    assert out.loc["B", "discount_pct"] == pytest.approx(0.5)
    assert out.loc["B", "margin"] == pytest.approx(-2.0)
    # C: 90 at 10% off -> list 100 -> discount 0.1
    assert out.loc["C", "discount_pct"] == pytest.approx(0.1)
    # D: bought for 0 -> list price 0 -> discount defined as 0, not NaN
    assert out.loc["D", "discount_pct"] == 0.0 and out.loc["D", "revenue"] == 0.0
    assert out["n_transactions"].sum() == 6


def test_customer_summary_custom_columns_and_no_mutation():
    tx = summary_tx().rename(
        columns={"customer_id": "cust", "amount": "value", "date": "when", "margin": "gm", "discount_pct": "off"}
    )
    before = tx.copy()
    out = seg.customer_summary(
        tx, customer_col="cust", date_col="when", amount_col="value", margin_col="gm", discount_col="off"
    )
    pd.testing.assert_frame_equal(tx, before)
    assert out.index.name == "cust"
    assert out.loc["A", "revenue"] == pytest.approx(200.0)


def test_customer_summary_bad_input():
    tx = summary_tx()
    expect_error(
        lambda: seg.customer_summary(tx.drop(columns="margin")),
        "customer_summary",
        "margin",
        contains=("missing column",),
    )
    expect_error(
        lambda: seg.customer_summary(tx.assign(customer_id=["A", None, "A", "C", "A", "D"])),
        "customer_summary",
        "customer_id",
        rows=[1],
    )
    expect_error(
        lambda: seg.customer_summary(tx.assign(amount=[80, 50, "n/a", 90, 100, 0])),
        "customer_summary",
        "amount",
        rows=[2],
        contains=("non-numeric",),
    )
    expect_error(
        lambda: seg.customer_summary(tx.assign(amount=[80, -50, 20, 90, 100, 0])),
        "customer_summary",
        "amount",
        rows=[1],
        contains=("negative",),
    )
    expect_error(
        lambda: seg.customer_summary(
            tx.assign(date=["2024-01-01", "2024-02-10", "soon", "2024-01-20", "2024-02-01", "2024-02-02"])
        ),
        "customer_summary",
        "date",
        rows=[2],
        contains=("'soon'",),
    )
    expect_error(lambda: seg.customer_summary(tx.iloc[:0]), "customer_summary", "tx", contains=("empty",))
    expect_error(
        lambda: seg.customer_summary(tx.assign(margin=[1, 2, "x", 4, 5, 6])), "customer_summary", "margin", rows=[2]
    )
    # a discount of 100 % or more has no list price
    expect_error(
        lambda: seg.customer_summary(tx.assign(discount_pct=[0.2, 1.0, 0, 0, 0, 0])),
        "customer_summary",
        "discount_pct",
        rows=[1],
    )
    expect_error(
        lambda: seg.customer_summary(tx.assign(discount_pct=[0.2, -0.1, 0, 0, 0, 0])),
        "customer_summary",
        "discount_pct",
        rows=[1],
        contains=("negative",),
    )


# ============================================================================ rfm_table
def test_rfm_table_default_as_of_is_day_after_last_date():
    out = seg.rfm_table(small_tx())
    assert list(out.columns) == ["recency_days", "frequency", "monetary"]
    assert list(out.index) == ["A", "B", "C"] and out.index.name == "customer_id"
    # last date in tx = 2024-03-10 -> as_of = 2024-03-11
    # A: last 03-10 -> 1 day; 2 purchases; 100 + 60 = 160
    # B: last 03-08 -> 3 days; 2 purchases; 40 + 10 = 50
    # C: last 02-20 -> 9 days to 02-29 + 11 days to 03-11 = 20; 1 purchase; 25
    assert out["recency_days"].tolist() == [1, 3, 20]
    assert out["frequency"].tolist() == [2, 2, 1]
    assert out["monetary"].tolist() == [160.0, 50.0, 25.0]
    assert out["recency_days"].dtype == "int64" and out["frequency"].dtype == "int64"


def test_rfm_table_explicit_as_of_and_custom_columns():
    tx = small_tx().rename(columns={"customer_id": "cust", "date": "when", "amount": "value"})
    out = seg.rfm_table(tx, customer_col="cust", date_col="when", amount_col="value", as_of="2024-03-31")
    # A: 03-10 -> 03-31 = 21; B: 03-08 -> 23; C: 02-20 -> 9 + 31 = 40
    assert out["recency_days"].tolist() == [21, 23, 40]
    assert out.index.name == "cust"
    # as_of on the day of the last purchase gives recency 0
    same_day = seg.rfm_table(small_tx(), as_of=pd.Timestamp("2024-03-10"))
    assert same_day.loc["A", "recency_days"] == 0


def test_rfm_table_does_not_mutate_and_accepts_datetime_column():
    tx = small_tx()
    tx["date"] = pd.to_datetime(tx["date"])
    before = tx.copy()
    out = seg.rfm_table(tx)
    pd.testing.assert_frame_equal(tx, before)
    assert out.loc["C", "recency_days"] == 20


def test_rfm_table_bad_input():
    tx = small_tx()
    f = "rfm_table"
    expect_error(lambda: seg.rfm_table(tx.drop(columns="amount")), f, "amount", contains=("missing column",))
    expect_error(
        lambda: seg.rfm_table(tx.rename(columns={"amount": "amout"})), f, "amount", contains=("did you mean 'amout'",)
    )
    expect_error(lambda: seg.rfm_table(tx.assign(customer_id=["A", "B", np.nan, "C", "B"])), f, "customer_id", rows=[2])
    expect_error(lambda: seg.rfm_table(tx.assign(customer_id=["A", " ", "A", "C", ""])), f, "customer_id", rows=[1, 4])
    expect_error(
        lambda: seg.rfm_table(tx.assign(amount=["100", "40", "sixty", "25", "¥10"])),
        f,
        "amount",
        rows=[2, 4],
        contains=("non-numeric",),
    )
    expect_error(
        lambda: seg.rfm_table(tx.assign(amount=[100, 40, 60, -25, 10])), f, "amount", rows=[3], contains=("negative",)
    )
    expect_error(lambda: seg.rfm_table(tx.assign(amount=[100, 40, np.nan, 25, 10])), f, "amount", rows=[2])
    expect_error(
        lambda: seg.rfm_table(tx.assign(date=["2024-03-01", "2024-13-45", "2024-03-10", "2024-02-20", "2024-03-08"])),
        f,
        "date",
        rows=[1],
    )
    expect_error(
        lambda: seg.rfm_table(tx.assign(date=[20240301, 20240305, 20240310, 20240220, 20240308])),
        f,
        "date",
        contains=("numbers",),
    )
    expect_error(lambda: seg.rfm_table(tx.iloc[:0]), f, "tx", contains=("empty",))
    expect_error(lambda: seg.rfm_table(tx.to_dict()), f, "tx", contains=("DataFrame",))
    expect_error(lambda: seg.rfm_table(tx, as_of="not a date"), f, "as_of")
    # as_of before a purchase: rows dated after 2024-03-07 are 2 (03-10) and 4 (03-08)
    expect_error(lambda: seg.rfm_table(tx, as_of="2024-03-07"), f, "date", rows=[2, 4])


def test_rfm_table_reports_row_labels_not_positions():
    tx = small_tx().set_axis(["t1", "t2", "t3", "t4", "t5"])
    expect_error(lambda: seg.rfm_table(tx.assign(amount=[100, 40, -60, 25, 10])), "rfm_table", "amount", rows=["t3"])


# ============================================================================ rfm_scores
def rfm4() -> pd.DataFrame:
    return pd.DataFrame(
        {"recency_days": [10, 10, 50, 5], "frequency": [1, 4, 2, 4], "monetary": [100.0, 400.0, 250.0, 50.0]},
        index=pd.Index(["a", "b", "c", "d"], name="customer_id"),
    )


def test_rfm_scores_hand_computed_with_ties():
    rfm = rfm4()
    before = rfm.copy()
    out = seg.rfm_scores(rfm, bins=4)
    pd.testing.assert_frame_equal(rfm, before)
    # R from -recency = [-10, -10, -50, -5]: average ranks 2.5, 2.5, 1, 4 -> pct .625 .625 .25 1
    #   x4 = 2.5 2.5 1 4 -> ceil 3 3 1 4
    assert out["R"].tolist() == [3, 3, 1, 4]
    # F from [1, 4, 2, 4]: ranks 1, 3.5, 2, 3.5 -> pct .25 .875 .5 .875 -> x4 = 1 3.5 2 3.5 -> 1 4 2 4
    assert out["F"].tolist() == [1, 4, 2, 4]
    # M from [100, 400, 250, 50]: ranks 2 4 3 1 -> x4/4 = 2 4 3 1
    assert out["M"].tolist() == [2, 4, 3, 1]
    assert out["rfm_code"].tolist() == ["312", "344", "123", "441"]
    assert out["rfm_score"].tolist() == [6, 11, 6, 9]
    # input columns are kept, and bins travels with the table
    assert out[["recency_days", "frequency", "monetary"]].equals(rfm)
    assert out.attrs["bins"] == 4


@pytest.mark.parametrize("bins", [2, 5, 10])
def test_rfm_code_is_the_three_scores_as_text(bins):
    """The looked-up codes are str(R) + str(F) + str(M), row by row, dtype and index included."""
    from crmlib.datasets import make_transactions

    out = seg.rfm_scores(seg.rfm_table(make_transactions(n_customers=400, seed=3)), bins=bins)
    written = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    pd.testing.assert_series_equal(out["rfm_code"], written.rename("rfm_code"))


def test_rfm_scores_two_bins():
    out = seg.rfm_scores(rfm4(), bins=2)
    # pct x2: R 1.25 1.25 .5 2 -> 2 2 1 2; F .5 1.75 1 1.75 -> 1 2 1 2; M 1 2 1.5 .5 -> 1 2 2 1
    assert out["R"].tolist() == [2, 2, 1, 2]
    assert out["F"].tolist() == [1, 2, 1, 2]
    assert out["M"].tolist() == [1, 2, 2, 1]


def test_rfm_scores_five_distinct_customers_get_one_to_five():
    rfm = pd.DataFrame(
        {
            "recency_days": [5, 40, 200, 10, 90],
            "frequency": [9, 3, 1, 5, 2],
            "monetary": [900.0, 150.0, 20.0, 400.0, 60.0],
        }
    )
    out = seg.rfm_scores(rfm)  # bins = 5; ranks 1..5 -> pct .2..1 -> scores 1..5
    assert out["R"].tolist() == [5, 3, 1, 4, 2]
    assert out["F"].tolist() == [5, 3, 1, 4, 2]
    assert out["M"].tolist() == [5, 3, 1, 4, 2]


def test_rfm_scores_bad_input():
    f = "rfm_scores"
    rfm = rfm4()
    expect_error(lambda: seg.rfm_scores(rfm.drop(columns="monetary")), f, "monetary", contains=("missing",))
    expect_error(lambda: seg.rfm_scores(rfm.iloc[:0]), f, "rfm", contains=("empty",))
    expect_error(lambda: seg.rfm_scores(rfm, bins=1), f, "bins")
    expect_error(lambda: seg.rfm_scores(rfm, bins=11), f, "bins")
    expect_error(lambda: seg.rfm_scores(rfm, bins=2.5), f, "bins")
    expect_error(lambda: seg.rfm_scores(rfm, bins="5"), f, "bins")
    expect_error(lambda: seg.rfm_scores(rfm.assign(frequency=[1, "many", 2, 4])), f, "frequency", rows=["b"])
    expect_error(lambda: seg.rfm_scores(rfm.assign(monetary=[1.0, -4.0, 2.0, 4.0])), f, "monetary", rows=["b"])
    expect_error(lambda: seg.rfm_scores(rfm.assign(recency_days=[1, np.nan, 2, 4])), f, "recency_days", rows=["b"])


# ============================================================================ rfm_segments
def test_rfm_segments_every_cell_of_the_grid():
    # bins = 5: level = ceil(3*s/5): s=1 -> 1, s=2,3 -> 2, s=4,5 -> 3; FM = (F+M)/2
    scores = pd.DataFrame(
        {
            "R": [5, 5, 5, 3, 3, 3, 1, 1, 1],
            "F": [5, 3, 1, 4, 2, 1, 5, 2, 1],
            "M": [5, 3, 2, 5, 3, 1, 4, 2, 1],
        },
        index=list("abcdefghi"),
    )
    # FM: 5 -> 3; 3 -> 1.8 -> 2; 1.5 -> 0.9 -> 1; 4.5 -> 2.7 -> 3; 2.5 -> 1.5 -> 2; 1 -> 1;
    #     4.5 -> 3; 2 -> 1.2 -> 2; 1 -> 1
    expected = [
        "champions",
        "potential_loyalist",
        "new_customers",
        "loyal",
        "need_attention",
        "about_to_sleep",
        "at_risk",
        "hibernating",
        "lost_segment",
    ]
    out = seg.rfm_segments(scores, bins=5)
    assert out["segment"].tolist() == [en(k) for k in expected]
    assert out["segment"].cat.ordered
    assert list(out["segment"].cat.categories) == [en(k) for k in seg.SEGMENT_KEYS]
    assert list(out.index) == list("abcdefghi")
    assert out[["R", "F", "M"]].equals(scores)


def test_rfm_segments_level_boundaries_and_bins_from_attrs():
    # bins = 5: R = 2 -> 1.2 -> level 2 (mid); F, M = 3, 4 -> FM 3.5 -> 2.1 -> level 3 (high) -> Loyal
    out = seg.rfm_segments(pd.DataFrame({"R": [2], "F": [3], "M": [4]}), bins=5)
    assert out["segment"].tolist() == [en("loyal")]
    # bins = 3: the level is the score; R=2, FM=(3+2)/2 = 2.5 -> ceil(2.5) = 3 -> Loyal;
    # R=3, F=M=1 -> New
    sc = seg.rfm_scores(rfm4(), bins=3)
    assert sc.attrs["bins"] == 3
    manual = pd.DataFrame({"R": [2, 3], "F": [3, 1], "M": [2, 1]})
    manual.attrs["bins"] = 3
    assert seg.rfm_segments(manual)["segment"].tolist() == [en("loyal"), en("new_customers")]
    # scores from rfm_scores(bins=3) are read with bins=3 (a 3 is top level, not mid as with bins=5)
    top = pd.DataFrame({"recency_days": [1, 2, 3], "frequency": [3, 2, 1], "monetary": [3.0, 2.0, 1.0]})
    s3 = seg.rfm_scores(top, bins=3)  # R = F = M = 3, 2, 1
    assert s3["R"].tolist() == [3, 2, 1]
    assert seg.rfm_segments(s3)["segment"].tolist() == [en("champions"), en("need_attention"), en("lost_segment")]


def test_rfm_segments_chinese_labels():
    out = seg.rfm_segments(pd.DataFrame({"R": [5, 1], "F": [5, 1], "M": [5, 1]}), bins=5, lang="zh")
    assert out["segment"].tolist() == [zh("champions"), zh("lost_segment")]


def test_rfm_segments_bad_input():
    f = "rfm_segments"
    ok = pd.DataFrame({"R": [5, 3], "F": [5, 3], "M": [5, 3]}, index=["x", "y"])
    expect_error(lambda: seg.rfm_segments(ok.drop(columns="F")), f, "F", contains=("missing",))
    expect_error(lambda: seg.rfm_segments(ok.iloc[:0]), f, "scores", contains=("empty",))
    expect_error(lambda: seg.rfm_segments(ok, bins=1), f, "bins")
    expect_error(lambda: seg.rfm_segments(ok.assign(R=[6, 3]), bins=5), f, "R", rows=["x"])
    expect_error(lambda: seg.rfm_segments(ok.assign(M=[5, 0]), bins=5), f, "M", rows=["y"])
    expect_error(lambda: seg.rfm_segments(ok.assign(F=[2.5, 3]), bins=5), f, "F", rows=["x"])
    expect_error(lambda: seg.rfm_segments(ok.assign(F=["high", 3]), bins=5), f, "F", rows=["x"])
    expect_error(lambda: seg.rfm_segments(ok, lang="fr"), f, "lang")


# ============================================================================ pareto / top share
def test_pareto_table_hand_computed():
    out = seg.pareto_table(pd.Series([20.0, 50.0, 20.0, 10.0], index=["a", "b", "c", "d"]))
    # sorted b 50, a 20, c 20 (stable for the tie), d 10; total 100
    assert list(out.index) == ["b", "a", "c", "d"]
    assert list(out.columns) == ["value", "share", "cum_share", "cum_customer_share"]
    assert out["share"].tolist() == pytest.approx([0.5, 0.2, 0.2, 0.1])
    assert out["cum_share"].tolist() == pytest.approx([0.5, 0.7, 0.9, 1.0])
    assert out["cum_customer_share"].tolist() == pytest.approx([0.25, 0.5, 0.75, 1.0])


def test_pareto_table_plain_list_gets_positions():
    out = seg.pareto_table([1, 3])
    assert list(out.index) == [1, 0]
    assert out["cum_share"].tolist() == pytest.approx([0.75, 1.0])


@pytest.mark.parametrize(
    "fraction, expected",
    [
        (0.2, 0.5),  # k = ceil(1.0) = 1: 50 / 100
        (0.01, 0.5),  # k = max(1, ceil(0.05)) = 1
        (0.4, 0.8),  # k = 2: (50 + 30) / 100
        (0.5, 0.9),  # k = ceil(2.5) = 3: 90 / 100
        (0.6, 0.9),  # k = 3 (0.6 * 5 = 3.0000000000000004 must not become 4)
        (0.8, 0.95),  # k = 4
        (1.0, 1.0),  # everyone
    ],
)
def test_top_share_hand_computed(fraction, expected):
    assert seg.top_share([50, 30, 10, 5, 5], fraction) == pytest.approx(expected)


def test_top_share_order_of_input_does_not_matter():
    # top 20% of 10 = 2 customers: 40 + 30 = 70 of 100
    assert seg.top_share([1, 40, 2, 3, 30, 4, 5, 6, 0, 9], 0.2) == pytest.approx(0.7)


# ============================================================================ Lorenz / Gini
def test_lorenz_curve_hand_computed():
    out = seg.lorenz_curve([3, 1, 0, 4])
    # sorted 0 1 3 4, total 8 -> cumulative 0, 0, 1/8, 4/8, 8/8
    assert list(out.columns) == ["customer_share", "value_share"]
    assert out["customer_share"].tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1.0])
    assert out["value_share"].tolist() == pytest.approx([0, 0, 0.125, 0.5, 1.0])


@pytest.mark.parametrize(
    "values, expected",
    [
        ([1, 1, 1, 1], 0.0),
        ([5, 5, 5, 5], 0.0),
        ([0, 0, 0, 1], 0.75),  # Σ|xi-xj| = 6 (ordered pairs), 2 n² mean = 2*16*0.25 = 8
        ([1, 3], 0.25),  # Σ = 4, 2*4*2 = 16
        ([1, 2, 3], 2 / 9),  # Σ = 8, 2*9*2 = 36
        ([0, 10], 0.5),  # Σ = 20, 2*4*5 = 40
        ([7], 0.0),  # a single customer
        ([10, 0, 0, 0, 0], 0.8),  # (n-1)/n with one holder: Σ = 80, 2*25*2 = 100
    ],
)
def test_gini_hand_computed(values, expected):
    assert seg.gini(values) == pytest.approx(expected, abs=1e-12)


def test_gini_accepts_series_and_arrays():
    assert seg.gini(pd.Series([0, 0, 0, 1], index=list("wxyz"))) == pytest.approx(0.75)
    assert seg.gini(np.array([1.0, 3.0])) == pytest.approx(0.25)


# ============================================================================ ABC
def test_abc_classes_hand_computed():
    values = pd.Series([40, 10, 40, 6, 4], index=["p", "r", "q", "s", "t"])
    out = seg.abc_classes(values)
    # sorted p 40, q 40, r 10, s 6, t 4 (total 100); share before each: 0, .4, .8, .9, .96
    # p, q tie -> both take 0 -> A; r .8 is not < .8 -> B; s .9 < .95 -> B; t .96 -> C
    assert list(out.index) == ["p", "q", "r", "s", "t"]
    assert list(out.columns) == ["value", "share", "cum_share", "abc"]
    assert out["abc"].tolist() == [en("A"), en("A"), en("B"), en("B"), en("C")]
    assert out["cum_share"].tolist() == pytest.approx([0.4, 0.8, 0.9, 0.96, 1.0])
    assert out["abc"].cat.ordered and list(out["abc"].cat.categories) == [en(k) for k in seg.ABC_KEYS]


def test_abc_classes_custom_cuts_and_ties_across_a_cut():
    values = pd.Series([40, 10, 40, 6, 4], index=["p", "r", "q", "s", "t"])
    out = seg.abc_classes(values, cuts=(0.5, 0.9))
    # before: 0 (p), 0 (q, tied with p), .8 (r) < .9 -> B, .9 (s) -> C, .96 (t) -> C
    assert out["abc"].tolist() == [en("A"), en("A"), en("B"), en("C"), en("C")]
    # three equal 30s: before 0, .3, .6 -> the tie pulls the third (.6 >= .5) into A; 10: .9 -> B
    tie = seg.abc_classes([30, 30, 30, 10], cuts=(0.5, 0.95))
    assert tie["abc"].tolist() == [en("A"), en("A"), en("A"), en("B")]
    assert seg.abc_classes([1, 1], lang="zh")["abc"].tolist() == [zh("A"), zh("A")]


# ============================================================================ profitability
def test_profitability_tiers_hand_computed():
    profit = pd.Series([300, 300, 120, 40, 5, -10, 0, 80, 60, 20], index=list("abcdefghij"))
    out = seg.profitability_tiers(profit)
    # n = 10, top 0.2 -> k = 2: a, b (both rank 1); f (-10) and g (0) are at or below floor 0
    tiers = dict(zip(out.index, out["tier"]))
    assert [k for k, t in tiers.items() if t == en("most_profitable")] == ["a", "b"]
    assert [k for k, t in tiers.items() if t == en("least_profitable")] == ["f", "g"]
    assert [k for k, t in tiers.items() if t == en("profitable")] == ["c", "d", "e", "h", "i", "j"]
    assert out["profit"].tolist() == profit.astype(float).tolist()
    assert list(out.index) == list("abcdefghij")
    # top 0.3 -> k = 3 adds c (rank 3); floor 30 makes e (5) and j (20) least profitable too
    out2 = seg.profitability_tiers(profit, top=0.3, floor=30)
    t2 = dict(zip(out2.index, out2["tier"]))
    assert [k for k, t in t2.items() if t == en("most_profitable")] == ["a", "b", "c"]
    assert [k for k, t in t2.items() if t == en("least_profitable")] == ["e", "f", "g", "j"]
    # top 0.1 -> k = 1, but a and b tie at rank 1: ties are included
    out3 = seg.profitability_tiers(profit, top=0.1)
    assert (out3["tier"] == en("most_profitable")).sum() == 2


def test_profitability_tiers_least_never_most():
    # k = ceil(1.0 * 3) = 3 would cover everyone, but -1 and -2 are at or below the floor
    out = seg.profitability_tiers([5, -1, -2], top=1.0)
    assert out["tier"].tolist() == [en("most_profitable"), en("least_profitable"), en("least_profitable")]
    assert out["tier"].cat.ordered


# ============================================================================ recent revenue, share of wallet
def test_recent_revenue_hand_computed():
    # small_tx: last date 2024-03-10 -> as_of 2024-03-11
    out = seg.recent_revenue(small_tx(), days=10)
    # window 2024-03-01 <= date < 2024-03-11: A 100 + 60, B 40 + 10, C (02-20) outside -> 0
    assert out.to_dict() == {"A": 160.0, "B": 50.0, "C": 0.0}
    assert out.name == "recent_revenue" and out.index.name == "customer_id"
    # days=9: window starts 2024-03-02, so A's purchase of 03-01 drops out
    assert seg.recent_revenue(small_tx(), days=9).to_dict() == {"A": 60.0, "B": 50.0, "C": 0.0}
    # an explicit as_of: the 30 days before 2024-03-06 are 02-05 ... 03-05: A 100, B 40, C 25
    assert seg.recent_revenue(small_tx(), days=30, as_of="2024-03-06").to_dict() == {"A": 100.0, "B": 40.0, "C": 25.0}


def test_share_of_wallet_hand_computed():
    spend = pd.Series([200.0, 900.0, 0.0, 600.0], index=["a", "b", "c", "d"])
    wallet = pd.Series([1000.0, 1000.0, 500.0, 400.0], index=["a", "b", "c", "d"])
    out = seg.share_of_wallet(spend, wallet)
    # a: 200/1000 = 0.2, headroom 800; b: 0.9, 100; c: 0, 500; d: 600/400 = 1.5 (estimate too low), headroom 0
    assert out["share_of_wallet"].tolist() == pytest.approx([0.2, 0.9, 0.0, 1.5])
    assert out["headroom"].tolist() == [800.0, 100.0, 500.0, 0.0]
    assert list(out.index) == ["a", "b", "c", "d"]
    assert list(out.columns) == ["spend", "wallet", "share_of_wallet", "headroom"]


def test_value_matrix_on_share_of_wallet_hand_computed():
    # four customers: spend 100, 100, 400, 400 with wallets 1000, 150, 2000, 450
    sow = seg.share_of_wallet([100.0, 100.0, 400.0, 400.0], [1000.0, 150.0, 2000.0, 450.0])
    # headroom 900, 50, 1600, 50; medians: current 250, potential (50 + 900) / 2 = 475
    vm = seg.value_matrix(sow["spend"], sow["headroom"])
    assert vm.attrs["current_cut"] == 250.0 and vm.attrs["potential_cut"] == 475.0
    # same spend, different wallets -> different quadrants: 0 develop, 1 minimise, 2 invest, 3 maintain
    assert vm["quadrant"].tolist() == [en("develop"), en("minimise"), en("invest"), en("maintain")]


@given(
    st.lists(
        st.tuples(st.floats(min_value=1.0, max_value=1e6), st.floats(min_value=0.01, max_value=0.99)),
        min_size=2,
        max_size=40,
    ),
    st.floats(min_value=1.5, max_value=20.0),
)
@FAST
def test_headroom_is_not_mechanically_tied_to_current_value(rows, k):
    """Potential from the customer's own wallet: with the share of wallet fixed, a customer k times
    bigger has k times the headroom (it rises with current value instead of falling), and between
    two customers with the same spend the one with the bigger wallet has the bigger headroom."""
    spend = np.array([r[0] for r in rows])
    share = np.array([r[1] for r in rows])
    base = seg.share_of_wallet(spend, spend / share)
    bigger = seg.share_of_wallet(spend * k, spend * k / share)
    np.testing.assert_allclose(bigger["headroom"], k * base["headroom"], rtol=1e-9)
    assert (bigger["headroom"].to_numpy() >= base["headroom"].to_numpy()).all()
    same_spend = seg.share_of_wallet(np.full(len(rows), 100.0), 100.0 / share)
    order = np.argsort(share, kind="mergesort")  # smaller share = bigger wallet = bigger headroom
    assert (np.diff(same_spend["headroom"].to_numpy()[order]) <= 1e-6).all()


def test_synthetic_wallets_do_not_tie_potential_to_current_value():
    """On the generated shop (every tested seed) headroom does not fall with current value, as the
    old "best peers minus you" potential did (Spearman -0.44); the rule is built into the generator."""
    from scipy.stats import spearmanr

    from crmlib import datasets

    for n, s in [(3000, 2024), (1500, 11), (800, 99)]:
        tx = datasets.make_transactions(n, seed=s)
        w = datasets.make_wallets(n, seed=s).set_index("customer_id")["est_category_spend"]
        spend = seg.recent_revenue(tx).reindex(w.index)
        act = spend > 0
        sow = seg.share_of_wallet(spend[act], w[act])
        rho = spearmanr(sow["spend"], sow["headroom"]).statistic
        assert rho > 0.2, (s, rho)
        vm = seg.value_matrix(sow["spend"], sow["headroom"])
        # every quadrant holds customers of at least two business segments: not a relabelled segment
        segs = tx.groupby("customer_id")["segment"].first().reindex(vm.index)
        assert (pd.crosstab(vm["quadrant"], segs).gt(0).sum(axis=1) >= 2).all()


# ============================================================================ value matrix
def test_value_matrix_median_cuts_hand_computed():
    out = seg.value_matrix([10, 20, 30, 40, 50], [5, 1, 3, 4, 2])
    # current median 30 (>= is high: 30, 40, 50); potential median 3 (high: 5, 3, 4)
    assert out.attrs["current_cut"] == 30.0 and out.attrs["potential_cut"] == 3.0
    assert out["quadrant"].tolist() == [en("develop"), en("minimise"), en("invest"), en("invest"), en("maintain")]
    assert out["strategy"].tolist()[0] == seg.QUADRANT_STRATEGY["develop"][0]
    assert "invest" in out["strategy"].iloc[2].lower()
    assert list(out.columns) == ["current", "potential", "quadrant", "strategy"]


def test_value_matrix_explicit_cuts_negative_current_and_chinese():
    cur = pd.Series([900, 800, 100, -50], index=["a", "b", "c", "d"])
    out = seg.value_matrix(cur, [50, 600, 700, 20], current_cut=500, potential_cut=300, lang="zh")
    # a: high, low -> maintain; b: high, high -> invest; c: low, high -> develop; d: low, low -> minimise
    assert out["quadrant"].tolist() == [zh("maintain"), zh("invest"), zh("develop"), zh("minimise")]
    assert out["strategy"].iloc[1] == seg.QUADRANT_STRATEGY["invest"][1]
    assert list(out.index) == ["a", "b", "c", "d"]
    # a value exactly at the cut counts as high
    at = seg.value_matrix([500], [300], current_cut=500, potential_cut=300)
    assert at["quadrant"].tolist() == [en("invest")]


# ============================================================================ relationship type
def test_relationship_type_hand_computed():
    margin = [500, 20, 300, -10, 300]
    disc = [0.05, 0.35, 0.1, 0.4, 0.2]
    out = seg.relationship_type(margin, disc)
    # discount >= 0.2 is transactional: rows 1, 3 and 4 (0.2 is on the cut)
    assert out["type"].tolist() == [
        en("relational"),
        en("transactional"),
        en("relational"),
        en("transactional"),
        en("transactional"),
    ]
    # relational ranked by margin: 500 -> 1, 300 -> 2
    assert out["value_rank"].tolist()[0] == 1 and out["value_rank"].tolist()[2] == 2
    assert out["value_rank"].isna().tolist() == [False, True, False, True, True]
    assert str(out["value_rank"].dtype) == "Int64"


def test_relationship_type_margin_cut():
    margin = [500, 20, 300, -10, 300]
    disc = [0.05, 0.35, 0.1, 0.4, 0.2]
    out = seg.relationship_type(margin, disc, margin_cut=100)
    # transactional needs discount >= 0.2 AND margin <= 100: rows 1 and 3; row 4 (300) is relational
    assert out["type"].tolist() == [
        en("relational"),
        en("transactional"),
        en("relational"),
        en("transactional"),
        en("relational"),
    ]
    # relational margins 500, 300, 300 -> ranks 1, 2, 2 (ties share the better rank)
    assert out["value_rank"].dropna().tolist() == [1, 2, 2]


# ============================================================================ concentration: bad input
CONCENTRATION = [
    ("pareto_table", lambda v: seg.pareto_table(v)),
    ("top_share", lambda v: seg.top_share(v, 0.2)),
    ("lorenz_curve", lambda v: seg.lorenz_curve(v)),
    ("gini", lambda v: seg.gini(v)),
    ("abc_classes", lambda v: seg.abc_classes(v)),
]


@pytest.mark.parametrize("func, call", CONCENTRATION, ids=[c[0] for c in CONCENTRATION])
def test_concentration_functions_reject_bad_values(func, call):
    expect_error(lambda: call([]), func, "values", contains=("at least 1",))
    expect_error(lambda: call([0, 0, 0]), func, "values", contains=("sums to zero",))
    expect_error(lambda: call([3, -1, 2]), func, "values", rows=[1], contains=("negative",))
    expect_error(lambda: call([3, "abc", 2, "x"]), func, "values", rows=[1, 3], contains=("non-numeric",))
    expect_error(lambda: call([3, np.nan, 2]), func, "values", rows=[1])
    expect_error(lambda: call([3, np.inf]), func, "values", rows=[1])
    expect_error(lambda: call(pd.Series([1.0, -2.0], index=["k1", "k2"])), func, "values", rows=["k2"])
    expect_error(lambda: call("12345"), func, "values")
    expect_error(lambda: call(None), func, "values")
    expect_error(lambda: call([True, False]), func, "values")
    expect_error(lambda: call(pd.DataFrame({"v": [1, 2]})), func, "values")


def test_concentration_rejects_two_dimensional_array():
    expect_error(lambda: seg.gini(np.array([[1, 2], [3, 4]])), "gini", "values")


def test_top_share_bad_fraction():
    for bad in (1.5, 0, -0.2, "0.2", None, float("nan"), True):
        expect_error(lambda bad=bad: seg.top_share([1, 2, 3], bad), "top_share", "fraction")


def test_abc_classes_bad_cuts():
    f = "abc_classes"
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.95, 0.8)), f, "cuts", contains=("increasing",))
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.8, 0.8)), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.8, 1.0)), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.0, 0.5)), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(-0.1, 0.5)), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.8, 1.5)), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.5, 0.7, 0.9)), f, "cuts", contains=("two",))
    expect_error(lambda: seg.abc_classes([1, 2], cuts=(0.8,)), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=()), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts=0.8), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], cuts="ab"), f, "cuts")
    expect_error(lambda: seg.abc_classes([1, 2], lang="de"), f, "lang")


def test_profitability_tiers_bad_input():
    f = "profitability_tiers"
    expect_error(lambda: seg.profitability_tiers([]), f, "profit")
    expect_error(lambda: seg.profitability_tiers([1, "lots", -3]), f, "profit", rows=[1])
    expect_error(lambda: seg.profitability_tiers([1, np.nan]), f, "profit", rows=[1])
    expect_error(lambda: seg.profitability_tiers([1, 2], top=1.5), f, "top")
    expect_error(lambda: seg.profitability_tiers([1, 2], top=0), f, "top")
    expect_error(lambda: seg.profitability_tiers([1, 2], floor="zero"), f, "floor")
    expect_error(lambda: seg.profitability_tiers([1, 2], floor=float("inf")), f, "floor")


def test_recent_revenue_bad_input():
    f = "recent_revenue"
    expect_error(lambda: seg.recent_revenue(small_tx(), days=0), f, "days")
    expect_error(lambda: seg.recent_revenue(small_tx(), days=1.5), f, "days")
    expect_error(lambda: seg.recent_revenue(small_tx(), as_of="soon"), f, "as_of")
    expect_error(lambda: seg.recent_revenue(small_tx().drop(columns="amount")), f, "amount")
    bad = small_tx().assign(amount=[1.0, -2.0, 3.0, 4.0, 5.0])
    expect_error(lambda: seg.recent_revenue(bad), f, "amount", rows=[1])


def test_share_of_wallet_bad_input():
    f = "share_of_wallet"
    expect_error(lambda: seg.share_of_wallet([], []), f, "spend")
    expect_error(lambda: seg.share_of_wallet([1, -2], [5, 5]), f, "spend", rows=[1])
    expect_error(lambda: seg.share_of_wallet([1, 2], [5, 0]), f, "wallet", rows=[1])
    expect_error(lambda: seg.share_of_wallet([1, 2], [5, "x"]), f, "wallet", rows=[1])
    expect_error(lambda: seg.share_of_wallet([1, 2], [5]), f, "spend, wallet", contains=("same length",))
    expect_error(
        lambda: seg.share_of_wallet(pd.Series([1, 2], index=["a", "b"]), pd.Series([5, 5], index=["b", "c"])),
        f,
        "spend, wallet",
    )


def test_value_matrix_bad_input():
    f = "value_matrix"
    expect_error(lambda: seg.value_matrix([1, 2], [1, 2, 3]), f, "current, potential", contains=("same length",))
    expect_error(lambda: seg.value_matrix([1, 2], [1, -2]), f, "potential", rows=[1])
    expect_error(lambda: seg.value_matrix(["a", 2], [1, 2]), f, "current", rows=[0])
    expect_error(lambda: seg.value_matrix([], []), f, "current")
    expect_error(lambda: seg.value_matrix([1, 2], [1, 2], current_cut="high"), f, "current_cut")
    expect_error(lambda: seg.value_matrix([1, 2], [1, 2], potential_cut=float("nan")), f, "potential_cut")
    expect_error(
        lambda: seg.value_matrix(pd.Series([1, 2], index=["a", "b"]), pd.Series([1, 2], index=["b", "a"])),
        f,
        "current, potential",
    )


def test_relationship_type_bad_input():
    f = "relationship_type"
    expect_error(lambda: seg.relationship_type([1, 2], [0.1, 1.2]), f, "discount_pct", rows=[1])
    expect_error(lambda: seg.relationship_type([1, 2], [0.1, -0.2]), f, "discount_pct", rows=[1])
    expect_error(lambda: seg.relationship_type([1, "x"], [0.1, 0.2]), f, "margin", rows=[1])
    expect_error(lambda: seg.relationship_type([1, 2], [0.1]), f, "margin, discount_pct")
    expect_error(lambda: seg.relationship_type([1, 2], [0.1, 0.2], discount_cut=1.5), f, "discount_cut")
    expect_error(lambda: seg.relationship_type([1, 2], [0.1, 0.2], margin_cut="low"), f, "margin_cut")
    expect_error(lambda: seg.relationship_type([], []), f, "margin")


# ============================================================================ properties
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))
value_lists = st.lists(amounts, min_size=1, max_size=40).filter(lambda xs: sum(xs) > 0)


def brute_gini(xs):
    n = len(xs)
    mean = sum(xs) / n
    return sum(abs(a - b) for a in xs for b in xs) / (2 * n * n * mean)


@FAST
@given(value_lists)
def test_gini_in_unit_interval_and_matches_pairwise_definition(xs):
    g = seg.gini(xs)
    assert 0.0 <= g < 1.0
    assert g <= (len(xs) - 1) / len(xs) + 1e-9  # the most unequal case: one customer holds all
    assert g == pytest.approx(brute_gini(xs), abs=1e-9)


@FAST
@given(value_lists, st.data(), st.floats(min_value=0.01, max_value=1000))
def test_gini_invariant_to_permutation_and_scaling(xs, data, c):
    g = seg.gini(xs)
    perm = data.draw(st.permutations(xs))
    assert seg.gini(perm) == pytest.approx(g, abs=1e-9)
    assert seg.gini([c * x for x in xs]) == pytest.approx(g, abs=1e-9)


@FAST
@given(value_lists)
def test_lorenz_curve_shape_and_link_to_gini(xs):
    lc = seg.lorenz_curve(xs)
    x, y = lc["customer_share"].to_numpy(), lc["value_share"].to_numpy()
    assert len(lc) == len(xs) + 1
    assert (x[0], y[0]) == (0.0, 0.0)
    assert x[-1] == pytest.approx(1.0) and y[-1] == pytest.approx(1.0)
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) >= -1e-12)
    assert np.all(y <= x + 1e-9)  # never above the line of equality
    # Gini = 1 - 2 * area under the Lorenz curve (trapezoids), exactly for the population Gini
    area = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
    assert seg.gini(xs) == pytest.approx(1 - 2 * area, abs=1e-9)


@FAST
@given(value_lists, st.floats(min_value=0.001, max_value=1.0), st.floats(min_value=0.001, max_value=1.0))
def test_top_share_bounds_and_monotone(xs, f1, f2):
    lo, hi = sorted((f1, f2))
    s_lo, s_hi = seg.top_share(xs, lo), seg.top_share(xs, hi)
    # the top k = ceil(f n) customers hold at least k/n >= f of the total, and at most all of it
    assert lo - 1e-9 <= s_lo <= 1.0 + 1e-12
    k = max(1, math.ceil(round(lo * len(xs), 9)))
    assert s_lo >= k / len(xs) - 1e-9
    assert s_lo <= s_hi + 1e-12
    assert seg.top_share(xs, 1.0) == pytest.approx(1.0)


@FAST
@given(value_lists)
def test_pareto_table_shares_add_up(xs):
    pt = seg.pareto_table(xs)
    assert pt["share"].sum() == pytest.approx(1.0)
    assert pt["cum_share"].iloc[-1] == pytest.approx(1.0)
    assert np.all(np.diff(pt["value"].to_numpy()) <= 0)
    assert np.all(np.diff(pt["cum_share"].to_numpy()) >= -1e-12)


@FAST
@given(value_lists, st.sampled_from([(0.8, 0.95), (0.5, 0.9), (0.2, 0.4), (0.7, 0.71)]))
def test_abc_classes_monotone_in_value(xs, cuts):
    out = seg.abc_classes(xs, cuts=cuts)
    codes = out["abc"].cat.codes.reindex(range(len(xs))).to_numpy()
    vals = np.asarray(xs, dtype=float)
    assert codes[int(np.argmax(vals))] == 0  # the biggest customer is always A
    for i in range(len(xs)):
        for j in range(len(xs)):
            if vals[i] > vals[j]:
                assert codes[i] <= codes[j], (xs, i, j)
            elif vals[i] == vals[j]:
                assert codes[i] == codes[j], (xs, i, j)


rfm_rows = st.lists(st.tuples(st.integers(0, 400), st.integers(1, 30), amounts), min_size=1, max_size=30)


@FAST
@given(rfm_rows, st.integers(2, 10))
def test_rfm_scores_in_range_and_monotone(rows, bins):
    rfm = pd.DataFrame(rows, columns=["recency_days", "frequency", "monetary"])
    out = seg.rfm_scores(rfm, bins=bins)
    for c in ("R", "F", "M"):
        assert out[c].between(1, bins).all()
    assert out["rfm_score"].between(3, 3 * bins).all()
    # larger monetary never scores lower; more recent (fewer days) never scores lower on R
    order = np.argsort(rfm["monetary"].to_numpy(), kind="stable")
    assert np.all(np.diff(out["M"].to_numpy()[order]) >= 0)
    order_r = np.argsort(-rfm["recency_days"].to_numpy(), kind="stable")
    assert np.all(np.diff(out["R"].to_numpy()[order_r]) >= 0)
    # the segments accept whatever the scores produce
    segs = seg.rfm_segments(out)
    assert segs["segment"].notna().all()


tx_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.dates(min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()),
        amounts,
    ),
    min_size=1,
    max_size=30,
)


@FAST
@given(tx_rows)
def test_rfm_table_totals_match_the_log(rows):
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx["date"] = tx["date"].astype(str)
    out = seg.rfm_table(tx)
    assert out["frequency"].sum() == len(tx)
    assert out["monetary"].sum() == pytest.approx(tx["amount"].sum())
    assert out["recency_days"].min() == 1  # the latest buyer bought the day before as_of
    assert (out["recency_days"] >= 1).all()
    assert list(out.index) == sorted(set(tx["customer_id"]))


# ============================================================================ summary tables (the notebook's tables)
def test_customer_summary_carries_the_profile_columns():
    tx = pd.DataFrame(
        {
            "customer_id": ["B", "A", "B", "A"],
            "date": ["2024-01-01"] * 4,
            "amount": [10.0, 20.0, 30.0, 40.0],
            "margin": [1.0, 2.0, 3.0, 4.0],
            "discount_pct": [0.0] * 4,
            "region": ["east", None, "west", "north"],
            "segment": ["retail"] * 4,
        }
    )
    out = seg.customer_summary(tx, profile_cols=["region", "segment"])
    # A: first non-missing region in log order is "north" (its first row has none); B: "east"
    assert out["region"].tolist() == ["north", "east"] and out["segment"].tolist() == ["retail", "retail"]
    assert list(out.columns[-2:]) == ["region", "segment"] and out.loc["A", "revenue"] == 60.0
    assert seg.customer_summary(tx, profile_cols="segment").columns[-1] == "segment"  # one name alone
    assert "region" not in seg.customer_summary(tx).columns
    expect_error(lambda: seg.customer_summary(tx, profile_cols=["regoin"]), "customer_summary", "regoin")
    expect_error(lambda: seg.customer_summary(tx, profile_cols=["revenue"]), "customer_summary", "revenue")
    expect_error(
        lambda: seg.customer_summary(tx.assign(revenue=1.0), profile_cols=["revenue"]),
        "customer_summary",
        "profile_cols",
    )
    expect_error(lambda: seg.customer_summary(tx, profile_cols=3), "customer_summary", "profile_cols")


def test_segment_profile_is_the_mean_per_group():
    s = pd.DataFrame(
        {
            "segment": ["retail", "business", "retail", "retail"],
            "revenue": [100.0, 900.0, 200.0, 600.0],
            "margin": [-30.0, 100.0, 30.0, 60.0],
        },
        index=["a", "b", "c", "d"],
    )
    out = seg.segment_profile(s, columns=["revenue", "margin"])
    # retail: revenue (100 + 200 + 600) / 3 = 300, margin (-30 + 30 + 60) / 3 = 20; business alone: 900, 100
    assert out.index.tolist() == ["business", "retail"] and out.index.name == "segment"
    assert out.loc["retail"].tolist() == [300.0, 20.0] and out.loc["business"].tolist() == [900.0, 100.0]
    assert seg.segment_profile(s, by="segment", columns="margin").columns.tolist() == ["margin"]
    expect_error(lambda: seg.segment_profile(s, columns=[]), "segment_profile", "columns")
    expect_error(
        lambda: seg.segment_profile(s.assign(segment=["retail", None, "x", "y"]), columns=["margin"]),
        "segment_profile",
        "segment",
        rows=["b"],
    )


def _segments():
    # R/F/M scores chosen so that a, b are Champions (R 5, mean of F and M high), c, d Lost, e Loyal
    scores = pd.DataFrame(
        {"R": [5, 5, 1, 1, 3], "F": [5, 4, 1, 1, 5], "M": [5, 5, 1, 2, 5]},
        index=pd.Index(list("abcde"), name="customer_id"),
    )
    out = seg.rfm_segments(scores)
    return out.assign(
        recency_days=[3, 5, 300, 200, 40], frequency=[9, 7, 1, 1, 6], monetary=[500.0, 300.0, 20.0, 80.0, 100.0]
    )


def test_segment_summary_by_hand():
    out = seg.segment_summary(_segments())
    assert out.index.tolist() == [en(k) for k in seg.SEGMENT_KEYS]  # every segment, in order
    assert list(out.columns) == ["customers", "revenue", "mean_recency_days", "mean_frequency", "revenue_share"]
    # Champions: a + b = 500 + 300 = 800 of 1000; recency (3 + 5) / 2 = 4; frequency (9 + 7) / 2 = 8
    assert out.loc["Champions"].tolist() == [2, 800.0, 4.0, 8.0, 0.8]
    assert out.loc["Lost"].tolist() == [2, 100.0, 250.0, 1.0, 0.1]
    assert out.loc["Loyal"].tolist()[:2] == [1, 100.0] and out.loc["Loyal", "revenue_share"] == 0.1
    empty = out.loc["At risk"]
    assert empty["customers"] == 0 and empty["revenue"] == 0 and np.isnan(empty["mean_recency_days"])
    assert out["customers"].sum() == 5 and math.isclose(out["revenue_share"].sum(), 1.0)


def test_segment_summary_follows_the_language_of_its_segments():
    scores = _segments()[["R", "F", "M"]]
    zh_segments = seg.rfm_segments(scores, lang="zh").assign(recency_days=1, frequency=1, monetary=1.0)
    assert seg.segment_summary(zh_segments).index[0] == zh("champions")


def test_segment_summary_bad_input():
    s = _segments()
    expect_error(lambda: seg.segment_summary(s.assign(monetary=0.0)), "segment_summary", "monetary")
    expect_error(lambda: seg.segment_summary(s.drop(columns="frequency")), "segment_summary", "frequency")
    bad = s.copy()
    bad["segment"] = bad["segment"].astype(object)
    bad.loc["c", "segment"] = None
    expect_error(lambda: seg.segment_summary(bad), "segment_summary", "segment", rows=["c"])


def test_tier_summary_by_hand():
    out = seg.tier_summary(seg.profitability_tiers([100, 50, 10, 0, -20]))
    # most profitable: 100; profitable: 50 + 10 = 60; least: 0 + -20 = -20; net total 140
    assert out.index.tolist() == [en(k) for k in seg.TIER_KEYS]
    assert out["customers"].tolist() == [1, 2, 2] and out["total_margin"].tolist() == [100.0, 60.0, -20.0]
    assert np.allclose(out["margin_share"], [100 / 140, 60 / 140, -20 / 140])
    expect_error(lambda: seg.tier_summary(seg.profitability_tiers([10, -10, -5])), "tier_summary", "profit")


def test_tier_summary_lists_an_empty_tier():
    out = seg.tier_summary(seg.profitability_tiers([30.0, 20.0, 10.0], top=0.3))
    # top ceil(0.3 × 3) = 1 customer; nobody at or below 0: the least profitable tier is empty
    assert out["customers"].tolist() == [1, 2, 0] and out["margin_share"].tolist() == [0.5, 0.5, 0.0]


def test_abc_summary_by_hand():
    out = seg.abc_summary(seg.abc_classes(pd.Series([5, 50, 10, 30, 5], index=list("vwxyz"))))
    # sorted 50, 30, 10, 5, 5 of 100: A = w, y (before them 0 and 0.5 < 0.8); B = x, v, z; C empty
    assert out.index.tolist() == [en(k) for k in seg.ABC_KEYS]
    assert out["customers"].tolist() == [2, 3, 0] and out["revenue"].tolist() == [80.0, 20.0, 0.0]
    assert out["customer_share"].tolist() == [0.4, 0.6, 0.0] and out["revenue_share"].tolist() == [0.8, 0.2, 0.0]
    zh_out = seg.abc_summary(seg.abc_classes([5, 50, 10, 30, 5], lang="zh"))
    assert zh_out.index.tolist() == [zh(k) for k in seg.ABC_KEYS]


def test_relationship_type_summary_by_hand():
    out = seg.relationship_type_summary(seg.relationship_type([500, 20, 300, -10], [0.05, 0.35, 0.1, 0.4]))
    # relational: 500 and 300 (total 800, mean 400); transactional: 20 and -10 (total 10, mean 5)
    assert out.index.tolist() == ["relational", "transactional"]
    assert out.loc["relational"].tolist() == [2, 800.0, 400.0] and out.loc["transactional"].tolist() == [2, 10.0, 5.0]


def test_summaries_match_the_plain_pandas_of_the_notebook():
    """The chapter 1 cells these functions replace, on generated data: the same tables."""
    from crmlib.datasets import make_transactions

    tx = make_transactions(n_customers=300, seed=5)
    summary = seg.customer_summary(tx, profile_cols=["region", "segment"])
    by_hand = seg.customer_summary(tx).join(tx.groupby("customer_id")[["region", "segment"]].first())
    pd.testing.assert_frame_equal(summary, by_hand)
    pd.testing.assert_frame_equal(
        seg.segment_profile(summary),
        summary.groupby("segment")[["n_transactions", "revenue", "margin", "discount_pct"]].mean(),
    )
    segments = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx)))
    hand = segments.groupby("segment", observed=False).agg(
        customers=("monetary", "size"),
        revenue=("monetary", "sum"),
        mean_recency_days=("recency_days", "mean"),
        mean_frequency=("frequency", "mean"),
    )
    hand["revenue_share"] = hand["revenue"] / hand["revenue"].sum()
    pd.testing.assert_frame_equal(seg.segment_summary(segments), hand)
    tiers = seg.profitability_tiers(summary["margin"])
    hand = tiers.groupby("tier", observed=False)["profit"].agg(customers="size", total_margin="sum")
    hand["margin_share"] = hand["total_margin"] / hand["total_margin"].sum()
    pd.testing.assert_frame_equal(seg.tier_summary(tiers), hand)
    abc = seg.abc_classes(seg.rfm_table(tx)["monetary"])
    hand = abc.groupby("abc", observed=False)["value"].agg(customers="size", revenue="sum")
    hand["customer_share"] = hand["customers"] / hand["customers"].sum()
    hand["revenue_share"] = hand["revenue"] / hand["revenue"].sum()
    pd.testing.assert_frame_equal(seg.abc_summary(abc), hand)
    rt = seg.relationship_type(summary["margin"], summary["discount_pct"])
    pd.testing.assert_frame_equal(
        seg.relationship_type_summary(rt),
        rt.groupby("type", observed=False)["margin"].agg(customers="size", total_margin="sum", mean_margin="mean"),
    )
