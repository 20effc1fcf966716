"""Identifying potential customers (crmlib.qualification): MAN rule, deal-time classes, customer states.

Expected values are derived by hand from the rules in the seed text (see the comments).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from _support import en, expect_error, zh
from crmlib import i18n, qualification as qual

FAST = settings(max_examples=80, deadline=None)


# ============================================================================ MAN rule
# (money, authority, need) -> code, priority (the seed's order, the reasoned-out m+A+n before the
# plain non-customer), a phrase of the English and of the Chinese strategy.
MAN_CASES = [
    ((True, True, True), "M+A+N", 1, "top priority", "优先开发"),
    ((True, True, False), "M+A+n", 2, "keep in touch", "保持跟踪"),
    ((True, False, True), "M+a+N", 3, "decision maker", "找到有购买决定权的人"),
    ((False, True, True), "m+A+N", 4, "instalments", "分期付款"),
    ((False, False, True), "m+a+N", 5, "long term", "长期跟踪"),
    ((True, False, False), "M+a+n", 6, "cultivate", "培养"),
    ((False, True, False), "m+A+n", 7, "authority", "建立档案"),
    ((False, False, False), "m+a+n", 8, "Not a prospect", "放弃"),
]


@pytest.mark.parametrize("flags, code, priority, phrase_en, phrase_zh", MAN_CASES, ids=[c[1] for c in MAN_CASES])
def test_man_classify_all_eight_combinations(flags, code, priority, phrase_en, phrase_zh):
    m, a, n = flags
    r = qual.man_classify(money=m, authority=a, need=n)
    assert r.code == code
    assert r.priority == priority
    assert phrase_en in r.strategy
    assert phrase_zh in r.strategy_zh
    assert (r.money, r.authority, r.need) == (m, a, n)
    assert r.strategy == qual.MAN_STRATEGIES[code][1] and r.strategy_zh == qual.MAN_STRATEGIES[code][2]


def test_man_classify_covers_eight_distinct_codes_and_priorities():
    results = [qual.man_classify(*f) for f in itertools.product([True, False], repeat=3)]
    assert sorted(r.code for r in results) == sorted(qual.MAN_STRATEGIES)
    assert sorted(r.priority for r in results) == list(range(1, 9))
    assert len({r.strategy for r in results}) == 8 and len({r.strategy_zh for r in results}) == 8


@pytest.mark.parametrize(
    "m, a, n, code",
    [
        ("yes", "no", "Y", "M+a+N"),
        (1, 0, 0, "M+a+n"),
        ("是", "否", "是", "M+a+N"),
        (" TRUE ", "f", "n", "M+a+n"),
        (np.bool_(False), np.int64(1), 1.0, "m+A+N"),
    ],
)
def test_man_classify_accepts_yes_no_text_and_numbers(m, a, n, code):
    assert qual.man_classify(m, a, n).code == code


def test_man_classify_bad_flags():
    f = "man_classify"
    expect_error(lambda: qual.man_classify("maybe", True, True), f, "money", contains=("'maybe'",))
    expect_error(lambda: qual.man_classify(True, 2, True), f, "authority")
    expect_error(lambda: qual.man_classify(True, True, None), f, "need")
    expect_error(lambda: qual.man_classify(True, True, float("nan")), f, "need")
    expect_error(lambda: qual.man_classify([True], True, True), f, "money")


def prospects_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "money": [True, "yes", True, 0, "no", 1, "否", False],
            "authority": [True, "Y", "n", "是", False, 0, 1, "no"],
            "need": [True, "no", 1, "yes", "Y", False, "否", 0],
        },
        index=["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"],
    )


def test_man_table_hand_computed():
    df = prospects_frame()
    before = df.copy()
    out = qual.man_table(df)
    pd.testing.assert_frame_equal(df, before)
    # P1 all yes; P2 M, A, no need; P3 M, no A, N; P4 no M, A, N; P5 only N; P6 only M; P7 only A; P8 none
    assert out["man_code"].tolist() == ["M+A+N", "M+A+n", "M+a+N", "m+A+N", "m+a+N", "M+a+n", "m+A+n", "m+a+n"]
    assert out["priority"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert list(out.index) == list(df.index)
    assert out["money"].tolist() == [True, True, True, False, False, True, False, False]
    assert out["authority"].tolist() == [True, True, False, True, False, False, True, False]
    assert out["need"].tolist() == [True, False, True, True, True, False, False, False]
    assert out["money"].dtype == bool
    for (_, code, _, phrase_en, _), s in zip(MAN_CASES, out["strategy"]):
        assert phrase_en in s, (code, s)
    # man_code is an ordered categorical in priority order: sorting by it sorts by priority
    assert out["man_code"].cat.ordered
    assert list(out["man_code"].cat.categories) == [c[1] for c in MAN_CASES]


def test_man_table_chinese_custom_columns_and_order():
    df = prospects_frame().rename(columns={"money": "can_pay", "authority": "decides", "need": "wants"})
    df = df.iloc[::-1]
    out = qual.man_table(df, money_col="can_pay", authority_col="decides", need_col="wants", lang="zh")
    assert list(out.index) == ["P8", "P7", "P6", "P5", "P4", "P3", "P2", "P1"]
    assert out["priority"].tolist() == [8, 7, 6, 5, 4, 3, 2, 1]
    for (_, code, _, _, phrase_zh), s in zip(MAN_CASES[::-1], out["strategy"]):
        assert phrase_zh in s, (code, s)


def test_man_table_bad_input():
    f = "man_table"
    df = prospects_frame()
    expect_error(lambda: qual.man_table(df.drop(columns="need")), f, "need", contains=("missing",))
    expect_error(lambda: qual.man_table(df.iloc[:0]), f, "df", contains=("empty",))
    expect_error(lambda: qual.man_table([1, 2]), f, "df", contains=("DataFrame",))
    bad = df.copy()
    bad["money"] = [True, "maybe", True, 0, "no", 2, "否", None]
    expect_error(lambda: qual.man_table(bad), f, "money", rows=["P2", "P6", "P8"], contains=("'maybe'",))
    bad2 = df.assign(authority=[True, True, True, True, True, True, np.nan, True])
    expect_error(lambda: qual.man_table(bad2), f, "authority", rows=["P7"])
    expect_error(lambda: qual.man_table(df, lang="xx"), f, "lang")


def test_man_strategies_table():
    t = qual.man_strategies()
    assert list(t.index) == [c[1] for c in MAN_CASES]
    assert t["priority"].tolist() == list(range(1, 9))
    assert list(t.columns) == ["money", "authority", "need", "priority", "strategy"]
    for flags, code, _, phrase_en, _ in MAN_CASES:
        assert tuple(t.loc[code, ["money", "authority", "need"]]) == flags
        assert phrase_en in t.loc[code, "strategy"]
    t_zh = qual.man_strategies(lang="zh")
    for _, code, _, _, phrase_zh in MAN_CASES:
        assert phrase_zh in t_zh.loc[code, "策略"]
    expect_error(lambda: qual.man_strategies(lang="fr"), "man_strategies", "lang")


@FAST
@given(
    st.lists(
        st.tuples(*[st.sampled_from([True, False, "yes", "no", 1, 0, "Y", "n", "是", "否", "TRUE"])] * 3),
        min_size=1,
        max_size=20,
    )
)
def test_man_table_agrees_with_man_classify_row_by_row(rows):
    df = pd.DataFrame(rows, columns=["money", "authority", "need"], index=[f"r{i}" for i in range(len(rows))])
    out = qual.man_table(df)
    for label, (m, a, n) in zip(df.index, rows):
        r = qual.man_classify(m, a, n)
        assert out.loc[label, "man_code"] == r.code
        assert out.loc[label, "priority"] == r.priority
        assert out.loc[label, "strategy"] == r.strategy
        assert (out.loc[label, "money"], out.loc[label, "authority"], out.loc[label, "need"]) == (
            r.money,
            r.authority,
            r.need,
        )


# ============================================================================ deal stage
@pytest.mark.parametrize(
    "days, key",
    [
        (0, "mature"),
        (30, "mature"),  # within a month, 30 inclusive
        (30.5, "hopeful"),
        (31, "hopeful"),
        (60, "hopeful"),
        (60.01, "potential_deal"),
        (61, "potential_deal"),
        (365, "potential_deal"),
    ],
)
def test_deal_stage_scalar_boundaries(days, key):
    assert qual.deal_stage(days) == en(key)


def test_deal_stage_list_series_and_custom_cuts():
    out = qual.deal_stage([0, 30, 31, 60, 61])
    assert out.tolist() == [en("mature"), en("mature"), en("hopeful"), en("hopeful"), en("potential_deal")]
    assert out.name == "deal_stage" and out.cat.ordered
    assert list(out.cat.categories) == [en(k) for k in qual.DEAL_KEYS]
    s = pd.Series([14, 8, 7, 15], index=["p1", "p2", "p3", "p4"])
    # cuts (7, 14): <= 7 mature, <= 14 hopeful, else potential
    out2 = qual.deal_stage(s, cuts=(7, 14))
    assert list(out2.index) == ["p1", "p2", "p3", "p4"]
    assert out2.tolist() == [en("hopeful"), en("hopeful"), en("mature"), en("potential_deal")]
    assert qual.deal_stage(np.int64(45)) == en("hopeful")
    assert qual.deal_stage(10, lang="zh") == zh("mature")
    assert qual.deal_stage([90], lang="zh").tolist() == [zh("potential_deal")]
    assert qual.deal_stage(np.array([1.0, 100.0]), cuts=[0, 99]).tolist() == [en("hopeful"), en("potential_deal")]


def test_deal_stage_bad_input():
    f = "deal_stage"
    expect_error(lambda: qual.deal_stage(10, cuts=(60, 30)), f, "cuts", contains=("increasing",))
    expect_error(lambda: qual.deal_stage(10, cuts=(30, 30)), f, "cuts")
    expect_error(lambda: qual.deal_stage(10, cuts=(30,)), f, "cuts")
    expect_error(lambda: qual.deal_stage(10, cuts=(30, 60, 90)), f, "cuts")
    expect_error(lambda: qual.deal_stage(10, cuts=(-5, 30)), f, "cuts")
    expect_error(lambda: qual.deal_stage(10, cuts=("a", 30)), f, "cuts")
    expect_error(lambda: qual.deal_stage(10, cuts=30), f, "cuts")
    expect_error(lambda: qual.deal_stage(10, cuts="ab"), f, "cuts")
    expect_error(lambda: qual.deal_stage(-1), f, "expected_close_days", rows=[0], contains=("negative",))
    expect_error(lambda: qual.deal_stage(float("nan")), f, "expected_close_days")
    expect_error(lambda: qual.deal_stage(None), f, "expected_close_days")
    expect_error(lambda: qual.deal_stage(True), f, "expected_close_days")
    expect_error(lambda: qual.deal_stage("soon"), f, "expected_close_days")
    expect_error(
        lambda: qual.deal_stage(pd.Series([5, "soon", -2], index=["a", "b", "c"])), f, "expected_close_days", rows=["b"]
    )
    expect_error(
        lambda: qual.deal_stage(pd.Series([5, 10, -2], index=["a", "b", "c"])), f, "expected_close_days", rows=["c"]
    )
    expect_error(lambda: qual.deal_stage([]), f, "expected_close_days")
    expect_error(lambda: qual.deal_stage(5, lang="jp"), f, "lang")


@FAST
@given(
    st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=1, max_size=30),
    st.integers(0, 200),
    st.integers(1, 200),
)
def test_deal_stage_vector_matches_scalar_and_is_monotone(days, c1, gap):
    cuts = (c1, c1 + gap)
    vec = qual.deal_stage(days, cuts=cuts)
    assert vec.tolist() == [qual.deal_stage(d, cuts=cuts) for d in days]
    order = np.argsort(days, kind="stable")
    codes = vec.cat.codes.to_numpy()[order]
    assert np.all(np.diff(codes) >= 0)  # later closing never gets an earlier class


# ============================================================================ customer state
def state_tx() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D", "A"],
            "date": ["2024-06-01", "2023-01-01", "2024-01-03", "2024-01-02", "2024-02-01"],
        }
    )


def state_prospects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "prospect_id": ["P1", "P2", "P3", "A"],
            "money": [True, "yes", "no", True],
            "need": ["yes", False, 1, True],
        }
    )


def test_customer_state_hand_computed():
    out = qual.customer_state(state_tx(), state_prospects(), as_of="2024-07-01")
    # days to 2024-07-01 (2024 is a leap year; Jan..Jun = 31+29+31+30+31+30 = 182 days):
    #   A last 06-01 -> 30; B 2023-01-01 -> 365 + 182 = 547; C 01-03 -> 180; D 01-02 -> 181
    # lapse 180: A and C (exactly 180) actual; B, D lost.
    # Prospects: P1 money+need -> potential; P2 no need, P3 no money -> non-customers;
    # prospect "A" already bought -> stays an actual customer, not listed twice.
    assert list(out.index) == ["A", "B", "C", "D", "P1", "P2", "P3"] and out.index.name == "id"
    assert out["state"].tolist() == [
        en("actual"),
        en("lost"),
        en("actual"),
        en("lost"),
        en("potential"),
        en("non_customer"),
        en("non_customer"),
    ]
    days = out["days_since_purchase"]
    assert str(days.dtype) == "Int64"
    assert days.iloc[:4].tolist() == [30, 547, 180, 181]
    assert days.iloc[4:].isna().all()
    assert out["state"].cat.ordered and list(out["state"].cat.categories) == [en(k) for k in qual.STATE_KEYS]


def test_customer_state_default_as_of_lapse_and_language():
    # default as_of = day after the last purchase = 2024-06-02; A -> 1 day
    out = qual.customer_state(state_tx(), state_prospects())
    assert out.loc["A", "days_since_purchase"] == 1
    # with lapse 30: C (180 + 1 = 181 days) is lost
    short = qual.customer_state(state_tx(), state_prospects(), as_of="2024-07-01", lapse_days=30)
    assert short.loc["A", "state"] == en("actual") and short.loc["C", "state"] == en("lost")
    zh_out = qual.customer_state(state_tx(), state_prospects(), as_of="2024-07-01", lang="zh")
    assert zh_out.loc["P1", "state"] == zh("potential") and zh_out.loc["B", "state"] == zh("lost")


def test_customer_state_custom_columns_empty_prospects_and_no_mutation():
    tx = state_tx().rename(columns={"customer_id": "cust", "date": "when"})
    pr = state_prospects().rename(columns={"prospect_id": "pid", "money": "can_pay", "need": "wants"})
    tx_before, pr_before = tx.copy(), pr.copy()
    out = qual.customer_state(
        tx,
        pr,
        as_of="2024-07-01",
        customer_col="cust",
        date_col="when",
        prospect_col="pid",
        money_col="can_pay",
        need_col="wants",
    )
    pd.testing.assert_frame_equal(tx, tx_before)
    pd.testing.assert_frame_equal(pr, pr_before)
    assert out.loc["P1", "state"] == en("potential")
    # an empty prospect list is allowed: only buyers are listed
    only_buyers = qual.customer_state(state_tx(), state_prospects().iloc[:0], as_of="2024-07-01")
    assert list(only_buyers.index) == ["A", "B", "C", "D"]


def test_customer_state_bad_input():
    f = "customer_state"
    tx, pr = state_tx(), state_prospects()
    expect_error(lambda: qual.customer_state(tx.drop(columns="date"), pr), f, "date", contains=("missing",))
    expect_error(lambda: qual.customer_state(tx, pr.drop(columns="need")), f, "need", contains=("missing",))
    expect_error(lambda: qual.customer_state(tx.iloc[:0], pr), f, "tx", contains=("empty",))
    expect_error(
        lambda: qual.customer_state(tx.assign(customer_id=["A", None, "C", "", "A"]), pr), f, "customer_id", rows=[1, 3]
    )
    expect_error(
        lambda: qual.customer_state(
            tx.assign(date=["2024-06-01", "someday", "2024-01-03", "2024-01-02", "2024-02-01"]), pr
        ),
        f,
        "date",
        rows=[1],
    )
    expect_error(
        lambda: qual.customer_state(tx, pr.assign(prospect_id=["P1", np.nan, "P3", "A"])), f, "prospect_id", rows=[1]
    )
    expect_error(lambda: qual.customer_state(tx, pr.assign(money=[True, "perhaps", True, True])), f, "money", rows=[1])
    expect_error(
        lambda: qual.customer_state(tx, pr, as_of="2024-05-01"), f, "date", rows=[0], contains=("after as_of",)
    )
    expect_error(lambda: qual.customer_state(tx, pr, as_of="the future"), f, "as_of")
    expect_error(lambda: qual.customer_state(tx, pr, lapse_days=-1), f, "lapse_days")
    expect_error(lambda: qual.customer_state(tx, pr, lapse_days=1.5), f, "lapse_days")
    expect_error(lambda: qual.customer_state(tx, [1, 2]), f, "prospects", contains=("DataFrame",))
    # the same prospect twice (here with contradicting flags) would give two states for one id
    expect_error(
        lambda: qual.customer_state(tx, pr.assign(prospect_id=["P1", "P2", "P1", "A"])), f, "prospect_id", rows=[0, 2]
    )


def test_deal_stage_accepts_cuts_as_an_array():
    import numpy as np

    from crmlib.qualification import deal_stage

    # 7 → mature (≤ 7 days), 14 → hopeful (≤ 14 days), 15 → potential
    assert deal_stage([7, 14, 15], cuts=np.array([7, 14])).cat.codes.tolist() == [0, 1, 2]


def test_strategies_are_text_templates_in_both_languages():
    """The strategies live in i18n.TEXTS (man_strategy_<code>), not in paired language branches."""
    for code in qual.MAN_CODES:
        en_text, zh_text = i18n.TEXTS[f"man_strategy_{code}"]
        assert qual.MAN_STRATEGIES[code][1:] == (en_text, zh_text)
        assert qual.man_strategies(lang="zh").loc[code, "策略"] == zh_text
        assert qual.man_strategies(lang="en").loc[code, "strategy"] == en_text
