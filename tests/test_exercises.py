"""Self-checks: right answers pass, wrong ones give a hint (never the answer), strict mode raises."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from crmlib import CRMDataError, exercises
from crmlib.exercises import ExerciseCheckFailed, check, expected, is_correct


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


def test_expected_answers_by_hand(tx, prospects):
    assert expected("ch1.top_share", tx=tx, fraction=0.2) == pytest.approx(0.5)  # a: 50 of 100
    assert expected("ch1.top_share", tx=tx, fraction=0.4) == pytest.approx(0.8)  # a + b
    assert expected("ch1.key_accounts", tx=tx, cuts=(0.8, 0.95)) == 2  # a, b reach 80%
    assert expected("ch1.key_accounts", tx=tx, cuts=(0.5, 0.95)) == 1
    assert expected("ch1.call_list", prospects=prospects, mature_days=30) == {"P1"}  # P2 too late, P3 no A
    assert expected("ch1.call_list", prospects=prospects, mature_days=50) == {"P1", "P2"}
    # best relational: a has margin 20 and discount < 20%; b is transactional (30% off)
    assert expected("ch1.best_relational", tx=tx, discount_cut=0.2) == "a"


def test_check_verdicts_and_record(tx, capsys):
    assert check("ch1.top_share", 0.5, tx=tx, fraction=0.2, strict=False) is True
    assert "✅" in capsys.readouterr().out
    assert check("ch1.top_share", 0.6, tx=tx, fraction=0.2, strict=False) is False
    out = capsys.readouterr().out
    assert "❌" in out and "Hint" in out and "0.5" not in out  # a hint, never the answer
    assert exercises.RECORD["ch1.top_share"] == {"answer": 0.6, "correct": False}
    assert check("ch1.key_accounts", None, tx=tx, cuts=(0.8, 0.95), strict=False) is False
    assert "no answer yet" in capsys.readouterr().out


def test_strict_mode_raises_on_wrong_or_missing(tx, monkeypatch):
    monkeypatch.setenv("CRMLIB_STRICT_CHECKS", "1")
    with pytest.raises(ExerciseCheckFailed):
        check("ch1.top_share", 0.9, tx=tx, fraction=0.2)
    with pytest.raises(ExerciseCheckFailed):
        check("ch1.top_share", None, tx=tx, fraction=0.2)
    assert check("ch1.top_share", 0.502, tx=tx, fraction=0.2)  # within tolerance 0.005
    monkeypatch.setenv("CRMLIB_STRICT_CHECKS", "0")
    assert check("ch1.top_share", 0.9, tx=tx, fraction=0.2) is False


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
    assert "ch1.top_share" in str(e.value)
    with pytest.raises(CRMDataError):
        expected("ch1.top_share", tx=tx, frac=0.2)  # misspelt keyword
    with pytest.raises(CRMDataError):
        expected("ch1.top_share", tx=tx, fraction=2.0)  # validated by top_share
