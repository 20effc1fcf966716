"""Exercises that test understanding (练习与自我检查): question kinds, self-checks, hints, practice.

An exercise has an id (``"ch1.handling_losses"``: the chapter's or case's prefix, then a name), points,
a ladder of hints and a way to know the right answer **from the notebook's own data**: a registered
function computes it with crmlib, so a check stays right for every parameter set an instructor hands
out. In the notebook the student writes an answer and calls
``exercises.check("ch1.handling_losses", answer_1, tx=tx, cost_per_order=cost_per_order)``, which
prints a verdict (✅ right, ❌ not yet, ✏️ no answer) with feedback in the notebook's language — never
the answer —, records the answer in :data:`RECORD` for ``crmlib grade`` and, in strict mode
(``CRMLIB_STRICT_CHECKS=1``, set by the test suite), raises :class:`ExerciseCheckFailed` on a wrong or
missing answer, so running a notebook with its model solutions verifies every check.

The kinds of question, each carrying ``points``:

* **number, ids, text** — ``@exercise(id, hint, tol=, rel=, mistakes=[...])`` on the function that
  computes the answer: a number (within ``tol``/``rel``), a list of ids (compared as a set) or one
  id or name. A number's check can recognise **named common mistakes** (:func:`mistake`: a name, the
  value the mistake produces, what to tell the student) and says which one was made. An answer that
  is a category (a funnel stage, a card tier) names its glossary keys (``categories=``), so the label
  in either language is right.
* **choice, multiple_choice** — :func:`choice`: options ``{"a": (en, zh), ...}``, feedback for each
  option saying why it is wrong; the right option(s) fixed (``answer="b"``) or computed from the data
  (``@choice(...)`` on a function returning the letter), for judgement questions whose answer depends
  on the data.
* **ranking** — :func:`ranking`: an ordered list; the check names the positions that are wrong and the
  exercise defines the partial credit (``"positions"``, ``"pairs"`` or ``"all"``).
* **memo** — :func:`memo`: a short written decision; the check records the text (not auto-graded),
  shows the rubric to check it against, and the instructor grades it by hand.

Every text a student reads is in English and Chinese: an exercise's own texts (hints, options,
feedback, rubric, question) are pairs ``(English, 中文)`` kept with the exercise; the sentences around
them (verdicts, "Hint:", progress, practice) are the ``ex_*`` templates of :data:`crmlib.i18n.TEXTS`.
``lang=`` picks the language; the default is :func:`crmlib.i18n.get_language`, which ``crmlib.start``
sets from the notebook's ``lang`` parameter. No answer needs an English word: choices are letters,
ids are ids, and a category is accepted in either language.

For self-study: :func:`hint` climbs the hint ladder (a nudge first, then the method, never the
answer), :func:`progress` prints a chapter's progress line, :func:`practice` draws a fresh data set for
the same question and :func:`check_practice` checks an answer to it, as often as the student likes.
For the instructor tools: :func:`key_entry` (what the answer key records), :func:`collected_output`,
:func:`mark` (scoring a recorded answer) and :func:`answers_shown_early` (the rule "no answer visible
before its question", for tests of executed notebooks).

Worked examples
---------------
The ``demo.`` exercises (``demo.top_share``, ``demo.key_accounts``, ``demo.at_risk_revenue``,
``demo.best_relational``) are the engine's own worked examples, used by these docs, the tests and
chapter 0's demonstration; they belong to no chapter, so no chapter's :func:`progress` counts them.

A **number** with its common mistakes — the 80/20 check (``demo.top_share``):

>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": list("abcde"), "date": ["2024-01-01"] * 5,
...                    "amount": [50.0, 30.0, 10.0, 5.0, 5.0]})
>>> check("demo.top_share", 0.5, tx=tx, fraction=0.2, strict=False)
✅ demo.top_share: correct.
True
>>> check("demo.top_share", 50, tx=tx, fraction=0.2, strict=False)
❌ demo.top_share: not yet — this looks like a percentage; the question asks for a fraction (write 0.25 for 25%).
False
>>> RECORD["demo.top_share"]["mistake"]
'percent_for_fraction'
>>> check("demo.top_share", 0.8, tx=tx, fraction=0.2, strict=False, lang="zh")
❌ demo.top_share：还不对。提示：先想清楚排在最前面的这部分客户有多少位，再看他们的收入在全部收入中占多大比例。
下一条提示：exercises.hint("demo.top_share")。
False

Registering one: the function computes the answer from the data the check is called with; a mistake
is a name, the value it produces (a function of the same data, or ``scale=`` times the right answer)
and, unless it is one of :data:`COMMON_MISTAKES`, a message.

>>> @exercise("demo.margin", tol=0.5, points=2,
...           hint=[("Margin, not revenue.", "要算的是边际贡献，不是收入。"),
...                 ("Add up the margin column.", "把 margin 这一列加总。")],
...           mistakes=[mistake("revenue_for_margin", value=lambda tx: float(tx["amount"].sum()))])
... def _demo_margin(tx):
...     return float(tx["margin"].sum())
>>> sales = pd.DataFrame({"amount": [100.0, 60.0], "margin": [30.0, 12.0]})
>>> check("demo.margin", 160, tx=sales, strict=False)
❌ demo.margin: not yet — this is based on revenue; the question asks about margin (revenue minus the variable cost of what was sold).
False
>>> check("demo.margin", 42.2, tx=sales, strict=False)
✅ demo.margin: correct.
True

**Ids** are compared as a set, **text** ignoring case; ``categories=`` accepts a category's label
in any language (here the AIDMAS stage of chapter 3, ``"interest"`` = ``"激发兴趣"``):

>>> furthest = {"attention": 20, "interest": 10, "desire": 5, "memory": 2, "action": 3, "satisfaction": 10}
>>> leads = pd.DataFrame({"stage": [stage for stage, n in furthest.items() for _ in range(n)]})
>>> check("ch3.weakest_step", "激发兴趣", leads=leads, strict=False)
✅ ch3.weakest_step: correct.
True
>>> check("ch3.weakest_step", "购后满意", leads=leads, strict=False)
❌ ch3.weakest_step: not yet — this compares each stage with the first one; the question asks about the step from the stage just before.
False

**Choice** with a fixed answer and feedback for each wrong option:

>>> _ = choice("demo.crm", points=1,
...            options={"a": ("A database of customers", "客户数据库"),
...                     "b": ("Keeping valuable customers and growing with them", "留住有价值的客户并共同成长")},
...            answer="b",
...            feedback={"a": ("The database is a tool; CRM is what the firm does with it.",
...                            "数据库只是工具，客户关系管理是企业用它来做的事。")})
>>> check("demo.crm", "A", strict=False)
❌ demo.crm: not a — The database is a tool; CRM is what the firm does with it.
False
>>> check("demo.crm", "b", strict=False)
✅ demo.crm: correct.
True

A **judgement choice** whose right option depends on the data: the function returns the letter.

>>> @choice("demo.better", options={"a": ("P1", "P1"), "b": ("P2", "P2")},
...         feedback={"a": ("P1 has the larger revenue, but its margin is smaller.", "P1 收入更高，但边际贡献更低。"),
...                   "b": ("P2 has the larger revenue, but its margin is smaller.", "P2 收入更高，但边际贡献更低。")})
... def _demo_better(accounts):
...     return "a" if accounts.loc["P1", "margin"] > accounts.loc["P2", "margin"] else "b"
>>> two = pd.DataFrame({"revenue": [900.0, 500.0], "margin": [90.0, 150.0]}, index=["P1", "P2"])
>>> check("demo.better", "a", accounts=two, strict=False)
❌ demo.better: not a — P1 has the larger revenue, but its margin is smaller.
False

**Multiple choice** (``multiple=True``) takes a list of letters, or ``"a, c"``:

>>> _ = choice("demo.man", multiple=True, answer=["a", "c"],
...            options={"a": ("can pay", "有购买能力"), "b": ("is friendly", "态度友好"), "c": ("decides", "有决定权")},
...            feedback={"b": ("Friendliness is not one of the three MAN questions.", "态度友好不属于 MAN 法则的三个问题。")})
>>> check("demo.man", "a, b", strict=False)
❌ demo.man: not yet.
   b: Friendliness is not one of the three MAN questions.
   1 right option is still missing.
False

A **ranking** names the positions that are wrong; ``credit`` defines the partial credit:

>>> _ = ranking("demo.order", answer=["x", "y", "z", "w"], credit="positions",
...             hint=("Sort by value, largest first.", "按价值从大到小排列。"))
>>> check("demo.order", ["x", "z", "y", "w"], strict=False)
❌ demo.order: not yet — positions 2, 3 are out of place (50% of the points).
Hint: Sort by value, largest first.
False
>>> RECORD["demo.order"]["credit"]
0.5

A **memo** is recorded, not auto-graded; the student sees the rubric:

>>> _ = memo("demo.decision",
...          rubric=[(("names the segment to win back", "指出要挽回的客户群"), 2),
...                  (("gives the cost of the offer", "说明优惠的成本"), 1)])
>>> check("demo.decision", "Win back the at-risk customers with a 10% voucher.", strict=False)
✅ demo.decision: your memo is recorded (10 words). Your instructor grades it by hand, out of 3 points. Check it against the rubric:
   □ names the segment to win back (2 pt)
   □ gives the cost of the offer (1 pt)
True
>>> RECORD["demo.decision"]["kind"], RECORD["demo.decision"]["correct"], RECORD["demo.decision"]["points"]
('memo', None, 3.0)

The **hint ladder**, the **progress line** and **unlimited practice**:

>>> _forget("demo.")
>>> hint("demo.margin")
💡 demo.margin — hint 1 of 2: Margin, not revenue.
>>> hint("demo.margin")
💡 demo.margin — hint 2 of 2: Add up the margin column.
>>> hint("demo.margin")
💡 demo.margin: no more hints — reread the worked example in the chapter, or ask your instructor.
>>> _ = check("demo.margin", 42, tx=sales, strict=False)
✅ demo.margin: correct.
>>> progress("demo")
📊 demo: 1 of 10 answered, 1 right — 2 of 13 points · ⬜ top_share ⬜ key_accounts ⬜ at_risk_revenue ⬜ best_relational ✅ margin ⬜ crm ⬜ better ⬜ man ⬜ order ⬜ decision
>>> p = practice("demo.top_share", seed=7)  # doctest: +ELLIPSIS
🔁 Practice demo.top_share, round 1 (seed 7): new data, same question.
❓ demo.top_share: What share of total revenue (a fraction between 0 and 1) do the top 20% of customers bring?
The data: tx (a table of ... rows), fraction = 0.2. Take them from the practice object, e.g. p["tx"].
Check your answer with exercises.check_practice(p, answer).
>>> from crmlib.segmentation import rfm_table, top_share
>>> check_practice(p, top_share(rfm_table(p["tx"])["monetary"], p["fraction"]))
✅ demo.top_share: correct — round 1, at the first try. Another round: exercises.practice("demo.top_share").
True
>>> _forget("demo.", registry=True)
"""  # noqa: E501

from __future__ import annotations

import dataclasses
import hashlib
import html
import math
import numbers
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._checks import CHECK_CALL, GRADED_ENV, GRADING, blank_answer
from crmlib._errors import CRMDataError

#: one sentence in every language of :data:`crmlib.i18n.LANGUAGES`: ``(English, 中文)``
Text = tuple[str, str]

#: the kinds of question; the first three are answers computed by an ``@exercise`` function
VALUE_KINDS = ("number", "ids", "text")
KINDS = (*VALUE_KINDS, "choice", "multiple_choice", "ranking", "memo")
#: partial credit of a ranking: share of positions right, share of pairs in the right order, or all-or-nothing
RANKING_CREDIT = ("positions", "pairs", "all")
#: partial credit of a multiple choice: all-or-nothing, or (right picks − wrong picks) / right options
CHOICE_CREDIT = ("all", "balanced")


class ExerciseCheckFailed(AssertionError):
    """Raised in strict mode when an answer is wrong or missing."""


@dataclass(frozen=True)
class Mistake:
    """A named common mistake: the value it makes the answer (``value(**data)`` or ``scale`` × the right
    answer) and what to tell the student. Made by :func:`mistake`."""

    name: str
    message: Text
    value: Callable[..., Any] | None = None
    scale: float | None = None


@dataclass(frozen=True, eq=False)
class Exercise:
    """One registered exercise (made by :func:`exercise`, :func:`choice`, :func:`ranking`, :func:`memo`)."""

    id: str
    solve: Callable[..., Any] | None  # computes the answer from the data; None: ``answer`` is fixed
    hints: tuple[Text, ...] = ()  # the ladder: a nudge first, then the method
    tol: float = 0.0  # absolute tolerance for numbers
    rel: float = 0.0  # relative tolerance for numbers
    kind: str | None = None  # None: number / ids / text, from the computed answer
    points: float = 1.0
    mistakes: tuple[Mistake, ...] = ()
    categories: tuple[str, ...] = ()  # glossary keys: a category's label in any language is right
    aliases: Callable[[Any], Iterable[str]] | None = None  # other spellings of an answer (answer -> names)
    options: Any = None  # choice / ranking: {key: Text}, or a function of the data returning it
    feedback: Any = None  # choice: {key: Text} (why the option is wrong), or a function of the data
    answer: Any = None  # the fixed answer when ``solve`` is None
    credit: str = "all"  # partial credit (ranking, multiple choice)
    rubric: tuple[tuple[Text, float], ...] = ()  # memo: (criterion, points)
    question: Text | None = None  # templates filled with the data's plain values (practice, ask)
    practice: Callable[[int], dict] | None = None  # seed -> the data of a fresh variant
    partial: tuple[float, float, float] | None = None  # number: (tol, rel, credit) of a wider margin


REGISTRY: dict[str, Exercise] = {}
#: answers checked in this session, read by the grading tools:
#: id -> {"answer", "correct", "kind", "points", "credit"} (+ "mistake" when one was recognised,
#: + "rubric" for a memo; ``correct`` is None for a memo, which is graded by hand)
RECORD: dict[str, dict[str, Any]] = {}
#: the highest hint level each exercise has shown (the hint ladder)
HINTS_SHOWN: dict[str, int] = {}
#: self-study practice: id -> {"round", "tries", "solved", "current"} (never graded)
PRACTICE: dict[str, dict[str, Any]] = {}

#: output mimetype under which an executed notebook hands its recorded answers to crmlib.instructor
RECORD_MIME = "application/vnd.crmlib.record+json"
#: tags of the cells crmlib.instructor adds for execution only
HELPER_TAGS = ("crmlib-hook", "crmlib-collect")


#: the exercises crmlib registers itself (the chapters', the cases' and the ``demo.`` worked examples),
#: filled at the end of this module; :func:`_forget` never drops them
_BUILTIN: dict[str, Exercise] = {}


def _forget(prefix: str, registry: bool = False) -> None:
    """Drop the answers, hints seen and practice of the exercises whose id starts with ``prefix``
    (and, with ``registry=True``, the exercises registered since crmlib was imported: those of
    examples and tests; crmlib's own exercises stay, as crmlib registered them)."""
    for store in (RECORD, HINTS_SHOWN, PRACTICE):
        for k in [k for k in store if k.startswith(prefix)]:
            del store[k]
    if registry:
        for k in [k for k in REGISTRY if k.startswith(prefix)]:
            if k in _BUILTIN:
                REGISTRY[k] = _BUILTIN[k]
            else:
                del REGISTRY[k]


# ----------------------------------------------------------------------------------- texts
def _is_text(x: Any) -> bool:
    return (
        isinstance(x, (tuple, list))
        and len(x) == len(i18n.LANGUAGES)
        and all(isinstance(s, str) and s.strip() for s in x)
    )


def _text(x: Any, func: str, field: str) -> Text:
    if not _is_text(x):
        raise CRMDataError(
            func, field, f"must be a pair of non-empty texts (English, 中文), got {x!r}"[:300], detail=_TEXT_HELP
        )
    return tuple(s.strip() for s in x)  # type: ignore[return-value]


_TEXT_HELP = 'e.g. ("add up the margin", "把边际贡献加总")'


def _texts(x: Any, func: str, field: str, allow_none: bool = False) -> tuple[Text, ...]:
    """One pair, or a list of pairs (the hint ladder)."""
    if x is None and allow_none:
        return ()
    if _is_text(x):
        return (_text(x, func, field),)
    if isinstance(x, (list, tuple)) and x and all(_is_text(p) for p in x):
        return tuple(_text(p, func, field) for p in x)
    raise CRMDataError(
        func, field, f"must be a pair (English, 中文) or a list of such pairs, got {x!r}"[:300], detail=_TEXT_HELP
    )


def _say(pair: Text, lang: str) -> str:
    return pair[i18n.LANGUAGES.index(lang)]


def _template(pair: Any, func: str, field: str) -> Text | None:
    """A question: a pair of templates with the same fields in both languages."""
    if pair is None:
        return None
    t = _text(pair, func, field)
    fields = [i18n.template_fields(s) for s in t]
    if any(f != fields[0] for f in fields):
        raise CRMDataError(func, field, f"must fill the same fields in every language, got {fields}")
    return t


def _fill(pair: Text, data: Mapping[str, Any], lang: str, func: str) -> str:
    template = _say(pair, lang)
    missing = sorted(i18n.template_fields(template) - set(data))
    if missing:
        raise CRMDataError(func, "data", f"the question needs {missing}, got {sorted(data)}")
    try:
        return template.format(**data)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise CRMDataError(func, "data", f"cannot fill the question with the data: {exc}") from None


def _sep(lang: str) -> str:
    return i18n.text("ex_list_sep", lang)


# ----------------------------------------------------------------------------------- answers
def to_jsonable(x: Any, ordered: bool = False) -> Any:
    """An answer as plain JSON: numbers, text, booleans, ``None``, or a list of ids for collections
    (sorted, unless ``ordered`` — a ranking keeps its order).

    >>> to_jsonable(frozenset({"b", "a"})), to_jsonable(3), to_jsonable(float("nan"))
    (['a', 'b'], 3, None)
    >>> to_jsonable(("c", "a", "b"), ordered=True)
    ['c', 'a', 'b']
    """
    if x is None or x is ...:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        values = x.tolist() if hasattr(x, "tolist") else list(x)
        values = [str(v).strip() for v in values]
        return values if ordered and not isinstance(x, (set, frozenset)) else sorted(values)
    return str(x)


def _normalise(x: Any) -> Any:
    if isinstance(x, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        return frozenset(str(v).strip() for v in (x.tolist() if hasattr(x, "tolist") else x))
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, str):
        return x.strip().lower()
    return x


def is_correct(answer: Any, target: Any, tol: float = 0.0, rel: float = 0.0) -> bool:
    """Compare an answer with the expected one: numbers within tolerance, text ignoring case and
    surrounding spaces, collections of ids as sets.

    >>> is_correct(0.7341, 0.73412, tol=0.001), is_correct(["b", "a"], ("a", "b")), is_correct(3, 4)
    (True, True, False)
    """
    tol = V.number(tol, "is_correct", "tol", 0)
    rel = V.number(rel, "is_correct", "rel", 0)
    a, t = _normalise(answer), _normalise(target)
    if isinstance(t, bool) or isinstance(a, bool):
        return a is t if isinstance(a, bool) and isinstance(t, bool) else False
    if isinstance(t, numbers.Real):
        if not isinstance(a, numbers.Real):
            return False
        if math.isnan(float(a)):
            return False
        return math.isclose(float(a), float(t), abs_tol=tol, rel_tol=rel)
    return a == t


def _value_kind(x: Any) -> str:
    if isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)):
        return "number"
    if isinstance(x, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        return "ids"
    return "text"


def _fold(x: Any) -> str:
    return str(x).strip().casefold()


def _listed(answer: Any) -> list[str] | None:
    """An answer given as a list-like, as stripped texts (None if it is not one)."""
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple)):
        return [str(v).strip() for v in (answer.tolist() if hasattr(answer, "tolist") else answer)]
    return None


# ----------------------------------------------------------------------------------- mistakes
def mistake(name: str, message: Any = None, *, value: Callable[..., Any] | None = None, scale: Any = None) -> Mistake:
    """A named common mistake for an exercise's ``mistakes=``: what the answer becomes when a student
    makes it and what the check then says.

    ``value`` computes the mistaken answer from the same data as the exercise's own function (e.g. all
    purchases counted instead of repeat purchases); ``scale`` is the mistaken answer as a multiple of
    the right one (100: a percentage given for a fraction). ``message`` is a pair (English, 中文); it
    may be left out for the :data:`COMMON_MISTAKES`, which have a ready one.

    >>> mistake("percent_for_fraction", scale=100).message[1]
    '这看起来是百分数，题目要求用小数回答（25% 请写成 0.25）。'
    >>> m = mistake("kept_returners", ("counts those who come back too", "把回来的客户也算进去了"),
    ...             value=lambda complaints: 2 * len(complaints))
    >>> m.name, m.scale
    ('kept_returners', None)
    >>> mistake("typo_in_name", scale=100)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: mistake: field 'message' is needed: 'typo_in_name' is not a common mistake with a ready message; common ones: all_purchases, count_for_share, fraction_for_percent, off_by_one, percent_for_fraction, revenue_for_margin, wrong_sign
    """  # noqa: E501
    func = "mistake"
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise CRMDataError(
            func, "name", f"must be a short snake_case name such as 'percent_for_fraction', got {name!r}"
        )
    if (value is None) == (scale is None):
        raise CRMDataError(
            func, "value", "give either value= (a function of the exercise's data) or scale= (a multiple of the answer)"
        )
    if value is not None and not callable(value):
        raise CRMDataError(func, "value", f"must be a function of the exercise's data, got {value!r}")
    if scale is not None:
        scale = V.number(scale, func, "scale")
        if scale in (0.0, 1.0):
            raise CRMDataError(func, "scale", f"must change the answer (not 0 or 1), got {scale!r}")
    if message is None:
        key = f"ex_mistake_{name}_message"
        if key not in i18n.TEXTS:
            raise CRMDataError(
                func,
                "message",
                f"is needed: {name!r} is not a common mistake with a ready message; "
                f"common ones: {', '.join(COMMON_MISTAKES)}",
            )
        message = i18n.TEXTS[key]
    return Mistake(name, _text(message, func, "message"), value, scale)


#: the mistakes with a ready message in crmlib.i18n.TEXTS (``ex_mistake_<name>_message``)
COMMON_MISTAKES: tuple[str, ...] = tuple(
    sorted(k[len("ex_mistake_") : -len("_message")] for k in i18n.TEXTS if re.fullmatch(r"ex_mistake_\w+_message", k))
)
#: a percentage given where a fraction is asked (62 for 0.62)
PERCENT_FOR_FRACTION = mistake("percent_for_fraction", scale=100)
#: a fraction given where percent or points are asked (0.25 for 25)
FRACTION_FOR_PERCENT = mistake("fraction_for_percent", scale=0.01)
#: the right size with the wrong sign (a difference taken the wrong way round)
WRONG_SIGN = mistake("wrong_sign", scale=-1)


def _mistake_values(m: Mistake, target: Any, data: Mapping[str, Any]) -> Any:
    if m.scale is not None:
        return m.scale * target if isinstance(target, numbers.Real) else None
    return m.value(**data)  # type: ignore[misc]


def _which_mistake(ex: Exercise, answer: Any, target: Any, data: Mapping[str, Any]) -> Mistake | None:
    for m in ex.mistakes:
        try:
            produced = _mistake_values(m, target, data)
        except (ArithmeticError, ValueError, KeyError, IndexError):  # this data cannot make that mistake
            continue
        if produced is None:
            continue
        scale = abs(m.scale) if m.scale is not None else 1.0
        tol, rel = ex.tol * scale, ex.rel
        if is_correct(produced, target, tol, rel):  # the mistake makes no difference on this data
            continue
        if _matches(answer, produced, tol, rel, _accepted(ex, produced)):
            return m
    return None


# ----------------------------------------------------------------------------------- registering
def _register(ex: Exercise) -> Exercise:
    REGISTRY[ex.id] = _without_answer(ex) if GRADING["on"] else ex
    return REGISTRY[ex.id]


def _check_id(ex_id: Any, func: str) -> str:
    if not isinstance(ex_id, str) or not ex_id.strip():
        raise CRMDataError(func, "ex_id", f"must be a non-empty text such as 'demo.top_share', got {ex_id!r}")
    return ex_id


def _points(points: Any, func: str) -> float:
    return V.number(points, func, "points", 0, closed="neither")


def _practice_fn(practice: Any, question: Text | None, func: str) -> Callable[[int], dict] | None:
    if practice is None:
        return None
    if not callable(practice):
        raise CRMDataError(func, "practice", f"must be a function of a seed returning the data, got {practice!r}")
    if question is None:
        raise CRMDataError(func, "question", "is needed for practice: the student sees it with each new data set")
    return practice


def exercise(
    ex_id: str,
    hint: Any,
    tol: float = 0.0,
    rel: float = 0.0,
    *,
    points: float = 1,
    mistakes: Iterable[Mistake] = (),
    categories: Iterable[str] = (),
    aliases: Callable[[Any], Iterable[str]] | None = None,
    question: Any = None,
    practice: Callable[[int], dict] | None = None,
    partial: Mapping[str, float] | None = None,
):
    """Register the function computing the expected answer of exercise ``ex_id`` (a number, a list
    of ids, or one id or name), used as a decorator.

    ``hint``: a pair (English, 中文), or the ladder of them (a nudge first, then the method; never
    the answer). ``tol``/``rel``: tolerances for a number. ``mistakes``: :func:`mistake` s the check
    recognises. ``categories``: glossary keys of the categories the answer is one of (their labels in
    every language are accepted); ``aliases``: for other named answers, a function of the right answer
    returning its other accepted names (e.g. the Chinese names of a lead channel). ``question``: the
    question as a pair of templates, filled with the data's plain values. ``practice``: a function of
    a seed returning fresh data (a dict of the keyword arguments of the check) for :func:`practice`;
    it needs ``question``. ``partial``: partial credit for a number within a wider margin,
    ``{"tol": …, "rel": …, "credit": share}`` (e.g. a rounding slip earns half the points).

    >>> @exercise("demo.total", hint=("add up the amounts", "把金额加总"), tol=0.01,
    ...           partial={"tol": 1, "credit": 0.5})
    ... def _total(tx):
    ...     return float(tx["amount"].sum())
    >>> check("demo.total", 100.004, tx=pd.DataFrame({"amount": [60.0, 40.0]}), strict=False)
    ✅ demo.total: correct.
    True
    >>> check("demo.total", 100.8, tx=pd.DataFrame({"amount": [60.0, 40.0]}), strict=False)
    🟨 demo.total: close, not yet right — within the wider margin that earns 50% of the points. Hint: add up the amounts
    False
    >>> RECORD["demo.total"]["credit"]
    0.5
    >>> _forget("demo.", registry=True)
    """
    func = "exercise"
    _check_id(ex_id, func)
    tol = V.number(tol, func, "tol", 0)
    rel = V.number(rel, func, "rel", 0)
    hints = _texts(hint, func, "hint")
    pts = _points(points, func)
    ms = tuple(mistakes) if isinstance(mistakes, Iterable) and not isinstance(mistakes, (str, Mistake)) else None
    if ms is None or not all(isinstance(m, Mistake) for m in ms):
        raise CRMDataError(func, "mistakes", f"must be a list of exercises.mistake(...), got {mistakes!r}")
    cats = _categories(categories, func)
    if aliases is not None and not callable(aliases):
        raise CRMDataError(func, "aliases", f"must be a function of the answer giving its other names, got {aliases!r}")
    q = _template(question, func, "question")
    prac = _practice_fn(practice, q, func)
    part = _partial(partial, tol, rel, func)

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(fn):
            raise CRMDataError(func, "function", f"must decorate the function computing the answer, got {fn!r}")
        _register(
            # kind None: number, ids or text, from the computed answer
            Exercise(ex_id, fn, hints, tol, rel, None, pts, ms, cats, aliases, question=q, practice=prac, partial=part)
        )
        return fn

    return deco


def _partial(partial: Any, tol: float, rel: float, func: str) -> tuple[float, float, float] | None:
    """``{"tol", "rel", "credit"}`` of a number's wider margin, checked: wider than the exact one."""
    if partial is None:
        return None
    if not isinstance(partial, Mapping) or not set(partial) <= {"tol", "rel", "credit"} or "credit" not in partial:
        raise CRMDataError(func, "partial", f'must be {{"tol": …, "rel": …, "credit": share}}, got {partial!r}')
    ptol = V.number(partial.get("tol", tol), func, "partial", tol)
    prel = V.number(partial.get("rel", rel), func, "partial", rel)
    credit = V.number(partial["credit"], func, "partial", 0, 1)
    if not 0 < credit < 1 or (ptol, prel) == (tol, rel):
        raise CRMDataError(
            func, "partial", f"needs a credit between 0 and 1 and a margin wider than tol/rel, got {dict(partial)!r}"
        )
    return (ptol, prel, credit)


def _categories(categories: Any, func: str) -> tuple[str, ...]:
    if isinstance(categories, str) or not isinstance(categories, Iterable):
        raise CRMDataError(func, "categories", f"must be a list of glossary keys, got {categories!r}")
    cats = tuple(categories)
    unknown = [c for c in cats if c not in i18n.GLOSSARY]
    if unknown:
        raise CRMDataError(func, "categories", f"names keys that are not in crmlib.i18n.GLOSSARY: {unknown}")
    return cats


_KEY = re.compile(r"[^\s,;，；、]+")


def _option_texts(options: Any, func: str, field: str) -> dict[str, Text]:
    if not isinstance(options, Mapping) or not options:
        raise CRMDataError(func, field, f"must map option letters to (English, 中文) pairs, got {options!r}"[:300])
    out: dict[str, Text] = {}
    for k, v in options.items():
        if not isinstance(k, str) or not _KEY.fullmatch(k.strip()):
            raise CRMDataError(func, field, f"option keys must be short texts without spaces or commas, got {k!r}")
        if k.strip().casefold() in {o.casefold() for o in out}:
            raise CRMDataError(func, field, f"option {k!r} is given twice (case does not count)")
        out[k.strip()] = _text(v, func, f"{field}[{k!r}]")
    return out


def _static_or_callable(x: Any, func: str, field: str, allow_none: bool = False) -> Any:
    if x is None and allow_none:
        return None
    if callable(x) and not isinstance(x, Mapping):
        return x
    return _option_texts(x, func, field)


def _keys_of(answer: Any, keys: Iterable[str], multiple: bool, func: str, field: str) -> Any:
    """A declared answer (fixed, or returned by the exercise's function) as its option key(s)."""
    fold = {k.casefold(): k for k in keys}
    given = _listed(answer) if multiple else None
    if multiple and given is None and isinstance(answer, (set, frozenset)):
        given = [str(v).strip() for v in answer]
    if multiple:
        if given is None:
            raise CRMDataError(func, field, f"must be a list of option keys, got {answer!r}")
        bad = [g for g in given if g.casefold() not in fold]
        if bad:
            raise CRMDataError(
                func, field, f"names keys that are not options: {bad}", detail=f"options: {list(fold.values())}"
            )
        return frozenset(fold[g.casefold()] for g in given)
    if not isinstance(answer, str) or answer.strip().casefold() not in fold:
        raise CRMDataError(func, field, f"must be one of the option keys {list(fold.values())}, got {answer!r}")
    return fold[answer.strip().casefold()]


def _credit(credit: Any, allowed: tuple[str, ...], func: str) -> str:
    if credit not in allowed:
        raise CRMDataError(func, "credit", f"must be one of {list(allowed)}, got {credit!r}")
    return credit


def _fixed_or_decorator(make: Callable[[Any], Exercise], fixed: Any, func: str, what: str) -> Any:
    """Register at once when the answer is ``fixed`` (``make(None)``); otherwise a decorator that
    registers the function computing the right ``what`` from the data (:func:`choice`, :func:`ranking`)."""
    if fixed is not None:
        return make(None)

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(fn):
            raise CRMDataError(func, "function", f"must decorate the function returning the right {what}, got {fn!r}")
        make(fn)
        return fn

    return deco


def choice(
    ex_id: str,
    options: Any,
    *,
    answer: Any = None,
    feedback: Any = None,
    multiple: bool = False,
    credit: str = "all",
    points: float = 1,
    hint: Any = None,
    question: Any = None,
    practice: Callable[[int], dict] | None = None,
):
    """A single (or, with ``multiple=True``, multiple) choice question.

    ``options`` maps short keys (letters) to their texts ``(English, 中文)``; ``feedback`` maps each
    option to why it is wrong (every option that can be wrong needs one). Either give the right
    option(s) as ``answer`` (returns the registered :class:`Exercise`), or use ``@choice(...)`` on a
    function of the notebook's data returning the right key(s) — a judgement question whose right option
    depends on the data. ``options`` and ``feedback`` may also be functions of the data returning the
    mappings. ``credit`` (multiple choice): ``"all"`` or ``"balanced"`` (right picks minus wrong picks,
    over the number of right options, at least 0).

    >>> ex = choice("demo.q", options={"a": ("yes", "是"), "b": ("no", "否")}, answer="a",
    ...             feedback={"b": ("not so", "并非如此")})
    >>> ex.kind, ex.points, check("demo.q", "a", strict=False)
    ✅ demo.q: correct.
    ('choice', 1.0, True)
    >>> choice("demo.q", options={"a": ("yes", "是"), "b": ("no", "否")}, answer="a")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: choice: field 'feedback' needs a text for every option that can be wrong, missing: ['b']
    >>> _forget("demo.", registry=True)
    """  # noqa: E501
    func = "choice"
    _check_id(ex_id, func)
    if not isinstance(multiple, bool):
        raise CRMDataError(func, "multiple", f"must be True or False, got {multiple!r}")
    kind = "multiple_choice" if multiple else "choice"
    opts = _static_or_callable(options, func, "options")
    fb = _static_or_callable(feedback, func, "feedback", allow_none=True)
    cr = _credit(credit, CHOICE_CREDIT if multiple else ("all",), func)
    pts = _points(points, func)
    hints = _texts(hint, func, "hint", allow_none=True)
    q = _template(question, func, "question")
    prac = _practice_fn(practice, q, func)
    fixed = None
    if answer is not None:
        if callable(opts):
            raise CRMDataError(func, "answer", "a fixed answer needs fixed options (a mapping, not a function)")
        fixed = _keys_of(answer, opts, multiple, func, "answer")
    if isinstance(opts, Mapping) and (fb is None or isinstance(fb, Mapping)):
        extra = sorted(set(fb or {}) - set(opts))
        if extra:
            raise CRMDataError(func, "feedback", f"is given for keys that are not options: {extra}")
        # a computed answer: any option may be wrong on some data; a fixed one: the others
        right = set() if fixed is None else ({fixed} if isinstance(fixed, str) else set(fixed))
        can_be_wrong = [k for k in opts if k not in right]
        missing = [k for k in can_be_wrong if k not in (fb or {})]
        if missing:
            raise CRMDataError(func, "feedback", f"needs a text for every option that can be wrong, missing: {missing}")
    elif fb is None:
        raise CRMDataError(func, "feedback", "is needed: a text for every option that can be wrong")

    def make(solve: Callable[..., Any] | None) -> Exercise:
        return _register(
            Exercise(
                ex_id,
                solve,
                hints,
                kind=kind,
                points=pts,
                options=opts,
                feedback=fb,
                answer=fixed,
                credit=cr,
                question=q,
                practice=prac,
            )
        )

    return _fixed_or_decorator(make, fixed, func, "key")


def ranking(
    ex_id: str,
    items: Any = None,
    *,
    answer: Any = None,
    credit: str = "positions",
    points: float = 1,
    hint: Any,
    question: Any = None,
    practice: Callable[[int], dict] | None = None,
):
    """A ranking question: the student answers with an ordered list.

    ``items`` maps the keys to rank to their texts ``(English, 中文)`` (shown by :func:`ask`), or is
    None when the items are ids of the data (customers, accounts). Give the right order as ``answer``
    (returns the :class:`Exercise`) or use ``@ranking(...)`` on a function of the data returning it.
    The check names the positions that are wrong; ``credit`` is the partial credit: ``"positions"``
    (share of positions right), ``"pairs"`` (share of pairs in the right order) or ``"all"``.

    >>> ex = ranking("demo.r", answer=["b", "a", "c"], credit="pairs", hint=("by size", "按大小"))
    >>> check("demo.r", ["a", "b", "c"], strict=False)
    ❌ demo.r: not yet — positions 1, 2 are out of place (67% of the points).
    Hint: by size
    False
    >>> _forget("demo.", registry=True)
    """
    func = "ranking"
    _check_id(ex_id, func)
    opts = None if items is None else _static_or_callable(items, func, "items")
    cr = _credit(credit, RANKING_CREDIT, func)
    pts = _points(points, func)
    hints = _texts(hint, func, "hint")
    q = _template(question, func, "question")
    prac = _practice_fn(practice, q, func)
    fixed = None
    if answer is not None:
        fixed = _ranking_target(answer, opts if isinstance(opts, Mapping) else None, func, "answer")

    def make(solve: Callable[..., Any] | None) -> Exercise:
        return _register(
            Exercise(
                ex_id,
                solve,
                hints,
                kind="ranking",
                points=pts,
                options=opts,
                answer=fixed,
                credit=cr,
                question=q,
                practice=prac,
            )
        )

    return _fixed_or_decorator(make, fixed, func, "order")


def _ranking_target(order: Any, items: Mapping[str, Text] | None, func: str, field: str) -> tuple[str, ...]:
    listed = _listed(order)
    if listed is None or not listed:
        raise CRMDataError(func, field, f"must be a non-empty ordered list, got {order!r}")
    if len({x.casefold() for x in listed}) != len(listed):
        raise CRMDataError(func, field, f"lists an item twice: {listed}")
    if items is not None:
        fold = {k.casefold(): k for k in items}
        if sorted(fold) != sorted(x.casefold() for x in listed):
            raise CRMDataError(func, field, f"must order exactly the items {list(items)}, got {listed}")
        listed = [fold[x.casefold()] for x in listed]
    return tuple(listed)


def memo(ex_id: str, rubric: Any, *, points: Any = None, hint: Any = None, question: Any = None) -> Exercise:
    """A short written decision (a memo): the student writes a few sentences as text; the check
    records it — it is graded by hand, not automatically — and shows the rubric to check it against.

    ``rubric``: a list of ``((English, 中文), points)`` criteria; ``points`` (default: their sum) is
    what the memo is worth.

    >>> ex = memo("demo.m", rubric=[(("names a segment", "指出一个客户群"), 2),
    ...                             (("gives a number", "给出一个数字"), 1)])
    >>> ex.kind, ex.points
    ('memo', 3.0)
    >>> check("demo.m", "   ", strict=False)
    ✏️ demo.m: no answer yet — replace the placeholder with your answer and run the cell again.
    False
    >>> _forget("demo.", registry=True)
    """
    func = "memo"
    _check_id(ex_id, func)
    if isinstance(rubric, (str, Mapping)) or not isinstance(rubric, Iterable):
        raise CRMDataError(func, "rubric", f"must be a list of ((English, 中文), points) criteria, got {rubric!r}")
    items = []
    for i, item in enumerate(rubric):
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise CRMDataError(func, "rubric", f"item {i} must be ((English, 中文), points), got {item!r}")
        items.append((_text(item[0], func, f"rubric[{i}]"), _points(item[1], func)))
    if not items:
        raise CRMDataError(func, "rubric", "needs at least one criterion")
    pts = sum(p for _, p in items) if points is None else _points(points, func)
    return _register(
        Exercise(
            ex_id,
            None,
            _texts(hint, func, "hint", allow_none=True),
            kind="memo",
            points=float(pts),
            rubric=tuple(items),
            question=_template(question, func, "question"),
        )
    )


# ----------------------------------------------------------------------------------- the answer
def _get(ex_id: str, func: str = "check") -> Exercise:
    if not isinstance(ex_id, str) or ex_id not in REGISTRY:
        raise CRMDataError(func, "exercise", f"unknown exercise id {ex_id!r}", detail=f"known ids: {sorted(REGISTRY)}")
    return REGISTRY[ex_id]


def _call(fn: Callable[..., Any], ex: Exercise, data: Mapping[str, Any], func: str) -> Any:
    try:
        return fn(**data)
    except TypeError as exc:  # wrong keyword names
        raise CRMDataError(func, "data", f"exercise {ex.id!r} cannot use these inputs: {exc}") from exc


def _options(ex: Exercise, data: Mapping[str, Any], func: str) -> dict[str, Text] | None:
    if ex.options is None or isinstance(ex.options, Mapping):
        return ex.options
    return _option_texts(_call(ex.options, ex, data, func), func, "options")


def _feedback(ex: Exercise, data: Mapping[str, Any], func: str) -> dict[str, Text]:
    if ex.feedback is None:
        return {}
    if isinstance(ex.feedback, Mapping):
        return ex.feedback
    return _option_texts(_call(ex.feedback, ex, data, func), func, "feedback")


def _target(ex: Exercise, data: Mapping[str, Any], func: str) -> Any:
    """The right answer in its canonical form: the computed value; the option key(s) of a choice; the
    ordered items of a ranking; None for a memo. Refused in grading mode (:func:`graded_copy`)."""
    if GRADING["on"]:
        _refuse(ex.id, func)
    if ex.kind == "memo":
        return None
    raw = ex.answer if ex.solve is None else _call(ex.solve, ex, data, func)
    if ex.kind in ("choice", "multiple_choice"):
        if ex.solve is None:
            return raw
        opts = _options(ex, data, func)
        return _keys_of(raw, opts, ex.kind == "multiple_choice", func, f"the answer of {ex.id!r}")
    if ex.kind == "ranking":
        if ex.solve is None:
            return raw
        opts = _options(ex, data, func)
        return _ranking_target(raw, opts, func, f"the answer of {ex.id!r}")
    return raw


def expected(ex_id: str, **data: Any) -> Any:
    """The expected answer of an exercise for the given data (for instructors and answer keys): the
    computed value, a choice's option key (a set of keys for a multiple choice), a ranking's ordered
    items, or None for a memo.

    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "date": ["2024-01-01"] * 4,
    ...                    "amount": [70.0, 20.0, 5.0, 5.0]})
    >>> expected("demo.top_share", tx=tx, fraction=0.5)
    0.9
    >>> expected("demo.top_share", data=tx)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: expected: field 'data' exercise 'demo.top_share' cannot use these inputs: _ch1_top_share() got an unexpected keyword argument 'data'
    """  # noqa: E501
    return _target(_get(ex_id, "expected"), data, "expected")


def _accepted(ex: Exercise, target: Any) -> tuple[str, ...]:
    """Other spellings of a named answer: a category's labels in every language and its glossary key,
    and the exercise's ``aliases``."""
    if not isinstance(target, str):
        return ()
    t = target.strip().casefold()
    names: set[str] = set()
    for key in ex.categories:
        labels = {key, *(i18n.label(key, lang) for lang in i18n.LANGUAGES)}
        if t in {n.casefold() for n in labels}:
            names |= labels
            break
    if ex.aliases is not None:
        names |= {str(n).strip() for n in ex.aliases(target) if str(n).strip()}
    return tuple(sorted(n for n in names if n.casefold() != t))


def _matches(answer: Any, target: Any, tol: float, rel: float, accept: Iterable[str] = ()) -> bool:
    return is_correct(answer, target, tol, rel) or any(is_correct(answer, a) for a in accept)


# ----------------------------------------------------------------------------------- evaluating
@dataclass
class _Outcome:
    ok: bool  # passes the check (a memo: recorded)
    correct: bool | None  # None: graded by hand
    credit: float | None
    kind: str
    answer: Any  # as recorded
    lines: list[str]
    mistake: str | None = None
    hint_level: int = 0
    extra: dict = field(default_factory=dict)

    def record(self, ex: Exercise) -> dict[str, Any]:
        rec = {
            "answer": self.answer,
            "correct": self.correct,
            "kind": self.kind,
            "points": ex.points,
            "credit": self.credit,
        }
        if self.mistake:
            rec["mistake"] = self.mistake
        rec.update(self.extra)
        return rec


def _hint_lines(ex: Exercise, lang: str, first: str, bare: str) -> tuple[list[str], int]:
    """The verdict with the hint the student has reached on the ladder (at least the first), and the
    pointer to the next one."""
    if not ex.hints:
        return [i18n.text(bare, lang, id=ex.id)], 0
    level = min(max(1, HINTS_SHOWN.get(ex.id, 0)), len(ex.hints))
    lines = [i18n.text(first, lang, id=ex.id, hint=_say(ex.hints[level - 1], lang))]
    if level < len(ex.hints):
        lines.append(i18n.text("ex_next_hint", lang, id=ex.id))
    return lines, level


def _no_answer(ex: Exercise, kind: str, lang: str, answer: Any = None) -> _Outcome:
    return _Outcome(
        False,
        None if kind == "memo" else False,
        None if kind == "memo" else 0.0,
        kind,
        answer,
        [i18n.text("ex_no_answer", lang, id=ex.id)],
    )


def _evaluate(ex: Exercise, answer: Any, data: Mapping[str, Any], lang: str, func: str) -> _Outcome:
    if ex.kind == "memo":
        return _evaluate_memo(ex, answer, lang)
    target = _target(ex, data, func)
    kind = ex.kind or _value_kind(target)
    if blank_answer(answer):
        return _no_answer(ex, kind, lang)
    if kind in ("choice", "multiple_choice"):
        return _evaluate_choice(ex, kind, answer, target, data, lang, func)
    if kind == "ranking":
        return _evaluate_ranking(ex, answer, target, lang)
    ok = _matches(answer, target, ex.tol, ex.rel, _accepted(ex, target))
    if ok:
        return _Outcome(True, True, 1.0, kind, answer, [i18n.text("ex_correct", lang, id=ex.id)])
    if ex.partial is not None and is_correct(answer, target, ex.partial[0], ex.partial[1]):
        hint = _say(ex.hints[0], lang) if ex.hints else ""
        line = i18n.text("ex_close", lang, id=ex.id, share=ex.partial[2], hint=hint)
        return _Outcome(False, False, ex.partial[2], kind, answer, [line])
    m = _which_mistake(ex, answer, target, data)
    if m is not None:
        line = i18n.text("ex_mistake", lang, id=ex.id, message=_say(m.message, lang))
        return _Outcome(False, False, 0.0, kind, answer, [line], mistake=m.name)
    lines, level = _hint_lines(ex, lang, "ex_wrong", "ex_wrong_bare")
    return _Outcome(False, False, 0.0, kind, answer, lines, hint_level=level)


def _parse_keys(answer: Any, keys: Iterable[str]) -> tuple[list[str], list[str]]:
    """The option keys an answer names (in order) and the parts that are no option."""
    keys = list(keys)
    fold = {k.casefold(): k for k in keys}
    listed = _listed(answer)
    if listed is None and isinstance(answer, (set, frozenset)):
        listed = sorted(str(v).strip() for v in answer)
    if listed is None:
        text = str(answer).strip()
        listed = _KEY.findall(text)
        if len(listed) == 1 and listed[0].casefold() not in fold and all(len(k) == 1 for k in keys):
            listed = list(listed[0])  # "ac" for a and c
    tokens = [t.strip().strip(".)）").strip() for t in listed]
    known = [fold[t.casefold()] for t in tokens if t.casefold() in fold]
    unknown = [t for t in tokens if t.casefold() not in fold]
    return known, unknown


def _evaluate_choice(
    ex: Exercise, kind: str, answer: Any, target: Any, data: Mapping[str, Any], lang: str, func: str
) -> _Outcome:
    opts = _options(ex, data, func)
    known, unknown = _parse_keys(answer, opts)
    multiple = kind == "multiple_choice"
    if unknown or not known or (not multiple and len(known) != 1):
        shown = repr(answer) if not isinstance(answer, str) else f'"{answer}"'
        line = i18n.text("ex_not_option", lang, id=ex.id, answer=shown, options=_sep(lang).join(opts))
        return _Outcome(False, False, 0.0, kind, answer, [line])
    feedback = _feedback(ex, data, func)
    if not multiple:
        picked = known[0]
        if picked == target:
            return _Outcome(True, True, 1.0, kind, picked, [i18n.text("ex_correct", lang, id=ex.id)])
        if picked in feedback:
            why = _say(feedback[picked], lang)
            line = i18n.text("ex_choice_wrong", lang, id=ex.id, option=picked, why=why)
            return _Outcome(False, False, 0.0, kind, picked, [line])
        lines, level = _hint_lines(ex, lang, "ex_wrong", "ex_wrong_bare")
        return _Outcome(False, False, 0.0, kind, picked, lines, hint_level=level)
    picked_set = frozenset(known)
    right = frozenset(target)
    if picked_set == right:
        return _Outcome(True, True, 1.0, kind, picked_set, [i18n.text("ex_correct", lang, id=ex.id)])
    wrong = [k for k in opts if k in picked_set - right]
    missing = len(right - picked_set)
    lines = [i18n.text("ex_wrong_bare", lang, id=ex.id)]
    for k in wrong:
        if k in feedback:
            lines.append(i18n.text("ex_choice_pick", lang, option=k, why=_say(feedback[k], lang)))
    if missing:
        lines.append(i18n.text("ex_choice_missing", lang, n=missing))
    credit = _choice_credit(picked_set, right, ex.credit)
    return _Outcome(False, False, credit, kind, picked_set, lines)


def _choice_credit(picked: Iterable[str], right: Iterable[str], scheme: str) -> float:
    picked, right = set(picked), set(right)
    if picked == right:
        return 1.0
    if scheme != "balanced" or not right:
        return 0.0
    return max(0.0, (len(picked & right) - len(picked - right)) / len(right))


def _ranking_credit(given: list[str], target: list[str], scheme: str) -> float:
    """Partial credit of a ranking (items compared as given; fold them first)."""
    n = len(target)
    if given == target:
        return 1.0
    if scheme == "all" or n == 0:
        return 0.0
    if scheme == "positions":
        return sum(1 for i, t in enumerate(target) if i < len(given) and given[i] == t) / n
    if n == 1:
        return 0.0
    pos: dict[str, int] = {}
    for i, g in enumerate(given):
        pos.setdefault(g, i)
    good = sum(
        1
        for i in range(n)
        for j in range(i + 1, n)
        if target[i] in pos and target[j] in pos and pos[target[i]] < pos[target[j]]
    )
    return good / (n * (n - 1) / 2)


def _evaluate_ranking(ex: Exercise, answer: Any, target: tuple[str, ...], lang: str) -> _Outcome:
    given = _listed(answer)
    if given is None:
        given = [str(answer).strip()]
    g, t = [x.casefold() for x in given], [x.casefold() for x in target]
    credit = _ranking_credit(g, t, ex.credit)
    if g == t:
        return _Outcome(True, True, 1.0, "ranking", tuple(given), [i18n.text("ex_correct", lang, id=ex.id)])
    stop = i18n.text("ex_stop", lang)
    if sorted(g) != sorted(t):
        what = i18n.text("ex_rank_items", lang, n=len(t), got=len(g))
        unknown = [x for x, f in zip(given, g) if f not in set(t)]
        if unknown:
            what += i18n.text("ex_rank_unknown", lang, items=_sep(lang).join(unknown))
    else:
        wrong = [str(i + 1) for i in range(len(t)) if g[i] != t[i]]
        what = i18n.text("ex_rank_positions", lang, n=len(wrong), positions=_sep(lang).join(wrong))
        if ex.credit != "all":
            what += i18n.text("ex_credit", lang, credit=credit)
    lines = [i18n.text("ex_mistake", lang, id=ex.id, message=what + stop)]
    hint_lines, level = _hint_lines(ex, lang, "ex_hint_line", "ex_wrong_bare")
    if ex.hints:
        lines += hint_lines
    return _Outcome(False, False, credit, "ranking", tuple(given), lines, hint_level=level)


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _length(text: str) -> int:
    """Words of a memo: Chinese characters one by one, other words by the spaces between them."""
    return len(_HAN.findall(text)) + len(re.findall(r"\w+", _HAN.sub(" ", text)))


def _rubric_json(ex: Exercise) -> list[list[Any]]:
    return [[*crit, pts] for crit, pts in ex.rubric]


def _evaluate_memo(ex: Exercise, answer: Any, lang: str) -> _Outcome:
    extra = {"rubric": _rubric_json(ex)}
    if blank_answer(answer) or (isinstance(answer, str) and not answer.strip()):
        out = _no_answer(ex, "memo", lang)
        out.extra = extra
        return out
    if not isinstance(answer, str):
        line = i18n.text("ex_memo_not_text", lang, id=ex.id)
        return _Outcome(False, None, None, "memo", answer, [line], extra=extra)
    text = answer.strip()
    lines = [i18n.text("ex_memo_recorded", lang, id=ex.id, n=_length(text), points=ex.points)]
    lines += [i18n.text("ex_memo_item", lang, criterion=_say(c, lang), points=p) for c, p in ex.rubric]
    return _Outcome(True, None, None, "memo", text, lines, extra=extra)


def _strict(strict: bool | None) -> bool:
    if strict is None:
        return os.environ.get("CRMLIB_STRICT_CHECKS", "") not in ("", "0")
    return bool(strict)


def check(ex_id: str, answer: Any, strict: bool | None = None, lang: str | None = None, **data: Any) -> bool:
    """Check a student's ``answer`` to exercise ``ex_id`` against the data of the notebook.

    Prints a verdict with feedback in ``lang`` (default: the current language) — a recognised mistake,
    why a chosen option is wrong, the positions of a ranking that are out of place, or the hint the
    student has reached — never the answer. Records the answer in ``RECORD`` (with its kind, points and
    credit) and in strict mode (``CRMLIB_STRICT_CHECKS=1`` or ``strict=True``) raises on a wrong or
    missing answer. Returns whether the answer passed (a memo passes once it is written). In a graded
    copy (:func:`graded_copy`) it only records the answer: nothing computes the right one there.

    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "date": ["2024-01-01"] * 4,
    ...                    "amount": [70.0, 20.0, 5.0, 5.0]})
    >>> check("demo.top_share", None, tx=tx, fraction=0.5, strict=False)
    ✏️ demo.top_share: no answer yet — replace the placeholder with your answer and run the cell again.
    False
    >>> RECORD["demo.top_share"]
    {'answer': None, 'correct': False, 'kind': 'number', 'points': 1.0, 'credit': 0.0}
    >>> check("demo.top_share", 0.9, tx=tx, fraction=0.5, strict=False, lang="zh")
    ✅ demo.top_share：答对了。
    True
    >>> check("demo.top_share", 0.5, tx=tx, fraction=0.5, strict=True)
    Traceback (most recent call last):
    ...
    crmlib.exercises.ExerciseCheckFailed: ❌ demo.top_share: not yet. Hint: think of how many customers the top share is, and which part of all revenue they bring.
    Next hint: exercises.hint("demo.top_share").
    >>> _forget("demo.")
    """  # noqa: E501
    ex = _get(ex_id)
    lang = i18n.resolve(lang, "check")
    out = _recorded(ex, answer, lang) if GRADING["on"] else _evaluate(ex, answer, data, lang, "check")
    RECORD[ex_id] = out.record(ex)
    if out.hint_level:
        HINTS_SHOWN[ex_id] = max(HINTS_SHOWN.get(ex_id, 0), out.hint_level)
    msg = "\n".join(out.lines)
    print(msg)
    if _strict(strict) and not out.ok:
        raise ExerciseCheckFailed(msg)
    return out.ok


# ----------------------------------------------------------------------------------- graded copies
def graded_mode() -> bool:
    """Whether this kernel runs a graded copy (:func:`graded_copy`): checks only record the answers,
    and nothing computes a right answer.

    >>> graded_mode()
    False
    """
    return GRADING["on"]


def graded_copy() -> None:
    r"""Put this kernel into grading mode, for good: from now on :func:`check` records each answer for
    the instructor without saying whether it is right, and :func:`expected`, :func:`key_entry`,
    :func:`score` and :func:`check_practice` refuse (``CRMDataError``); the registered exercises lose
    the functions and fixed answers that know the right answer. Nothing switches it off but a new
    kernel. The graded copies ``crmlib assign`` hands out call it in their first cell after the
    parameters, and ``crmlib grade`` starts every kernel in this mode (``CRMLIB_GRADED=1``); the
    grader scores the recorded answers against the answer key, outside the student's kernel.

    Shown in a separate Python, since the mode cannot be left:

    >>> import subprocess, sys
    >>> code = ("from crmlib import exercises; exercises.graded_copy(); exercises.check('ch0.rerun', 'b')\n"
    ...         "try:\n    exercises.expected('ch0.rerun')\nexcept exercises.CRMDataError as e:\n    print(e)")
    >>> print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip())
    📥 ch0.rerun: answer recorded for grading. This copy is graded: your instructor scores it, and the feedback comes with your grade.
    expected: field 'exercise' 'ch0.rerun': a graded copy does not compute right answers (the grader scores the recorded answer against the answer key)
    """  # noqa: E501
    GRADING["on"] = True
    for store in (REGISTRY, _BUILTIN):
        for k, ex in list(store.items()):
            store[k] = _without_answer(ex)


def _refuse(ex_id: str, func: str) -> None:
    raise CRMDataError(
        func,
        "exercise",
        f"{ex_id!r}: a graded copy does not compute right answers (the grader scores the recorded answer "
        "against the answer key)",
    )


def _without_answer(ex: Exercise) -> Exercise:
    """An exercise as a graded copy keeps it: its texts and options, without what knows the answer."""
    if ex.kind == "memo":
        return ex

    def solve(**data: Any) -> Any:
        _refuse(ex.id, "solve")

    return dataclasses.replace(ex, solve=solve, answer=None, feedback=None, mistakes=(), aliases=None)


def _recorded(ex: Exercise, answer: Any, lang: str) -> _Outcome:
    """What :func:`check` does in a graded copy: record the answer, say so, judge nothing."""
    if ex.kind == "memo":
        return _evaluate_memo(ex, answer, lang)
    kind = ex.kind or ""
    if blank_answer(answer):
        return _no_answer(ex, kind, lang)
    return _Outcome(True, None, None, kind, answer, [i18n.text("ex_recorded", lang, id=ex.id)])


# ----------------------------------------------------------------------------------- self-study
def hint(ex_id: str, level: int | None = None, lang: str | None = None) -> None:
    """Show the next hint of an exercise's ladder (a nudge first, then the method — never the answer).

    Each call climbs one level; ``level=`` shows a given level again. A wrong answer's check has
    already shown the level the student reached (at least the first).

    >>> hint("ch3.best_channel")
    💡 ch3.best_channel — hint 1 of 2: the cheapest channel is not the one with the cheapest leads: what does one *customer* cost?
    >>> hint("ch3.best_channel", lang="zh")
    💡 ch3.best_channel——第 2 条提示（共 2 条）：先做渠道报表，再找出总成本除以成交数最小的渠道（没有成交的渠道算不出获客成本）。
    >>> hint("ch3.best_channel")
    💡 ch3.best_channel: no more hints — reread the worked example in the chapter, or ask your instructor.
    To practise on fresh data: exercises.practice("ch3.best_channel").
    >>> _forget("ch3.")
    """  # noqa: E501
    func = "hint"
    ex = _get(ex_id, func)
    lang = i18n.resolve(lang, func)
    n = len(ex.hints)
    if level is None:
        level = HINTS_SHOWN.get(ex_id, 0) + 1
    else:
        level = V.integer(level, func, "level", 1, max(n, 1))
    if level > n:
        lines = [i18n.text("ex_hint_last", lang, id=ex_id)]
        if ex.practice is not None:
            lines.append(i18n.text("ex_hint_practice", lang, id=ex_id))
        print("\n".join(lines))
        return
    HINTS_SHOWN[ex_id] = max(HINTS_SHOWN.get(ex_id, 0), level)
    print(i18n.text("ex_hint", lang, id=ex_id, level=level, levels=n, hint=_say(ex.hints[level - 1], lang)))


_MARKS = {"right": "✅", "partial": "🟨", "wrong": "❌", "memo": "📝", "todo": "⬜", "recorded": "📥"}


@dataclass(frozen=True, eq=False)
class Progress:
    """What :func:`progress` found: counts, points, one row per exercise (``table``) and the line shown."""

    prefix: str
    answered: int
    right: int
    points: float
    total: float
    pending: float
    table: pd.DataFrame
    line: str

    def __repr__(self) -> str:
        return self.line

    __str__ = __repr__


def _ids_of(prefix: Any, func: str) -> list[str]:
    if not isinstance(prefix, str) or not prefix.strip():
        raise CRMDataError(func, "prefix", f"must be the start of exercise ids such as 'ch1', got {prefix!r}")
    p = prefix.strip().rstrip(".")
    ids = [k for k in REGISTRY if k == p or k.startswith(p + ".")]
    if not ids:
        known = sorted({k.split(".")[0] for k in REGISTRY})
        raise CRMDataError(func, "prefix", f"no exercise id starts with {p!r}", detail=f"known: {known}")
    return ids


def progress(prefix: str, lang: str | None = None) -> Progress:
    """The progress line of a chapter (or case): its exercises (the ids starting with ``prefix``),
    which are answered and right, and the points so far — from the checks run in this session.

    ✅ right, 🟨 partly right (a ranking's partial credit), ❌ not yet, 📝 memo written (graded by
    hand; its points are counted apart), 📥 recorded for grading (a graded copy), ⬜ not answered yet.

    >>> tx = pd.DataFrame({"customer_id": list("abcde"), "date": ["2024-01-01"] * 5,
    ...                    "amount": [50.0, 30.0, 10.0, 5.0, 5.0]})
    >>> _ = check("ch1.drop_losers", "b", strict=False)
    ✅ ch1.drop_losers: correct.
    >>> p = progress("ch1")
    >>> p.answered, p.right, p.points, p.total
    (1, 1, 1.0, 16.0)
    >>> p
    📊 ch1: 1 of 8 answered, 1 right — 1 of 16 points · ⬜ call_list ⬜ handling_losses ✅ drop_losers ...
    >>> _forget("ch1.")
    """
    func = "progress"
    lang = i18n.resolve(lang, func)
    ids = _ids_of(prefix, func)
    rows = []
    for i in ids:
        ex, rec = REGISTRY[i], RECORD.get(i)
        answer = None if rec is None else rec.get("answer")
        if ex.kind == "memo":  # written: graded by hand, its points apart
            status, earned = ("memo" if isinstance(answer, str) and answer.strip() else "todo"), 0.0
        elif rec is None or blank_answer(answer):
            status, earned = "todo", 0.0
        elif rec.get("correct") is None:  # recorded in a graded copy, scored by the instructor
            status, earned = "recorded", 0.0
        elif rec.get("correct"):
            status, earned = "right", ex.points
        elif (rec.get("credit") or 0) > 0:
            status, earned = "partial", ex.points * float(rec["credit"])
        else:
            status, earned = "wrong", 0.0
        rows.append(
            {
                "exercise": i,
                "kind": ex.kind or (rec or {}).get("kind"),
                "points": ex.points,
                "status": status,
                "earned": earned,
            }
        )
    table = pd.DataFrame(rows).set_index("exercise")
    answered = int((table["status"] != "todo").sum())
    right = int((table["status"] == "right").sum())
    points = float(table["earned"].sum())
    total = float(table["points"].sum())
    pending = float(table.loc[table["status"] == "memo", "points"].sum())
    p = prefix.strip().rstrip(".")
    line = i18n.text(
        "ex_progress", lang, prefix=p, answered=answered, n=len(table), right=right, points=points, total=total
    )
    if pending:
        line += i18n.text("ex_progress_pending", lang, points=pending)
    marks = " ".join(f"{_MARKS[s]} {i[len(p) + 1 :] or i}" for i, s in table["status"].items())
    line += f" · {marks}"
    return Progress(p, answered, right, points, total, pending, table, line)


@dataclass(eq=False)
class Practice:
    """A fresh variant of an exercise for self-study (made by :func:`practice`): its data (``p["tx"]``)
    and :meth:`check` for an answer. Never graded."""

    id: str
    seed: int
    round: int
    data: dict

    def __getitem__(self, name: str) -> Any:
        if name not in self.data:
            raise CRMDataError(
                "practice", str(name), "is not part of this practice data", detail=f"it holds {list(self.data)}"
            )
        return self.data[name]

    def check(self, answer: Any, lang: str | None = None, strict: bool | None = None) -> bool:
        """Check an answer to this variant (the same as ``check_practice(self, answer)``)."""
        return check_practice(self, answer, lang=lang, strict=strict)

    def __repr__(self) -> str:
        return f"<practice {self.id}, round {self.round}, seed {self.seed}: {', '.join(self.data)}>"


def _practice_seed(ex_id: str, round_: int) -> int:
    return int(hashlib.sha256(f"practice\x1f{ex_id}\x1f{round_}".encode()).hexdigest()[:8], 16) % (2**31)


def _plain(v: Any) -> bool:
    return v is None or isinstance(v, (str, numbers.Number, list, tuple, pd.Timestamp))


def _describe(name: str, v: Any, lang: str) -> str:
    if isinstance(v, pd.DataFrame):
        return i18n.text("ex_practice_table", lang, name=name, rows=len(v))
    if isinstance(v, Mapping) and v and all(isinstance(x, pd.DataFrame) for x in v.values()):
        return i18n.text("ex_practice_tables", lang, name=name, names=_sep(lang).join(map(str, v)))
    if _plain(v):
        return i18n.text("ex_practice_value", lang, name=name, value=v)
    return name


def _question_lines(ex: Exercise, data: Mapping[str, Any], lang: str, func: str) -> list[str]:
    lines = []
    if ex.question is not None:
        values = {k: v for k, v in data.items() if _plain(v)}
        lines.append(i18n.text("ex_question", lang, id=ex.id, question=_fill(ex.question, values, lang, func)))
    opts = _options(ex, data, func) if ex.kind in ("choice", "multiple_choice", "ranking") else None
    if opts:
        lines += [i18n.text("ex_option", lang, letter=k, label=_say(t, lang)) for k, t in opts.items()]
        first = next(iter(opts))
        key = {"choice": "ex_answer_choice", "multiple_choice": "ex_answer_choices"}.get(ex.kind, "ex_answer_ranking")
        lines.append(i18n.text(key, lang, first=first))
    return lines


def ask(ex_id: str, lang: str | None = None, **data: Any) -> None:
    """Show an exercise's question and options in ``lang``, filled with the notebook's data (for a
    choice or ranking whose options come from the data, and for practice).

    >>> ask("demo.top_share", fraction=0.2, lang="zh")
    ❓ demo.top_share：收入最高的前 20% 的客户贡献了总收入的多大比例？请用 0 到 1 之间的小数回答。
    """
    func = "ask"
    ex = _get(ex_id, func)
    lang = i18n.resolve(lang, func)
    lines = _question_lines(ex, data, lang, func)
    if not lines:
        raise CRMDataError(func, "question", f"exercise {ex_id!r} has no question text or options to show")
    print("\n".join(lines))


def practice(ex_id: str, seed: int | None = None, lang: str | None = None) -> Practice:
    """Draw a fresh variant of an exercise — new data made from a seed, the same question — and show it.

    Each call is a new round with a new seed (derived from the id and the round, so a session can be
    repeated); ``seed=`` picks one. Answer with :func:`check_practice` (or ``p.check(answer)``) as often
    as you like; practice is never recorded for grading.

    >>> p = practice("ch5.loyal_share", seed=3, lang="zh")  # doctest: +ELLIPSIS
    🔁 练习 ch5.loyal_share，第 1 轮（随机种子 3）：换一组新数据，问题不变。
    ❓ ch5.loyal_share：至少有 3 次重复购买的客户占全部客户的比例是多少？请用 0 到 1 之间的小数回答。
    本轮数据：tx（... 行的表）、min_repeats = 3。请从练习对象中取用，例如 p["tx"]。
    算出答案后，用 exercises.check_practice(p, answer) 检查。
    >>> p
    <practice ch5.loyal_share, round 1, seed 3: tx, min_repeats>
    >>> _forget("ch5.")
    """
    func = "practice"
    ex = _get(ex_id, func)
    lang = i18n.resolve(lang, func)
    if ex.practice is None:
        can = [k for k, e in REGISTRY.items() if e.practice is not None]
        raise CRMDataError(func, "exercise", f"{ex_id!r} has no practice data", detail=f"practice exists for {can}")
    state = PRACTICE.get(ex_id, {"round": 0})
    rnd = state["round"] + 1
    seed = _practice_seed(ex_id, rnd) if seed is None else V.integer(seed, func, "seed", 0)
    data = ex.practice(seed)
    if not isinstance(data, Mapping) or not data:
        raise CRMDataError(func, "practice", f"the practice function of {ex_id!r} must return a dict of data")
    p = Practice(ex_id, seed, rnd, dict(data))
    PRACTICE[ex_id] = {"round": rnd, "tries": 0, "solved": False, "current": p}
    items = _sep(lang).join(_describe(k, v, lang) for k, v in p.data.items())
    lines = [i18n.text("ex_practice_intro", lang, id=ex_id, round=rnd, seed=seed)]
    lines += _question_lines(ex, p.data, lang, func)
    lines.append(i18n.text("ex_practice_data", lang, items=items, first=next(iter(p.data))))
    lines.append(i18n.text("ex_practice_how", lang))
    print("\n".join(lines))
    return p


def check_practice(p: Any, answer: Any, lang: str | None = None, strict: bool | None = None) -> bool:
    """Check an answer to a practice variant (``p`` from :func:`practice`, or the exercise id for its
    latest variant): the same verdicts, mistakes and hints as :func:`check`, and on a right answer the
    number of tries. Not recorded for grading; strict mode raises on a wrong answer as ``check`` does.

    >>> p = practice("demo.key_accounts", seed=5)  # doctest: +ELLIPSIS
    🔁 Practice demo.key_accounts, round 1 (seed 5): new data, same question.
    ...
    >>> check_practice("demo.key_accounts", -1, strict=False)
    ❌ demo.key_accounts: not yet. Hint: the key customers are the few at the top of the revenue ranking: how far down does the first cut-off reach?
    Next hint: exercises.hint("demo.key_accounts").
    Try again with the same data, or draw new data: exercises.practice("demo.key_accounts").
    False
    >>> check_practice(p, expected("demo.key_accounts", **p.data))
    ✅ demo.key_accounts: correct — round 1, after 2 tries. Another round: exercises.practice("demo.key_accounts").
    True
    >>> _forget("demo.")
    """  # noqa: E501
    func = "check_practice"
    lang = i18n.resolve(lang, func)
    if isinstance(p, str):
        _get(p, func)
        if p not in PRACTICE:
            raise CRMDataError(func, "p", f"no practice variant of {p!r} yet: draw one with exercises.practice({p!r})")
        p = PRACTICE[p]["current"]
    if not isinstance(p, Practice):
        raise CRMDataError(func, "p", f"must be what exercises.practice(...) returned, got {type(p).__name__}")
    ex = _get(p.id, func)
    out = _evaluate(ex, answer, p.data, lang, func)
    state = PRACTICE.setdefault(p.id, {"round": p.round, "tries": 0, "solved": False, "current": p})
    if state.get("current") is p and not blank_answer(answer):
        state["tries"] += 1
    tries = max(1, state["tries"]) if state.get("current") is p else 1
    if out.hint_level:
        HINTS_SHOWN[p.id] = max(HINTS_SHOWN.get(p.id, 0), out.hint_level)
    lines = out.lines
    if out.ok and out.correct:
        state["solved"] = state["solved"] or state.get("current") is p
        lines = [i18n.text("ex_practice_solved", lang, id=p.id, round=p.round, n=tries)]
    elif not out.ok:
        lines = [*lines, i18n.text("ex_practice_again", lang, id=p.id)]
    msg = "\n".join(lines)
    print(msg)
    if _strict(strict) and not out.ok:
        raise ExerciseCheckFailed(msg)
    return out.ok


# ----------------------------------------------------------------------------------- for grading
def key_entry(ex_id: str, **data: Any) -> dict[str, Any]:
    """What the answer key records of an exercise for the given data (plain JSON): the expected
    answer, tolerances, kind and points, and what grading needs beyond them — the other accepted
    spellings of a category (``accept``), the partial-credit scheme (``credit``), a memo's ``rubric``.

    >>> furthest = {"attention": 20, "interest": 10, "desire": 5, "memory": 2, "action": 3, "satisfaction": 10}
    >>> leads = pd.DataFrame({"stage": [stage for stage, n in furthest.items() for _ in range(n)]})
    >>> key_entry("ch3.weakest_step", leads=leads)
    {'expected': 'interest', 'tol': 0.0, 'rel': 0.0, 'kind': 'text', 'points': 1.0, 'accept': ['aidmas_interest', '激发兴趣']}
    """  # noqa: E501
    func = "key_entry"
    ex = _get(ex_id, func)
    target = _target(ex, data, func)
    kind = ex.kind or _value_kind(target)
    entry: dict[str, Any] = {
        "expected": to_jsonable(target, ordered=kind == "ranking"),
        "tol": ex.tol,
        "rel": ex.rel,
        "kind": kind,
        "points": ex.points,
    }
    accept = _accepted(ex, target)
    if accept:
        entry["accept"] = list(accept)
    if kind in ("ranking", "multiple_choice"):
        entry["credit"] = ex.credit
    if kind == "memo":
        entry["rubric"] = _rubric_json(ex)
    if ex.partial is not None:
        entry["partial"] = {"tol": ex.partial[0], "rel": ex.partial[1], "credit": ex.partial[2]}
    return entry


_ENTRY_EXTRAS = ("kind", "points", "accept", "credit", "rubric", "partial")
_RECORD_EXTRAS = ("kind", "points", "credit", "mistake", "rubric")


def collected_output(record: Mapping[str, Any], key: Mapping[str, Any]) -> dict:
    """The display bundle of the collection cell (runs inside the kernel): the answers recorded by the
    checks (``RECORD``) and the answer key entries (:func:`key_entry`), as plain JSON.

    >>> record = {"q1": {"answer": frozenset({"b", "a"}), "correct": True}}
    >>> collected_output(record, {"q1": {"expected": {"a", "b"}, "tol": 0, "rel": 0}})[RECORD_MIME]
    {'record': {'q1': {'answer': ['a', 'b'], 'correct': True}}, 'key': {'q1': {'expected': ['a', 'b'], 'tol': 0.0, 'rel': 0.0}}}
    >>> memo_rec = {"kind": "memo", "answer": "Win them back.", "correct": None, "points": 3.0, "credit": None}
    >>> collected_output({"m": memo_rec}, {})[RECORD_MIME]["record"]
    {'m': {'answer': 'Win them back.', 'correct': None, 'kind': 'memo', 'points': 3.0, 'credit': None}}
    """  # noqa: E501
    rec = {}
    for k, v in record.items():
        ordered = v.get("kind") == "ranking"
        correct = v.get("correct")
        r = {
            "answer": to_jsonable(v.get("answer"), ordered),
            "correct": None if correct is None and "kind" in v else bool(correct),
        }
        r.update({x: to_jsonable(v[x]) if x != "rubric" else v[x] for x in _RECORD_EXTRAS if x in v})
        rec[k] = r
    exp = {}
    for k, v in key.items():
        if "error" in v:
            exp[k] = {"error": v["error"]}
            continue
        e = {
            "expected": to_jsonable(v.get("expected"), v.get("kind") == "ranking"),
            "tol": float(v.get("tol", 0)),
            "rel": float(v.get("rel", 0)),
        }
        e.update({x: v[x] for x in _ENTRY_EXTRAS if x in v})
        exp[k] = e
    return {RECORD_MIME: {"record": rec, "key": exp}}


def mark(answer: Any, entry: Mapping[str, Any]) -> tuple[bool | None, float | None]:
    """Score a recorded answer against an answer-key entry: ``(correct, credit)`` with credit in
    [0, 1] (a ranking's or multiple choice's partial credit, a number's within the wider margin of
    ``partial``), or ``(None, None)`` for a memo (graded by hand). What ``crmlib grade`` applies to
    every question.

    >>> mark(0.502, {"expected": 0.5, "tol": 0.005, "rel": 0})
    (True, 1.0)
    >>> mark(0.53, {"expected": 0.5, "tol": 0.005, "partial": {"tol": 0.05, "rel": 0, "credit": 0.5}})
    (False, 0.5)
    >>> mark(["a", "c", "b", "d"], {"expected": ["a", "b", "c", "d"], "kind": "ranking", "credit": "positions"})
    (False, 0.5)
    >>> mark("激发兴趣", {"expected": "interest", "kind": "text", "accept": ["激发兴趣"]})
    (True, 1.0)
    >>> mark("We should…", {"expected": None, "kind": "memo"})
    (None, None)
    """
    func = "mark"
    if not isinstance(entry, Mapping) or "expected" not in entry:
        raise CRMDataError(func, "entry", f"must be an answer-key entry with 'expected', got {entry!r}"[:300])
    exp = entry["expected"]
    kind = entry.get("kind") or _value_kind(exp)
    if kind not in KINDS:
        raise CRMDataError(func, "kind", f"must be one of {list(KINDS)}, got {kind!r}")
    if kind == "memo":
        return None, None
    if blank_answer(answer):
        return False, 0.0
    if kind == "ranking":
        given = [_fold(x) for x in (_listed(answer) or [answer])]
        target = [_fold(x) for x in (_listed(exp) or [exp])]
        scheme = _credit(entry.get("credit", "positions"), RANKING_CREDIT, func)
        return given == target, _ranking_credit(given, target, scheme)
    if kind == "multiple_choice":
        given = {_fold(x) for x in (_listed(answer) or [answer])}
        target = {_fold(x) for x in (_listed(exp) or [exp])}
        credit = _choice_credit(given, target, _credit(entry.get("credit", "all"), CHOICE_CREDIT, func))
        return given == target, credit
    tol = V.number(entry.get("tol", 0) or 0, func, "tol", 0)
    rel = V.number(entry.get("rel", 0) or 0, func, "rel", 0)
    ok = _matches(answer, exp, tol, rel, entry.get("accept", ()))
    part = entry.get("partial")
    if not ok and isinstance(part, Mapping) and is_correct(answer, exp, part.get("tol", tol), part.get("rel", rel)):
        return False, V.number(part.get("credit"), func, "partial", 0, 1)
    return ok, float(ok)


def score(ex_id: str, answer: Any, **data: Any) -> float:
    """The points an answer earns (its exercise's points × the credit :func:`mark` gives it against
    :func:`key_entry` for the same data, as ``crmlib grade`` scores it); raises
    :class:`ExerciseCheckFailed` when it earns none. The hidden test of an nbgrader test cell
    (:mod:`crmlib.nbgrader_export`): nbgrader takes the number a test cell shows as the points earned,
    and an error as none. A memo is graded by hand: no score.

    >>> score("ch0.rerun", "b")
    1.0
    >>> score("ch0.rerun", "a")
    Traceback (most recent call last):
    ...
    crmlib.exercises.ExerciseCheckFailed: ch0.rerun: no points for this answer (run the check above for feedback)
    """
    ex = _get(ex_id, "score")
    if ex.kind == "memo":
        raise CRMDataError("score", "exercise", f"{ex_id!r} is a memo, graded by hand: it has no automatic score")
    _, credit = mark(answer, key_entry(ex_id, **data))
    if not credit:
        raise ExerciseCheckFailed(f"{ex_id}: no points for this answer (run the check above for feedback)")
    return round(ex.points * credit, 6)


# ----------------------------------------------------------------------------------- the early-answer rule
_NUMBER = re.compile(r"(?<![\w.,])([-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(\s*%)?(?!\w)")
_TAG = re.compile(r"<[^>]+>")
_TH = re.compile(r"<th\b.*?</th>", re.S | re.I)
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)


def _joined(x: Any) -> str:
    return "".join(x) if isinstance(x, list) else str(x or "")


def _output_texts(cell: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(text searched for numbers, text searched for ids) of each output of a cell: stream text,
    plain text, HTML without its tags (and, for numbers, without its header cells: row labels)."""
    out = []
    for o in cell.get("outputs", []) or []:
        t = o.get("output_type")
        if t == "stream":
            s = _joined(o.get("text"))
            out.append((s, s))
        elif t in ("display_data", "execute_result"):
            d = o.get("data", {}) or {}
            if "text/html" in d:
                h = _STYLE.sub(" ", _joined(d["text/html"]))
                out.append((html.unescape(_TAG.sub(" ", _TH.sub(" ", h))), html.unescape(_TAG.sub(" ", h))))
            elif "text/markdown" in d or "text/plain" in d:
                s = _joined(d.get("text/markdown", d.get("text/plain")))
                out.append((s, s))
        elif t == "error":
            s = f"{o.get('ename', '')}: {o.get('evalue', '')}"
            out.append((s, s))
    return out


def _decimals(exp: float, tol: float, rel: float) -> int:
    """Decimals a number must show to pass the check of ``exp`` by being copied (0 for whole numbers
    and for tolerances of a unit or more)."""
    r = max(tol, rel * abs(exp))
    if r == 0:
        text = repr(float(exp))
        return 0 if float(exp).is_integer() or "e" in text else len(text.split(".")[1])
    return max(0, -math.floor(math.log10(2 * r)))


def _digits(exp: float, tol: float, rel: float) -> int:
    """Significant digits of ``exp`` as its check rounds it (a value within the tolerance passes)."""
    if exp == 0 or not math.isfinite(exp):
        return 0
    lead = math.floor(math.log10(abs(exp)))
    r = max(tol, rel * abs(exp))
    if r == 0:
        if float(exp).is_integer():
            return lead + 1
        return len(repr(float(exp)).lstrip("-0.").replace(".", "").rstrip("0"))
    return lead - math.floor(math.log10(2 * r)) + 1


def _key_of(nb: Mapping[str, Any]) -> dict[str, Any]:
    for c in nb.get("cells", []):
        for o in c.get("outputs", []) or []:
            d = o.get("data", {}) or {}
            if RECORD_MIME in d:
                return dict(d[RECORD_MIME].get("key", {}))
    raise CRMDataError(
        "answers_shown_early",
        "key",
        "the notebook carries no answer key: run it with crmlib.instructor.add_key_cells(nb), or pass key=",
    )


def answers_shown_early(nb: Any, key: Mapping[str, Any] | None = None, min_digits: int = 2) -> list[dict[str, Any]]:
    """Where an executed notebook shows an exercise's answer above the exercise's check cell.

    For each ``exercises.check("<id>", ...)`` cell, the outputs of the cells above it (leaving out
    ``solution`` cells, which students never see) are searched for

    * a **number** answer as its check rounds it: any number (``1,234.5``, ``62%``) that would pass the
      check, shown with the decimals the check needs or with at least three digits (``12`` is no
      evidence of an answer of 12.0 checked to ±0.05, ``12.0`` is; ``270`` is evidence of 270 checked
      to ±0.1%) — if the answer has at least ``min_digits`` significant digits at the check's tolerance
      (a ``7`` or ``0.5`` turns up everywhere and proves nothing);
    * an **id list** answer (and a ranking's items, in order): all its ids in one output (lists of at
      least two ids of at least two characters).

    Single ids, names, choices and memos are not searched (they appear in every table of the data).
    ``key`` maps exercise ids to their :func:`key_entry` (or plain expected values); by default it is
    read from the notebook itself, as executed with :func:`crmlib.instructor.add_key_cells`. Returns
    the findings, one dict per exercise and cell: ``exercise``, ``check_cell`` and ``cell`` (indices
    of the cells), ``cell_id`` and ``shown`` (what was found).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("print(share)", outputs=[nbformat.v4.new_output("stream", text="top 20%: 62.4% of revenue")]),
    ...             nbformat.v4.new_code_cell('exercises.check("demo.top_share", answer_1, tx=tx, fraction=0.2)')]
    >>> [(f["exercise"], f["cell"], f["shown"]) for f in answers_shown_early(nb, key={"demo.top_share": {"expected": 0.6238, "tol": 0.005}})]
    [('demo.top_share', 0, '62.4%')]
    """  # noqa: E501
    func = "answers_shown_early"
    if not isinstance(nb, Mapping) or not isinstance(nb.get("cells"), list):
        raise CRMDataError(
            func, "nb", f"must be an executed notebook (as read by nbformat.read), got {type(nb).__name__}"
        )
    min_digits = V.integer(min_digits, func, "min_digits", 1)
    if key is None:
        key = _key_of(nb)
    if not isinstance(key, Mapping):
        raise CRMDataError(func, "key", f"must map exercise ids to their expected answers, got {type(key).__name__}")
    cells = nb["cells"]
    first_check: dict[str, int] = {}
    for i, c in enumerate(cells):
        if c.get("cell_type") == "code":
            for ex_id in CHECK_CALL.findall(_joined(c.get("source"))):
                first_check.setdefault(ex_id, i)
    findings = []
    for ex_id, at in first_check.items():
        entry = key.get(ex_id)
        if entry is None or (isinstance(entry, Mapping) and "error" in entry):
            continue
        entry = entry if isinstance(entry, Mapping) else {"expected": entry}
        exp, kind = entry.get("expected"), entry.get("kind") or _value_kind(entry.get("expected"))
        tol, rel = float(entry.get("tol", 0) or 0), float(entry.get("rel", 0) or 0)
        for i, c in enumerate(cells[:at]):
            tags = (c.get("metadata", {}) or {}).get("tags", []) or []
            if c.get("cell_type") != "code" or "solution" in tags or set(HELPER_TAGS) & set(tags):
                continue
            shown = _shown(exp, kind, tol, rel, _output_texts(c), min_digits)
            if shown:
                findings.append(
                    {"exercise": ex_id, "check_cell": at, "cell": i, "cell_id": c.get("id"), "shown": shown}
                )
    return sorted(findings, key=lambda f: (f["check_cell"], f["cell"]))


def _shown(exp: Any, kind: str, tol: float, rel: float, texts: list[tuple[str, str]], min_digits: int) -> str | None:
    if kind == "number" and isinstance(exp, numbers.Real) and not isinstance(exp, bool):
        if _digits(float(exp), tol, rel) < min_digits:
            return None
        need = _decimals(float(exp), tol, rel)
        for num_text, _ in texts:
            for m in _NUMBER.finditer(num_text):
                token = m.group(1)
                value = float(token.replace(",", "").replace("−", "-"))
                shown = len(token.split(".")[1]) if "." in token else 0
                if m.group(2):
                    value, shown = value / 100, shown + 2
                digits = len(token.replace(",", "").replace(".", "").lstrip("-−0"))
                precise = shown >= need or digits >= 3  # as precise as the check, or too specific to be chance
                if precise and math.isclose(value, float(exp), abs_tol=tol, rel_tol=rel):
                    return m.group(0).strip()
        return None
    if kind in ("ids", "ranking") and isinstance(exp, (list, tuple)):
        ids = [str(x) for x in exp]
        if len(ids) < 2 or any(len(x) < 2 for x in ids):
            return None
        for _, id_text in texts:
            spots = [re.search(rf"(?<!\w){re.escape(x)}(?!\w)", id_text) for x in ids]
            if all(spots) and (kind == "ids" or all(a.start() < b.start() for a, b in zip(spots, spots[1:]))):
                return ", ".join(ids)
    return None


# ============================================================================ practice data (seeded generators)
# Fresh data for practice(): the notebook's generators at a size a learner can look through, with the
# notebook's default parameters (same question, new data).
def _px_tx(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_transactions

    return make_transactions(n_customers=300, seed=seed)


def _px_accounts(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_accounts

    return make_accounts(n=120, seed=seed)


def _px_invoices(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from crmlib.datasets import make_invoices

    acc = _px_accounts(seed)
    return acc, make_invoices(acc, seed=seed)


def _px_leads(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_leads

    return make_leads(n=600, seed=seed)


def _px_station(seed: int) -> dict:
    from crmlib.datasets import make_station

    return make_station(6, 12, 5, seed=seed)


def _px_rice(seed: int) -> tuple[pd.DataFrame, str]:
    from crmlib.datasets import make_rice_purchases

    log = make_rice_purchases(n_households=80, days=200 + 120, seed=seed)
    return log, f"{log['date'].min() + pd.Timedelta(days=200):%Y-%m-%d}"


def _px_bank(seed: int) -> dict:
    from crmlib.datasets import make_bank_clients

    return make_bank_clients(n_clients=20, n_quarters=8, seed=seed)


_TIERS = ("cw_tier_silver", "cw_tier_gold", "cw_tier_platinum", "cw_tier_diamond")
_AIDMAS = tuple(f"aidmas_{s}" for s in ("attention", "interest", "desire", "memory", "action", "satisfaction"))


# ============================================================================ Chapter 0 (start here)
# the warm-up quiz on using the workbook: fixed answers, a reason for every wrong option
choice(
    "ch0.rerun",
    points=1,
    question=(
        "You change seed in the parameters cell and run only that cell. The tables further down still show the "
        "old data. What do you do?",
        "你在参数单元格里改了 seed，但只运行了这一格，下面的表格显示的还是原来的数据。这时该怎么办？",
    ),
    options={
        "a": (
            "Nothing: the cells below notice the new value and update by themselves in a moment.",
            "什么都不用做：下面的单元格会发现取值变了，过一会儿自己更新。",
        ),
        "b": (
            "Run the cells below it again, or Kernel → Restart Kernel and Run All Cells.",
            "把参数单元格以下的各个单元格重新运行一遍，或者选择 Kernel → Restart Kernel and Run All Cells"
            "（重启内核并运行全部单元格）。",
        ),
        "c": ("Save the notebook and open it again.", "先保存笔记本，再重新打开。"),
        "d": (
            "Set the seed back: the self-checks accept only the results of the default seed.",
            "把随机种子改回原值：只有用默认的随机种子算出的结果，自我检查才会认可。",
        ),
    },
    answer="b",
    feedback={
        "a": (
            "a notebook is not a spreadsheet: a cell's output changes only when that cell runs again, so the tables "
            "below still show what they computed with the old seed.",
            "笔记本不是电子表格：单元格只有重新运行，输出才会改变，所以下面的表格显示的仍是用原来的种子算出的结果。",
        ),
        "c": (
            "saving keeps the outputs as they are, and opening a notebook runs nothing; the cells below still have to "
            "run again.",
            "保存只会把现有的输出原样存下来，打开笔记本也不会运行任何单元格，下面的单元格还是要重新运行。",
        ),
        "d": (
            "any seed works: a self-check recomputes the right answer from the notebook's own data, so it stays "
            "right whatever the seed.",
            "换哪个随机种子都可以：自我检查会根据笔记本当前的数据重新算出正确答案，无论种子是多少，它都判断得准。",
        ),
    },
    hint=[
        (
            "does a cell compute again when a cell above it changes, or only when it is run?",
            "上面的单元格变了，下面的单元格会自己重新计算吗？还是只有运行它的时候才会计算？",
        ),
        (
            "reread 'Running cells' in section 3: the cells depend on earlier ones; what is the cure when a result "
            "looks wrong?",
            "重读第 3 节的“运行单元格”：后面的单元格要用到前面的结果。结果看起来不对时，该怎么办？",
        ),
    ],
)

choice(
    "ch0.language",
    multiple=True,
    credit="balanced",
    points=2,
    question=(
        'You set lang = "zh" in the parameters cell of an English chapter and run all cells. What changes? Pick '
        "every option that applies.",
        '你在某一章英文版的参数单元格里设置 lang = "zh"，然后运行全部单元格。哪些内容会随之改变？'
        "请选出所有符合的选项。",
    ),
    options={
        "a": (
            "the labels crmlib puts into tables and plots (segment names, customer classes, axis titles)",
            "crmlib 放进表格和图里的标签（细分群体名称、客户类别、坐标轴标题等）",
        ),
        "b": ("the verdicts and hints of the self-checks", "自我检查给出的判断和提示"),
        "c": ("the explanations in the text cells", "文字单元格里的讲解"),
        "d": ("the data, and the numbers computed from it", "数据本身，以及由数据算出的数字"),
        "e": ("the message of a CRMDataError", "CRMDataError 的错误信息"),
    },
    answer=["a", "b"],
    feedback={
        "c": (
            "the text cells are written once for each edition: the Chinese explanations are in the Chinese edition, "
            "notebooks/zh/. lang changes only what the code shows.",
            "文字单元格是为每个版本分别写好的，中文讲解在 notebooks/zh/ 下的中文版里；lang 只改变代码显示出来的文字。",
        ),
        "d": (
            "the language changes words, not data: the same seed gives the same data and the same numbers in either "
            "language.",
            "语言只改变文字，不改变数据：随机种子相同，两种语言下的数据和数字完全一样。",
        ),
        "e": (
            "error messages are in English in every language, by design: they name the function and the field, as "
            "in the example of section 3.",
            "错误信息在哪种语言下都是英文的，这是有意的设计：它们指明出错的函数和字段，就像第 3 节的例子那样。",
        ),
    },
    hint=[
        (
            "lang sets the language of what crmlib shows, not of what was written by hand, nor of the data.",
            "lang 决定的是 crmlib 显示的文字用哪种语言，管不到手写的讲解，也管不到数据。",
        ),
        (
            "reread section 4, 'Chinese terms and language', and look again at the error message in section 3: "
            "which language is it in?",
            "重读第 4 节“中文术语与语言”，再回头看看第 3 节的那条错误信息是用哪种语言写的。",
        ),
    ],
)

ranking(
    "ch0.steps",
    items={
        "hint": (
            "if it says ❌: exercises.hint(...) for the next hint, then try again",
            "如果显示 ❌，就用 exercises.hint(...) 看下一条提示，再试一次",
        ),
        "check": (
            "run the check cell below the answer cell and read the verdict (✅, ❌ or ✏️)",
            "运行作答单元格下面的检查单元格，看它给出的判断（✅、❌ 或 ✏️）",
        ),
        "solution": (
            "expand the solution cell and compare it with your answer",
            "展开答案单元格，和自己的答案对照",
        ),
        "answer": (
            "replace None with your answer in the answer cell",
            "在作答单元格里把 None 换成你的答案",
        ),
    },
    answer=["answer", "check", "hint", "solution"],
    credit="positions",
    points=2,
    question=(
        "Put the steps of answering an exercise in the order that teaches you most, from first to last.",
        "做一道练习有下面四个步骤。按怎样的顺序做，学到的东西最多？请从第一步排到最后一步。",
    ),
    hint=[
        (
            "a check needs an answer to check; and the solution shows the answer itself, so it cannot come "
            "before the hints.",
            "检查总得有答案可查；答案单元格直接给出答案，所以不能排在提示前面。",
        ),
        (
            "reread 'Exercises and self-checks' in section 3: what does a self-check never show, and where is "
            "the model answer?",
            "重读第 3 节的“练习与自我检查”：自我检查绝不会显示什么？参考答案又放在哪里？",
        ),
    ],
)

choice(
    "ch0.error",
    points=1,
    question=(
        "Chapter 1 stops at the cell after its parameters with CRMDataError: parameters: field 'top_fractoin' is "
        "not a parameter of this notebook; known parameters: [...]. What does the message tell you?",
        "第 1 章运行到参数后面的那一格就停了下来，报出 CRMDataError: parameters: field 'top_fractoin' is not a "
        "parameter of this notebook; known parameters: [...]。这条信息说明了什么？",
    ),
    options={
        "a": ("crmlib has a bug: reinstall it.", "crmlib 出了程序错误，要重新安装。"),
        "b": (
            "A parameter's name is misspelt in the parameters cell: correct it with the help of the known names "
            "the message lists, and run all cells again.",
            "参数单元格里有一个参数名拼错了：对照信息里列出的已知参数名改正它，再运行全部单元格。",
        ),
        "c": ("A data file is damaged: download the workbook again.", "某个数据文件损坏了，要重新下载工作簿。"),
        "d": (
            "Nothing serious: run the next cells and ignore the message.",
            "问题不大：接着运行后面的单元格，不用理会这条信息。",
        ),
    },
    answer="b",
    feedback={
        "a": (
            "a CRMDataError is crmlib refusing a bad input and saying where: the function (here the parameters "
            "check), the field and what is wrong. The fix is in the input.",
            "CRMDataError 表示 crmlib 拒绝了一个不合要求的输入，并说明问题出在哪里：哪个函数（这里是参数检查）、"
            "哪个字段、错在什么地方。要改的是输入。",
        ),
        "c": (
            "the message names the parameters check and the field 'top_fractoin', a name typed into the parameters "
            "cell, not a file.",
            "信息里说的是参数检查和字段 'top_fractoin'，这是参数单元格里写下的名字，与数据文件无关。",
        ),
        "d": (
            "the cells below use the checked parameters; with the name misspelt, the value you meant to set is not "
            "used, so the results would not be the ones you asked for.",
            "后面的单元格都要用到检查过的参数。参数名拼错了，你想设的那个值根本没有生效，算出来的结果也就不是你要的。",
        ),
    },
    hint=[
        (
            "read the message from left to right: which check speaks, and about which field?",
            "从左往右读这条信息：是哪一项检查报的错？说的是哪个字段？",
        ),
        (
            "compare the field's name, letter by letter, with the known parameters the message lists.",
            "把这个字段名和信息里列出的已知参数名逐个字母对照一下。",
        ),
    ],
)


# ============================================================================ Chapter 1
def _revenue(tx: pd.DataFrame) -> pd.Series:
    from crmlib.segmentation import rfm_table

    return rfm_table(tx)["monetary"]


# ---- the engine's worked examples (demo.*): chapter 1's earlier exercises, kept for the docs, the
# tests, the instructor tools and chapter 0's demonstration; they belong to no chapter's progress
@exercise(
    "demo.top_share",
    tol=0.005,
    hint=[
        (
            "think of how many customers the top share is, and which part of all revenue they bring.",
            "先想清楚排在最前面的这部分客户有多少位，再看他们的收入在全部收入中占多大比例。",
        ),
        (
            "rank customers by their total revenue, keep the top share of them (round the count up) and divide "
            "their revenue by the total.",
            "按总收入给客户排序，取排在最前面的那部分客户（人数向上取整），用他们的收入除以全部收入。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
    question=(
        "What share of total revenue (a fraction between 0 and 1) do the top {fraction:.0%} of customers bring?",
        "收入最高的前 {fraction:.0%} 的客户贡献了总收入的多大比例？请用 0 到 1 之间的小数回答。",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "fraction": 0.2},
)
def _ch1_top_share(tx: pd.DataFrame, fraction: float) -> float:
    from crmlib.segmentation import top_share

    return top_share(_revenue(tx), fraction)


@exercise(
    "demo.key_accounts",
    hint=[
        (
            "the key customers are the few at the top of the revenue ranking: how far down does the first cut-off "
            "reach?",
            "关键客户是收入排名最靠前的少数客户：第一个分界点划到排名的哪里？",
        ),
        (
            "sort customers by revenue and count those before whom the running share is still below the first "
            "cut-off (ties count together).",
            "按收入从高到低给客户排序并累计收入占比；一位客户前面所有客户的累计占比如果还没有达到第一个分界点，"
            "他就是关键客户。数一数这样的客户有几位（收入相同的客户一起计算）。",
        ),
    ],
    mistakes=[mistake("off_by_one", value=lambda tx, cuts: _ch1_key_accounts(tx, cuts) - 1)],
    question=(
        "With the cut-offs {cuts}, how many customers are key (class A) customers?",
        "按分界点 {cuts} 划分，有多少位关键客户（A 类客户）？",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "cuts": [0.8, 0.95]},
)
def _ch1_key_accounts(tx: pd.DataFrame, cuts: tuple[float, float]) -> int:
    from crmlib.segmentation import abc_classes

    classes = abc_classes(_revenue(tx), cuts=cuts)
    return int((classes["abc"].cat.codes == 0).sum())


def _ch1_ideal(prospects: pd.DataFrame) -> np.ndarray:
    from crmlib.qualification import man_table

    return (man_table(prospects)["priority"] == 1).to_numpy()


@exercise(
    "ch1.call_list",
    hint=[
        (
            "two conditions at once: the MAN rule, and how soon the prospect will buy.",
            "要同时满足两个条件：一是MAN法则，二是这位准客户多快能成交。",
        ),
        (
            "keep the prospects whose MAN code is M+A+N and whose expected close is within the 'mature' limit; "
            "answer with their ids.",
            "留下MAN代码为 M+A+N、预计成交天数又在“成熟客户”期限之内的准客户，用他们的编号作答。",
        ),
    ],
    mistakes=[
        mistake(
            "man_only",
            (
                "these are all the ideal prospects by the MAN rule; keep only those who will also close soon (mature).",
                "这是按MAN法则筛出的全部合格准客户，还要从中只留下很快就能成交的成熟客户。",
            ),
            value=lambda prospects, mature_days: frozenset(
                prospects.loc[_ch1_ideal(prospects), "prospect_id"].astype(str)
            ),
        )
    ],
    question=(
        "Which prospects are ideal by the MAN rule (M+A+N) and mature (expected to close within {mature_days} "
        "days)? Answer with the list of their prospect_ids.",
        "哪些准客户按MAN法则是合格准客户（M+A+N），同时又是成熟客户（预计 {mature_days} 天内成交）？"
        "请把他们的 prospect_id 写成列表作答。",
    ),
    practice=lambda seed: {"prospects": _px_prospects(seed), "mature_days": 30},
)
def _ch1_call_list(prospects: pd.DataFrame, mature_days: int) -> frozenset:
    from crmlib.qualification import deal_stage

    stage = deal_stage(prospects["expected_close_days"], cuts=(mature_days, max(mature_days + 1, 60)))
    sel = _ch1_ideal(prospects) & (stage.cat.codes == 0).to_numpy()
    return frozenset(prospects.loc[sel, "prospect_id"].astype(str))


def _px_prospects(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_prospects

    return make_prospects(n=80, seed=seed)


@exercise(
    "demo.at_risk_revenue",
    rel=0.001,
    hint=[
        (
            "first give every customer an RFM score, then find the segment of good customers who have gone quiet.",
            "先给每位客户打 RFM 分，再找出过去价值很高、最近却不再购买的那个细分群体。",
        ),
        (
            "score the RFM table with the notebook's number of bins, name the segments and add up the monetary "
            "value of the 'At risk' customers.",
            "按本笔记本设定的分档数给 RFM 表打分，为各细分群体命名，"
            "再把“高价值流失风险”（At risk）客户的消费金额加总。",
        ),
    ],
    question=(
        "With {bins} score levels, how much revenue (total monetary value) have the customers of the At risk "
        "segment brought so far?",
        "按 {bins} 档打分时，“高价值流失风险”这一细分群体的客户到目前为止一共带来了多少收入（消费金额合计）？",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "bins": 5},
)
def _ch1_at_risk_revenue(tx: pd.DataFrame, bins: int) -> float:
    from crmlib.segmentation import rfm_scores, rfm_segments, rfm_table

    seg = rfm_segments(rfm_scores(rfm_table(tx), bins=bins), lang="en")
    return float(seg.loc[seg["segment"] == "At risk", "monetary"].sum())


def _ch1_relational(tx: pd.DataFrame, discount_cut: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    from crmlib.segmentation import customer_summary, relationship_type

    s = customer_summary(tx)
    return s, relationship_type(s["margin"], s["discount_pct"], discount_cut=discount_cut)


def _ch1_largest_among_relational(tx: pd.DataFrame, discount_cut: float, column: str) -> str:
    s, rt = _ch1_relational(tx, discount_cut)
    relational = rt["value_rank"].notna().to_numpy()
    return str(s.loc[relational, column].idxmax())


@exercise(
    "demo.best_relational",
    hint=[
        (
            "two steps: leave out the customers who buy on discounts, then compare margin, not revenue.",
            "分两步：先去掉靠折扣购买的客户，再比较边际贡献，而不是比较收入。",
        ),
        (
            "summarise each customer's margin and discount share, drop the transactional ones (discount share at "
            "or above the cut) and take the largest margin.",
            "汇总每位客户的边际贡献和折扣百分比，去掉交易型客户（折扣百分比达到或超过分界值的），再取边际贡献最大的那位。",
        ),
    ],
    mistakes=[
        mistake(
            "revenue_for_margin",
            value=lambda tx, discount_cut: _ch1_largest_among_relational(tx, discount_cut, "revenue"),
        ),
        mistake(
            "transactional_too",
            (
                "this customer buys on discounts (transactional); leave those out first.",
                "这位客户靠折扣购买，是交易型客户，应先把这类客户排除。",
            ),
            value=lambda tx, discount_cut: str(_ch1_relational(tx, discount_cut)[0]["margin"].idxmax()),
        ),
    ],
    question=(
        "Leave out the transactional customers (discount share at or above {discount_cut:.0%}). Which remaining "
        "customer has brought the largest margin? Answer with its customer_id.",
        "去掉交易型客户（折扣百分比达到或超过 {discount_cut:.0%}）后，剩下的客户中谁带来的边际贡献最大？请用他的 "
        "customer_id 作答。",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "discount_cut": 0.2},
)
def _ch1_best_relational(tx: pd.DataFrame, discount_cut: float) -> str:
    _, rt = _ch1_relational(tx, discount_cut)
    return str(rt.index[rt["value_rank"].fillna(0).to_numpy() == 1][0])


# ---- chapter 1, the exercises of the notebook: computations composed of several steps, and judgements
def _ch1_profit(tx: pd.DataFrame, cost_per_order: float, per: str = "purchase") -> pd.Series:
    """Each customer's margin minus the handling cost, charged per purchase (or, the mistake, once)."""
    from crmlib.segmentation import customer_summary

    s = customer_summary(tx)
    cost = V.number(cost_per_order, "ch1.handling_losses", "cost_per_order", 0)
    return s["margin"] - cost * (s["n_transactions"] if per == "purchase" else 1)


@exercise(
    "ch1.handling_losses",
    points=2,
    hint=[
        (
            "profit after the cost to serve = margin minus what handling the customer's purchases cost.",
            "扣除服务成本后的利润，等于边际贡献减去处理这位客户全部订单的费用。",
        ),
        (
            "summarise the log per customer, subtract cost_per_order once for every purchase the customer made, "
            "and count the customers left with zero or less.",
            "按客户汇总交易记录，客户每买一次就减去一次 cost_per_order，再数一数利润为零或负数的客户有几位。",
        ),
    ],
    mistakes=[
        mistake(
            "cost_once",
            (
                "the handling cost was taken off once per customer; every purchase costs it.",
                "处理费只按每位客户扣了一次，可是每一笔订单都要花这笔钱。",
            ),
            value=lambda tx, cost_per_order: int((_ch1_profit(tx, cost_per_order, per="customer") <= 0).sum()),
        ),
        mistake(
            "gross_margin",
            (
                "this counts the customers whose margin alone is zero or less; take the handling cost off first.",
                "这是只看边际贡献时利润为零或负数的客户数，还要先扣掉处理费。",
            ),
            value=lambda tx, cost_per_order: int((_ch1_profit(tx, 0.0) <= 0).sum()),
        ),
        mistake(
            "below_zero_only",
            (
                "a profit of exactly zero also counts as least profitable (zero or less).",
                "利润正好为零的客户也属于最不具获利客户（零或负数都算）。",
            ),
            value=lambda tx, cost_per_order: int((_ch1_profit(tx, cost_per_order) < 0).sum()),
        ),
        mistake(
            "share_for_count",
            (
                "this is a share; the question asks how many customers (a whole number).",
                "这是占比，题目问的是客户人数（一个整数）。",
            ),
            value=lambda tx, cost_per_order: float((_ch1_profit(tx, cost_per_order) <= 0).mean()),
        ),
    ],
    question=(
        "Every purchase costs {cost_per_order} to handle. With that cost taken off each customer's margin, how many "
        "customers have a profit of zero or less?",
        "每笔订单的处理费是 {cost_per_order}。从每位客户的边际贡献中扣除这笔费用后，有多少位客户的利润为零或负数？",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "cost_per_order": 5.0},
)
def _ch1_handling_losses(tx: pd.DataFrame, cost_per_order: float) -> int:
    from crmlib.segmentation import profitability_tiers

    return int((profitability_tiers(_ch1_profit(tx, cost_per_order))["tier"].cat.codes == 2).sum())


choice(
    "ch1.drop_losers",
    options={
        "a": (
            "Agree: they lose money, so dropping them raises profit by exactly the sum of their losses.",
            "同意：他们在亏钱，放弃他们，利润就正好增加他们亏损的总额。",
        ),
        "b": (
            "First find out why each of them loses money; a minimum order, a delivery charge or a cheaper channel "
            "often makes them profitable, and only those who stay unprofitable are let go.",
            "先弄清楚每位客户亏损的原因；设定最低订购额、收取配送费或改用成本更低的渠道，往往就能让他们盈利，"
            "仍然亏损的再放弃。",
        ),
        "c": (
            "Refuse: every customer must be kept, because customers are the foundation of the business.",
            "拒绝：客户是企业的根本，每一位客户都必须留住。",
        ),
        "d": (
            "Drop them and the profitable tier too, and serve only the most profitable customers.",
            "连同具获利客户一起放弃，只服务最具获利客户。",
        ),
    },
    answer="b",
    feedback={
        "a": (
            "only part of the handling cost would disappear with them (staff and warehouse stay), and a customer who "
            "loses money today may be new, or fixable by changing how it is served.",
            "他们走了，处理费也只能省下一部分（人员和仓库还在）；而且今天亏钱的客户可能是新客户，或者换一种服务方式就能扭亏为盈。",
        ),
        "c": (
            "the seed's advice for the least profitable is to change how they are served or stop chasing them, "
            "not to keep them at any cost.",
            "教材对最不具获利客户的建议是改变服务方式，或者不再花力气争取，而不是不惜代价留住。",
        ),
        "d": (
            "the profitable tier earns money: dropping it loses profit and leaves the firm dependent on a few "
            "customers.",
            "具获利客户是赚钱的：放弃他们会损失利润，还会让企业只依赖少数几位客户。",
        ),
    },
    hint=[
        (
            "would every cost of serving them disappear with them?",
            "他们走了，服务他们的成本会全部消失吗？",
        ),
        (
            "reread the seed's strategy for the least profitable tier in section 4: reprice, change how they are "
            "served, and only then decide whom to stop chasing.",
            "重读第 4 节里教材针对最不具获利客户的对策：先调整价格、改变服务方式，再决定放弃哪些客户。",
        ),
    ],
)


def _ch1_customers_for(cdnow: pd.DataFrame, ascending: bool = False) -> float:
    """The smallest share of customers whose revenue reaches 80 % (``ascending``: the mistake of adding
    them up from the smallest)."""
    from crmlib.segmentation import rfm_table

    rev = rfm_table(cdnow)["monetary"].sort_values(ascending=ascending, kind="mergesort")
    running = np.round((rev.cumsum() / rev.sum()).to_numpy(), 12)
    return (int((running < 0.8).sum()) + 1) / len(rev)


@exercise(
    "ch1.cdnow_customers_for_80",
    tol=0.002,
    points=2,
    hint=[
        (
            "the question turns the 80/20 rule round: not the revenue share of the top 20 %, but the customer "
            "share that makes 80 % of revenue.",
            "这道题把二八法则倒过来问：问的不是前 20% 的客户贡献了多少收入，而是要多大比例的客户才能凑够 80% 的收入。",
        ),
        (
            "total each customer's revenue, sort from the biggest down, keep a running share of revenue, count the "
            "customers until it reaches 80 % and divide by all customers.",
            "先算出每位客户的总收入，从大到小排序并累计收入占比，"
            "数一数到累计占比达到 80% 时共有几位客户，再除以客户总数。",
        ),
    ],
    mistakes=[
        mistake(
            "top_share_instead",
            (
                "this is the revenue share of the top 20 % of customers; the question asks for the share of customers "
                "needed to reach 80 % of revenue.",
                "这是前 20% 的客户的收入占比；题目问的是，要多大比例的客户才能凑够 80% 的收入。",
            ),
            value=lambda cdnow: _ch1_top_share(cdnow, 0.2),
        ),
        mistake(
            "count_for_share",
            value=lambda cdnow: float(round(_ch1_customers_for(cdnow) * cdnow["customer_id"].nunique())),
        ),
        mistake(
            "smallest_first",
            (
                "the customers were added from the smallest up; start from the biggest spender.",
                "这是从消费最少的客户开始累加的，应从消费最多的客户开始。",
            ),
            value=lambda cdnow: _ch1_customers_for(cdnow, ascending=True),
        ),
        PERCENT_FOR_FRACTION,
    ],
    question=(
        "On the CDNOW log: what is the smallest share of customers (a fraction) whose revenue together reaches 80 % "
        "of all revenue?",
        "在 CDNOW 的交易记录中，收入合计达到全部收入 80% 的客户，最少要占全部客户的多大比例？请用小数回答。",
    ),
)
def _ch1_cdnow_customers_for_80(cdnow: pd.DataFrame) -> float:
    return _ch1_customers_for(cdnow)


def _ch1_matrix(tx: pd.DataFrame, wallets: Any, discount_cut: float) -> tuple[pd.DataFrame, pd.Series]:
    """The notebook's value matrix (last year's buyers, headroom against the wallets) and who is relational."""
    from crmlib.segmentation import customer_summary, recent_revenue, relationship_type, share_of_wallet, value_matrix

    spend = recent_revenue(tx)
    active = spend.index[(spend > 0).to_numpy()]
    w = wallets.set_index("customer_id")["est_category_spend"] if isinstance(wallets, pd.DataFrame) else wallets
    sow = share_of_wallet(spend[active], pd.Series(w).reindex(active))
    vm = value_matrix(sow["spend"], sow["headroom"])
    s = customer_summary(tx)
    rt = relationship_type(s["margin"], s["discount_pct"], discount_cut=discount_cut)
    return vm, (rt["type"].cat.codes == 0).reindex(vm.index)


def _ch1_headroom_of(tx, wallets, discount_cut, quadrants=(2,), relational_only=True, column="potential") -> float:
    vm, relational = _ch1_matrix(tx, wallets, discount_cut)
    keep = vm["quadrant"].cat.codes.isin(quadrants) & (relational if relational_only else True)
    return float(vm.loc[keep.to_numpy(), column].sum())


@exercise(
    "ch1.develop_headroom",
    rel=0.001,
    points=2,
    hint=[
        (
            "two analyses together: the value matrix says who is in the develop quadrant, the relationship type says "
            "who is relational.",
            "要把两项分析合起来：客户价值矩阵告诉你谁在“重点发展”象限，关系类型告诉你谁是关系型客户。",
        ),
        (
            "keep the customers of the develop quadrant, drop those whose discount share reaches the cut, and add up "
            "the headroom (potential) of the rest.",
            "留下“重点发展”象限的客户，去掉折扣百分比达到分界值的客户，再把其余客户的钱包空间（potential）加总。",
        ),
    ],
    mistakes=[
        mistake(
            "transactional_too",
            (
                "this includes the transactional customers of the quadrant; keep only the relational ones.",
                "这里把这个象限中的交易型客户也算进去了，应只保留关系型客户。",
            ),
            value=lambda tx, wallets, discount_cut: _ch1_headroom_of(tx, wallets, discount_cut, relational_only=False),
        ),
        mistake(
            "invest_too",
            (
                "this adds the invest-and-retain quadrant too; the question is about the develop quadrant only.",
                "这里把“重点保持”象限也加进来了，题目只问“重点发展”象限。",
            ),
            value=lambda tx, wallets, discount_cut: _ch1_headroom_of(tx, wallets, discount_cut, quadrants=(0, 2)),
        ),
        mistake(
            "current_for_potential",
            (
                "this adds up their current value (spend with us); the question asks for their headroom.",
                "这是他们的当前价值（在本企业的消费）之和，题目问的是钱包空间。",
            ),
            value=lambda tx, wallets, discount_cut: _ch1_headroom_of(tx, wallets, discount_cut, column="current"),
        ),
    ],
    question=(
        "How much wallet headroom do the relational customers (discount share below {discount_cut:.0%}) of the "
        "develop quadrant hold together?",
        "“重点发展”象限中的关系型客户（折扣百分比低于 {discount_cut:.0%}）合计有多少钱包空间？",
    ),
    practice=lambda seed: {
        "tx": _px_tx(seed),
        "wallets": _px_wallets(seed),
        "discount_cut": 0.2,
    },
)
def _ch1_develop_headroom(tx: pd.DataFrame, wallets: Any, discount_cut: float) -> float:
    return _ch1_headroom_of(tx, wallets, discount_cut)


def _px_wallets(seed: int) -> pd.Series:
    from crmlib.datasets import make_wallets

    return make_wallets(n_customers=300, seed=seed).set_index("customer_id")["est_category_spend"]


choice(
    "ch1.better_prospect",
    options={
        "a": ("customer a (the first row of the table)", "客户 a（表中第一行）"),
        "b": ("customer b (the second row)", "客户 b（第二行）"),
        "c": ("customer c (the third row)", "客户 c（第三行）"),
    },
    answer="b",
    feedback={
        "a": (
            "a already gives you most of what it spends in the category (look at its share of wallet): more effort "
            "can add little. Keep it, efficiently — the maintain strategy.",
            "a 在这一类商品上的花费，大部分已经花在我们这里（看它的钱包份额），再花力气也增加不了多少，"
            "应以较低的成本维持现有关系，这正是“一般维持”的对策。",
        ),
        "c": (
            "c's headroom is large, but it buys on deep discount at a thin margin: winning more of its wallet adds "
            "little profit, and a transactional buyer leaves for the next cheaper offer.",
            "c 的钱包空间虽大，但它靠大幅折扣购买，边际贡献很低：争取到它更多的消费也赚不了多少，"
            "而且交易型客户一遇到更便宜的就会离开。",
        ),
    },
    hint=[
        (
            "compare how much room is left with each customer: its share of wallet.",
            "先比较每位客户身上还有多少可争取的空间：看它的钱包份额。",
        ),
        (
            "then ask what that room is worth: a customer who buys on deep discount at a thin margin adds little "
            "profit however much more it buys (section 12).",
            "再想想这些空间值多少钱：靠大幅折扣购买、边际贡献很低的客户，买得再多也赚不了多少（第 12 节）。",
        ),
    ],
)

choice(
    "ch1.need_essence",
    options={
        "a": ("a lower price per kilo", "每公斤更低的价格"),
        "b": (
            "deliveries she can rely on before the kitchen opens, which would lower what her vegetables really cost",
            "每天在厨房开工之前准时送到、靠得住的货，这样才能真正降低她买菜的成本",
        ),
        "c": ("a wider range of vegetables", "更多种类的蔬菜"),
        "d": ("longer payment terms", "更长的付款期限"),
    },
    answer="b",
    feedback={
        "a": (
            "that is her request, the surface of the need; ask why the price matters: on the days of late deliveries "
            "she pays twice as much at the market.",
            "这是她提出的要求，只是需求的表面。再追问一句价格为什么重要：送货晚到的那几天，她只好去市场上花两倍的价钱买菜。",
        ),
        "c": (
            "nothing in her story is about the range; the cost comes from the deliveries that arrive late.",
            "她说的情况与品种无关，多花的钱是送货晚到造成的。",
        ),
        "d": (
            "payment terms would not stop her buying at twice the price on the days the delivery is late.",
            "延长付款期限，也改变不了送货晚到时她要花两倍价钱去买菜的事实。",
        ),
    },
    hint=[
        (
            "the essence is the problem underneath the request, not the request itself.",
            "需求实质是客户的要求背后真正要解决的问题，而不是要求本身。",
        ),
        (
            "ask why the price matters to her: what makes her vegetables expensive on one day in three?",
            "问一问价格为什么对她这么重要：为什么每三天就有一天，她买菜的成本会特别高？",
        ),
    ],
)

memo(
    "ch1.recommendation",
    rubric=[
        (
            (
                "names the customers to spend the time on, as a group the notebook defines (a quadrant, a segment, "
                "a class), with its size",
                "指出要把时间花在哪些客户身上，用笔记本中定义的一群客户（某个象限、细分群体或类别）来说明，并给出人数",
            ),
            2,
        ),
        (
            (
                "combines at least two of the chapter's analyses consistently (e.g. value matrix and relationship "
                "type, or RFM and customer state)",
                "至少把本章的两项分析结合起来，并且前后一致，例如客户价值矩阵加关系类型，或RFM分析加客户状态",
            ),
            2,
        ),
        (
            ("supports the choice with a number from the notebook's output", "用笔记本算出的数字支持这个选择"),
            1,
        ),
        (
            (
                "names one assumption or limit that could make the recommendation wrong (wallet estimates, "
                "synthetic data, median cuts, …)",
                "指出一个可能让建议出错的假设或局限，例如钱包估计、模拟数据、按中位数划分等",
            ),
            1,
        ),
    ],
    question=(
        "Write a short recommendation (3–5 sentences) to the shop's manager: which customers should the two account "
        "managers spend their time on next quarter, and why?",
        "给店长写一段简短的建议（3～5 句话）：下个季度，两位客户经理应该把时间花在哪些客户身上？为什么？",
    ),
    hint=[
        (
            "start from the value matrix: which quadrant holds the customers worth developing?",
            "先从客户价值矩阵出发：哪个象限里的客户值得重点发展？",
        ),
        (
            "then remove the customers another analysis warns about (transactional buyers, lost customers) and give "
            "the size and headroom of the group that is left.",
            "再去掉其他分析提醒你要当心的客户（交易型客户、流失客户），并给出剩下这群客户的人数和钱包空间。",
        ),
    ],
)


# ============================================================================ Chapter 2 (selection)
@exercise(
    "ch2.top_ideal",
    hint=[
        (
            "the ideal customer is judged on five criteria at once, each with its weight — not on revenue alone.",
            "理想客户要同时看五项标准，每项有各自的权重，不能只看收入。",
        ),
        (
            "score the accounts with ideal_customer_score using the notebook's five weights (in the order "
            "demand, payment, service_cost, risk, partnership) and take the account ranked 1.",
            "用 ideal_customer_score 按本笔记本的五个权重（顺序为 demand、payment、service_cost、risk、partnership）"
            "给客户打分，取排名第 1 的客户。",
        ),
    ],
    mistakes=[
        mistake(
            "biggest_buyer",
            (
                "this is the biggest buyer; big is not the same as ideal — use the weighted score of all five "
                "criteria.",
                "这是采购额最大的客户；大客户不等于理想客户，请用五项标准的加权评分。",
            ),
            value=lambda accounts, weights: str(accounts.set_index("account_id")["revenue"].idxmax()),
        )
    ],
    question=(
        "With the weights {weights} (demand, payment, service_cost, risk, partnership), which account has the "
        "highest ideal-customer score? Answer with its account_id.",
        "按权重 {weights}（依次为 demand、payment、service_cost、risk、partnership），哪一位客户的理想客户评分最高？"
        "请用它的 account_id 作答。",
    ),
    practice=lambda seed: {"accounts": _px_accounts(seed), "weights": [1, 1, 1, 1, 1]},
)
def _ch2_top_ideal(accounts: pd.DataFrame, weights: list[float]) -> str:
    from crmlib.selection import CRITERIA, ideal_customer_score

    scores = ideal_customer_score(accounts, weights=dict(zip(CRITERIA, weights)))
    return str(scores.sort_values("rank", kind="mergesort").index[0])


@exercise(
    "ch2.whale_peak",
    tol=0.005,
    hint=[
        (
            "count every cost of serving an account, not only the cost of goods: some big accounts lose money.",
            "把服务每个客户的各项成本都算进去，不只是商品成本：有些大客户其实在亏钱。",
        ),
        (
            "compute each account's profit after discounts, cost of goods, cost to serve and payment-delay cost, "
            "build the whale curve and read its highest cumulative share (a fraction, e.g. 1.3).",
            "算出每个客户扣除折扣、商品成本、服务成本和延期付款成本之后的利润，画出鲸鱼曲线，读出累计利润占比的最高点"
            "（用小数表示，例如 1.3）。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
    question=(
        "With a cost of capital of {cost_of_capital:.0%}, how high does the whale curve rise? Answer with the peak "
        "as a fraction of total profit (e.g. 1.3 for 130%).",
        "资金成本为 {cost_of_capital:.0%} 时，鲸鱼曲线最高升到多少？请用占总利润的比例作答（例如 130% 写成 1.3）。",
    ),
    practice=lambda seed: {"accounts": _px_accounts(seed), "cost_of_capital": 0.10},
)
def _ch2_whale_peak(accounts: pd.DataFrame, cost_of_capital: float) -> float:
    from crmlib.selection import customer_profitability, whale_peak

    return whale_peak(customer_profitability(accounts, cost_of_capital=cost_of_capital)["profit"])


@exercise(
    "ch2.oldest_bucket_amount",
    rel=0.001,
    hint=[
        (
            "only the open invoices matter, and only those overdue longer than the last bucket edge.",
            "只看尚未收回的发票，而且只看逾期超过最后一个分档上限的那些。",
        ),
        (
            "age the open invoices on the notebook's as_of date with its buckets and add up the amount in the last "
            "(oldest) bucket.",
            "以本笔记本的 as_of 为日期，按本笔记本的分档做应收账款账龄分析，把最后一档（账龄最长）的金额加总。",
        ),
    ],
    question=(
        "On {as_of}, with the buckets {buckets}, how much money is in the oldest bucket (past due by more than "
        "the last bucket edge)?",
        "在 {as_of} 这一天，按分档 {buckets} 划分，账龄最长的一档（逾期天数超过最后一个分界点）共有多少应收账款？",
    ),
    practice=lambda seed: {"invoices": _px_invoices(seed)[1], "as_of": "2024-12-31", "buckets": [30, 60, 90]},
)
def _ch2_oldest_bucket_amount(invoices: pd.DataFrame, as_of: Any, buckets: list[float]) -> float:
    from crmlib.receivables import receivables_aging

    return float(receivables_aging(invoices, as_of, buckets=[int(b) for b in buckets]).total["amount"].iloc[-1])


@exercise(
    "ch2.dso",
    tol=0.05,
    hint=[
        (
            "DSO asks: how many days of recent sales are still owed to us?",
            "应收账款周转天数问的是：客户还欠着我们相当于最近多少天的销售额？",
        ),
        (
            "divide what customers owe on as_of by the invoices issued in the last period_days days, and multiply "
            "by period_days.",
            "用 as_of 当天客户的欠款除以最近 period_days 天内开出的发票金额，再乘以 period_days。",
        ),
    ],
    question=(
        "What is the DSO on {as_of}, measured against the sales of the last {period_days} days?",
        "以最近 {period_days} 天的销售额为基准，{as_of} 这一天的应收账款周转天数（DSO）是多少？",
    ),
    practice=lambda seed: {"invoices": _px_invoices(seed)[1], "as_of": "2024-12-31", "period_days": 90},
)
def _ch2_dso(invoices: pd.DataFrame, as_of: Any, period_days: int) -> float:
    from crmlib.receivables import dso

    return dso(invoices, as_of, period_days=period_days)


def _px_ch2_over_limit(seed: int) -> dict:
    acc, inv = _px_invoices(seed)
    return {"accounts": acc, "invoices": inv, "as_of": "2024-12-31", "months": [3, 2, 1, 0]}


@exercise(
    "ch2.over_limit",
    hint=[
        (
            "each account's limit depends on its credit rating; compare it with what the account owes on the day.",
            "每位客户的信用额度取决于其信用等级；再把额度与客户当天的欠款相比。",
        ),
        (
            "compare each account's open balance on as_of with the credit limit of its 5C rating (months of monthly "
            "net sales); count the accounts that owe more than their limit.",
            "把每位客户在 as_of 当天的未收余额与其按5C信用评估得到的信用额度（若干个月的月净销售额）相比，"
            "数出欠款超过额度的客户。",
        ),
    ],
    question=(
        "With credit limits of {months} months of net sales for the ratings A, B, C and D, how many accounts owe "
        "more on {as_of} than their credit limit?",
        "信用等级 A、B、C、D 的信用额度分别为 {months} 个月的净销售额，"
        "{as_of} 这一天有多少位客户的欠款超过了信用额度？",
    ),
    practice=_px_ch2_over_limit,
)
def _ch2_over_limit(accounts: pd.DataFrame, invoices: pd.DataFrame, as_of: Any, months: list[float]) -> int:
    from crmlib.receivables import credit_score_5c, open_balance

    limit = credit_score_5c(accounts, months=tuple(months))["credit_limit"]
    owed = open_balance(invoices, as_of).reindex(limit.index, fill_value=0.0)
    return int((owed > limit).sum())


# ============================================================================ Chapter 3 (development)
def _channel_names(channel: str) -> list[str]:
    """The prospecting methods (English and Chinese names) that the leads data counts under a channel."""
    from crmlib.development import prospecting_methods

    names: list[str] = []
    for lang in ("en", "zh"):  # the table's names follow its language: take both
        m = prospecting_methods(lang=lang)
        names += [n.strip() for name in m.index[m["channel"] == channel] for n in str(name).split("/")]
    return names


@exercise(
    "ch3.best_channel",
    aliases=_channel_names,
    hint=[
        (
            "the cheapest channel is not the one with the cheapest leads: what does one *customer* cost?",
            "最省钱的渠道不一定是线索最便宜的渠道：赢得一位客户要花多少钱？",
        ),
        (
            "make the channel report and pick the channel whose total cost divided by its deals won is the "
            "smallest (channels without a deal have no cost per acquisition).",
            "先做渠道报表，再找出总成本除以成交数最小的渠道（没有成交的渠道算不出获客成本）。",
        ),
    ],
    mistakes=[
        mistake(
            "cheapest_leads",
            (
                "this channel has the cheapest leads, but few of them become customers; compare the cost per "
                "customer won.",
                "这个渠道的线索最便宜，但很少转化为客户；请比较获客成本，也就是平均赢得一位客户要花多少钱。",
            ),
            value=lambda leads: str(_ch3_report(leads)["cost_per_lead"].idxmin()),
        )
    ],
    question=(
        "Which lead channel wins customers at the lowest cost per acquisition? Answer with the channel's name as "
        "it appears in the data (or the Chinese name of its prospecting method).",
        "哪个渠道（寻找客户的方法）的获客成本最低？请用数据中的渠道名称作答，也可以用这种方法的中文名称。",
    ),
    practice=lambda seed: {"leads": _px_leads(seed)},
)
def _ch3_best_channel(leads: pd.DataFrame) -> str:
    return str(_ch3_report(leads)["cost_per_acquisition"].idxmin())


def _ch3_report(leads: pd.DataFrame) -> pd.DataFrame:
    from crmlib.development import channel_report

    return channel_report(leads)


def _ch3_funnel(leads: pd.DataFrame) -> pd.DataFrame:
    from crmlib.development import funnel

    return funnel(leads, lang="en")


@exercise(
    "ch3.weakest_step",
    categories=_AIDMAS,
    hint=[
        (
            "compare each stage with the stage just before it, not with the first stage.",
            "把每个阶段和紧挨着的前一个阶段比较，而不是和第一个阶段比较。",
        ),
        (
            "build the AIDMAS funnel and find the stage with the lowest conversion from the stage before it (skip "
            "the first stage); answer with the stage's name, in English or Chinese (e.g. 'interest' or '激发兴趣').",
            "做出 AIDMAS 漏斗，找出相对于前一阶段转化率最低的阶段（第一个阶段不算）；用阶段名称作答，"
            "英文或中文都可以（例如 interest 或“激发兴趣”）。",
        ),
    ],
    mistakes=[
        mistake(
            "share_of_first",
            (
                "this compares each stage with the first one; the question asks about the step from the stage just "
                "before.",
                "这是把各阶段和第一个阶段相比；题目问的是每个阶段与紧挨着的前一阶段相比的转化率。",
            ),
            value=lambda leads: str(_ch3_funnel(leads)["share_of_first"].iloc[1:].idxmin()),
        )
    ],
    question=(
        "At which AIDMAS stage is the conversion from the stage before it lowest? Answer with the stage's name "
        "(in English or Chinese).",
        "AIDMAS 的哪个阶段相对于前一阶段的转化率最低？请用阶段名称作答（英文或中文均可）。",
    ),
    practice=lambda seed: {"leads": _px_leads(seed)},
)
def _ch3_weakest_step(leads: pd.DataFrame) -> str:
    return str(_ch3_funnel(leads)["conversion"].iloc[1:].idxmin())


@exercise(
    "ch3.pause_list",
    hint=[
        (
            "only open leads can be paused: won and lost leads are already decided.",
            "只有仍在跟进的线索才谈得上暂时放弃：已成交或已失败的线索早有结果。",
        ),
        (
            "keep the open leads whose number of contacts has reached the limit; answer with their lead ids.",
            "留下仍在跟进、而沟通次数已经达到上限的线索，用它们的 lead_id 作答。",
        ),
    ],
    mistakes=[
        mistake(
            "closed_too",
            (
                "this list also holds leads that are already won or lost; keep only the open ones.",
                "这个名单里还有已成交或已失败的线索，只应保留仍在跟进的。",
            ),
            value=lambda leads, limit: frozenset(leads.loc[leads["contacts"] >= limit, "lead_id"].astype(str)),
        )
    ],
    question=(
        "With a limit of {limit} contacts, which open leads should be paused? Answer with the list of their lead_ids.",
        "沟通次数上限为 {limit} 次时，哪些仍在跟进的线索应当暂时放弃？请用它们的 lead_id 列表作答。",
    ),
    practice=lambda seed: {"leads": _px_leads(seed), "limit": 12},
)
def _ch3_pause_list(leads: pd.DataFrame, limit: int) -> frozenset:
    from crmlib.development import contact_rule

    rule = contact_rule(leads, limit=limit, lang="en")
    return frozenset(leads.loc[(rule["action"] == "pause").to_numpy(), "lead_id"].astype(str))


@exercise(
    "ch3.extra_kept",
    rel=0.001,
    hint=[
        (
            "the same budget keeps many more customers than it wins: how many of each?",
            "同样的预算，能保住的老客户比能争取到的新客户多得多：各是多少？",
        ),
        (
            "use the cost per acquisition over all channels as the cost of winning one customer; divide the budget "
            "by each cost and subtract the customers won from the customers kept.",
            "以全部渠道合计的获客成本作为争取一位新客户的成本；用预算分别除以两种成本，再用保住的客户数减去争取到的客户数。",
        ),
    ],
    mistakes=[WRONG_SIGN],
    question=(
        "Take the cost per acquisition over all channels as the cost of winning one customer, and "
        "{retention_cost:,.0f} as the cost of keeping one. Spending {budget:,.0f}, how many more customers does "
        "retention keep than acquisition wins?",
        "以全部渠道合计的获客成本作为争取一位新客户的成本，以 {retention_cost:,.0f} 作为保留一位老客户的成本。"
        "同样花掉 {budget:,.0f} 的预算，用来保留老客户比用来争取新客户能多留住多少位客户？",
    ),
    practice=lambda seed: {"leads": _px_leads(seed), "budget": 100000.0, "retention_cost": 400.0},
)
def _ch3_extra_kept(leads: pd.DataFrame, budget: float, retention_cost: float) -> float:
    from crmlib.development import acquisition_economics, report_total

    cpa = float(report_total(_ch3_report(leads))["cost_per_acquisition"])
    e = acquisition_economics(budget=budget, retention_cost=retention_cost, acquisition_cost=cpa)
    return float(e.loc["retain", "customers"] - e.loc["acquire", "customers"])


# ============================================================================ Chapter 4 (satisfaction)
def _px_survey(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_survey

    return make_survey(n_respondents=100, seed=seed)


def _px_complaints(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_complaints

    return make_complaints(n=200, seed=seed)


@exercise(
    "ch4.nps",
    tol=0.05,
    hint=[
        (
            "NPS counts people, not answers: one answer per respondent, then promoters minus detractors.",
            "净推荐值按人算，不按答案条数算：每位受访者只算一个答案，再用推荐者的比例减去贬损者的比例。",
        ),
        (
            "take one answer per respondent to the 0–10 question, count the share of 9s and 10s and the share of "
            "0–6, and subtract; give it in points (−100 … 100).",
            "每位受访者只取一个 0～10 分的回答，算出打 9、10 分的比例和打 0～6 分的比例，两者相减；用分值表示"
            "（−100 到 100）。",
        ),
    ],
    mistakes=[
        FRACTION_FOR_PERCENT,
        mistake(
            "every_row",
            (
                "this counts every row of the survey; each respondent answers the 0–10 question once — count people.",
                "这里把调查表的每一行都算进去了；每位受访者对 0～10 分的问题只回答一次，应当按人计算。",
            ),
            value=lambda survey: _ch4_nps_of(survey["recommend"]),
        ),
    ],
    question=(
        "What is the Net Promoter Score of the survey, in points from −100 to 100?",
        "这次调查的净推荐值（NPS）是多少？请用 −100 到 100 之间的分值作答。",
    ),
    practice=lambda seed: {"survey": _px_survey(seed)},
)
def _ch4_nps(survey: pd.DataFrame) -> float:
    from crmlib.satisfaction import respondents

    return _ch4_nps_of(respondents(survey)["recommend"])


def _ch4_nps_of(scores: pd.Series) -> float:
    from crmlib.satisfaction import nps

    return nps(scores).nps


def _ch4_quadrant(survey: pd.DataFrame, cut: str, quadrant: str) -> frozenset:
    from crmlib.satisfaction import QUADRANTS, importance_performance

    ipa = importance_performance(survey, cut=cut, lang="en")
    return frozenset(ipa.index[(ipa["quadrant"].cat.codes == QUADRANTS.index(quadrant)).to_numpy()].astype(str))


@exercise(
    "ch4.concentrate",
    hint=[
        (
            "the quadrant you want: important to customers, but we perform below the line.",
            "要找的是客户看得很重、而我们的表现却在分界线以下的那些指标。",
        ),
        (
            "average importance and performance per indicator, draw the lines at the notebook's cut (mean or "
            "median of the 40 indicators) and keep the important ones below the performance line.",
            "按指标求重要性和表现的平均值，在本笔记本设定的位置（40 个指标的平均数或中位数）画出分界线，"
            "留下重要性高、表现低于分界线的指标。",
        ),
    ],
    mistakes=[
        mistake(
            "keep_up",
            (
                "these are important and already done well (keep up the good work); the question asks for the "
                "important ones done badly.",
                "这些指标重要，而且已经做得很好（继续保持区）；题目要的是重要却做得不好的指标。",
            ),
            value=lambda survey, cut: _ch4_quadrant(survey, cut, "ipa_keep_up"),
        )
    ],
    question=(
        "With the cross-hairs at the {cut} of the indicators, which indicators fall into the 'concentrate here' "
        "quadrant? Answer with the list of their codes.",
        "分界线画在各指标的 {cut}（mean 为平均数，median 为中位数）时，哪些指标落在“重点改进区”？"
        "请把指标代码写成列表作答。",
    ),
    practice=lambda seed: {"survey": _px_survey(seed), "cut": "mean"},
)
def _ch4_concentrate(survey: pd.DataFrame, cut: str) -> frozenset:
    return _ch4_quadrant(survey, cut, "ipa_concentrate")


@exercise(
    "ch4.follow_up_share",
    tol=0.001,
    hint=[
        (
            "the clock starts at the remedy (step 4), not at the complaint.",
            "时间从补偿解决（第 4 步）开始算，而不是从收到投诉时算。",
        ),
        (
            "for each complaint subtract the remedy hours from the follow-up hours and count those within "
            "follow_up_days × 24 hours; divide by all complaints (a fraction, e.g. 0.8).",
            "对每条投诉，用回访时间（小时）减去补偿解决的时间（小时），数出在 follow_up_days × 24 小时之内的投诉，"
            "再除以全部投诉数（用小数表示，例如 0.8）。",
        ),
    ],
    mistakes=[
        PERCENT_FOR_FRACTION,
        mistake(
            "from_complaint",
            (
                "this counts from the complaint itself; the follow-up should come within the days after the remedy.",
                "这是从收到投诉时开始算的；回访应当在补偿解决之后的若干天之内。",
            ),
            value=lambda complaints, days: float((complaints["follow_up_h"] <= 24 * days).mean()),
        ),
    ],
    question=(
        "What share of the complaints got their follow-up call within {days} days of the remedy? Answer with a "
        "fraction between 0 and 1.",
        "有多大比例的投诉在补偿解决后 {days} 天之内得到了回访？请用 0 到 1 之间的小数回答。",
    ),
    practice=lambda seed: {"complaints": _px_complaints(seed), "days": 7},
)
def _ch4_follow_up_share(complaints: pd.DataFrame, days: float) -> float:
    from crmlib.satisfaction import complaint_report

    return complaint_report(complaints, follow_up_days=days).followed_up_within


@exercise(
    "ch4.iceberg_lost",
    rel=0.001,
    hint=[
        (
            "the complaints are the tip of the iceberg: first work out how many unhappy customers stand behind them.",
            "投诉只是冰山一角：先算出投诉背后有多少位不满意的客户。",
        ),
        (
            "divide the number of complaints by the share who complain, multiply by the share who leave quietly "
            "and by the share of those who never return.",
            "用投诉数除以投诉者所占的比例，再乘以悄悄离开者的比例，最后乘以永不回来者的比例。",
        ),
    ],
    mistakes=[
        mistake(
            "quiet_leavers",
            (
                "these are all who leave quietly; some of them come back — multiply by the share who never return.",
                "这是所有悄悄离开的客户，其中有些人还会回来——还要乘以永不回来者的比例。",
            ),
            value=lambda complaints, complain_share, leave_share, never_return_share: (
                len(complaints) / complain_share * leave_share
            ),
        ),
        mistake(
            "unhappy_only",
            (
                "these are all the unhappy customers; not all of them leave, and not all who leave stay away.",
                "这是全部不满意的客户；他们并不都会离开，离开的人也不都一去不返。",
            ),
            value=lambda complaints, complain_share, leave_share, never_return_share: len(complaints) / complain_share,
        ),
    ],
    question=(
        "If {complain_share:.0%} of unhappy customers complain, {leave_share:.0%} leave quietly and "
        "{never_return_share:.0%} of those never come back, how many customers have we lost for good behind the "
        "complaints in the log?",
        "如果不满意的客户中有 {complain_share:.0%} 会投诉、{leave_share:.0%} 会悄悄离开，而离开的人中有 "
        "{never_return_share:.0%} 永不回来，那么投诉记录背后，我们永远失去了多少位客户？",
    ),
    practice=lambda seed: {
        "complaints": _px_complaints(seed),
        "complain_share": 0.04,
        "leave_share": 0.96,
        "never_return_share": 0.91,
    },
)
def _ch4_iceberg_lost(
    complaints: pd.DataFrame, complain_share: float, leave_share: float, never_return_share: float
) -> float:
    from crmlib.satisfaction import complaint_iceberg

    ice = complaint_iceberg(
        len(complaints), complain_share=complain_share, leave_share=leave_share, never_return_share=never_return_share
    )
    return float(ice.loc["lost", "count"])


# ============================================================================ Chapter 5 (loyalty, CLV)
# ---- chapter 5: loyalty and retention (crmlib.loyalty)
def _loyal_share(tx: pd.DataFrame, min_repeats: int) -> float:
    from crmlib.loyalty import loyalty_status

    return float(loyalty_status(tx, min_repeats=min_repeats)["loyal"].mean())


@exercise(
    "ch5.loyal_share",
    tol=0.0005,
    hint=[
        (
            "a repeat purchase is every purchase after the first one, counted by day.",
            "重复购买指首次购买之后的每一次购买；同一天的几笔购买只算一次。",
        ),
        (
            "count each customer's purchase days, subtract one for the first purchase, and divide the number of "
            "customers with at least min_repeats repeat purchases by all customers.",
            "数出每位客户有购买的天数，减去首次购买的那一天，就是重复购买次数；"
            "再用重复购买次数不少于 min_repeats 的客户数除以全部客户数。",
        ),
    ],
    mistakes=[
        PERCENT_FOR_FRACTION,
        mistake("all_purchases", value=lambda tx, min_repeats: _loyal_share(tx, min_repeats - 1)),
    ],
    question=(
        "What share of customers (a fraction between 0 and 1) has made at least {min_repeats} repeat purchases?",
        "至少有 {min_repeats} 次重复购买的客户占全部客户的比例是多少？请用 0 到 1 之间的小数回答。",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "min_repeats": 3},
)
def _ch5_loyal_share(tx: pd.DataFrame, min_repeats: int) -> float:
    return _loyal_share(tx, min_repeats)


def _ch5_partners_of(tx: pd.DataFrame, min_repeats: int, extra: int = 0) -> int:
    from crmlib.loyalty import value_loyalty_inputs, value_loyalty_matrix

    v = value_loyalty_inputs(tx)  # each customer's revenue and repeat purchases
    m = value_loyalty_matrix(v["revenue"], v["repeat_purchases"] + extra, loyalty_cut=min_repeats, lang="en")
    return int((m["relationship"] == "strategic partner").sum())


@exercise(
    "ch5.partners",
    hint=[
        (
            "a strategic partner is high on both: value and loyalty.",
            "战略伙伴的价值和忠诚度都高。",
        ),
        (
            "use each customer's total revenue as value (cut at the median) and repeat purchases as loyalty (cut "
            "at min_repeats); count the customers high on both.",
            "以每位客户的总收入作为价值（以中位数为界），以重复购买次数作为忠诚度（以 min_repeats 为界），"
            "数出两方面都高的客户。",
        ),
    ],
    mistakes=[mistake("all_purchases", value=lambda tx, min_repeats: _ch5_partners_of(tx, min_repeats, extra=1))],
    question=(
        "Take each customer's total revenue as value (cut at the median) and repeat purchases as loyalty (cut at "
        "{min_repeats}). How many customers are strategic partners?",
        "以每位客户的总收入作为价值（以中位数为界），以重复购买次数作为忠诚度（以 {min_repeats} 次为界），"
        "有多少位客户是战略伙伴？",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "min_repeats": 3},
)
def _ch5_partners(tx: pd.DataFrame, min_repeats: int) -> int:
    return _ch5_partners_of(tx, min_repeats)


def _cohort_cell(tx: pd.DataFrame, period: str, k: int) -> float:
    from crmlib.loyalty import cohort_retention

    return float(cohort_retention(tx, period=period).iloc[0][k])


@exercise(
    "ch5.cohort_retention",
    tol=0.0005,
    hint=[
        (
            "a cohort is everyone who first bought in the same period; follow the first cohort along its row.",
            "同期群是在同一时期首次购买的客户；沿着第一个同期群的那一行往后看。",
        ),
        (
            "build the cohort triangle with the chosen period and read the first cohort's share in column k.",
            "按选定的时期做出同期群的三角表，读出第一个同期群在第 k 列的比例。",
        ),
    ],
    mistakes=[
        PERCENT_FOR_FRACTION,
        mistake("off_by_one", value=lambda tx, period, k: _cohort_cell(tx, period, k - 1)),
        mistake("off_by_one", value=lambda tx, period, k: _cohort_cell(tx, period, k + 1)),
    ],
    question=(
        "With cohorts by {period} (W weeks, M months, Q quarters), what share of the first cohort bought in "
        "period {k} after its first purchase?",
        "按 {period}（W 为周，M 为月，Q 为季度）划分同期群时，"
        "第一个同期群中有多大比例的客户在首次购买后的第 {k} 期又有购买？",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "period": "M", "k": 3},
)
def _ch5_cohort_retention(tx: pd.DataFrame, period: str, k: int) -> float:
    return _cohort_cell(tx, period, k)


@exercise(
    "ch5.clv_top_share",
    tol=0.0005,
    hint=[
        (
            "rank the customers by their future value (CLV), not by what they spent so far.",
            "按客户未来的价值（客户终身价值）排序，而不是按他们过去花了多少钱。",
        ),
        (
            "compute every customer's CLV with the notebook's horizon and discount rate, then the share of the "
            "total held by the top `fraction` of customers (round the count up).",
            "按本笔记本设定的期限和折现率算出每位客户的客户终身价值，再算出排名前 `fraction` 的客户（人数向上取整）"
            "占全部价值的比例。",
        ),
    ],
    mistakes=[
        PERCENT_FOR_FRACTION,
        mistake(
            "past_revenue",
            (
                "this is the share of past revenue; the question asks about future value (CLV).",
                "这是过去收入的占比；题目问的是未来价值（客户终身价值）的占比。",
            ),
            value=lambda tx, horizon_months, annual_discount, fraction: _ch1_top_share(tx, fraction),
        ),
    ],
    question=(
        "What share of the total CLV (horizon {horizon_months} months, yearly discount rate {annual_discount:.0%}) "
        "is held by the top {fraction:.0%} of customers?",
        "按 {horizon_months} 个月的期限和 {annual_discount:.0%} 的年折现率计算客户终身价值，排名前 {fraction:.0%} "
        "的客户占全部客户终身价值的多大比例？",
    ),
    practice=lambda seed: {"tx": _px_tx(seed), "horizon_months": 12, "annual_discount": 0.10, "fraction": 0.2},
)
def _ch5_clv_top_share(tx: pd.DataFrame, horizon_months: float, annual_discount: float, fraction: float) -> float:
    from crmlib.loyalty import clv_report
    from crmlib.segmentation import top_share

    return top_share(clv_report(tx, horizon_months=horizon_months, annual_discount=annual_discount)["clv"], fraction)


# ============================================================================ Casework 1-3
# ---- case 1: Harrah's tiers and comps (crmlib.casework)
def _px_players(seed: int) -> pd.DataFrame:
    from crmlib.datasets import make_casino_players

    return make_casino_players(500, seed=seed)


_CASE1_PLAN = {
    "comp_rates": [0.10, 0.15, 0.20, 0.30],
    "base_retention": 0.5,
    "retention_lift": 0.06,
    "player_years": 3.0,
}


def _px_case1(seed: int) -> dict:
    return {"players": _px_players(seed), "cuts": [0.5, 0.8, 0.95], **_CASE1_PLAN}


@exercise(
    "case1.diamond_share",
    tol=0.0005,
    hint=[
        (
            "the tiers are cut at quantiles of the players' losses; the top tier holds the fewest players.",
            "会员等级是按玩家净输额的分位数划分的；最高等级的人数最少。",
        ),
        (
            "design the four tiers from the players' net losses with the notebook's cuts, then divide the diamond "
            "players' total net loss by the total net loss of all players.",
            "按本笔记本的分界点，根据玩家的净输额划出四个等级，再用钻石客户的净输额合计除以全部玩家的净输额合计。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
    question=(
        "With the tiers cut at the quantiles {cuts}, what share of all players' net loss comes from the diamond "
        "tier (a fraction between 0 and 1)?",
        "按分位数 {cuts} 划分等级时，钻石客户的净输额占全部玩家净输额的多大比例？请用 0 到 1 之间的小数回答。",
    ),
    practice=lambda seed: {"players": _px_players(seed), "cuts": [0.5, 0.8, 0.95]},
)
def _case1_diamond_share(players: pd.DataFrame, cuts) -> float:
    from crmlib.casework import design_tiers

    t = design_tiers(players["net_loss"], cuts=cuts, lang="en")
    return float(players["net_loss"][(t["tier"] == "diamond").to_numpy()].sum() / players["net_loss"].sum())


def _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years):
    from crmlib.casework import comp_economics, design_tiers

    t = design_tiers(players["net_loss"], cuts=cuts, lang="en")
    return comp_economics(
        players["net_loss"],
        t["tier"],
        comp_rates=comp_rates,
        base_retention=base_retention,
        retention_lift=retention_lift,
        player_years=player_years,
        lang="en",
    )


@exercise(
    "case1.comp_cost",
    rel=0.001,
    hint=[
        (
            "comps are a share of what each player lost; players who won get nothing.",
            "返还是按每位玩家输掉的钱的一定比例给的；赢了钱的玩家没有返还。",
        ),
        (
            "each tier returns its comp rate times the losses of its players who lost (winners get nothing); add "
            "up over all four tiers.",
            "每个等级用该等级的返还比例乘以其中输钱玩家的输额（赢钱的玩家没有返还），再把四个等级加总。",
        ),
    ],
    question=(
        "With the comp rates {comp_rates} for silver, gold, platinum and diamond, what is the total comp cost of "
        "the programme over all four tiers?",
        "银卡、金卡、白金卡和钻石客户的返还比例分别为 {comp_rates} 时，整个计划四个等级的返还成本合计是多少？",
    ),
    practice=_px_case1,
)
def _case1_comp_cost(players, cuts, comp_rates, base_retention, retention_lift, player_years) -> float:
    return float(
        _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years)["comp_cost"].sum()
    )


@exercise(
    "case1.net_value",
    rel=0.001,
    hint=[
        (
            "comps pay off only through the players they keep: value kept minus what the comps cost.",
            "返还只有通过留住玩家才能回本：保留带来的价值减去返还成本。",
        ),
        (
            "value kept = extra return probability × the tier's positive losses × player_years; subtract the comp "
            "cost and add up over the tiers.",
            "保留带来的价值 = 多出来的回头概率 × 该等级的正输额 × player_years；减去返还成本，再把各等级加总。",
        ),
    ],
    question=(
        "What is the net value of the whole programme (value kept by retention minus comp cost, summed over the "
        "tiers)?",
        "整个计划的净价值是多少（保留带来的价值减去返还成本，各等级加总）？",
    ),
    practice=_px_case1,
)
def _case1_net_value(players, cuts, comp_rates, base_retention, retention_lift, player_years) -> float:
    return float(
        _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years)["net_value"].sum()
    )


@exercise(
    "case1.best_payback",
    categories=_TIERS,
    hint=[
        (
            "payback is a ratio: value kept per yuan of comps.",
            "回报是一个比值：每一元返还换回多少保留价值。",
        ),
        (
            "compare value kept / comp cost across the four tiers and name the tier where it is largest (in "
            "English or Chinese, e.g. 'gold' or '金卡客户').",
            "比较四个等级的“保留带来的价值 ÷ 返还成本”，用比值最大的等级名称作答"
            "（英文或中文均可，例如 gold 或“金卡客户”）。",
        ),
    ],
    question=(
        "Which tier has the highest payback (value kept per yuan of comps)? Answer with the tier's name, in "
        "English or Chinese.",
        "哪个等级的回报最高（每一元返还换回的保留价值最多）？请用等级名称作答，英文或中文均可。",
    ),
    practice=_px_case1,
)
def _case1_best_payback(players, cuts, comp_rates, base_retention, retention_lift, player_years) -> str:
    e = _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years)
    return str(e["payback"].astype(float).idxmax())


# ---- case 2: the bank lobby manager (crmlib.casework)
def _case2_triage(visitors, money_cut, abc_cuts, weights):
    from crmlib.casework import lobby_triage

    return lobby_triage(visitors, money_cut=money_cut, abc_cuts=abc_cuts, weights=weights, lang="en")


def _px_case2(seed: int) -> dict:
    from crmlib.datasets import make_lobby_visitors

    return {
        "visitors": make_lobby_visitors(40, seed=seed),
        "money_cut": 100000.0,
        "abc_cuts": [0.8, 0.95],
        "weights": [0.4, 0.35, 0.25],
    }


@exercise(
    "case2.ideal_prospects",
    hint=[
        (
            "MAN asks three questions of every visitor: can they pay, do they decide, do they need what we sell?",
            "MAN法则对每位来访者问三个问题：有没有购买能力、能不能做决定、是否需要我们的产品？",
        ),
        (
            "money = assets or a year's inflow at least money_cut; authority = decides alone; need = a purpose the "
            "bank can sell to. Count the visitors who have all three (M+A+N).",
            "购买能力 = 资产或一年的资金流入不低于 money_cut；购买决定权 = 能独自做决定；"
            "购买需求 = 有银行能够满足的用途。"
            "数出三项都具备（M+A+N）的来访者。",
        ),
    ],
    question=(
        "With money counted from {money_cut:,.0f} of assets or yearly inflow, how many of the morning's visitors "
        "are ideal prospects (M+A+N)?",
        "以资产或一年的资金流入达到 {money_cut:,.0f} 作为有购买能力的标准，"
        "上午的来访者中有多少位是合格准客户（M+A+N）？",
    ),
    practice=_px_case2,
)
def _case2_ideal(visitors, money_cut, abc_cuts, weights) -> int:
    return int((_case2_triage(visitors, money_cut, abc_cuts, weights)["man_code"] == "M+A+N").sum())


@exercise(
    "case2.class_a",
    hint=[
        (
            "ABC classes follow the running share of assets, largest first.",
            "ABC分类看的是资产从大到小排序后的累计占比。",
        ),
        (
            "sort the visitors by assets, keep those before whom the running share of assets is still below the "
            "first ABC cut; answer with their visitor ids.",
            "按资产从高到低给来访者排序并累计资产占比；一位来访者前面所有人的累计占比如果还没有达到第一个 ABC 分界点，"
            "他就属于 A 类。用这些来访者的编号作答。",
        ),
    ],
    question=(
        "With the ABC cuts {abc_cuts}, which visitors are in value class A? Answer with the list of their visitor ids.",
        "按 ABC 分界点 {abc_cuts} 划分，哪些来访者属于 A 类（关键客户）？请把他们的编号写成列表作答。",
    ),
    practice=_px_case2,
)
def _case2_class_a(visitors, money_cut, abc_cuts, weights) -> frozenset:
    t = _case2_triage(visitors, money_cut, abc_cuts, weights)
    return frozenset(t.index[(t["value_class"].cat.codes == 0).to_numpy()].astype(str))


@exercise(
    "case2.serve_first",
    hint=[
        (
            "the serving order weighs three things: MAN priority, assets and potential.",
            "服务顺序按权重综合了三项因素：MAN 优先级、资产和潜力。",
        ),
        (
            "score every visitor (weighted MAN priority, asset rank and inflow rank), order by score with earlier "
            "arrivals first on ties, and answer with the ids of the first vip_count.",
            "给每位来访者打分（MAN 优先级、资产排名和资金流入排名加权），按分数排序，分数相同的先到先服务，"
            "用排在前 vip_count 位的来访者编号作答。",
        ),
    ],
    question=(
        "With the weights {weights} (MAN priority, asset rank, potential rank), whom does the manager serve "
        "personally — the first {vip_count} visitors of the serving order? Answer with their ids.",
        "按权重 {weights}（MAN 优先级、资产排名、潜力排名），大堂经理亲自接待哪些人——服务顺序中的前 {vip_count} 位？"
        "请用他们的编号作答。",
    ),
    practice=lambda seed: {**_px_case2(seed), "vip_count": 5},
)
def _case2_serve_first(visitors, money_cut, abc_cuts, weights, vip_count) -> frozenset:
    t = _case2_triage(visitors, money_cut, abc_cuts, weights)
    return frozenset(t.index[(t["order"] <= vip_count).to_numpy()].astype(str))


# ---- case 3: the gas station (crmlib.casework, loyalty, satisfaction)
@exercise(
    "case3.missed_quota",
    hint=[
        (
            "each employee's target is for the whole period, not for one month.",
            "每位员工的新建档案目标是整个时期的总数，而不是一个月的数量。",
        ),
        (
            "count the files each employee opened, compare with months × new_per_employee, and answer with the ids "
            "of the employees who fell short.",
            "数出每位员工新建的档案数，与 months × new_per_employee 比较，用没有完成目标的员工编号作答。",
        ),
    ],
    question=(
        "With a target of {per_month} new customer files per employee and month, which employees fell short over "
        "the whole period? Answer with the list of their ids.",
        "每位员工每月要新建 {per_month} 份客户档案，整个时期下来，哪些员工没有完成？请用他们的编号列表作答。",
    ),
    practice=lambda seed: {"customers": _px_station(seed)["customers"], "per_month": 5},
)
def _case3_missed(customers, per_month) -> frozenset:
    from crmlib.casework import file_quota

    q = file_quota(customers, per_month=per_month)
    return frozenset(q.index[~q["met"].to_numpy()].astype(str))


@exercise(
    "case3.follow_up_share",
    tol=0.001,
    hint=[
        (
            "the clock starts at the remedy, and a complaint never called back is not in time.",
            "时间从补偿解决时开始算；从来没有回访的投诉，也算没有按时回访。",
        ),
        (
            "for each complaint, is the follow-up call within follow_up_days × 24 hours of the remedy? Divide by "
            "all complaints (never called = not in time).",
            "对每条投诉，看回访是否在补偿解决后的 follow_up_days × 24 小时之内；"
            "再除以全部投诉数（从没回访的算没有按时）。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
    question=(
        "What share of the complaints was called back within {days} days of the remedy (a fraction between 0 and 1)?",
        "有多大比例的投诉在补偿解决后 {days} 天之内得到了回访？请用 0 到 1 之间的小数回答。",
    ),
    practice=lambda seed: {"complaints": _px_station(seed)["complaints"], "days": 7},
)
def _case3_follow(complaints, days) -> float:
    from crmlib.satisfaction import complaint_report

    return complaint_report(complaints, follow_up_days=days).followed_up_within


def _px_case3_gap(seed: int) -> dict:
    data = _px_station(seed)
    return {"fillups": data["fillups"], "complaints": data["complaints"], "days": 7, "at_risk": 1.5, "lapsed": 3.0}


@exercise(
    "case3.lapsed_gap",
    tol=0.0005,
    hint=[
        (
            "compare two groups of complainers: called back in time, and called back late or never.",
            "比较两组投诉客户：按时回访的，和回访过迟或从未回访的。",
        ),
        (
            "build the churn watch list, split customers by how their complaints were followed up, and subtract "
            "the lapsed share of 'followed up in time' from that of 'followed up late/never'.",
            "做出客户流失观察名单，按投诉的回访情况把客户分组，用“回访过迟或未回访”组的流失比例减去“按时回访”组的流失比例。",
        ),
    ],
    mistakes=[WRONG_SIGN, PERCENT_FOR_FRACTION],
    question=(
        "By how much (as a fraction) is the lapsed share of complainers called back late or never higher than that "
        "of complainers called back in time?",
        "回访过迟或未回访的投诉客户，其流失比例比按时回访的投诉客户高多少？请用小数作答。",
    ),
    practice=_px_case3_gap,
)
def _case3_lapsed_gap(fillups, complaints, days, at_risk, lapsed) -> float:
    from crmlib.casework import follow_up_outcomes
    from crmlib.loyalty import churn_watch

    w = churn_watch(fillups, at_risk=at_risk, lapsed=lapsed, lang="en")
    o = follow_up_outcomes(w, complaints, follow_up_days=days, lang="en")["lapsed_share"]
    return float(o.iloc[2] - o.iloc[1])


@exercise(
    "case3.loyal_share",
    tol=0.0005,
    hint=[
        (
            "a repeat purchase is every fill-up day after the first.",
            "重复购买是第一次加油之后的每一个加油日。",
        ),
        (
            "count each customer's fill-up days, subtract one for the first, and take the share of customers with "
            "at least min_repeats repeat purchases.",
            "数出每位客户的加油天数，减去第一次加油的那一天，再算出重复购买次数不少于 min_repeats 的客户所占的比例。",
        ),
    ],
    mistakes=[
        PERCENT_FOR_FRACTION,
        mistake("all_purchases", value=lambda fillups, min_repeats: _loyal_share(fillups, min_repeats - 1)),
    ],
    question=(
        "What share of all customers is loyal (at least {min_repeats} repeat fill-ups)?",
        "忠诚客户（至少有 {min_repeats} 次重复加油）占全部客户的比例是多少？请用 0 到 1 之间的小数回答。",
    ),
    practice=lambda seed: {"fillups": _px_station(seed)["fillups"], "min_repeats": 3},
)
def _case3_loyal(fillups, min_repeats) -> float:
    return _loyal_share(fillups, min_repeats)


# ============================================================================ Casework 4-6
# ---- case 4: Wang Yongqing's rice shop (crmlib.casework)
def _case4_days_left(purchases: pd.DataFrame, cutoff: Any) -> pd.Series:
    from crmlib.casework import rice_run_out

    t = pd.Timestamp(cutoff)
    return rice_run_out(purchases[pd.to_datetime(purchases["date"]) < t], as_of=t)["days_left"]


def _px_case4(seed: int) -> dict:
    log, cutoff = _px_rice(seed)
    return {"purchases": log, "cutoff": cutoff}


@exercise(
    "case4.run_out_soon",
    hint=[
        (
            "forecast from the purchases known today only; the later ones have not happened yet.",
            "只能用今天之前已知的购买记录来预测；之后的购买还没有发生。",
        ),
        (
            "forecast each household's run-out date from the purchases before the cutoff (rice bought before the "
            "last purchase ÷ days between first and last purchase) and count those with at most horizon_days left.",
            "只用截止日之前的购买记录预测每户的断米日期"
            "（每天的用米量 = 最后一次购买之前买的米 ÷ 第一次到最后一次购买相隔的天数），"
            "数出剩余天数不超过 horizon_days 的住户。",
        ),
    ],
    mistakes=[
        mistake(
            "off_by_one",
            value=lambda purchases, cutoff, horizon_days: int(
                (_case4_days_left(purchases, cutoff) < horizon_days).sum()
            ),
        )
    ],
    question=(
        "Using only the purchases before {cutoff}, how many households will run out of rice within {horizon_days} "
        "days (already empty included)?",
        "只用 {cutoff} 之前的购买记录，有多少户会在 {horizon_days} 天之内断米（已经断米的也算）？",
    ),
    practice=lambda seed: {**_px_case4(seed), "horizon_days": 14},
)
def _case4_run_out_soon(purchases: pd.DataFrame, cutoff: Any, horizon_days: int) -> int:
    return int((_case4_days_left(purchases, cutoff) <= horizon_days).sum())


def _case4_errors(purchases: pd.DataFrame, cutoff: Any) -> pd.Series:
    from crmlib.casework import backtest_deliveries

    return backtest_deliveries(purchases, cutoff)["error_days"]


@exercise(
    "case4.mean_abs_error",
    tol=0.01,
    hint=[
        (
            "a household's error is the gap in days between the forecast and what really happened, whichever way "
            "it goes.",
            "一户的误差是预测日期和实际日期相差的天数，不论提前还是推后。",
        ),
        (
            "backtest at the cutoff and average the absolute difference, in days, between the forecast run-out "
            "date and the household's real next purchase.",
            "在截止日做回测，求预测断米日期与该户实际下一次购买之间相差天数的绝对值的平均数。",
        ),
    ],
    mistakes=[
        mistake(
            "signed_errors",
            (
                "early and late errors cancel out here; average their absolute values.",
                "这里提前和推后的误差相互抵消了；应先取绝对值再平均。",
            ),
            value=lambda purchases, cutoff: float(_case4_errors(purchases, cutoff).mean()),
        )
    ],
    question=(
        "In the backtest at {cutoff}, what is the mean absolute error, in days, between the forecast run-out date "
        "and the household's real next purchase?",
        "在 {cutoff} 做回测时，预测断米日期与实际下一次购买之间的平均绝对误差是多少天？",
    ),
    practice=_px_case4,
)
def _case4_mean_abs_error(purchases: pd.DataFrame, cutoff: Any) -> float:
    return float(_case4_errors(purchases, cutoff).abs().mean())


@exercise(
    "case4.late_gap",
    tol=0.001,
    hint=[
        (
            "compare the share of households reached too late under each plan.",
            "比较两种方案下送晚了的住户所占的比例。",
        ),
        (
            "in the backtest, take the share of households reached late (delivery after the real run-out) under "
            "the fixed round and subtract the share under the predicted plan.",
            "在回测中，用固定周期送米时送晚了（在实际断米之后才送到）的住户比例，减去按预测送米时的这一比例。",
        ),
    ],
    mistakes=[WRONG_SIGN, PERCENT_FOR_FRACTION],
    question=(
        "By how much is the share of households reached late higher under the fixed round (every {interval_days} "
        "days) than under the predicted plan (delivering {lead_days} day(s) ahead)? Answer as a difference of "
        "shares (e.g. 0.25 for 25 percentage points).",
        "固定周期送米（每 {interval_days} 天一次）比按预测送米（提前 {lead_days} 天送到）送晚的住户比例高多少？"
        "请用比例之差作答（例如相差 25 个百分点写成 0.25）。",
    ),
    practice=lambda seed: {**_px_case4(seed), "interval_days": 30, "lead_days": 1, "early_days": 5},
)
def _case4_late_gap(purchases: pd.DataFrame, cutoff: Any, interval_days: int, lead_days: int, early_days: int) -> float:
    from crmlib.casework import backtest_deliveries

    bt = backtest_deliveries(purchases, cutoff, interval_days=interval_days, lead_days=lead_days, early_days=early_days)
    return float((bt["fixed_gap"] > 0).mean() - (bt["predictive_gap"] > 0).mean())


# ---- case 5: the bank relationship manager (crmlib.casework)
def _px_bank_tables(seed: int, *names: str) -> dict:
    book = _px_bank(seed)
    return {n: book[n] for n in names}


def _px_case5_client(seed: int) -> dict:
    book = _px_bank(seed)
    return {"assets": book["assets"], "client": str(book["clients"]["client_id"].iloc[0])}


def _case5_policy_holders_short(clients: pd.DataFrame, insurance: pd.DataFrame, life_multiple: float) -> int:
    life = insurance[insurance["policy"] == "life"].groupby("client_id")["cover"].sum()
    income = clients.set_index("client_id")["annual_income"].reindex(life.index)
    return int((life < life_multiple * income).sum())


@exercise(
    "case5.underinsured",
    hint=[
        (
            "a client without a life policy has no life cover at all — they count too.",
            "没有寿险保单的客户，寿险保额就是零——也要算进去。",
        ),
        (
            "add up each client's life cover (0 without a life policy) and count the clients whose cover is below "
            "life_multiple × annual income.",
            "把每位客户的寿险保额加总（没有寿险的记为 0），数出保额低于 life_multiple × 年收入的客户。",
        ),
    ],
    mistakes=[
        mistake(
            "policy_holders_only",
            (
                "this leaves out the clients without any life policy; their cover is 0, so they are under-insured too.",
                "这里漏掉了没有任何寿险保单的客户；他们的保额是 0，同样保障不足。",
            ),
            value=_case5_policy_holders_short,
        )
    ],
    question=(
        "How many clients hold less life cover than {life_multiple:g} × their annual income (clients without a "
        "life policy count as having none)?",
        "有多少位客户的寿险保额低于年收入的 {life_multiple:g} 倍（没有寿险保单的客户视为保额为零）？",
    ),
    practice=lambda seed: {**_px_bank_tables(seed, "clients", "insurance"), "life_multiple": 10.0},
)
def _case5_underinsured(clients: pd.DataFrame, insurance: pd.DataFrame, life_multiple: float) -> int:
    from crmlib.casework import coverage_review

    return int(coverage_review(clients, insurance, life_multiple=life_multiple)["underinsured"].sum())


@exercise(
    "case5.top_class_share",
    tol=0.001,
    hint=[
        (
            "only the latest quarter counts, and the largest class is compared with the client's total assets.",
            "只看最近一个季度，用最大的一类资产和该客户的资产总额相比。",
        ),
        (
            "in the client's latest quarter, divide the largest asset class by the client's total assets.",
            "取该客户最近一个季度的数据，用最大的一类资产除以他的资产总额。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
    question=(
        "In the latest quarter, what share of client {client}'s assets sits in the largest asset class?",
        "在最近一个季度，客户 {client} 的资产中最大的一类占多大比例？",
    ),
    practice=_px_case5_client,
)
def _case5_top_class_share(assets: pd.DataFrame, client: Any) -> float:
    from crmlib.casework import asset_mix

    return float(asset_mix(assets, client).iloc[0])


@exercise(
    "case5.rm_hours",
    rel=0.001,
    hint=[
        (
            "how often a client is reviewed depends on their assets and on how much these changed last quarter.",
            "回顾频率取决于每位客户的资产，以及上个季度资产变化了多少。",
        ),
        (
            "give each client a review every 1, 3 or 6 months by assets and last change, add up the reviews in a "
            "year and multiply by the hours one review takes.",
            "按资产和最近一次的变化，给每位客户定下每 1、3 或 6 个月回顾一次，"
            "把一年的回顾次数加总，再乘以每次回顾所需的小时数。",
        ),
    ],
    question=(
        "With monthly reviews from {monthly_from:,.0f} of assets, quarterly ones from {quarterly_from:,.0f} (else "
        "half-yearly), one step more often after a change of {change_trigger:.0%}, and {hours_per_review:g} hours "
        "per review, how many hours a year do all the reviews of the book take?",
        "资产达到 {monthly_from:,.0f} 的客户每月回顾、达到 {quarterly_from:,.0f} 的每季回顾（其余每半年回顾），"
        "资产变化达到 {change_trigger:.0%} 时回顾频率提高一档，每次回顾需要 {hours_per_review:g} 小时，"
        "一年的全部回顾共需多少小时？",
    ),
    practice=lambda seed: {
        "assets": _px_bank(seed)["assets"],
        "monthly_from": 5_000_000.0,
        "quarterly_from": 1_500_000.0,
        "change_trigger": 0.05,
        "hours_per_review": 1.5,
    },
)
def _case5_rm_hours(
    assets: pd.DataFrame, monthly_from: float, quarterly_from: float, change_trigger: float, hours_per_review: float
) -> float:
    from crmlib.casework import review_frequency

    rf = review_frequency(
        assets, monthly_from=monthly_from, quarterly_from=quarterly_from, change_trigger=change_trigger
    )
    return float(rf["reviews_per_year"].sum() * hours_per_review)


# ---- case 6: the key-account plan (crmlib.casework)
def _px_case6(seed: int) -> dict:
    from crmlib.datasets import make_accounts

    return {"accounts": make_accounts(n=150, seed=seed), "top": 0.1, "value_weight": 0.6}


def _case6_plan(accounts: pd.DataFrame, top: float, value_weight: float, **budget: float) -> pd.DataFrame:
    from crmlib.casework import key_account_plan

    return key_account_plan(accounts, top=top, value_weight=value_weight, **budget)


@exercise(
    "case6.key_value_share",
    tol=0.001,
    hint=[
        (
            "key accounts are chosen by a score of value and potential, so not simply the biggest buyers.",
            "大客户是按价值和潜力的综合评分选出来的，不一定就是采购额最大的客户。",
        ),
        (
            "score accounts by value and potential, mark the top share as key accounts and divide their revenue by "
            "the revenue of all accounts.",
            "按价值和潜力给客户打分，把排在最前面的那部分定为大客户，用他们的销售额除以全部客户的销售额。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
    question=(
        "With the top {top:.0%} of accounts as key accounts (value weight {value_weight:g}), what share of total "
        "revenue do the key accounts hold?",
        "把前 {top:.0%} 的客户定为大客户（价值权重 {value_weight:g}），大客户的销售额占总销售额的多大比例？",
    ),
    practice=_px_case6,
)
def _case6_key_value_share(accounts: pd.DataFrame, top: float, value_weight: float) -> float:
    plan = _case6_plan(accounts, top, value_weight)
    return float(plan.loc[plan["key_account"], "value"].sum() / plan["value"].sum())


@exercise(
    "case6.top_budget",
    rel=0.001,
    hint=[
        (
            "the key accounts share their part of the budget in proportion to their scores.",
            "大客户按各自评分的比例，分配预算中留给大客户的那一部分。",
        ),
        (
            "give key_share of the budget to the key accounts, shared in proportion to their scores; read the "
            "amount of the priority-1 account.",
            "把预算的 key_share 分给大客户，按评分比例分配，读出优先级为 1 的客户分到的金额。",
        ),
    ],
    question=(
        "Of a budget of {budget:,.0f}, with {key_share:.0%} reserved for the key accounts, how much goes to the "
        "account with priority 1?",
        "总预算 {budget:,.0f} 中有 {key_share:.0%} 留给大客户，优先级为 1 的客户能分到多少？",
    ),
    practice=lambda seed: {**_px_case6(seed), "budget": 1_000_000.0, "key_share": 0.6},
)
def _case6_top_budget(
    accounts: pd.DataFrame, top: float, value_weight: float, budget: float, key_share: float
) -> float:
    plan = _case6_plan(accounts, top, value_weight, budget=budget, key_share=key_share)
    return float(plan.loc[plan["priority"] == 1, "budget"].iloc[0])


def _case6_risky(accounts: pd.DataFrame, top: float, value_weight: float, min_risks: int, keys_only: bool) -> frozenset:
    plan = _case6_plan(accounts, top, value_weight)
    sel = (plan["n_risks"] >= min_risks).to_numpy() & (plan["key_account"].to_numpy() | (not keys_only))
    return frozenset(plan.index[sel].astype(str))


@exercise(
    "case6.risky_keys",
    hint=[
        (
            "the question is about key accounts only, and about how many of the four risks each one carries.",
            "只看大客户，数一数每位大客户带有四种风险中的几种。",
        ),
        (
            "flag the four big-customer risks of every account and list the key accounts carrying at least "
            "min_risks of them (answer with their account ids).",
            "为每个客户标出四种大客户风险，列出至少带有 min_risks 种风险的大客户（用他们的 account_id 作答）。",
        ),
    ],
    mistakes=[
        mistake(
            "all_accounts",
            (
                "this list also holds accounts that are not key accounts; keep only the key ones.",
                "这个名单里还有不是大客户的客户，只应保留大客户。",
            ),
            value=lambda accounts, top, value_weight, min_risks: _case6_risky(
                accounts, top, value_weight, min_risks, keys_only=False
            ),
        )
    ],
    question=(
        "Which key accounts carry at least {min_risks} of the four big-customer risks? Answer with the list of "
        "their account ids (an empty list if there are none).",
        "哪些大客户带有四种大客户风险中的至少 {min_risks} 种？请用他们的 account_id 列表作答（没有就写空列表）。",
    ),
    practice=lambda seed: {**_px_case6(seed), "min_risks": 2},
)
def _case6_risky_keys(accounts: pd.DataFrame, top: float, value_weight: float, min_risks: int) -> frozenset:
    return _case6_risky(accounts, top, value_weight, min_risks, keys_only=True)


# ============================================================================ Chapter 6 (customer records)
# ---- chapter 6: the customer archive (crmlib.records)
def _ch6_grades(frames: dict) -> pd.Series:
    return frames["customers"]["grade"]


@exercise(
    "ch6.grade_a_revenue_share",
    tol=0.001,
    hint=[
        (
            "the grade is on the customer card, the amounts are in the purchases table: link them by customer number.",
            "客户等级在客户卡上，金额在购买记录表里：用客户编号把两张表连起来。",
        ),
        (
            "join the purchases to the customer cards through customer_id, add up the amounts of the grade-A "
            "customers and divide by all purchases.",
            "通过 customer_id 把购买记录和客户卡连接起来，把 A 级客户的购买金额加总，再除以全部购买金额。",
        ),
    ],
    mistakes=[PERCENT_FOR_FRACTION],
)
def _ch6_grade_a_revenue_share(frames: dict) -> float:
    pu = frames["purchases"]
    grade = pu["customer_id"].map(_ch6_grades(frames))
    return float(pu.loc[(grade == "A").to_numpy(), "amount"].sum() / pu["amount"].sum())


@exercise(
    "ch6.key_due",
    hint=[
        (
            "the archive already knows who is due to buy soon: ask it for the reminder list.",
            "客户档案里已经记着谁快要再次购买：从档案中取出一份提醒名单即可。",
        ),
        (
            "take the archive's reminder list for as_of, horizon_days and lead_days and count the customers of "
            "grade A (key customers) on it.",
            "用 as_of、horizon_days 和 lead_days 从档案中取出提醒名单，数出其中的 A 级客户（关键客户）。",
        ),
    ],
)
def _ch6_key_due(archive: Any, as_of: Any, horizon_days: int, lead_days: int) -> int:
    rem = archive.reminders(as_of=as_of, horizon_days=horizon_days, lead_days=lead_days, lang="en")
    return int((rem["grade"].astype(str) == i18n.label("A", "en")).sum())


@exercise(
    "ch6.neglected_key",
    hint=[
        (
            "look at each key customer's most recent follow-up only; a customer never followed up has waited "
            "longest of all.",
            "每位关键客户只看最近一次跟进；从来没有跟进过的客户等得最久。",
        ),
        (
            "for each grade-A customer find the date of its latest follow-up up to as_of (none at all counts as the "
            "longest wait); answer with the number of the one waiting longest (ties: the lowest number).",
            "为每位 A 级客户找出截至 as_of 的最近一次跟进日期（完全没有跟进的算等得最久），"
            "用等得最久的那位客户的编号作答"
            "（并列时取编号最小的）。",
        ),
    ],
)
def _ch6_neglected_key(frames: dict, as_of: Any) -> str:
    t = pd.Timestamp(as_of)
    fu = frames["follow_ups"]
    fu = fu[fu["date"] <= t]
    key = _ch6_grades(frames)
    key = key.index[(key == "A").to_numpy()]
    last = fu.groupby("customer_id")["date"].max().reindex(key)
    wait = (t - last).dt.days.astype("float64").fillna(np.inf)
    order = pd.DataFrame({"wait": -wait.to_numpy(), "id": key.astype(str)}).sort_values(
        ["wait", "id"], kind="mergesort"
    )
    return str(order["id"].iloc[0])


@exercise(
    "ch6.top_owner",
    hint=[
        (
            "only the grade-A customers' purchases count, added up by who looks after the customer.",
            "只算 A 级客户的购买，按负责这些客户的人加总。",
        ),
        (
            "join purchases to the cards, keep grade-A customers, add up the amounts by the card's owner and name "
            "the owner with the largest total.",
            "把购买记录和客户卡连接起来，只留 A 级客户，按客户卡上的负责人把金额加总，用金额最大的负责人作答。",
        ),
    ],
)
def _ch6_top_owner(frames: dict) -> str:
    cust, pu = frames["customers"], frames["purchases"]
    keep = pu["customer_id"].map(cust["grade"]) == "A"
    owner = pu.loc[keep.to_numpy(), "customer_id"].map(cust["owner"])
    tot = pu.loc[keep.to_numpy(), "amount"].groupby(owner.to_numpy()).sum()
    return str(tot.sort_values(ascending=False, kind="mergesort").index[0])


_BUILTIN.update(REGISTRY)


def _grading_from_environment() -> None:
    """Grading mode for a kernel ``crmlib grade`` started (``CRMLIB_GRADED``): run when this module
    is imported (and by the test suite's forked kernels, which imported it before their environment
    was set)."""
    if GRADING["on"] or os.environ.get(GRADED_ENV, "") not in ("", "0"):
        graded_copy()


_grading_from_environment()
