"""Self-checks for the exercises (自我检查).

Each exercise has an id (``"ch1.top_share"``) and a function that computes the expected answer
from the notebook's own data with crmlib, so a check stays right for every parameter set an
instructor generates. :func:`check` compares a student's answer with it and prints a friendly
verdict and a hint — never the answer. With ``CRMLIB_STRICT_CHECKS=1`` (set by the test suite)
a wrong or missing answer raises :class:`ExerciseCheckFailed`, so running a notebook with its
model solutions verifies every check.

>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": list("abcde"), "date": ["2024-01-01"] * 5,
...                    "amount": [50.0, 30.0, 10.0, 5.0, 5.0]})
>>> check("ch1.top_share", 0.5, tx=tx, fraction=0.2, strict=False)
✅ ch1.top_share: correct.
True
>>> check("ch1.top_share", 0.8, tx=tx, fraction=0.2, strict=False)
❌ ch1.top_share: not yet. Hint: rank customers by their total revenue, keep the top share of them (round the count up) and divide their revenue by the total.
False
"""  # noqa: E501

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V
from crmlib._errors import CRMDataError


class ExerciseCheckFailed(AssertionError):
    """Raised in strict mode when an answer is wrong or missing."""


@dataclass(frozen=True)
class Exercise:
    id: str
    solve: Callable[..., Any]
    hint: str
    tol: float = 0.0  # absolute tolerance for numbers
    rel: float = 0.0  # relative tolerance for numbers


REGISTRY: dict[str, Exercise] = {}
#: answers checked in this session: id -> {"answer", "correct"} (read by grading tools)
RECORD: dict[str, dict[str, Any]] = {}


#: output mimetype under which an executed notebook hands its recorded answers to crmlib.instructor
RECORD_MIME = "application/vnd.crmlib.record+json"


def to_jsonable(x: Any) -> Any:
    """An answer as plain JSON: numbers, text, booleans, ``None``, or a sorted list of ids for collections.

    >>> to_jsonable(frozenset({"b", "a"})), to_jsonable(3), to_jsonable(float("nan"))
    (['a', 'b'], 3, None)
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
        return sorted(str(v).strip() for v in values)
    return str(x)


def collected_output(record: dict[str, Any], key: dict[str, Any]) -> dict:
    """The display bundle of the collection cell (runs inside the kernel).

    >>> record = {"q1": {"answer": frozenset({"b", "a"}), "correct": True}}
    >>> collected_output(record, {"q1": {"expected": {"a", "b"}, "tol": 0, "rel": 0}})[RECORD_MIME]
    {'record': {'q1': {'answer': ['a', 'b'], 'correct': True}}, 'key': {'q1': {'expected': ['a', 'b'], 'tol': 0.0, 'rel': 0.0}}}
    """  # noqa: E501
    rec = {k: {"answer": to_jsonable(v.get("answer")), "correct": bool(v.get("correct"))} for k, v in record.items()}
    exp = {
        k: (
            {"error": v["error"]}
            if "error" in v
            else {"expected": to_jsonable(v["expected"]), "tol": float(v["tol"]), "rel": float(v["rel"])}
        )
        for k, v in key.items()
    }
    return {RECORD_MIME: {"record": rec, "key": exp}}


def exercise(ex_id: str, hint: str, tol: float = 0.0, rel: float = 0.0):
    """Register the function computing the expected answer of exercise ``ex_id``.

    >>> @exercise("demo.total", hint="add up the amounts", tol=0.01)
    ... def _total(tx):
    ...     return float(tx["amount"].sum())
    >>> check("demo.total", 100.004, tx=pd.DataFrame({"amount": [60.0, 40.0]}), strict=False)
    ✅ demo.total: correct.
    True
    >>> del REGISTRY["demo.total"]
    """
    if not isinstance(ex_id, str) or not ex_id.strip():
        raise CRMDataError("exercise", "ex_id", f"must be a non-empty text such as 'ch1.top_share', got {ex_id!r}")
    tol = V.number(tol, "exercise", "tol", 0)
    rel = V.number(rel, "exercise", "rel", 0)

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        REGISTRY[ex_id] = Exercise(ex_id, fn, hint, tol, rel)
        return fn

    return deco


def _get(ex_id: str, func: str = "check") -> Exercise:
    if ex_id not in REGISTRY:
        raise CRMDataError(func, "exercise", f"unknown exercise id {ex_id!r}", detail=f"known ids: {sorted(REGISTRY)}")
    return REGISTRY[ex_id]


def expected(ex_id: str, **data: Any) -> Any:
    """The expected answer of an exercise for the given data (for instructors and answer keys).

    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "date": ["2024-01-01"] * 4,
    ...                    "amount": [70.0, 20.0, 5.0, 5.0]})
    >>> expected("ch1.top_share", tx=tx, fraction=0.5)
    0.9
    >>> expected("ch1.top_share", data=tx)
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: expected: field 'data' exercise 'ch1.top_share' cannot use these inputs: _ch1_top_share() got an unexpected keyword argument 'data'
    """  # noqa: E501
    ex = _get(ex_id, "expected")
    try:
        return ex.solve(**data)
    except TypeError as exc:  # wrong keyword names
        raise CRMDataError("expected", "data", f"exercise {ex_id!r} cannot use these inputs: {exc}") from exc


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


def check(ex_id: str, answer: Any, strict: bool | None = None, **data: Any) -> bool:
    """Check a student's ``answer`` to exercise ``ex_id`` against the data of the notebook.

    Prints a verdict and a hint (never the answer), records the result in ``RECORD``, and in
    strict mode (``CRMLIB_STRICT_CHECKS=1`` or ``strict=True``) raises on a wrong answer.

    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "date": ["2024-01-01"] * 4,
    ...                    "amount": [70.0, 20.0, 5.0, 5.0]})
    >>> check("ch1.top_share", None, tx=tx, fraction=0.5, strict=False)
    ✏️ ch1.top_share: no answer yet — replace the placeholder with your answer and run the cell again.
    False
    >>> RECORD["ch1.top_share"]
    {'answer': None, 'correct': False}
    >>> check("ch1.top_share", 0.5, tx=tx, fraction=0.5, strict=True)
    Traceback (most recent call last):
    ...
    crmlib.exercises.ExerciseCheckFailed: ❌ ch1.top_share: not yet. Hint: rank customers by their total revenue, keep the top share of them (round the count up) and divide their revenue by the total.
    """  # noqa: E501
    ex = _get(ex_id)
    if strict is None:
        strict = os.environ.get("CRMLIB_STRICT_CHECKS", "") not in ("", "0")
    if answer is None or answer is ...:
        ok, msg = False, f"✏️ {ex_id}: no answer yet — replace the placeholder with your answer and run the cell again."
    else:
        ok = is_correct(answer, expected(ex_id, **data), ex.tol, ex.rel)
        msg = f"✅ {ex_id}: correct." if ok else f"❌ {ex_id}: not yet. Hint: {ex.hint}"
    RECORD[ex_id] = {"answer": answer, "correct": ok}
    print(msg)
    if strict and not ok:
        raise ExerciseCheckFailed(msg)
    return ok


# ============================================================================ Chapter 1
def _revenue(tx: pd.DataFrame) -> pd.Series:
    from crmlib.segmentation import rfm_table

    return rfm_table(tx)["monetary"]


@exercise(
    "ch1.top_share",
    tol=0.005,
    hint="rank customers by their total revenue, keep the top share of them (round the count up) "
    "and divide their revenue by the total.",
)
def _ch1_top_share(tx: pd.DataFrame, fraction: float) -> float:
    from crmlib.segmentation import top_share

    return top_share(_revenue(tx), fraction)


@exercise(
    "ch1.key_accounts",
    hint="sort customers by revenue and count those before whom the running share is still below "
    "the first cut-off (ties count together).",
)
def _ch1_key_accounts(tx: pd.DataFrame, cuts: tuple[float, float]) -> int:
    from crmlib.segmentation import abc_classes

    classes = abc_classes(_revenue(tx), cuts=cuts)
    return int((classes["abc"].cat.codes == 0).sum())


@exercise(
    "ch1.call_list",
    hint="keep the prospects whose MAN code is M+A+N and whose expected close is within the "
    "'mature' limit; answer with their ids.",
)
def _ch1_call_list(prospects: pd.DataFrame, mature_days: int) -> frozenset:
    from crmlib.qualification import deal_stage, man_table

    man = man_table(prospects)
    stage = deal_stage(prospects["expected_close_days"], cuts=(mature_days, max(mature_days + 1, 60)))
    sel = (man["priority"] == 1).to_numpy() & (stage.cat.codes == 0).to_numpy()
    return frozenset(prospects.loc[sel, "prospect_id"].astype(str))


@exercise(
    "ch1.at_risk_revenue",
    rel=0.001,
    hint="score the RFM table with the notebook's number of bins, name the segments and add up "
    "the monetary value of the 'At risk' customers.",
)
def _ch1_at_risk_revenue(tx: pd.DataFrame, bins: int) -> float:
    from crmlib.segmentation import rfm_scores, rfm_segments, rfm_table

    seg = rfm_segments(rfm_scores(rfm_table(tx), bins=bins), lang="en")
    return float(seg.loc[seg["segment"] == "At risk", "monetary"].sum())


@exercise(
    "ch1.best_relational",
    hint="summarise each customer's margin and discount share, drop the transactional ones "
    "(discount share at or above the cut) and take the largest margin.",
)
def _ch1_best_relational(tx: pd.DataFrame, discount_cut: float) -> str:
    from crmlib.segmentation import customer_summary, relationship_type

    s = customer_summary(tx)
    rt = relationship_type(s["margin"], s["discount_pct"], discount_cut=discount_cut)
    return str(rt.index[rt["value_rank"].fillna(0).to_numpy() == 1][0])


# ---- chapter 1, the exercises of the notebook (computations composed of several steps, and judgements)
@exercise(
    "ch1.handling_losses",
    hint="take each customer's margin, subtract the handling cost once for every purchase it made, and count "
    "the customers left with zero or less.",
)
def _ch1_handling_losses(tx: pd.DataFrame, cost_per_order: float) -> int:
    from crmlib.segmentation import customer_summary, profitability_tiers

    s = customer_summary(tx)
    profit = s["margin"] - V.number(cost_per_order, "ch1.handling_losses", "cost_per_order", 0) * s["n_transactions"]
    return int((profitability_tiers(profit)["tier"].cat.codes == 2).sum())


@exercise(
    "ch1.drop_losers",
    hint="the seed's advice for the least profitable customers starts with repricing and changing how they "
    "are served; and would every cost of serving them disappear with them?",
)
def _ch1_drop_losers() -> str:
    return "b"


@exercise(
    "ch1.cdnow_customers_for_80",
    tol=0.002,
    hint="sort CDNOW's customers by revenue, biggest first, add up their shares until the running total "
    "reaches 80 %, and divide the number of customers you needed by all customers.",
)
def _ch1_cdnow_customers_for_80(cdnow: pd.DataFrame) -> float:
    from crmlib.segmentation import pareto_table, rfm_table

    t = pareto_table(rfm_table(cdnow)["monetary"])
    return float(t["cum_customer_share"].to_numpy()[np.argmax(np.round(t["cum_share"].to_numpy(), 12) >= 0.8)])


@exercise(
    "ch1.develop_headroom",
    rel=0.001,
    hint="keep the customers of the develop quadrant, drop those whose discount share reaches the cut, and "
    "add up the headroom (potential) of the rest.",
)
def _ch1_develop_headroom(tx: pd.DataFrame, wallets: pd.Series, discount_cut: float) -> float:
    from crmlib.segmentation import customer_summary, recent_revenue, relationship_type, share_of_wallet, value_matrix

    spend = recent_revenue(tx)
    active = spend.index[(spend > 0).to_numpy()]
    sow = share_of_wallet(spend[active], pd.Series(wallets).reindex(active))
    vm = value_matrix(sow["spend"], sow["headroom"])
    s = customer_summary(tx)
    rt = relationship_type(s["margin"], s["discount_pct"], discount_cut=discount_cut)
    keep = vm.index[(vm["quadrant"].cat.codes == 2).to_numpy()].intersection(
        rt.index[(rt["type"].cat.codes == 0).to_numpy()]
    )
    return float(vm.loc[keep, "potential"].sum())


@exercise(
    "ch1.better_prospect",
    hint="compare the share of wallet (how much room is left) and the discount share and margin rate (what "
    "the room is worth) of the three customers.",
)
def _ch1_better_prospect() -> str:
    return "b"


@exercise(
    "ch1.need_essence",
    hint="the essence is the problem underneath the request: what makes her vegetables expensive on one day in three?",
)
def _ch1_need_essence() -> str:
    return "b"


# ============================================================================ Chapter 2 (selection)
@exercise(
    "ch2.top_ideal",
    hint="score the accounts with ideal_customer_score using the notebook's five weights (in the order "
    "demand, payment, service_cost, risk, partnership) and take the account ranked 1.",
)
def _ch2_top_ideal(accounts: pd.DataFrame, weights: list[float]) -> str:
    from crmlib.selection import CRITERIA, ideal_customer_score

    scores = ideal_customer_score(accounts, weights=dict(zip(CRITERIA, weights)))
    return str(scores.sort_values("rank", kind="mergesort").index[0])


@exercise(
    "ch2.whale_peak",
    tol=0.005,
    hint="compute each account's profit after discounts, cost of goods, cost to serve and payment-delay "
    "cost, build the whale curve and read its highest cumulative share (a fraction, e.g. 1.3).",
)
def _ch2_whale_peak(accounts: pd.DataFrame, cost_of_capital: float) -> float:
    from crmlib.selection import customer_profitability, whale_peak

    return whale_peak(customer_profitability(accounts, cost_of_capital=cost_of_capital)["profit"])


@exercise(
    "ch2.oldest_bucket_amount",
    rel=0.001,
    hint="age the open invoices on the notebook's as_of date with its buckets and add up the amount in "
    "the last (oldest) bucket.",
)
def _ch2_oldest_bucket_amount(invoices: pd.DataFrame, as_of: Any, buckets: list[float]) -> float:
    from crmlib.receivables import receivables_aging

    return float(receivables_aging(invoices, as_of, buckets=[int(b) for b in buckets]).total["amount"].iloc[-1])


@exercise(
    "ch2.dso",
    tol=0.05,
    hint="divide what customers owe on as_of by the invoices issued in the last period_days days, and "
    "multiply by period_days.",
)
def _ch2_dso(invoices: pd.DataFrame, as_of: Any, period_days: int) -> float:
    from crmlib.receivables import dso

    return dso(invoices, as_of, period_days=period_days)


@exercise(
    "ch2.over_limit",
    hint="compare each account's open balance on as_of with the credit limit of its 5C rating (months of "
    "monthly net sales); count the accounts that owe more than their limit.",
)
def _ch2_over_limit(accounts: pd.DataFrame, invoices: pd.DataFrame, as_of: Any, months: list[float]) -> int:
    from crmlib.receivables import credit_score_5c, open_balance

    limit = credit_score_5c(accounts, months=tuple(months))["credit_limit"]
    owed = open_balance(invoices, as_of).reindex(limit.index, fill_value=0.0)
    return int((owed > limit).sum())


# ============================================================================ Chapter 3 (development)
@exercise(
    "ch3.best_channel",
    hint="make the channel report and pick the channel whose total cost divided by its deals won is "
    "the smallest (channels without a deal have no cost per acquisition).",
)
def _ch3_best_channel(leads: pd.DataFrame) -> str:
    from crmlib.development import channel_report

    return str(channel_report(leads)["cost_per_acquisition"].idxmin())


@exercise(
    "ch3.weakest_step",
    hint="build the AIDMAS funnel and find the stage with the lowest conversion from the stage before "
    "it (skip the first stage); answer with the stage's English name, e.g. 'interest'.",
)
def _ch3_weakest_step(leads: pd.DataFrame) -> str:
    from crmlib.development import funnel

    f = funnel(leads, lang="en")
    return str(f["conversion"].iloc[1:].idxmin())


@exercise(
    "ch3.pause_list",
    hint="keep the open leads whose number of contacts has reached the limit; answer with their lead ids.",
)
def _ch3_pause_list(leads: pd.DataFrame, limit: int) -> frozenset:
    from crmlib.development import contact_rule

    rule = contact_rule(leads, limit=limit, lang="en")
    return frozenset(leads.loc[(rule["action"] == "pause").to_numpy(), "lead_id"].astype(str))


@exercise(
    "ch3.extra_kept",
    rel=0.001,
    hint="use the cost per acquisition over all channels as the cost of winning one customer; divide "
    "the budget by each cost and subtract the customers won from the customers kept.",
)
def _ch3_extra_kept(leads: pd.DataFrame, budget: float, retention_cost: float) -> float:
    from crmlib.development import acquisition_economics, channel_report, report_total

    cpa = float(report_total(channel_report(leads))["cost_per_acquisition"])
    e = acquisition_economics(budget=budget, retention_cost=retention_cost, acquisition_cost=cpa)
    return float(e.loc["retain", "customers"] - e.loc["acquire", "customers"])


# ============================================================================ Chapter 4 (satisfaction)
@exercise(
    "ch4.nps",
    tol=0.05,
    hint="take one answer per respondent to the 0–10 question, count the share of 9s and 10s and the share "
    "of 0–6, and subtract; give it in points (−100 … 100).",
)
def _ch4_nps(survey: pd.DataFrame) -> float:
    from crmlib.satisfaction import nps, respondents

    return nps(respondents(survey)["recommend"]).nps


@exercise(
    "ch4.concentrate",
    hint="average importance and performance per indicator, draw the lines at the notebook's cut (mean or "
    "median of the 40 indicators) and keep the important ones below the performance line.",
)
def _ch4_concentrate(survey: pd.DataFrame, cut: str) -> frozenset:
    from crmlib.satisfaction import QUADRANTS, importance_performance

    ipa = importance_performance(survey, cut=cut, lang="en")
    return frozenset(
        ipa.index[(ipa["quadrant"].cat.codes == QUADRANTS.index("ipa_concentrate")).to_numpy()].astype(str)
    )


@exercise(
    "ch4.follow_up_share",
    tol=0.001,
    hint="for each complaint subtract the remedy hours from the follow-up hours and count those within "
    "follow_up_days × 24 hours; divide by all complaints (a fraction, e.g. 0.8).",
)
def _ch4_follow_up_share(complaints: pd.DataFrame, days: float) -> float:
    from crmlib.satisfaction import complaint_report

    return complaint_report(complaints, follow_up_days=days).followed_up_within


@exercise(
    "ch4.iceberg_lost",
    rel=0.001,
    hint="divide the number of complaints by the share who complain, multiply by the share who leave "
    "quietly and by the share of those who never return.",
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
@exercise(
    "ch5.loyal_share",
    tol=0.0005,
    hint="count each customer's purchase days, subtract one for the first purchase, and divide the number "
    "of customers with at least min_repeats repeat purchases by all customers.",
)
def _ch5_loyal_share(tx: pd.DataFrame, min_repeats: int) -> float:
    from crmlib.loyalty import loyalty_status

    return float(loyalty_status(tx, min_repeats=min_repeats)["loyal"].mean())


@exercise(
    "ch5.partners",
    hint="use each customer's total revenue as value (cut at the median) and repeat purchases as loyalty "
    "(cut at min_repeats); count the customers high on both.",
)
def _ch5_partners(tx: pd.DataFrame, min_repeats: int) -> int:
    from crmlib.loyalty import value_loyalty_inputs, value_loyalty_matrix

    v = value_loyalty_inputs(tx)  # each customer's revenue and repeat purchases
    m = value_loyalty_matrix(v["revenue"], v["repeat_purchases"], loyalty_cut=min_repeats, lang="en")
    return int((m["relationship"] == "strategic partner").sum())


@exercise(
    "ch5.cohort_retention",
    tol=0.0005,
    hint="build the cohort triangle with the chosen period and read the first cohort's share in column k.",
)
def _ch5_cohort_retention(tx: pd.DataFrame, period: str, k: int) -> float:
    from crmlib.loyalty import cohort_retention

    return float(cohort_retention(tx, period=period).iloc[0][k])


@exercise(
    "ch5.clv_top_share",
    tol=0.0005,
    hint="compute every customer's CLV with the notebook's horizon and discount rate, then the share of the "
    "total held by the top key_share of customers (round the count up).",
)
def _ch5_clv_top_share(tx: pd.DataFrame, horizon_months: float, annual_discount: float, fraction: float) -> float:
    from crmlib.loyalty import clv_report
    from crmlib.segmentation import top_share

    return top_share(clv_report(tx, horizon_months=horizon_months, annual_discount=annual_discount)["clv"], fraction)


# ============================================================================ Casework 1-3
# ---- case 1: Harrah's tiers and comps (crmlib.casework)
@exercise(
    "case1.diamond_share",
    tol=0.0005,
    hint="design the four tiers from the players' net losses with the notebook's cuts, then divide the "
    "diamond players' total net loss by the total net loss of all players.",
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
    hint="each tier returns its comp rate times the losses of its players who lost (winners get nothing); "
    "add up over all four tiers.",
)
def _case1_comp_cost(players, cuts, comp_rates, base_retention, retention_lift, player_years) -> float:
    return float(
        _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years)["comp_cost"].sum()
    )


@exercise(
    "case1.net_value",
    rel=0.001,
    hint="value kept = extra return probability × the tier's positive losses × player_years; subtract the "
    "comp cost and add up over the tiers.",
)
def _case1_net_value(players, cuts, comp_rates, base_retention, retention_lift, player_years) -> float:
    return float(
        _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years)["net_value"].sum()
    )


@exercise(
    "case1.best_payback",
    hint="compare value kept / comp cost across the four tiers and name the tier where it is largest.",
)
def _case1_best_payback(players, cuts, comp_rates, base_retention, retention_lift, player_years) -> str:
    e = _case1_econ(players, cuts, comp_rates, base_retention, retention_lift, player_years)
    return str(e["payback"].astype(float).idxmax())


# ---- case 2: the bank lobby manager (crmlib.casework)
def _case2_triage(visitors, money_cut, abc_cuts, weights):
    from crmlib.casework import lobby_triage

    return lobby_triage(visitors, money_cut=money_cut, abc_cuts=abc_cuts, weights=weights, lang="en")


@exercise(
    "case2.ideal_prospects",
    hint="money = assets or a year's inflow at least money_cut; authority = decides alone; need = a purpose "
    "the bank can sell to. Count the visitors who have all three (M+A+N).",
)
def _case2_ideal(visitors, money_cut, abc_cuts, weights) -> int:
    return int((_case2_triage(visitors, money_cut, abc_cuts, weights)["man_code"] == "M+A+N").sum())


@exercise(
    "case2.class_a",
    hint="sort the visitors by assets, keep those before whom the running share of assets is still below "
    "the first ABC cut; answer with their visitor ids.",
)
def _case2_class_a(visitors, money_cut, abc_cuts, weights) -> frozenset:
    t = _case2_triage(visitors, money_cut, abc_cuts, weights)
    return frozenset(t.index[(t["value_class"].cat.codes == 0).to_numpy()].astype(str))


@exercise(
    "case2.serve_first",
    hint="score every visitor (weighted MAN priority, asset rank and inflow rank), order by score with "
    "earlier arrivals first on ties, and answer with the ids of the first vip_count.",
)
def _case2_serve_first(visitors, money_cut, abc_cuts, weights, vip_count) -> frozenset:
    t = _case2_triage(visitors, money_cut, abc_cuts, weights)
    return frozenset(t.index[(t["order"] <= vip_count).to_numpy()].astype(str))


# ---- case 3: the gas station (crmlib.casework, loyalty, satisfaction)
@exercise(
    "case3.missed_quota",
    hint="count the files each employee opened, compare with months × new_per_employee, and answer with "
    "the ids of the employees who fell short.",
)
def _case3_missed(customers, per_month) -> frozenset:
    from crmlib.casework import file_quota

    q = file_quota(customers, per_month=per_month)
    return frozenset(q.index[~q["met"].to_numpy()].astype(str))


@exercise(
    "case3.follow_up_share",
    tol=0.001,
    hint="for each complaint, is the follow-up call within follow_up_days × 24 hours of the remedy? "
    "Divide by all complaints (never called = not in time).",
)
def _case3_follow(complaints, days) -> float:
    from crmlib.satisfaction import complaint_report

    return complaint_report(complaints, follow_up_days=days).followed_up_within


@exercise(
    "case3.lapsed_gap",
    tol=0.0005,
    hint="build the churn watch list, split customers by how their complaints were followed up, and "
    "subtract the lapsed share of 'followed up in time' from that of 'followed up late/never'.",
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
    hint="count each customer's fill-up days, subtract one for the first, and take the share of customers "
    "with at least min_repeats repeat purchases.",
)
def _case3_loyal(fillups, min_repeats) -> float:
    from crmlib.loyalty import loyalty_status

    return float(loyalty_status(fillups, min_repeats=min_repeats)["loyal"].mean())


# ============================================================================ Casework 4-6
# ---- case 4: Wang Yongqing's rice shop (crmlib.casework)
@exercise(
    "case4.run_out_soon",
    hint="forecast each household's run-out date from the purchases before the cutoff (rice bought before "
    "the last purchase ÷ days between first and last purchase) and count those with at most "
    "horizon_days left.",
)
def _case4_run_out_soon(purchases: pd.DataFrame, cutoff: Any, horizon_days: int) -> int:
    from crmlib.casework import rice_run_out

    t = pd.Timestamp(cutoff)
    fc = rice_run_out(purchases[pd.to_datetime(purchases["date"]) < t], as_of=t)
    return int((fc["days_left"] <= horizon_days).sum())


@exercise(
    "case4.mean_abs_error",
    tol=0.01,
    hint="backtest at the cutoff and average the absolute difference, in days, between the forecast "
    "run-out date and the household's real next purchase.",
)
def _case4_mean_abs_error(purchases: pd.DataFrame, cutoff: Any) -> float:
    from crmlib.casework import backtest_deliveries

    return float(backtest_deliveries(purchases, cutoff)["error_days"].abs().mean())


@exercise(
    "case4.late_gap",
    tol=0.001,
    hint="in the backtest, take the share of households reached late (delivery after the real run-out) "
    "under the fixed round and subtract the share under the predicted plan.",
)
def _case4_late_gap(purchases: pd.DataFrame, cutoff: Any, interval_days: int, lead_days: int, early_days: int) -> float:
    from crmlib.casework import backtest_deliveries

    bt = backtest_deliveries(purchases, cutoff, interval_days=interval_days, lead_days=lead_days, early_days=early_days)
    return float((bt["fixed_gap"] > 0).mean() - (bt["predictive_gap"] > 0).mean())


# ---- case 5: the bank relationship manager (crmlib.casework)
@exercise(
    "case5.underinsured",
    hint="add up each client's life cover (0 without a life policy) and count the clients whose cover is "
    "below life_multiple × annual income.",
)
def _case5_underinsured(clients: pd.DataFrame, insurance: pd.DataFrame, life_multiple: float) -> int:
    from crmlib.casework import coverage_review

    return int(coverage_review(clients, insurance, life_multiple=life_multiple)["underinsured"].sum())


@exercise(
    "case5.top_class_share",
    tol=0.001,
    hint="in the client's latest quarter, divide the largest asset class by the client's total assets.",
)
def _case5_top_class_share(assets: pd.DataFrame, client: Any) -> float:
    from crmlib.casework import asset_mix

    return float(asset_mix(assets, client).iloc[0])


@exercise(
    "case5.rm_hours",
    rel=0.001,
    hint="give each client a review every 1, 3 or 6 months by assets and last change, add up the reviews "
    "in a year and multiply by the hours one review takes.",
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
@exercise(
    "case6.key_value_share",
    tol=0.001,
    hint="score accounts by value and potential, mark the top share as key accounts and divide their "
    "revenue by the revenue of all accounts.",
)
def _case6_key_value_share(accounts: pd.DataFrame, top: float, value_weight: float) -> float:
    from crmlib.casework import key_account_plan

    plan = key_account_plan(accounts, top=top, value_weight=value_weight)
    return float(plan.loc[plan["key_account"], "value"].sum() / plan["value"].sum())


@exercise(
    "case6.top_budget",
    rel=0.001,
    hint="give key_share of the budget to the key accounts, shared in proportion to their scores; read the "
    "amount of the priority-1 account.",
)
def _case6_top_budget(
    accounts: pd.DataFrame, top: float, value_weight: float, budget: float, key_share: float
) -> float:
    from crmlib.casework import key_account_plan

    plan = key_account_plan(accounts, top=top, value_weight=value_weight, budget=budget, key_share=key_share)
    return float(plan.loc[plan["priority"] == 1, "budget"].iloc[0])


@exercise(
    "case6.risky_keys",
    hint="flag the four big-customer risks of every account and list the key accounts carrying at least "
    "min_risks of them (answer with their account ids).",
)
def _case6_risky_keys(accounts: pd.DataFrame, top: float, value_weight: float, min_risks: int) -> frozenset:
    from crmlib.casework import key_account_plan

    plan = key_account_plan(accounts, top=top, value_weight=value_weight)
    return frozenset(plan.index[(plan["key_account"] & (plan["n_risks"] >= min_risks)).to_numpy()].astype(str))


# ============================================================================ Chapter 6 (customer records)
# ---- chapter 6: the customer archive (crmlib.records)
def _ch6_grades(frames: dict) -> pd.Series:
    return frames["customers"]["grade"]


@exercise(
    "ch6.grade_a_revenue_share",
    tol=0.001,
    hint="join the purchases to the customer cards through customer_id, add up the amounts of the grade-A "
    "customers and divide by all purchases.",
)
def _ch6_grade_a_revenue_share(frames: dict) -> float:
    pu = frames["purchases"]
    grade = pu["customer_id"].map(_ch6_grades(frames))
    return float(pu.loc[(grade == "A").to_numpy(), "amount"].sum() / pu["amount"].sum())


@exercise(
    "ch6.key_due",
    hint="take the archive's reminder list for as_of, horizon_days and lead_days and count the customers of "
    "grade A (key customers) on it.",
)
def _ch6_key_due(archive: Any, as_of: Any, horizon_days: int, lead_days: int) -> int:
    from crmlib.i18n import label

    rem = archive.reminders(as_of=as_of, horizon_days=horizon_days, lead_days=lead_days, lang="en")
    return int((rem["grade"].astype(str) == label("A", "en")).sum())


@exercise(
    "ch6.neglected_key",
    hint="for each grade-A customer find the date of its latest follow-up up to as_of (none at all counts as the "
    "longest wait); answer with the number of the one waiting longest (ties: the lowest number).",
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
    hint="join purchases to the cards, keep grade-A customers, add up the amounts by the card's owner and name "
    "the owner with the largest total.",
)
def _ch6_top_owner(frames: dict) -> str:
    cust, pu = frames["customers"], frames["purchases"]
    keep = pu["customer_id"].map(cust["grade"]) == "A"
    owner = pu.loc[keep.to_numpy(), "customer_id"].map(cust["owner"])
    tot = pu.loc[keep.to_numpy(), "amount"].groupby(owner.to_numpy()).sum()
    return str(tot.sort_values(ascending=False, kind="mergesort").index[0])
