"""Self-checks: right answers pass, wrong ones give feedback (never the answer), strict mode raises;
the question kinds, languages, hint ladder, progress line, practice, grading records and the rule
"no answer visible before its question"."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

import crmlib
from crmlib import CRMDataError, exercises, i18n
from crmlib._kernels import kernel_manager_class
from crmlib.exercises import ExerciseCheckFailed, check, expected, is_correct

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def clean():
    """Every test starts with no answers, hints or practice recorded, and leaves no demo exercises."""
    exercises._forget("")
    yield
    exercises._forget("")
    exercises._forget("demo.", registry=True)
    crmlib.set_language("en")


@pytest.fixture
def tx():
    # revenue per customer: a 50, b 30, c 10, d 5, e 5 (total 100)
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "d", "e"],
            "date": ["2024-01-01", "2024-02-01", "2024-01-15", "2023-03-01", "2024-02-10", "2023-01-01"],
            "amount": [20.0, 30.0, 30.0, 10.0, 5.0, 5.0],
            "margin": [8.0, 12.0, 3.0, 4.0, -1.0, 2.0],
            "discount_pct": [0.0, 0.05, 0.3, 0.1, 0.4, 0.0],
        }
    )


@pytest.fixture
def prospects():
    return pd.DataFrame(
        {
            "prospect_id": ["P1", "P2", "P3", "P4"],
            "money": [1, 1, 1, 0],
            "authority": [1, 1, 0, 1],
            "need": [1, 1, 1, 1],
            "expected_close_days": [10, 45, 5, 3],
        }
    )


@pytest.fixture
def leads():
    # furthest stage reached: 50 saw us, 30 got interested, 20 desire, 15 memory, 13 action, 10 satisfied
    furthest = {"attention": 20, "interest": 10, "desire": 5, "memory": 2, "action": 3, "satisfaction": 10}
    return pd.DataFrame({"stage": [s for s, n in furthest.items() for _ in range(n)]})


def out_of(capsys) -> str:
    return capsys.readouterr().out


# ----------------------------------------------------------------------------------- value answers
def test_expected_answers_by_hand(tx, prospects):
    assert expected("demo.top_share", tx=tx, fraction=0.2) == pytest.approx(0.5)  # a: 50 of 100
    assert expected("demo.top_share", tx=tx, fraction=0.4) == pytest.approx(0.8)  # a + b
    assert expected("demo.key_accounts", tx=tx, cuts=(0.8, 0.95)) == 2  # a, b reach 80%
    assert expected("demo.key_accounts", tx=tx, cuts=(0.5, 0.95)) == 1
    assert expected("ch1.call_list", prospects=prospects, mature_days=30) == {"P1"}  # P2 too late, P3 no A
    assert expected("ch1.call_list", prospects=prospects, mature_days=50) == {"P1", "P2"}
    # best relational: a has margin 20 and discount < 20%; b is transactional (30% off)
    assert expected("demo.best_relational", tx=tx, discount_cut=0.2) == "a"


def test_check_verdicts_and_record(tx, capsys):
    assert check("demo.top_share", 0.5, tx=tx, fraction=0.2, strict=False) is True
    assert "✅" in out_of(capsys)
    assert check("demo.top_share", 0.6, tx=tx, fraction=0.2, strict=False) is False
    out = out_of(capsys)
    assert "❌" in out and "Hint" in out and "0.5" not in out  # a hint, never the answer
    assert exercises.RECORD["demo.top_share"] == {
        "answer": 0.6,
        "correct": False,
        "kind": "number",
        "points": 1.0,
        "credit": 0.0,
    }
    assert check("demo.key_accounts", None, tx=tx, cuts=(0.8, 0.95), strict=False) is False
    assert "no answer yet" in out_of(capsys)
    assert exercises.RECORD["demo.key_accounts"]["answer"] is None


def test_strict_mode_raises_on_wrong_or_missing(tx, monkeypatch):
    monkeypatch.setenv("CRMLIB_STRICT_CHECKS", "1")
    with pytest.raises(ExerciseCheckFailed):
        check("demo.top_share", 0.9, tx=tx, fraction=0.2)
    with pytest.raises(ExerciseCheckFailed):
        check("demo.top_share", None, tx=tx, fraction=0.2)
    assert check("demo.top_share", 0.502, tx=tx, fraction=0.2)  # within tolerance 0.005
    monkeypatch.setenv("CRMLIB_STRICT_CHECKS", "0")
    assert check("demo.top_share", 0.9, tx=tx, fraction=0.2) is False


def test_is_correct_rules():
    assert is_correct(3, 3) and not is_correct(3, 4) and not is_correct("3", 3)
    assert is_correct(0.1 + 0.2, 0.3, tol=1e-12)
    assert not is_correct(math.nan, 0.3, tol=1)
    assert is_correct(" P1 ", "p1")  # text: case and spaces ignored
    assert is_correct(pd.Series(["b", "a"]), {"a", "b"}) and not is_correct(["a"], {"a", "b"})
    assert not is_correct(True, 1) and is_correct(True, True)


def test_unknown_exercise_and_bad_inputs(tx):
    with pytest.raises(CRMDataError) as e:
        check("ch9.nothing", 1)
    assert "demo.top_share" in str(e.value)
    with pytest.raises(CRMDataError):
        expected("demo.top_share", tx=tx, frac=0.2)  # misspelt keyword
    with pytest.raises(CRMDataError):
        expected("demo.top_share", tx=tx, fraction=2.0)  # validated by top_share


# ----------------------------------------------------------------------------------- named mistakes
def test_named_mistakes_say_which_mistake_was_made(tx, capsys):
    # the right answer is 0.5 (tolerance 0.005); a percentage 50 (tolerance scaled: 0.5) is the named mistake
    for answer in (50, 50.3):
        assert not check("demo.top_share", answer, tx=tx, fraction=0.2, strict=False)
        out = out_of(capsys)
        assert "percentage" in out and "Hint" not in out
        assert exercises.RECORD["demo.top_share"]["mistake"] == "percent_for_fraction"
    assert not check("demo.top_share", 51, tx=tx, fraction=0.2, strict=False)  # 51 ≠ 50 ± 0.5: no named mistake
    assert "Hint" in out_of(capsys) and "mistake" not in exercises.RECORD["demo.top_share"]
    # key accounts: 2 (a, b); 1 leaves out the customer who crosses the cut-off
    assert not check("demo.key_accounts", 1, tx=tx, cuts=(0.8, 0.95), strict=False)
    assert "one off" in out_of(capsys)
    # repeat purchases: x buys on 4 days (3 repeats), y on 3 (2), z on 1 (0) -> loyal (>= 3 repeats) 1 of 3;
    # counting purchases instead (>= 3 purchases) gives x, y: 2 of 3
    days = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-01-05", "2024-02-05"])
    tx2 = pd.DataFrame(
        {
            "customer_id": list("xxxxyyyz"),
            "date": [*days, pd.Timestamp("2024-03-05"), pd.Timestamp("2024-01-09")],
            "amount": [10.0] * 8,
        }
    )
    assert expected("ch5.loyal_share", tx=tx2, min_repeats=3) == pytest.approx(1 / 3)
    assert not check("ch5.loyal_share", 2 / 3, tx=tx2, min_repeats=3, strict=False)
    assert "repeat purchases" in out_of(capsys)
    assert exercises.RECORD["ch5.loyal_share"]["mistake"] == "all_purchases"
    # min_repeats=1: the mistake would need min_repeats=0, which loyalty_status refuses -> skipped, no crash
    assert not check("ch5.loyal_share", 0.01, tx=tx2, min_repeats=1, strict=False)
    assert "Hint" in out_of(capsys)


def test_a_mistake_on_ids(capsys):
    leads = pd.DataFrame(
        {"lead_id": ["L1", "L2", "L3"], "contacts": [12, 13, 3], "status": ["open", "won", "open"], "value": 0.0}
    )
    assert expected("ch3.pause_list", leads=leads, limit=12) == {"L1"}  # L2 is won already
    assert not check("ch3.pause_list", ["L1", "L2"], leads=leads, limit=12, strict=False)
    assert "already won or lost" in out_of(capsys)


def test_a_mistake_that_changes_nothing_on_this_data_is_not_named(capsys):
    @exercises.exercise(
        "demo.same",
        hint=("add them up", "加总"),
        mistakes=[
            exercises.mistake("same", ("never shown", "不会显示"), value=lambda x: sum(x)),
            exercises.mistake("broken", ("never shown", "不会显示"), value=lambda x: x[99]),  # IndexError: skipped
        ],
    )
    def _same(x):
        return sum(x)

    assert not check("demo.same", 7, x=[1, 2], strict=False)
    out = out_of(capsys)
    assert "never shown" not in out and "Hint: add them up" in out


def test_mistake_needs_a_message_unless_common():
    assert exercises.mistake("off_by_one", value=lambda: 0).message == i18n.TEXTS["ex_mistake_off_by_one_message"]
    assert set(exercises.COMMON_MISTAKES) >= {"percent_for_fraction", "all_purchases", "revenue_for_margin"}
    with pytest.raises(CRMDataError, match="message"):
        exercises.mistake("my_own", value=lambda: 0)
    with pytest.raises(CRMDataError, match="value"):
        exercises.mistake("percent_for_fraction")
    with pytest.raises(CRMDataError, match="scale"):
        exercises.mistake("percent_for_fraction", scale=1)


def test_categories_are_accepted_in_either_language(leads, capsys):
    assert expected("ch3.weakest_step", leads=leads) == "interest"  # conversions 0.60, 0.67, 0.75, 0.87, 0.77
    for answer in ("interest", " Interest ", "激发兴趣", "aidmas_interest"):
        assert check("ch3.weakest_step", answer, leads=leads, strict=False), answer
    assert not check("ch3.weakest_step", "唤起欲望", leads=leads, strict=False)
    capsys.readouterr()
    # the lowest share of the first stage is satisfaction: the named mistake, in either language
    assert not check("ch3.weakest_step", "购后满意", leads=leads, strict=False)
    assert "compares each stage with the first one" in out_of(capsys)
    assert exercises.key_entry("ch3.weakest_step", leads=leads)["accept"] == ["aidmas_interest", "激发兴趣"]


def test_a_lead_channel_is_accepted_by_the_name_of_its_prospecting_method():
    from crmlib import datasets, development

    leads = datasets.make_leads(n=600, seed=5)
    target = expected("ch3.best_channel", leads=leads)
    methods = development.prospecting_methods()
    mine = methods[methods["channel"] == target]
    names = [n.strip() for zh in mine["中文"] for n in zh.split("/")]
    assert names and all(HAN.search(n) for n in names)
    for answer in (target, *names, *mine.index):
        assert check("ch3.best_channel", answer, leads=leads, strict=False), answer
    other = methods.loc[~methods["channel"].isin([target, ""]), "中文"].iloc[0].split("/")[0].strip()
    assert not check("ch3.best_channel", other, leads=leads, strict=False)
    assert sorted(exercises.key_entry("ch3.best_channel", leads=leads)["accept"]) == sorted({*names, *mine.index})
    with pytest.raises(CRMDataError, match="aliases"):
        exercises.exercise("demo.x", hint=("h", "提示"), aliases=["网络寻找法"])


# ----------------------------------------------------------------------------------- choice
def _crm_choice():
    return exercises.choice(
        "demo.crm",
        options={
            "a": ("a database", "一个数据库"),
            "b": ("keeping valuable customers", "留住有价值的客户"),
            "c": ("a discount scheme", "一套折扣办法"),
        },
        answer="b",
        feedback={
            "a": ("a database is a tool", "数据库只是工具"),
            "c": ("discounts buy transactions, not relationships", "折扣换来的是交易，不是关系"),
        },
        points=2,
    )


def test_single_choice_feedback_for_each_wrong_option(capsys, monkeypatch):
    ex = _crm_choice()
    assert (ex.kind, ex.points, ex.answer) == ("choice", 2.0, "b")
    assert not check("demo.crm", "a", strict=False)
    assert out_of(capsys).strip() == "❌ demo.crm: not a — a database is a tool"
    assert not check("demo.crm", " C ", strict=False, lang="zh")
    assert out_of(capsys).strip() == "❌ demo.crm：选 c 不对——折扣换来的是交易，不是关系"
    assert check("demo.crm", "B", strict=False)
    record = {"answer": "b", "correct": True, "kind": "choice", "points": 2.0, "credit": 1.0}
    assert exercises.RECORD["demo.crm"] == record
    for not_an_option in ("z", ["a", "b"], 3):
        assert not check("demo.crm", not_an_option, strict=False)
        assert "is not one of the options (a, b, c)" in out_of(capsys)
    monkeypatch.setenv("CRMLIB_STRICT_CHECKS", "1")
    with pytest.raises(ExerciseCheckFailed, match="database"):
        check("demo.crm", "a")


def test_choice_registration_is_checked():
    opts = {"a": ("yes", "是"), "b": ("no", "否")}
    with pytest.raises(CRMDataError, match="feedback"):
        exercises.choice("demo.x", options=opts, answer="a")  # b may be wrong: needs feedback
    with pytest.raises(CRMDataError, match="answer"):
        exercises.choice("demo.x", options=opts, answer="c", feedback={"a": ("x", "甲"), "b": ("y", "乙")})
    with pytest.raises(CRMDataError, match="options"):
        exercises.choice("demo.x", options=["a", "b"], answer="a", feedback={})
    with pytest.raises(CRMDataError, match="feedback"):
        exercises.choice("demo.x", options=opts, answer="a", feedback={"b": ("no", "否"), "z": ("?", "？")})
    with pytest.raises(CRMDataError, match="English, 中文"):
        exercises.choice("demo.x", options={"a": "yes", "b": ("no", "否")}, answer="a", feedback={"b": ("n", "否")})
    with pytest.raises(CRMDataError, match="feedback"):  # a computed answer: every option can be wrong
        exercises.choice("demo.x", options=opts, feedback={"b": ("no", "否")})
    assert "demo.x" not in exercises.REGISTRY


def test_judgement_choice_whose_right_option_depends_on_the_data(capsys):
    @exercises.choice(
        "demo.better",
        options={"a": ("the first", "第一位"), "b": ("the second", "第二位")},
        feedback=lambda accounts: {
            k: (f"{i} brings less margin", f"{i} 的边际贡献更少") for k, i in zip("ab", accounts.index)
        },
    )
    def _better(accounts):
        return "ab"[int(accounts["margin"].to_numpy().argmax())]

    first_wins = pd.DataFrame({"margin": [90.0, 50.0]}, index=["P1", "P2"])
    second_wins = pd.DataFrame({"margin": [90.0, 150.0]}, index=["P1", "P2"])
    assert expected("demo.better", accounts=first_wins) == "a"
    assert expected("demo.better", accounts=second_wins) == "b"
    assert check("demo.better", "a", accounts=first_wins, strict=False)
    assert not check("demo.better", "a", accounts=second_wins, strict=False)
    assert "P1 brings less margin" in out_of(capsys)


def test_multiple_choice_and_its_partial_credit(capsys):
    exercises.choice(
        "demo.man",
        multiple=True,
        credit="balanced",
        answer=["a", "c"],
        options={"a": ("can pay", "有购买能力"), "b": ("friendly", "态度友好"), "c": ("decides", "有决定权")},
        feedback={"b": ("not a MAN question", "不属于 MAN 法则")},
    )
    for right in (["c", "a"], "a, c", "ac", "A；C", {"a", "c"}):
        assert check("demo.man", right, strict=False), right
    capsys.readouterr()
    assert not check("demo.man", ["a", "b"], strict=False)
    assert out_of(capsys).splitlines() == [
        "❌ demo.man: not yet.",
        "   b: not a MAN question",
        "   1 right option is still missing.",
    ]
    # balanced credit = (right picks − wrong picks) / right options, at least 0
    for picked, credit in ((["a", "b"], 0.0), (["a"], 0.5), (["a", "b", "c"], 0.5), (["b"], 0.0)):
        check("demo.man", picked, strict=False)
        assert exercises.RECORD["demo.man"]["credit"] == credit, picked
    assert exercises.RECORD["demo.man"]["answer"] == frozenset({"b"})


# ----------------------------------------------------------------------------------- ranking
def test_ranking_names_wrong_positions_and_gives_partial_credit(capsys):
    exercises.ranking("demo.r", answer=["w", "x", "y", "z"], hint=("by value", "按价值"), points=4)
    assert not check("demo.r", ["w", "y", "x", "z"], strict=False)
    out = out_of(capsys)
    assert "positions 2, 3 are out of place (50% of the points)" in out and "Hint: by value" in out
    assert exercises.RECORD["demo.r"]["credit"] == 0.5  # positions 1 and 4 of 4 right
    assert exercises.RECORD["demo.r"]["answer"] == ("w", "y", "x", "z")  # in the student's order
    assert not check("demo.r", ["x", "w", "y", "z"], strict=False, lang="zh")
    assert "第 1、2 位排错了（可得 50% 的分数）。" in out_of(capsys)
    assert not check("demo.r", ["w", "x", "y", "q"], strict=False)
    assert "not among the items: q" in out_of(capsys)
    assert check("demo.r", ("W", "x", "y", "z"), strict=False)
    # pairs: 6 pairs of 4 items; swapping x and y breaks one -> 5/6; all-or-nothing -> 0
    exercises.ranking("demo.p", answer=["w", "x", "y", "z"], credit="pairs", hint=("h", "提示"))
    check("demo.p", ["w", "y", "x", "z"], strict=False)
    assert exercises.RECORD["demo.p"]["credit"] == pytest.approx(5 / 6)
    assert "(83% of the points)" in out_of(capsys)
    exercises.ranking("demo.a", answer=["w", "x", "y", "z"], credit="all", hint=("h", "提示"))
    check("demo.a", ["w", "y", "x", "z"], strict=False)
    assert exercises.RECORD["demo.a"]["credit"] == 0.0
    assert "of the points" not in out_of(capsys)


def test_ranking_computed_from_the_data_with_labelled_items(capsys):
    @exercises.ranking(
        "demo.channels",
        items={"s": ("store", "门店"), "o": ("online", "网上"), "p": ("phone", "电话")},
        hint=("largest revenue first", "收入最高的排在前面"),
        question=("Rank the {n} channels by revenue.", "按收入给这 {n} 个渠道排序。"),
    )
    def _channels(revenue, n):
        return revenue.sort_values(ascending=False).index.tolist()

    rev = pd.Series({"o": 300.0, "s": 200.0, "p": 100.0})
    assert expected("demo.channels", revenue=rev, n=3) == ("o", "s", "p")
    exercises.ask("demo.channels", revenue=rev, n=3, lang="zh")
    assert out_of(capsys).splitlines() == [
        "❓ demo.channels：按收入给这 3 个渠道排序。",
        "   s）门店",
        "   o）网上",
        "   p）电话",
        "请用列表作答，从第一名排到最后一名。",
    ]
    with pytest.raises(CRMDataError, match="order exactly the items"):
        exercises.ranking("demo.bad", items={"s": ("store", "门店")}, answer=["s", "x"], hint=("h", "提示"))


# ----------------------------------------------------------------------------------- memo
def test_memo_is_recorded_with_its_rubric_not_graded(capsys, monkeypatch):
    rubric = [(("names the segment", "指出客户群"), 2), (("gives the cost", "说明成本"), 1.5)]
    ex = exercises.memo("demo.memo", rubric=rubric)
    assert (ex.kind, ex.points) == ("memo", 3.5)
    assert check("demo.memo", "我们应当优先挽回高价值流失风险客户。Offer a voucher.", strict=False, lang="zh")
    lines = out_of(capsys).splitlines()
    assert lines[0].startswith("✅ demo.memo：你的备忘录已记录（20 字）")  # 17 characters + 3 words
    assert lines[1:] == ["   □ 指出客户群（2 分）", "   □ 说明成本（1.5 分）"]
    rec = exercises.RECORD["demo.memo"]
    assert rec["kind"] == "memo" and rec["correct"] is None and rec["credit"] is None and rec["points"] == 3.5
    assert rec["rubric"] == [["names the segment", "指出客户群", 2.0], ["gives the cost", "说明成本", 1.5]]
    assert not check("demo.memo", "", strict=False) and "no answer yet" in out_of(capsys)
    assert not check("demo.memo", 42, strict=False) and "between quotes" in out_of(capsys)
    monkeypatch.setenv("CRMLIB_STRICT_CHECKS", "1")
    with pytest.raises(ExerciseCheckFailed):
        check("demo.memo", None)
    assert check("demo.memo", "Win back the at-risk customers first.")  # strict: a written memo passes
    with pytest.raises(CRMDataError, match="rubric"):
        exercises.memo("demo.bad", rubric=[("names the segment", 2)])


# ----------------------------------------------------------------------------------- languages
def test_verdicts_follow_the_language(tx, capsys):
    crmlib.set_language("zh")
    assert not check("demo.top_share", 0.8, tx=tx, fraction=0.2, strict=False)
    out = out_of(capsys)
    assert out.startswith("❌ demo.top_share：还不对。提示：") and HAN.search(out)
    assert check("demo.top_share", 0.5, tx=tx, fraction=0.2, strict=False, lang="en")
    assert out_of(capsys) == "✅ demo.top_share: correct.\n"
    with pytest.raises(CRMDataError, match="lang"):
        check("demo.top_share", 0.5, tx=tx, fraction=0.2, lang="fr")


def _texts_of(ex: exercises.Exercise):
    yield from ex.hints
    yield from (m.message for m in ex.mistakes)
    yield from (c for c, _ in ex.rubric)
    for table in (ex.options, ex.feedback):
        if isinstance(table, dict):
            yield from table.values()
    if ex.question:
        yield ex.question


def test_every_registered_exercise_speaks_both_languages():
    for ex_id, ex in exercises.REGISTRY.items():
        assert ex.kind in (None, *exercises.KINDS), ex_id
        texts = list(_texts_of(ex))
        assert texts, f"{ex_id} has no texts"
        for _en, zh in texts:
            assert HAN.search(zh), f"{ex_id}: Chinese text without Chinese: {zh!r}"
            assert not re.search(r"[,;:?!]\s*$", zh), f"{ex_id}: Chinese text ends in English punctuation: {zh!r}"
        if ex.question:
            assert i18n.template_fields(ex.question[0]) == i18n.template_fields(ex.question[1]), ex_id


def test_every_exercise_the_notebooks_check_is_registered_with_a_hint_ladder():
    calls = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                calls |= set(re.findall(r'exercises\.check\(\s*"([^"]+)"', c.source))
    assert len(calls) >= 40
    missing = sorted(calls - set(exercises.REGISTRY))
    assert missing == [], missing
    for ex_id in calls:
        assert len(exercises.REGISTRY[ex_id].hints) >= 2, f"{ex_id}: a nudge, then the method"


# ----------------------------------------------------------------------------------- hint ladder
def test_hint_ladder_climbs_one_level_at_a_time(tx, capsys):
    ex = exercises.REGISTRY["demo.top_share"]
    nudge, method = (h[0] for h in ex.hints)
    exercises.hint("demo.top_share")
    assert out_of(capsys) == f"💡 demo.top_share — hint 1 of 2: {nudge}\n"
    exercises.hint("demo.top_share")
    assert out_of(capsys) == f"💡 demo.top_share — hint 2 of 2: {method}\n"
    exercises.hint("demo.top_share")
    out = out_of(capsys)
    assert "no more hints" in out and 'exercises.practice("demo.top_share")' in out
    exercises.hint("demo.top_share", level=1)
    assert nudge in out_of(capsys)
    # a wrong answer now shows the method, the highest level reached
    check("demo.top_share", 0.8, tx=tx, fraction=0.2, strict=False)
    assert out_of(capsys) == f"❌ demo.top_share: not yet. Hint: {method}\n"
    with pytest.raises(CRMDataError, match="level"):
        exercises.hint("demo.top_share", level=3)


def test_a_wrong_check_shows_the_nudge_and_points_to_the_next_hint(tx, capsys):
    check("demo.top_share", 0.8, tx=tx, fraction=0.2, strict=False)
    assert out_of(capsys).splitlines()[1] == 'Next hint: exercises.hint("demo.top_share").'
    exercises.hint("demo.top_share")  # the check showed level 1: next is the method
    assert "hint 2 of 2" in out_of(capsys)


def test_hints_never_hold_the_answer():
    for ex_id, ex in exercises.REGISTRY.items():
        if ex.practice is None or ex_id == "ch5.clv_top_share":  # (slow fit; its hints hold no number)
            continue
        value = exercises.to_jsonable(expected(ex_id, **ex.practice(5)))
        shown = [f"{value:.2f}", f"{value:.3f}", f"{value:,.0f}"] if isinstance(value, float) else value
        shown = [shown] if isinstance(shown, (str, int)) else shown
        text = " ".join(s for pair in ex.hints for s in pair)
        for s in map(str, shown):
            if len(s) >= 2 and s not in ("0.00", "1.00", "-0.00"):
                assert not re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", text), (ex_id, s)


# ----------------------------------------------------------------------------------- progress
def test_progress_line_counts_answers_and_points(tx, capsys):
    # under demo.t: the prefix demo also holds crmlib's worked examples (demo.top_share, ...)
    exercises.ranking("demo.t.r", answer=["w", "x", "y", "z"], hint=("h", "提示"), points=4)
    exercises.memo("demo.t.m", rubric=[(("a criterion", "一条标准"), 3)])
    exercises.choice(
        "demo.t.crm",
        options={"a": ("a database", "一个数据库"), "b": ("keeping valuable customers", "留住有价值的客户")},
        answer="b",
        feedback={"a": ("a database is a tool", "数据库只是工具")},
        points=2,
    )
    check("demo.t.r", ["w", "y", "x", "z"], strict=False)  # 4 × 0.5
    check("demo.t.m", "A memo.", strict=False)  # 3, graded by hand
    capsys.readouterr()
    p = exercises.progress("demo.t")
    assert (p.answered, p.right, p.points, p.total, p.pending) == (2, 0, 2.0, 9.0, 3.0)
    assert str(p) == (
        "📊 demo.t: 2 of 3 answered, 0 right — 2 of 9 points (+ up to 3 for the memos your instructor grades) · "
        "🟨 r 📝 m ⬜ crm"
    )
    assert p.table["status"].tolist() == ["partial", "memo", "todo"]
    check("demo.t.crm", "b", strict=False)
    assert exercises.progress("demo.t.").points == 4.0
    zh = exercises.progress("demo.t", lang="zh")
    assert zh.line.startswith("📊 demo.t：共 3 题，已答 3 题，答对 1 题，得 4 分（满分 9 分）")
    assert "✏️" not in zh.line  # the notebook tests read ✏️ as an unanswered check
    # chapter 1: one right, one wrong, the others to do (the total: every ch1 exercise's points)
    check("ch1.drop_losers", "b", strict=False)
    check("ch1.need_essence", "a", strict=False)
    check("demo.top_share", 0.5, tx=tx, fraction=0.2, strict=False)  # a worked example: no chapter's
    p1 = exercises.progress("ch1")
    total = sum(e.points for k, e in exercises.REGISTRY.items() if k.startswith("ch1."))
    points = exercises.REGISTRY["ch1.drop_losers"].points
    assert (p1.answered, p1.right, p1.points, p1.total) == (2, 1, points, total)
    assert "⬜ call_list ⬜ handling_losses ✅ drop_losers" in p1.line and "❌ need_essence" in p1.line
    assert "top_share" not in p1.line and len(p1.table) == 8
    demo = exercises.progress("demo")
    assert demo.table.loc["demo.top_share", "status"] == "right" and "demo.t.crm" in demo.table.index
    with pytest.raises(CRMDataError, match="prefix"):
        exercises.progress("ch9")


def test_forget_keeps_crmlibs_own_exercises():
    """Tests and examples register demo.* exercises and drop them again; crmlib's own demo.* (and any
    exercise they replaced) stay as crmlib registered them."""
    own = exercises.REGISTRY["demo.top_share"]
    exercises.choice("demo.top_share", options={"a": ("x", "甲")}, answer="a")  # replaces it for a while
    exercises.choice("demo.tmp", options={"a": ("x", "甲")}, answer="a")
    assert exercises.REGISTRY["demo.top_share"] is not own
    exercises._forget("demo.", registry=True)
    assert exercises.REGISTRY["demo.top_share"] is own and "demo.tmp" not in exercises.REGISTRY
    assert {"demo.key_accounts", "demo.at_risk_revenue", "demo.best_relational"} <= set(exercises.REGISTRY)


def _checked_ids(path: Path) -> set[str]:
    """The exercise ids a notebook's code checks: exercises.check("<id>", ...)."""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return set(re.findall(r"""exercises\.check\(\s*["']([^"']+)["']""", code))


def _notebook_prefix(path: Path) -> str:
    """ch<N> for notebooks/NN_*.ipynb, case<N> for casework/NN_*.ipynb."""
    n = int(path.name.split("_")[0])
    return f"ch{n}" if path.parent.name == "notebooks" else f"case{n}"


NOTEBOOKS = sorted([*(ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"), *(ROOT / "casework").glob("[0-9][0-9]_*.ipynb")])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_progress_lists_exactly_the_exercises_the_notebook_checks(path):
    """A chapter's (case's) progress line counts the exercises its notebook checks, no more and no
    fewer: an exercise the notebook dropped must leave its prefix (e.g. become a demo. example)."""
    prefix = _notebook_prefix(path)
    checked = _checked_ids(path)
    own = {i for i in checked if i.startswith(prefix + ".")}
    others = checked - own
    assert all(i.startswith("demo.") for i in others), f"{path.name} checks another chapter's exercises: {others}"
    registered = {k for k in exercises.REGISTRY if k.startswith(prefix + ".")}
    assert own == registered, f"{prefix}: registry only {registered - own}, notebook only {own - registered}"
    if own:
        assert set(exercises.progress(prefix).table.index) == own


def test_every_registered_prefix_belongs_to_a_notebook():
    """Each exercise is a chapter's, a case's or a demo. worked example: no exercise left without a notebook."""
    prefixes = {_notebook_prefix(p) for p in NOTEBOOKS if _checked_ids(p)}
    orphans = sorted(k for k in exercises.REGISTRY if k.split(".")[0] not in prefixes | {"demo"})
    assert orphans == []
    assert "ch1" in prefixes and "case1" in prefixes and len(prefixes) >= 12


# ----------------------------------------------------------------------------------- practice
def test_practice_draws_fresh_reproducible_data_and_counts_tries(capsys):
    p1 = exercises.practice("demo.key_accounts")
    p2 = exercises.practice("demo.key_accounts")
    assert (p1.round, p2.round) == (1, 2) and p1.seed != p2.seed
    assert p1.seed == exercises._practice_seed("demo.key_accounts", 1)  # the same session gives the same rounds
    assert not p1["tx"].equals(p2["tx"]) and p1["cuts"] == [0.8, 0.95]
    again = exercises.practice("demo.key_accounts", seed=p1.seed)
    assert again["tx"].equals(p1["tx"])
    out = out_of(capsys)
    assert "🔁 Practice demo.key_accounts, round 3" in out and "With the cut-offs [0.8, 0.95]" in out
    right = expected("demo.key_accounts", **again.data)
    assert not exercises.check_practice(again, right + 5, strict=False)
    assert "Try again with the same data" in out_of(capsys)
    assert again.check(right)
    assert "after 2 tries" in out_of(capsys)
    assert exercises.PRACTICE["demo.key_accounts"]["solved"] is True
    assert exercises.RECORD == {}  # practice is never recorded for grading
    with pytest.raises(CRMDataError, match="no practice data"):
        exercises.practice("ch6.top_owner")
    with pytest.raises(CRMDataError, match="is not part of this practice data"):
        again["transactions"]
    with pytest.raises(CRMDataError, match="draw one"):
        exercises.check_practice("demo.top_share", 0.5)


def test_every_practice_variant_can_be_answered(capsys):
    """Each exercise with practice makes valid data for two seeds: the expected answer, the key entry,
    the question (both languages) and every named mistake compute on it."""
    drawn = 0
    for ex_id, ex in exercises.REGISTRY.items():
        if ex.practice is None:
            continue
        seeds = (3,) if ex_id == "ch5.clv_top_share" else (3, 4)  # a CLV fit takes seconds
        for seed in seeds:
            data = ex.practice(seed)
            target = expected(ex_id, **data)
            assert exercises.key_entry(ex_id, **data)["expected"] == exercises.to_jsonable(target)
            for lang in i18n.LANGUAGES:
                exercises.ask(ex_id, lang=lang, **data)
            assert exercises._which_mistake(ex, "not an answer", target, data) is None
            for m in ex.mistakes:  # each named mistake is recognised when its value differs from the answer
                produced = exercises._mistake_values(m, target, data)
                if not is_correct(produced, target, ex.tol * abs(m.scale or 1), ex.rel):
                    assert exercises._which_mistake(ex, produced, target, data) is not None, (ex_id, m.name)
            drawn += 1
    assert drawn >= 60
    assert "{" not in out_of(capsys)  # every question filled


# ----------------------------------------------------------------------------------- grading records
def test_key_entries_and_collected_output_carry_kind_points_and_order():
    _crm_choice()
    exercises.ranking("demo.r", answer=["w", "x", "y", "z"], credit="pairs", hint=("h", "提示"), points=4)
    exercises.memo("demo.m", rubric=[(("a criterion", "一条标准"), 3)])
    key = {q: exercises.key_entry(q) for q in ("demo.crm", "demo.r", "demo.m")}
    assert key["demo.crm"] == {"expected": "b", "tol": 0.0, "rel": 0.0, "kind": "choice", "points": 2.0}
    assert key["demo.r"]["expected"] == ["w", "x", "y", "z"] and key["demo.r"]["credit"] == "pairs"
    assert key["demo.m"]["expected"] is None and key["demo.m"]["rubric"] == [["a criterion", "一条标准", 3.0]]
    check("demo.r", ["z", "y", "x", "w"], strict=False)
    check("demo.m", "Win them back.", strict=False)
    bundle = exercises.collected_output(exercises.RECORD, key)[exercises.RECORD_MIME]
    json.dumps(bundle)  # plain JSON
    assert bundle["record"]["demo.r"]["answer"] == ["z", "y", "x", "w"]  # a ranking keeps its order
    assert bundle["key"]["demo.r"]["expected"] == ["w", "x", "y", "z"]
    assert bundle["record"]["demo.m"]["correct"] is None and bundle["record"]["demo.m"]["kind"] == "memo"
    assert bundle["key"]["demo.m"]["rubric"] == [["a criterion", "一条标准", 3.0]]


def test_mark_scores_every_kind():
    assert exercises.mark(0.51, {"expected": 0.5, "tol": 0.005, "rel": 0}) == (False, 0.0)
    assert exercises.mark(["b", "a"], {"expected": ["a", "b"], "tol": 0, "rel": 0}) == (True, 1.0)  # old key entry
    assert exercises.mark("B", {"expected": "b", "kind": "choice"}) == (True, 1.0)
    entry = {"expected": ["a", "c"], "kind": "multiple_choice", "credit": "balanced"}
    assert exercises.mark(["a"], entry) == (False, 0.5)
    rank = {"expected": ["w", "x", "y", "z"], "kind": "ranking", "credit": "pairs"}
    assert exercises.mark(["w", "y", "x", "z"], rank) == (False, pytest.approx(5 / 6))
    assert exercises.mark(["W", "x", "y", "z"], rank) == (True, 1.0)
    assert exercises.mark(None, rank) == (False, 0.0)
    assert exercises.mark("anything", {"expected": None, "kind": "memo"}) == (None, None)
    with pytest.raises(CRMDataError, match="kind"):
        exercises.mark(1, {"expected": 1, "kind": "essay"})


# ----------------------------------------------------------------------------------- answers shown early
def _cell(source, text=None, tags=(), html=None):
    outputs = []
    if text is not None:
        outputs.append(nbformat.v4.new_output("stream", text=text))
    if html is not None:
        outputs.append(nbformat.v4.new_output("execute_result", data={"text/html": html, "text/plain": "table"}))
    cell = nbformat.v4.new_code_cell(source, outputs=outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _executed(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Chapter"), *cells]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    return nb


CHECK_SHARE = 'exercises.check("demo.top_share", answer_1, tx=tx, fraction=top_fraction)'
KEY = {"demo.top_share": {"expected": 0.6238, "tol": 0.005, "rel": 0.0, "kind": "number"}}


def test_a_number_shown_above_its_check_is_found():
    nb = _executed(
        _cell("print(top)", text="the top 20% bring 0.62 of revenue"),  # 1: the answer as the check rounds it
        _cell("print(x)", text="0.6 and 62 and 10.62 and 0.63"),  # 2: none would pass the check
        _cell("answer_1 = None"),
        _cell("answer_1 = top_share(...)", text="0.6238", tags=["solution"]),  # students never see it
        _cell(CHECK_SHARE, text="✅ demo.top_share: correct."),
        _cell("print(top)", text="0.6238"),  # below the check: fine
    )
    found = exercises.answers_shown_early(nb, key=KEY)
    assert found == [{"exercise": "demo.top_share", "check_cell": 5, "cell": 1, "cell_id": "c1", "shown": "0.62"}]


def test_numbers_in_percent_and_thousands_form_and_html_are_found():
    table = "<style>td { width: 62%; }</style><table><tr><th>top</th><td>62.4%</td></tr></table>"
    share = _executed(_cell("t", html=table), _cell(CHECK_SHARE))
    assert [f["shown"] for f in exercises.answers_shown_early(share, key=KEY)] == ["62.4%"]
    revenue = {"demo.at_risk_revenue": {"expected": 123456.78, "tol": 0.0, "rel": 0.001}}
    check_rev = 'exercises.check("demo.at_risk_revenue", answer_4, tx=tx, bins=rfm_bins)'
    nb = _executed(_cell("s", text="at risk: 123,400 yuan"), _cell(check_rev))  # within 0.1%
    assert [f["shown"] for f in exercises.answers_shown_early(nb, key=revenue)] == ["123,400"]
    nb = _executed(_cell("s", text="at risk: 120,000 yuan"), _cell(check_rev))
    assert exercises.answers_shown_early(nb, key=revenue) == []


def test_a_number_needs_the_decimals_its_check_needs():
    nps = {"ch4.nps": {"expected": 12.0, "tol": 0.05, "rel": 0.0}}
    check_nps = 'exercises.check("ch4.nps", answer_1, survey=survey)'
    hours = _executed(_cell("t", text="remedy within 12 hours"), _cell(check_nps))
    assert exercises.answers_shown_early(hours, key=nps) == []
    found = exercises.answers_shown_early(_executed(_cell("t", text="NPS = 12.0 points"), _cell(check_nps)), key=nps)
    assert [f["shown"] for f in found] == ["12.0"]
    hours = {"case5.rm_hours": {"expected": 270.0, "tol": 0.0, "rel": 0.001}}  # ±0.27: 1 decimal, or 3 digits
    check_hours = 'exercises.check("case5.rm_hours", answer_3, assets=assets)'
    found = exercises.answers_shown_early(_executed(_cell("t", text="hours: 270"), _cell(check_hours)), key=hours)
    assert [f["shown"] for f in found] == ["270"]
    assert exercises._decimals(0.6238, 0.005, 0) == 2 and exercises._decimals(123456.0, 0, 0.001) == 0
    assert exercises._decimals(0.125, 0, 0) == 3


def test_small_counts_and_row_labels_are_not_evidence():
    count = 'exercises.check("demo.key_accounts", answer_2, tx=tx, cuts=abc_cuts)'
    table = "<table><tr><th>37</th><td>C0037</td></tr></table>"  # a row label 37, an id containing 37
    nb = _executed(_cell("t", html=table), _cell("p", text="bins: 7"), _cell(count))
    assert exercises.answers_shown_early(nb, key={"demo.key_accounts": 37}) == []
    assert exercises.answers_shown_early(nb, key={"demo.key_accounts": 7}) == []  # one digit: too common
    assert [f["cell"] for f in exercises.answers_shown_early(nb, key={"demo.key_accounts": 7}, min_digits=1)] == [2]
    nb = _executed(_cell("p", text="37 key customers"), _cell(count))
    assert [f["shown"] for f in exercises.answers_shown_early(nb, key={"demo.key_accounts": 37})] == ["37"]


def test_an_id_list_shown_above_its_check_is_found():
    check_list = 'exercises.check("ch1.call_list", answer_3, prospects=prospects, mature_days=mature_days)'
    ids = {"ch1.call_list": {"expected": ["P1", "P17", "P9"], "tol": 0, "rel": 0, "kind": "ids"}}
    nb = _executed(
        _cell("a", text="call P17 and P1 first"),  # two of three: not the list
        _cell("b", html="<table><tr><th>P9</th></tr><tr><th>P17</th></tr><tr><th>P1</th></tr></table>"),
        _cell("c", text="P1, P9 and P17 are due"),
        _cell(check_list),
    )
    assert [f["cell"] for f in exercises.answers_shown_early(nb, key=ids)] == [2, 3]
    ranking = {"demo.rank": {"expected": ["P9", "P17", "P1"], "kind": "ranking"}}
    nb.cells.append(_cell('exercises.check("demo.rank", order)'))
    assert [f["cell"] for f in exercises.answers_shown_early(nb, key=ranking)] == [2]  # in that order only


def test_the_key_is_read_from_the_collected_output():
    collect = exercises.collected_output({}, KEY)
    last = nbformat.v4.new_code_cell("# collect", outputs=[nbformat.v4.new_output("display_data", data=collect)])
    last.metadata["tags"] = ["crmlib-collect"]
    nb = _executed(_cell("s", text="62%"), _cell(CHECK_SHARE), last)
    assert [f["shown"] for f in exercises.answers_shown_early(nb)] == ["62%"]
    skipped = {"demo.top_share": {"error": "KeyError"}}
    assert exercises.answers_shown_early(nb, key=skipped) == []
    with pytest.raises(CRMDataError, match="add_key_cells"):
        exercises.answers_shown_early(_executed(_cell(CHECK_SHARE)))
    with pytest.raises(CRMDataError, match="nb"):
        exercises.answers_shown_early("01_identification.ipynb")


@pytest.mark.notebook
def test_a_chapter_executed_with_its_key_cells(tmp_path):
    """The path the chapters' test will take: execute with the key cells, then look."""
    import papermill as pm

    from crmlib import instructor

    nb = _executed(
        nbformat.v4.new_code_cell(
            "import pandas as pd\nfrom crmlib import exercises, segmentation\n"
            "tx = pd.DataFrame({'customer_id': list('abcde'), 'date': ['2024-01-01'] * 5,"
            " 'amount': [50.0, 30.0, 10.0, 5.0, 5.0]})"
        ),
        nbformat.v4.new_code_cell("print(f\"{segmentation.top_share(tx['amount'], 0.4):.0%}\")"),  # leaks 80%
        nbformat.v4.new_code_cell("answer_1 = 0.8"),
        nbformat.v4.new_code_cell('exercises.check("demo.top_share", answer_1, tx=tx, fraction=0.4)'),
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    run = pm.execute_notebook(
        instructor.add_key_cells(nb),
        None,
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
        kernel_manager_class=kernel_manager_class(),
    )
    found = exercises.answers_shown_early(run)
    assert [(f["exercise"], f["shown"]) for f in found] == [("demo.top_share", "80%")]


def test_numbers_tokens_are_whole():
    assert exercises._NUMBER.findall("C0042 v1.2.3 -3.5 1,234.5% 12") == [
        ("-3.5", ""),
        ("1,234.5", "%"),
        ("12", ""),
    ]
    assert np.isclose(exercises._digits(0.6238, 0.005, 0), 2) and exercises._digits(37, 0, 0) == 2


# ----------------------------------------------------------------------------------- chapter 0's warm-up quiz
def test_chapter_0_quiz_gives_a_reason_for_each_wrong_pick_and_partial_credit(capsys):
    quiz = {k: e for k, e in exercises.REGISTRY.items() if k.startswith("ch0.")}
    assert sorted(quiz) == ["ch0.error", "ch0.language", "ch0.rerun", "ch0.steps"]
    assert sum(e.points for e in quiz.values()) == 6.0
    for ex in quiz.values():  # questions and every hint in both languages
        assert ex.question and all(HAN.search(zh) and zh != en for en, zh in [ex.question, *ex.hints])
        assert len(ex.hints) == 2
    assert check("ch0.rerun", "b", strict=False) and check("ch0.error", "B", strict=False)
    assert not check("ch0.rerun", "c", strict=False, lang="zh")
    assert "❌ ch0.rerun：选 c 不对——保存只会把现有的输出原样存下来" in out_of(capsys)
    # multiple choice, balanced: (2 right − 1 wrong) / 2 right options
    assert not check("ch0.language", ["a", "b", "e"], strict=False)
    assert exercises.RECORD["ch0.language"]["credit"] == 0.5
    assert "e: error messages are in English in every language" in out_of(capsys)
    assert check("ch0.language", "b, a", strict=False)
    # ranking by positions: hint and solution swapped, 2 of 4 in place
    assert not check("ch0.steps", ["answer", "check", "solution", "hint"], strict=False)
    assert exercises.RECORD["ch0.steps"]["credit"] == 0.5 and "positions 3, 4" in out_of(capsys)
    p = exercises.progress("ch0")  # the last check of each counts: rerun's second answer (c) was wrong
    assert (p.answered, p.right, p.points, p.total) == (4, 2, 0 + 2 + 1 + 1.0, 6.0)
    assert p.line.endswith("❌ rerun ✅ language 🟨 steps ✅ error")
