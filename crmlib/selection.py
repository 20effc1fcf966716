"""Customer selection (客户选择) — Chapter 2.

Not every buyer is worth serving. This module turns a list of business accounts into the
evidence a selection needs: a weighted score against the five ideal-customer criteria
(理想客户的衡量标准), customer profitability after every cost (客户赢利能力) and the whale curve,
the four risks of big customers (大客户风险), the small customers with growth potential
(小客户可能是理想客户) and the five selection principles (客户选择的原则) as a rubric.

Every function validates its input (``CRMDataError`` naming the function, field and rows on bad
input), never mutates it, and returns a new DataFrame indexed by account.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import ceil
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n

# the account-table and weight checks are shared with crmlib.receivables and crmlib.widgets
from crmlib._checks import account_table, criterion_weights, group_labels, grouping
from crmlib._errors import CRMDataError

#: the five ideal-customer criteria of the seed text, with the account columns behind each
#: (+1: more is better, -1: less is better)
IDEAL_CRITERIA: dict[str, tuple[tuple[str, int], ...]] = {
    "demand": (("revenue", +1),),  # strong desire, large volume
    "payment": (
        ("price_sensitivity", -1),
        ("on_time_share", +1),  # low price sensitivity,
        ("avg_days_late", -1),
    ),  # pays on time, good credit
    "service_cost": (("service_share", -1),),  # asks for little service
    "risk": (
        ("debt_ratio", -1),
        ("revenue_growth", +1),  # low risk, good prospects
        ("industry_outlook", +1),
    ),
    "partnership": (("partnership_interest", +1), ("years_as_customer", +1)),  # long-term partner
}
CRITERIA = tuple(IDEAL_CRITERIA)
RISK_KEYS = ("financial_risk", "profit_risk", "management_risk", "churn_risk")
PRINCIPLE_KEYS = ("fits_positioning", "ideal", "potential", "matches_strength", "satisfied")
VERDICT_KEYS = ["verdict_select", "verdict_consider", "verdict_avoid"]


def _rows_of(accounts: pd.DataFrame) -> pd.Index:
    return accounts.index


def _positive(s: pd.Series, func: str, field: str, index) -> None:
    bad = s.to_numpy() <= 0
    if bad.any():
        V._fail(func, field, "must be positive", bad, index)


# ----------------------------------------------------------------------------- ideal customers
def ideal_criteria(accounts: pd.DataFrame, id_col: str = "account_id") -> pd.DataFrame:
    """Each account's standing on the five ideal-customer criteria, as percentile ranks in (0, 1].

    A criterion built from several columns is the mean of their percentile ranks (for "less is
    better" columns the rank of the negated value): ``demand`` (sales volume), ``payment`` (low
    price sensitivity, on-time share, few days late), ``service_cost`` (cost to serve / revenue),
    ``risk`` (low debt ratio, sales growth, industry outlook) and ``partnership`` (interest in a
    long-term partnership, years as a customer).

    >>> acc = pd.DataFrame({"account_id": ["a", "b"], "revenue": [100.0, 300.0],
    ...     "price_sensitivity": [0.2, 0.8], "on_time_share": [0.9, 0.5], "avg_days_late": [2.0, 20.0],
    ...     "service_cost": [10.0, 60.0], "debt_ratio": [0.3, 0.6], "revenue_growth": [0.1, 0.0],
    ...     "industry_outlook": [4, 4], "partnership_interest": [5, 2], "years_as_customer": [3, 8]})
    >>> ideal_criteria(acc)
                demand  payment  service_cost      risk  partnership
    account_id
    a              0.5      1.0           1.0  0.916667         0.75
    b              1.0      0.5           0.5  0.583333         0.75
    """
    func = "ideal_criteria"
    cols = [
        "revenue",
        "price_sensitivity",
        "on_time_share",
        "avg_days_late",
        "service_cost",
        "debt_ratio",
        "revenue_growth",
        "industry_outlook",
        "partnership_interest",
        "years_as_customer",
    ]
    a = account_table(accounts, func, cols, id_col)
    _positive(a["revenue"], func, "revenue", a.index)
    a["service_share"] = a["service_cost"] / a["revenue"]
    out = pd.DataFrame(index=a.index)
    for crit, parts in IDEAL_CRITERIA.items():
        ranks = [(sign * a[col]).rank(method="average", pct=True) for col, sign in parts]
        out[crit] = sum(ranks) / len(ranks)
    return out


def ideal_customer_score(
    accounts: pd.DataFrame, weights: Mapping[str, float] | None = None, id_col: str = "account_id"
) -> pd.DataFrame:
    """Weighted ideal-customer score (理想客户评分) from 0 to 100, and the rank it gives (1 = best).

    ``weights`` maps criteria (``demand``, ``payment``, ``service_cost``, ``risk``,
    ``partnership``) to non-negative numbers; they are normalised to sum to 1 and a criterion left
    out weighs 0 (default: all equal). The score is ``100 × Σ weight × criterion`` over the
    percentile ranks of :func:`ideal_criteria`; ties share the best rank.

    >>> acc = pd.DataFrame({"account_id": ["a", "b"], "revenue": [100.0, 300.0],
    ...     "price_sensitivity": [0.2, 0.8], "on_time_share": [0.9, 0.5], "avg_days_late": [2.0, 20.0],
    ...     "service_cost": [10.0, 60.0], "debt_ratio": [0.3, 0.6], "revenue_growth": [0.1, 0.0],
    ...     "industry_outlook": [4, 4], "partnership_interest": [5, 2], "years_as_customer": [3, 8]})
    >>> ideal_customer_score(acc)[["score", "rank"]]
                    score  rank
    account_id
    a           83.333333     1
    b           66.666667     2
    >>> ideal_customer_score(acc, weights={"demand": 2})["rank"].tolist()   # volume only
    [2, 1]
    >>> ideal_customer_score(acc, weights={"volume": 1})
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: ideal_customer_score: field 'weights' names unknown criteria (rows 'volume'); known criteria: ['demand', 'payment', 'service_cost', 'risk', 'partnership']
    """  # noqa: E501
    func = "ideal_customer_score"
    w = criterion_weights(weights, func, CRITERIA)
    with V.caller(func):
        crit = ideal_criteria(accounts, id_col=id_col)
    return _weigh(crit, w)


def weigh_criteria(criteria: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The ideal-customer score and rank of accounts whose criteria are known: ``criteria`` is the
    table of :func:`ideal_criteria` (percentile ranks in [0, 1], one column per criterion), and
    ``weigh_criteria(ideal_criteria(accounts), weights)`` is ``ideal_customer_score(accounts,
    weights)``. Weighing again needs no new ranking of the accounts (the ideal-score explorer
    re-weighs as a slider moves).

    >>> crit = pd.DataFrame({"demand": [0.5, 1.0], "payment": [1.0, 0.5], "service_cost": [1.0, 0.5],
    ...                      "risk": [0.75, 0.5], "partnership": [0.5, 1.0]}, index=["a", "b"])
    >>> weigh_criteria(crit, {"demand": 1, "payment": 3})[["score", "rank"]]
       score  rank
    a   87.5     1
    b   62.5     2
    """
    func = "weigh_criteria"
    w = criterion_weights(weights, func, CRITERIA)
    V.table(criteria, func, list(CRITERIA), name="criteria")
    for k in CRITERIA:
        ranks = V.values(criteria[k], func, k)
        above = ranks.to_numpy() > 1
        if above.any():
            V._fail(func, k, "must hold percentile ranks from 0 to 1 (see ideal_criteria)", above, criteria.index)
    return _weigh(criteria, w)


def _weigh(crit: pd.DataFrame, w: dict[str, float]) -> pd.DataFrame:
    """``crit`` with the score (weights ``w``, normalised) and rank of each account."""
    out = crit.copy()
    out["score"] = 100.0 * sum(w[k] * crit[k] for k in CRITERIA)
    out["rank"] = out["score"].round(9).rank(method="min", ascending=False).astype("int64")
    out.attrs["weights"] = w
    return out


# ----------------------------------------------------------------------------- profitability
def customer_profitability(
    accounts: pd.DataFrame, cost_of_capital: float = 0.10, id_col: str = "account_id"
) -> pd.DataFrame:
    """Profit of each account after every cost (客户赢利能力).

    ``profit = revenue − discounts − cogs − service_cost − delay_cost`` where ``revenue`` is the
    sales at list price, ``cogs`` the cost of goods and ``delay_cost`` the cost of financing late
    payment: ``(revenue − discounts) × cost_of_capital × avg_days_late / 365``.
    ``profit_margin`` is profit over revenue.

    >>> acc = pd.DataFrame({"account_id": ["big", "small"], "revenue": [1000.0, 100.0],
    ...     "discounts": [150.0, 0.0], "cogs": [600.0, 60.0], "service_cost": [200.0, 10.0],
    ...     "avg_days_late": [73.0, 0.0]})
    >>> customer_profitability(acc)[["delay_cost", "profit", "profit_margin"]]
                delay_cost  profit  profit_margin
    account_id
    big               17.0   33.0          0.033
    small              0.0   30.0          0.300
    """
    func = "customer_profitability"
    rate = V.number(cost_of_capital, func, "cost_of_capital", 0.0, 1.0)
    cols = ["revenue", "discounts", "cogs", "service_cost", "avg_days_late"]
    a = account_table(accounts, func, cols, id_col)
    _positive(a["revenue"], func, "revenue", a.index)
    over = (a["discounts"] > a["revenue"]).to_numpy()
    if over.any():
        V._fail(func, "discounts", "must not exceed revenue", over, a.index)
    net = a["revenue"] - a["discounts"]
    a["delay_cost"] = net * rate * a["avg_days_late"] / 365.0
    a["profit"] = net - a["cogs"] - a["service_cost"] - a["delay_cost"]
    a["profit_margin"] = a["profit"] / a["revenue"]
    return a[["revenue", "discounts", "cogs", "service_cost", "delay_cost", "profit", "profit_margin"]]


#: the money columns of :func:`customer_profitability` that :func:`profit_by` adds up per group
PROFIT_BY_COLS = ("revenue", "discounts", "service_cost", "delay_cost", "profit")


def profit_by(profit: pd.DataFrame, groups: Any) -> pd.DataFrame:
    """Profit by group of accounts (客户赢利能力): revenue, discounts, cost to serve, payment-delay cost
    and profit of :func:`customer_profitability` summed per group, and the group's ``margin``
    (its profit over its revenue).

    ``groups`` names each account's group — its size class, industry, region or any grouping of your
    own: a Series indexed by account (``accounts.set_index("account_id")["size"]``), matched to the
    rows of ``profit`` by label (it may hold other accounts too), or a list, array or Series with the
    index 0, 1, … in the order of ``profit``'s rows. Every account needs a group. The groups are
    sorted; a Categorical keeps its own order and shows every category (an empty one with a margin
    of NaN). The index is named after the Series (``"group"`` for a list).

    >>> acc = pd.DataFrame({"account_id": ["a", "b", "c"], "revenue": [1000.0, 100.0, 300.0],
    ...     "discounts": [150.0, 0.0, 0.0], "cogs": [600.0, 60.0, 150.0], "service_cost": [200.0, 10.0, 30.0],
    ...     "avg_days_late": [73.0, 0.0, 0.0], "size": ["large", "small", "small"]})
    >>> p = customer_profitability(acc)   # profit: a 33, b 30, c 120
    >>> profit_by(p, acc.set_index("account_id")["size"])
           revenue  discounts  service_cost  delay_cost  profit  margin
    size
    large   1000.0      150.0         200.0        17.0    33.0   0.033
    small    400.0        0.0          40.0         0.0   150.0   0.375
    """
    func = "profit_by"
    V.table(profit, func, PROFIT_BY_COLS, name="profit")
    cols = {c: V.numeric(profit[c], func, c, allow_negative=(c == "profit")) for c in PROFIT_BY_COLS}
    _positive(cols["revenue"], func, "revenue", profit.index)
    g = group_labels(groups, profit.index, func, table="profit", rows="accounts")
    frame = pd.DataFrame({c: s.to_numpy() for c, s in cols.items()})
    out = frame.groupby(grouping(g), sort=True, observed=False).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["margin"] = out["profit"] / out["revenue"].where(out["revenue"] > 0)
    out.index.name = g.name if g.name is not None else "group"
    return out


def whale_curve(profit: Any) -> pd.DataFrame:
    """The whale curve (鲸鱼曲线): cumulative profit, customers sorted from most to least profitable.

    ``cum_share`` is the running profit as a share of total profit. With loss-making customers it
    rises above 1 (the "hump" of the whale) and falls back to exactly 1 at the last customer; the
    peak tells how much more the profitable customers earn than the company keeps. Total profit must
    be positive.

    >>> whale_curve(pd.Series([-20.0, 50.0, 70.0], index=["x", "y", "z"]))
       profit  cum_profit  cum_share  cum_customer_share
    z    70.0        70.0       0.70            0.333333
    y    50.0       120.0       1.20            0.666667
    x   -20.0       100.0       1.00            1.000000
    >>> whale_curve([10.0, -30.0])
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: whale_curve: field 'profit' sums to -20.0: the whale curve needs a positive total profit
    """  # noqa: E501
    func = "whale_curve"
    s = V.values(profit, func, "profit", allow_negative=True)
    total = float(s.sum())
    if not total > 0:
        raise CRMDataError(func, "profit", f"sums to {total}: the whale curve needs a positive total profit")
    s = s.sort_values(ascending=False, kind="mergesort")
    cum = s.cumsum()
    n = len(s)
    return pd.DataFrame(
        {"profit": s, "cum_profit": cum, "cum_share": cum / total, "cum_customer_share": np.arange(1, n + 1) / n},
        index=s.index,
    )


def whale_peak(profit: Any) -> float:
    """Height of the whale curve's peak: the most-profitable customers' profit over total profit.

    >>> whale_peak([-20.0, 50.0, 70.0])
    1.2
    """
    with V.caller("whale_peak"):
        return float(whale_curve(profit)["cum_share"].max())


# ----------------------------------------------------------------------------- big and small customers
def _top_k_mask(values: pd.Series, share: float) -> np.ndarray:
    """True for the ceil(share × n) largest values (stable: earlier rows win ties)."""
    k = max(1, ceil(round(share * len(values), 9)))
    order = np.argsort(-values.to_numpy(), kind="mergesort")
    mask = np.zeros(len(values), dtype=bool)
    mask[order[:k]] = True
    return mask


def big_customer_risks(
    accounts: pd.DataFrame,
    big_share: float = 0.2,
    cost_of_capital: float = 0.10,
    late_days: float = 20.0,
    debt_limit: float = 0.7,
    margin_floor: float = 0.05,
    service_limit: float = 0.15,
    growth_floor: float = -0.05,
    partnership_floor: int = 2,
    id_col: str = "account_id",
) -> pd.DataFrame:
    """The four risks of big customers (大客户风险), flagged from the data for every account.

    * ``big``: among the top ``big_share`` of accounts by revenue;
    * ``financial_risk`` (财务风险): pays more than ``late_days`` late on average, or its debt
      ratio exceeds ``debt_limit`` — a big unpaid balance can hurt our own cash;
    * ``profit_risk`` (利润风险): profit margin (:func:`customer_profitability`) below
      ``margin_floor`` — discounts and demands eat the profit;
    * ``management_risk`` (管理风险): cost to serve above ``service_limit`` of revenue — it
      demands special treatment and ties up our people;
    * ``churn_risk`` (流失风险): sales growth below ``growth_floor`` or partnership interest at or
      below ``partnership_floor`` (1–5) — competitors court big customers.

    ``n_risks`` counts the flags.

    >>> acc = pd.DataFrame({"account_id": ["B", "S"], "revenue": [1000.0, 100.0],
    ...     "discounts": [150.0, 0.0], "cogs": [600.0, 60.0], "service_cost": [200.0, 5.0],
    ...     "avg_days_late": [30.0, 0.0], "debt_ratio": [0.5, 0.2], "revenue_growth": [-0.1, 0.3],
    ...     "partnership_interest": [4, 4]})
    >>> big_customer_risks(acc, big_share=0.5)[["big", "financial_risk", "profit_risk", "n_risks"]]
                  big  financial_risk  profit_risk  n_risks
    account_id
    B            True            True         True        4
    S           False           False        False        0
    """
    func = "big_customer_risks"
    share = V.number(big_share, func, "big_share", 0.0, 1.0, closed="right")
    late = V.number(late_days, func, "late_days", 0.0)
    debt = V.number(debt_limit, func, "debt_limit", 0.0, 1.0)
    floor = V.number(margin_floor, func, "margin_floor", -1.0, 1.0)
    service = V.number(service_limit, func, "service_limit", 0.0)
    growth = V.number(growth_floor, func, "growth_floor", -1.0)
    partner = V.number(partnership_floor, func, "partnership_floor", 0.0, 5.0)
    cols = ["debt_ratio", "revenue_growth", "partnership_interest"]
    with V.caller(func):
        prof = customer_profitability(accounts, cost_of_capital=cost_of_capital, id_col=id_col)
    a = account_table(accounts, func, cols, id_col)
    out = pd.DataFrame(index=a.index)
    out["revenue"] = prof["revenue"]
    out["big"] = _top_k_mask(prof["revenue"], share)
    out["financial_risk"] = (accounts["avg_days_late"].to_numpy(float) > late) | (a["debt_ratio"].to_numpy() > debt)
    out["profit_risk"] = (prof["profit_margin"] < floor).to_numpy()
    out["management_risk"] = (prof["service_cost"] / prof["revenue"] > service).to_numpy()
    out["churn_risk"] = ((a["revenue_growth"] < growth) | (a["partnership_interest"] <= partner)).to_numpy()
    out["n_risks"] = out[list(RISK_KEYS)].sum(axis=1).astype("int64")
    return out


def risk_summary(risks: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Share of big and of other accounts carrying each of the four risks (NaN for a group with no
    account, e.g. when every account is big).

    >>> r = pd.DataFrame({"big": [True, True, False, False], "financial_risk": [True, False, False, False],
    ...     "profit_risk": [True, True, False, True], "management_risk": [False] * 4,
    ...     "churn_risk": [False, True, False, False]})
    >>> risk_summary(r)
                     big accounts  other accounts
    financial risk            0.5             0.0
    profit risk               1.0             0.5
    management risk           0.0             0.0
    churn risk                0.5             0.0
    """
    func = "risk_summary"
    lang = i18n.resolve(lang, func)
    V.table(risks, func, ["big", *RISK_KEYS], name="risks")
    big = V.flags(risks["big"], func, "big").to_numpy()
    rows = {}
    for k in RISK_KEYS:
        f = V.flags(risks[k], func, k).to_numpy()
        rows[i18n.label(k, lang)] = (f[big].mean() if big.any() else np.nan, f[~big].mean() if (~big).any() else np.nan)
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=[i18n.label("big_accounts", lang), i18n.label("other_accounts", lang)]
    )


def growth_potential(
    accounts: pd.DataFrame,
    small_share: float = 0.5,
    growth_min: float = 0.15,
    late_max: float = 10.0,
    partnership_min: int = 3,
    horizon: int = 3,
    id_col: str = "account_id",
) -> pd.DataFrame:
    """Small accounts that may become ideal ones (小客户可能是理想客户).

    ``small``: in the bottom ``small_share`` of accounts by revenue. ``projected_revenue`` is the
    revenue after ``horizon`` years of the current growth, ``revenue × (1 + growth) ** horizon``.
    ``promising`` marks small accounts that grow at least ``growth_min`` a year, pay at most
    ``late_max`` days late on average and rate a partnership at least ``partnership_min`` (1–5).

    >>> acc = pd.DataFrame({"account_id": ["a", "b", "c", "d"], "revenue": [100.0, 200.0, 5000.0, 300.0],
    ...     "revenue_growth": [0.5, 0.02, 0.3, 0.2], "avg_days_late": [3.0, 0.0, 0.0, 30.0],
    ...     "partnership_interest": [4, 5, 5, 4]})
    >>> growth_potential(acc, horizon=2)[["small", "projected_revenue", "promising"]]
                small  projected_revenue  promising
    account_id
    a            True              225.0       True
    b            True              208.1      False
    c           False             8450.0      False
    d           False              432.0      False
    """
    func = "growth_potential"
    share = V.number(small_share, func, "small_share", 0.0, 1.0, closed="right")
    gmin = V.number(growth_min, func, "growth_min", -1.0)
    late = V.number(late_max, func, "late_max", 0.0)
    pmin = V.number(partnership_min, func, "partnership_min", 1.0, 5.0)
    h = V.integer(horizon, func, "horizon", 1, 30)
    cols = ["revenue", "revenue_growth", "avg_days_late", "partnership_interest"]
    a = account_table(accounts, func, cols, id_col)
    low = (a["revenue_growth"] <= -1).to_numpy()
    if low.any():
        V._fail(func, "revenue_growth", "must be above -1 (a fall of more than 100 %)", low, a.index)
    small = _top_k_mask(-a["revenue"], share) if share < 1 else np.ones(len(a), dtype=bool)
    out = a[["revenue", "revenue_growth"]].copy()
    out["small"] = small
    out["projected_revenue"] = a["revenue"] * (1.0 + a["revenue_growth"]) ** h
    out["promising"] = (
        small
        & (a["revenue_growth"] >= gmin).to_numpy()
        & (a["avg_days_late"] <= late).to_numpy()
        & (a["partnership_interest"] >= pmin).to_numpy()
    )
    return out[["small", "revenue", "revenue_growth", "projected_revenue", "promising"]]


# ----------------------------------------------------------------------------- selection principles
def selection_rubric(
    accounts: pd.DataFrame,
    target_industries: Sequence[str] = ("manufacturing", "IT services", "healthcare", "logistics"),
    our_employees: float = 300,
    strength_ratio: float = 10.0,
    ideal_min: float = 50.0,
    growth_min: float = 0.05,
    satisfaction_min: int = 4,
    weights: Mapping[str, float] | None = None,
    industry_col: str = "industry",
    id_col: str = "account_id",
    lang: str | None = None,
) -> pd.DataFrame:
    """The five selection principles (客户选择的原则) as a yes/no rubric for each account.

    1. ``fits_positioning`` (与企业定位一致): the account's industry is one we target;
    2. ``ideal`` (选择理想客户): its :func:`ideal_customer_score` is at least ``ideal_min``;
    3. ``potential`` (选择有潜力的客户): its sales grow at least ``growth_min`` a year;
    4. ``matches_strength`` (与自己实力接近): it has between 1/``strength_ratio`` and
       ``strength_ratio`` times our number of employees, so neither side dominates the other;
    5. ``satisfied`` (对产品或服务满意): its satisfaction rating is at least ``satisfaction_min`` (1–5).

    ``passed`` counts the principles met; ``verdict`` is *select* (4–5), *consider* (3) or *avoid*
    (0–2), an ordered Categorical labelled in ``lang``.

    >>> acc = pd.DataFrame({"account_id": ["a", "b"], "industry": ["healthcare", "retail"],
    ...     "revenue": [100.0, 300.0], "price_sensitivity": [0.2, 0.8], "on_time_share": [0.9, 0.5],
    ...     "avg_days_late": [2.0, 20.0], "service_cost": [10.0, 60.0], "debt_ratio": [0.3, 0.6],
    ...     "revenue_growth": [0.1, 0.0], "industry_outlook": [4, 4], "partnership_interest": [5, 2],
    ...     "years_as_customer": [3, 8], "employees": [200, 50000], "satisfaction": [5, 3]})
    >>> selection_rubric(acc)[["passed", "verdict"]]
                passed        verdict
    account_id
    a                5         select
    b                1  avoid for now
    """
    func = "selection_rubric"
    lang = i18n.resolve(lang, func)
    if (
        isinstance(target_industries, str)
        or not isinstance(target_industries, Sequence)
        or not all(isinstance(t, str) for t in target_industries)
        or len(target_industries) == 0
    ):
        raise CRMDataError(
            func, "target_industries", f"must be a non-empty list of industry names, got {target_industries!r}"
        )
    ours = V.number(our_employees, func, "our_employees", 0.0, closed="neither")
    ratio = V.number(strength_ratio, func, "strength_ratio", 1.0)
    imin = V.number(ideal_min, func, "ideal_min", 0.0, 100.0)
    gmin = V.number(growth_min, func, "growth_min", -1.0)
    smin = V.number(satisfaction_min, func, "satisfaction_min", 1.0, 5.0)
    V.table(accounts, func, [industry_col, "employees", "satisfaction"], name="accounts")
    with V.caller(func):
        score = ideal_customer_score(accounts, weights=weights, id_col=id_col)
    a = account_table(accounts, func, ["employees", "satisfaction", "revenue_growth"], id_col)
    industry = accounts[industry_col].astype(str).to_numpy()
    known = set(industry)
    if not any(t in known for t in target_industries):
        raise CRMDataError(
            func,
            "target_industries",
            f"matches no industry in the data: {list(target_industries)}",
            detail=f"industries present: {sorted(known)[:12]}",
        )
    emp = a["employees"].to_numpy()
    out = pd.DataFrame(index=a.index)
    out["fits_positioning"] = np.isin(industry, list(target_industries))
    out["ideal"] = (score["score"] >= imin).to_numpy()
    out["potential"] = (a["revenue_growth"] >= gmin).to_numpy()
    out["matches_strength"] = (emp >= ours / ratio) & (emp <= ours * ratio)
    out["satisfied"] = (a["satisfaction"] >= smin).to_numpy()
    out["passed"] = out[list(PRINCIPLE_KEYS)].sum(axis=1).astype("int64")
    codes = np.where(out["passed"] >= 4, 0, np.where(out["passed"] == 3, 1, 2))
    out["verdict"] = i18n.categorical(pd.Series(codes, index=out.index), VERDICT_KEYS, lang)
    return out
