"""Customer analysis and segmentation (客户分析与客户细分) — Chapter 1.

Who are the most valuable, loyal, potential, growing and lost customers? This module turns a
transaction log into the answers: RFM tables and segments, the 80/20 check with Pareto and
Lorenz curves and the Gini index, ABC (key / major / ordinary) classes, profitability tiers,
the customer value matrix (current × potential value, with potential from the share of wallet)
and the split of transactional from relational customers.

Every function validates its input (``CRMDataError`` naming the function, field and rows on bad
input), never mutates it, and returns a new object indexed by customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _checks as _C, _validate as V, i18n
from crmlib._errors import CRMDataError

SEGMENT_KEYS = [
    "champions",
    "loyal",
    "potential_loyalist",
    "new_customers",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "hibernating",
    "lost_segment",
]
# (R level, FM level) -> index into SEGMENT_KEYS; levels 1 = low, 2 = mid, 3 = high
_SEGMENT_GRID = {
    (3, 3): 0,
    (3, 2): 2,
    (3, 1): 3,
    (2, 3): 1,
    (2, 2): 4,
    (2, 1): 5,
    (1, 3): 6,
    (1, 2): 7,
    (1, 1): 8,
}
ABC_KEYS = ["A", "B", "C"]
TIER_KEYS = ["most_profitable", "profitable", "least_profitable"]
QUADRANT_KEYS = ["invest", "maintain", "develop", "minimise"]
#: the strategy of each quadrant as (English, 中文); the sentences are i18n.TEXTS["seg_strategy_<key>"]
QUADRANT_STRATEGY = {k: i18n.TEXTS[f"seg_strategy_{k}"] for k in QUADRANT_KEYS}
RELATIONSHIP_KEYS = ["relational", "transactional"]


def _ceil_score(x: np.ndarray | pd.Series) -> np.ndarray:
    """ceil() that ignores floating-point dust (0.6 * 5 = 3.0000000000000004 -> 3)."""
    return np.ceil(np.round(np.asarray(x, dtype=float), 9)).astype(int)


def _tx(
    tx: Any, func: str, customer_col: str, date_col: str, amount_col: str, extra: Sequence[str] = ()
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Validate a transaction log; return (ids, dates, amounts)."""
    V.table(tx, func, [customer_col, date_col, amount_col, *extra], name="tx")
    ids = V.ids(tx[customer_col], func, customer_col)
    dates = V.dates(tx[date_col], func, date_col)
    amounts = V.numeric(tx[amount_col], func, amount_col)
    return ids, dates, amounts


# ----------------------------------------------------------------------------- summaries
def _column_names(cols: Any, func: str, field: str) -> list[str]:
    """A list of column names (one name alone is a list of one)."""
    if isinstance(cols, str):
        return [cols]
    if not isinstance(cols, (list, tuple, pd.Index)):
        raise CRMDataError(func, field, f"must be a list of column names, got {cols!r}")
    bad = [c for c in cols if not isinstance(c, str)]
    if bad:
        raise CRMDataError(func, field, f"must be a list of column names, got {bad[0]!r} in it")
    return list(cols)


def customer_summary(
    tx: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    margin_col: str = "margin",
    discount_col: str = "discount_pct",
    profile_cols: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per customer: purchases, first/last purchase, revenue, margin and discount %.

    ``discount_pct`` is the customer's total discount over the total list price, where each
    row's list price is ``amount / (1 - discount_pct)``. ``profile_cols`` are columns that describe
    the customer rather than the purchase (region, segment: 客户特征); each customer keeps its first
    non-missing value of them, in the order of the log.

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                    "date": ["2024-01-01", "2024-01-10", "2024-01-05"],
    ...                    "amount": [80.0, 20.0, 50.0], "margin": [30.0, 5.0, -2.0],
    ...                    "discount_pct": [0.2, 0.0, 0.5], "region": ["north", "north", "south"]})
    >>> customer_summary(tx, profile_cols=["region"])[["n_transactions", "revenue", "margin", "discount_pct", "region"]]
                 n_transactions  revenue  margin  discount_pct region
    customer_id
    A                         2    100.0    35.0      0.166667  north
    B                         1     50.0    -2.0      0.500000  south
    """
    func = "customer_summary"
    profile = _column_names(profile_cols, func, "profile_cols")
    ids, dates, amounts = _tx(tx, func, customer_col, date_col, amount_col, [margin_col, discount_col, *profile])
    margin = V.numeric(tx[margin_col], func, margin_col, allow_negative=True)
    disc = V.numeric(tx[discount_col], func, discount_col)
    over = (disc >= 1).to_numpy()
    if over.any():
        V._fail(func, discount_col, "must be a fraction below 1 (0.2 = 20% off)", over, disc.index)
    list_price = amounts / (1.0 - disc)
    frame = pd.DataFrame(
        {
            "cid": ids.to_numpy(),
            "date": dates.to_numpy(),
            "amount": amounts.to_numpy(),
            "margin": margin.to_numpy(),
            "list": list_price.to_numpy(),
        }
    )
    g = frame.groupby("cid", sort=True)
    out = g.agg(
        n_transactions=("amount", "size"),
        first_purchase=("date", "min"),
        last_purchase=("date", "max"),
        revenue=("amount", "sum"),
        margin=("margin", "sum"),
        list_total=("list", "sum"),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        d = 1.0 - out["revenue"] / out["list_total"]
    out["discount_pct"] = d.where(out["list_total"] > 0, 0.0)
    out = out.drop(columns="list_total")
    clash = [c for c in profile if c in out.columns]
    if clash:
        raise CRMDataError(
            func, "profile_cols", f"{clash[0]!r} is a column of the summary itself; rename it in tx first"
        )
    if profile:
        first = tx[profile].groupby(ids.to_numpy(), sort=True).first()
        out = out.join(first)
    out.index.name = customer_col
    return out


def rfm_table(
    tx: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    as_of: Any = None,
) -> pd.DataFrame:
    """Recency, frequency and monetary value of every customer (RFM分析).

    ``recency_days`` counts the days from the customer's last purchase to ``as_of`` (default: the
    day after the last date in ``tx``), ``frequency`` the transactions, ``monetary`` the total.

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                    "date": ["2024-01-01", "2024-01-10", "2024-01-05"],
    ...                    "amount": [10.0, 20.0, 5.0]})
    >>> rfm_table(tx)
                 recency_days  frequency  monetary
    customer_id
    A                       1          2      30.0
    B                       6          1       5.0
    """
    func = "rfm_table"
    V.table(tx, func, [customer_col, date_col, amount_col], name="tx")
    dates = V.dates(tx[date_col], func, date_col)
    amounts = V.numeric(tx[amount_col], func, amount_col)
    if as_of is None:
        as_of_ts = dates.max().normalize() + pd.Timedelta(days=1)
    else:
        as_of_ts = V.timestamp(as_of, func, "as_of")
        late = (dates > as_of_ts).to_numpy()
        if late.any():
            V._fail(
                func,
                date_col,
                f"has transactions after as_of={as_of_ts.date()}",
                late,
                dates.index,
                detail="filter the log to the period first (tx[tx.date <= as_of])",
            )
    cid = V.same_ids(tx[customer_col])
    frame = pd.DataFrame({"cid": cid, "last": dates, "amount": amounts})
    out = frame.groupby("cid", sort=True, dropna=False).agg(
        last=("last", "max"), frequency=("amount", "size"), monetary=("amount", "sum")
    )
    V.group_keys(out.index, cid, func, customer_col)
    recency = ((as_of_ts - out["last"]) // pd.Timedelta(days=1)).astype("int64")
    result = pd.DataFrame(
        {
            "recency_days": recency,
            "frequency": out["frequency"].astype("int64"),
            "monetary": out["monetary"].astype("float64"),
        }
    )
    result.index.name = customer_col
    return result


def rfm_scores(rfm: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Score R, F and M from 1 to ``bins`` by percentile rank (ties share a score).

    A score is ``ceil(percentile rank × bins)``; for R the most recent customers score highest.

    >>> rfm = pd.DataFrame({"recency_days": [5, 40, 200, 10, 90],
    ...                     "frequency": [9, 3, 1, 5, 2], "monetary": [900., 150., 20., 400., 60.]},
    ...                    index=pd.Index(list("abcde"), name="customer_id"))
    >>> rfm_scores(rfm)[["R", "F", "M", "rfm_code"]]
                 R  F  M rfm_code
    customer_id
    a            5  5  5      555
    b            3  3  3      333
    c            1  1  1      111
    d            4  4  4      444
    e            2  2  2      222
    """
    func = "rfm_scores"
    V.table(rfm, func, ["recency_days", "frequency", "monetary"], name="rfm")
    bins = V.integer(bins, func, "bins", 2, 10)
    rec = V.numeric(rfm["recency_days"], func, "recency_days")
    freq = V.numeric(rfm["frequency"], func, "frequency")
    mon = V.numeric(rfm["monetary"], func, "monetary")
    out = rfm.copy()

    def score(s: pd.Series) -> np.ndarray:
        return np.clip(_ceil_score(s.rank(method="average", pct=True) * bins), 1, bins)

    out["R"] = score(-rec)
    out["F"] = score(freq)
    out["M"] = score(mon)
    out["rfm_code"] = _rfm_codes(out["R"].to_numpy(), out["F"].to_numpy(), out["M"].to_numpy(), bins, out.index)
    out["rfm_score"] = out["R"] + out["F"] + out["M"]
    out.attrs["bins"] = bins
    return out


def _rfm_codes(r: np.ndarray, f: np.ndarray, m: np.ndarray, bins: int, index: pd.Index) -> pd.Series:
    """``str(R) + str(F) + str(M)`` of scores from 1 to ``bins``, looked up in the table of the
    ``bins ** 3`` codes (text per customer built once per code, not per row)."""
    s = np.arange(1, bins + 1)
    table = np.array([f"{a}{b}{c}" for a in s for b in s for c in s], dtype=object)
    return pd.Series(table[((r - 1) * bins + (f - 1)) * bins + (m - 1)], index=index).astype(str)


def rfm_segments(scores: pd.DataFrame, bins: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """Name each customer's segment from its R score and the mean of its F and M scores.

    Each of R and FM = (F + M) / 2 is put in a level, ``ceil(3 × score / bins)``: 1 low, 2 mid,
    3 high. High R: Champions / Potential loyalists / New (FM high / mid / low); mid R: Loyal /
    Need attention / About to sleep; low R: At risk / Hibernating / Lost.

    >>> scores = pd.DataFrame({"R": [5, 5, 1, 3], "F": [5, 1, 5, 3], "M": [4, 1, 5, 2]})
    >>> rfm_segments(scores, bins=5)["segment"].tolist()
    ['Champions', 'New / growing', 'At risk', 'Need attention']
    """
    func = "rfm_segments"
    lang = i18n.resolve(lang, func)
    V.table(scores, func, ["R", "F", "M"], name="scores")
    if bins is None:
        bins = scores.attrs.get("bins", 5)
    bins = V.integer(bins, func, "bins", 2, 10)
    cols = {c: V.numeric(scores[c], func, c) for c in ("R", "F", "M")}
    for c, s in cols.items():
        bad = ((s < 1) | (s > bins) | (s != np.round(s))).to_numpy()
        if bad.any():
            V._fail(func, c, f"must hold whole scores from 1 to bins={bins}", bad, s.index)
    r_level = np.clip(_ceil_score(3 * cols["R"] / bins), 1, 3)
    fm_level = np.clip(_ceil_score(3 * (cols["F"] + cols["M"]) / 2 / bins), 1, 3)
    lut = np.zeros((4, 4), dtype=int)
    for (r, fm), k in _SEGMENT_GRID.items():
        lut[r, fm] = k
    codes = lut[r_level, fm_level]
    out = scores.copy()
    out["segment"] = pd.Categorical.from_codes(codes, categories=i18n.categories(SEGMENT_KEYS, lang), ordered=True)
    return out


# ----------------------------------------------------------------------------- concentration
def _sorted_desc(values: Any, func: str, allow_negative: bool = False) -> pd.Series:
    s = V.values(values, func, "values", allow_negative=allow_negative)
    return s.sort_values(ascending=False, kind="mergesort")


def pareto_table(values: Any) -> pd.DataFrame:
    """Customers from most to least valuable with their share and cumulative share (Pareto chart).

    >>> pareto_table(pd.Series([10., 60., 30.], index=["x", "y", "z"]))
       value  share  cum_share  cum_customer_share
    y   60.0    0.6        0.6            0.333333
    z   30.0    0.3        0.9            0.666667
    x   10.0    0.1        1.0            1.000000
    """
    return _pareto(values, "pareto_table")


def _pareto(values: Any, func: str) -> pd.DataFrame:
    """The body of :func:`pareto_table`, reporting bad input under the caller's name ``func``."""
    s = _sorted_desc(values, func)
    total = V.positive_total(s, func, "values")
    share = s / total
    n = len(s)
    return pd.DataFrame(
        {"value": s, "share": share, "cum_share": share.cumsum(), "cum_customer_share": np.arange(1, n + 1) / n},
        index=s.index,
    )


def top_share(values: Any, fraction: float = 0.2) -> float:
    """Share of the total held by the top ``fraction`` of customers (the 80/20 check, 二八法则).

    The top ``k = max(1, ceil(fraction × n))`` customers are counted.

    >>> top_share([50, 20, 10, 10, 5, 5, 0, 0, 0, 0], 0.2)
    0.7
    """
    func = "top_share"
    fraction = V.number(fraction, func, "fraction", 0, 1, closed="right")
    s = _sorted_desc(values, func)
    total = V.positive_total(s, func, "values")
    k = max(1, int(_ceil_score(fraction * len(s))))
    return float(round(s.iloc[:k].sum() / total, 12))


def lorenz_curve(values: Any) -> pd.DataFrame:
    """Points of the Lorenz curve (洛伦兹曲线): customers from smallest to largest value.

    >>> lorenz_curve([1, 1, 2])
       customer_share  value_share
    0        0.000000         0.00
    1        0.333333         0.25
    2        0.666667         0.50
    3        1.000000         1.00
    """
    func = "lorenz_curve"
    s = V.values(values, func, "values")
    total = V.positive_total(s, func, "values")
    v = np.sort(s.to_numpy())
    n = len(v)
    return pd.DataFrame(
        {"customer_share": np.arange(n + 1) / n, "value_share": np.concatenate([[0.0], np.cumsum(v) / total])}
    )


def gini(values: Any) -> float:
    """Population Gini index of customer value, Σ|xᵢ−xⱼ| / (2n²·mean) (基尼系数).

    0 when every customer is worth the same, approaching 1 when one customer holds everything.

    >>> gini([5, 5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 1])
    0.75
    """
    func = "gini"
    s = V.values(values, func, "values")
    total = V.positive_total(s, func, "values")
    v = np.sort(s.to_numpy())
    n = len(v)
    i = np.arange(1, n + 1)
    g = (2.0 * np.sum(i * v) / (n * total)) - (n + 1.0) / n
    return float(max(0.0, round(g, 12)))


def abc_classes(values: Any, cuts: Sequence[float] = (0.8, 0.95), lang: str | None = None) -> pd.DataFrame:
    """Key (A), major (B) and ordinary (C) customers by cumulative share of value (关键/主要/普通客户).

    Customers are sorted from most to least valuable; a customer is A while the customers before
    it hold less than ``cuts[0]`` of the total, B while they hold less than ``cuts[1]``, else C.
    Equal values always share a class.

    >>> abc_classes(pd.Series([5, 50, 10, 30, 5], index=list("vwxyz")))["abc"].tolist()
    ['A key', 'A key', 'B major', 'B major', 'B major']
    """
    func = "abc_classes"
    lang = i18n.resolve(lang, func)
    cuts = V.increasing(cuts, func, "cuts")
    if len(cuts) != 2:
        raise CRMDataError(func, "cuts", f"needs exactly two cut-offs (A|B and B|C), got {cuts!r}")
    table = _pareto(values, func)
    before = table["cum_share"] - table["share"]
    # tied values take the cumulative share before the first of them
    before = before.groupby(table["value"].to_numpy()).transform("min")
    before = np.round(before.to_numpy(), 12)
    codes = np.where(before < cuts[0], 0, np.where(before < cuts[1], 1, 2))
    out = table[["value", "share", "cum_share"]].copy()
    out["abc"] = pd.Categorical.from_codes(codes, categories=i18n.categories(ABC_KEYS, lang), ordered=True)
    return out


# ----------------------------------------------------------------------------- value
def profitability_tiers(profit: Any, top: float = 0.2, floor: float = 0.0, lang: str | None = None) -> pd.DataFrame:
    """Most profitable, profitable and least profitable customers (按赢利能力细分).

    Least profitable: profit at or below ``floor`` (they cost more than they bring). Most
    profitable: among the others, the top ``ceil(top × n)`` by profit (ties included). The rest
    are profitable.

    >>> profitability_tiers([100, 50, 10, 0, -20])["tier"].tolist()
    ['most profitable', 'profitable', 'profitable', 'least profitable', 'least profitable']
    """
    func = "profitability_tiers"
    lang = i18n.resolve(lang, func)
    p = V.values(profit, func, "profit", allow_negative=True)
    top = V.number(top, func, "top", 0, 1, closed="right")
    floor = V.number(floor, func, "floor")
    k = max(1, int(_ceil_score(top * len(p))))
    least = (p <= floor).to_numpy()
    rank = p.rank(method="min", ascending=False).to_numpy()
    most = (~least) & (rank <= k)
    codes = np.where(least, 2, np.where(most, 0, 1))
    out = pd.DataFrame({"profit": p})
    out["tier"] = pd.Categorical.from_codes(codes, categories=i18n.categories(TIER_KEYS, lang), ordered=True)
    return out


def recent_revenue(
    tx: pd.DataFrame,
    days: int = 365,
    as_of: Any = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> pd.Series:
    """Each customer's revenue in the last ``days`` days before ``as_of`` (当前价值 over one period).

    A purchase counts when ``as_of − days ≤ date < as_of``; ``as_of`` defaults to the day after the
    last date in ``tx`` (as in :func:`rfm_table`). Every customer of the log is listed, with 0 when
    it bought nothing in the period (it may be a lost customer).

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...                    "date": ["2023-03-01", "2024-06-01", "2024-12-31", "2023-05-05"],
    ...                    "amount": [40.0, 25.0, 10.0, 99.0]})
    >>> recent_revenue(tx).tolist()  # the year up to 2024-12-31: A's 2023 purchase is too old
    [25.0, 10.0, 0.0]
    """
    func = "recent_revenue"
    ids, dates, amounts = _tx(tx, func, customer_col, date_col, amount_col)
    days = V.integer(days, func, "days", 1, 36_500)
    if as_of is None:
        as_of_ts = dates.max().normalize() + pd.Timedelta(days=1)
    else:
        as_of_ts = V.timestamp(as_of, func, "as_of")
    inside = ((dates >= as_of_ts - pd.Timedelta(days=days)) & (dates < as_of_ts)).to_numpy()
    frame = pd.DataFrame({"cid": ids.to_numpy(), "amount": np.where(inside, amounts.to_numpy(), 0.0)})
    out = frame.groupby("cid", sort=True)["amount"].sum().astype("float64")
    V.group_keys(out.index, ids, func, customer_col)
    out.index.name = customer_col
    out.name = "recent_revenue"
    return out


def share_of_wallet(spend: Any, wallet: Any) -> pd.DataFrame:
    """Share of wallet (钱包份额) and wallet headroom: potential value from the customer's own wallet.

    ``spend`` is what each customer spent with us in a period, ``wallet`` an estimate of what it
    spends in the category at every supplier over the same period (from a survey, the size of the
    household or firm, industry figures — not from our own sales). Then

    * ``share_of_wallet`` = spend ÷ wallet: above 1 means the estimate is too low (re-estimate it);
    * ``headroom`` = max(0, wallet − spend): what the customer spends elsewhere, the most we could win.

    The headroom depends on the customer's own wallet, so two customers with equal spend can have any
    headroom, and at an equal share the bigger customer has the bigger headroom.

    >>> share_of_wallet([200.0, 900.0, 0.0], [1000.0, 1000.0, 500.0])
       spend  wallet  share_of_wallet  headroom
    0  200.0  1000.0              0.2     800.0
    1  900.0  1000.0              0.9     100.0
    2    0.0   500.0              0.0     500.0
    """
    func = "share_of_wallet"
    sp = V.values(spend, func, "spend")
    w = V.values(wallet, func, "wallet")
    sp, w = V.paired(sp, w, func, ("spend", "wallet"))
    zero = (w <= 0).to_numpy()
    if zero.any():
        V._fail(func, "wallet", "must be above 0 (an estimated yearly spend in the category)", zero, w.index)
    out = pd.DataFrame({"spend": sp.astype("float64"), "wallet": w.astype("float64")})
    out["share_of_wallet"] = out["spend"] / out["wallet"]
    out["headroom"] = (out["wallet"] - out["spend"]).clip(lower=0.0)
    return out


def value_matrix(
    current: Any,
    potential: Any,
    current_cut: float | None = None,
    potential_cut: float | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Customer value matrix (客户价值矩阵): current × potential value in four quadrants.

    ``current`` is what each customer brings now (e.g. its revenue of the last year,
    :func:`recent_revenue`), ``potential`` what more it could bring, measured **independently** of
    ``current`` — e.g. the wallet headroom of :func:`share_of_wallet` (its estimated category spend
    minus what it spends with us) or a predicted future value (:mod:`crmlib.clv`). A potential
    computed from the current value alone (say, "the best peers' value minus yours") falls whenever
    the current value rises, and the quadrants then only restate the current value.

    A value is *high* when it is at or above its cut (default: the median). Each quadrant
    carries its management strategy.

    >>> vm = value_matrix([900, 800, 100, 50], [50, 600, 700, 20], current_cut=500, potential_cut=300)
    >>> vm["quadrant"].tolist()
    ['maintain', 'invest and retain', 'develop', 'minimise cost']
    """
    func = "value_matrix"
    lang = i18n.resolve(lang, func)
    cur = V.values(current, func, "current", allow_negative=True)
    pot = V.values(potential, func, "potential")
    cur, pot = V.paired(cur, pot, func, ("current", "potential"))
    c_cut = float(cur.median()) if current_cut is None else V.number(current_cut, func, "current_cut")
    p_cut = float(pot.median()) if potential_cut is None else V.number(potential_cut, func, "potential_cut")
    hc = (cur >= c_cut).to_numpy()
    hp = (pot >= p_cut).to_numpy()
    codes = np.select([hc & hp, hc & ~hp, ~hc & hp], [0, 1, 2], default=3)
    out = pd.DataFrame({"current": cur, "potential": pot})
    out["quadrant"] = pd.Categorical.from_codes(codes, categories=i18n.categories(QUADRANT_KEYS, lang), ordered=True)
    strategies = np.array([i18n.text(f"seg_strategy_{k}", lang) for k in QUADRANT_KEYS], dtype=object)
    out["strategy"] = strategies[codes]
    out.attrs.update(current_cut=c_cut, potential_cut=p_cut)
    return out


def relationship_type(
    margin: Any, discount_pct: Any, discount_cut: float = 0.2, margin_cut: float | None = None, lang: str | None = None
) -> pd.DataFrame:
    """Separate transactional from relational customers, then rank the relational ones (识别价值客户).

    A customer is *transactional* when its discount share is at least ``discount_cut`` (and, if
    ``margin_cut`` is given, its margin contribution at most ``margin_cut``): it buys on price and
    leaves for a better deal. The others are *relational*, ranked by margin (1 = largest).

    >>> rt = relationship_type([500, 20, 300, -10], [0.05, 0.35, 0.1, 0.4])
    >>> rt[["type", "value_rank"]]
                type  value_rank
    0     relational           1
    1  transactional        <NA>
    2     relational           2
    3  transactional        <NA>
    """
    func = "relationship_type"
    lang = i18n.resolve(lang, func)
    m = V.values(margin, func, "margin", allow_negative=True)
    d = V.values(discount_pct, func, "discount_pct")
    m, d = V.paired(m, d, func, ("margin", "discount_pct"))
    over = (d > 1).to_numpy()
    if over.any():
        V._fail(func, "discount_pct", "must be a fraction between 0 and 1 (0.2 = 20% off)", over, d.index)
    dc = V.number(discount_cut, func, "discount_cut", 0, 1)
    trans = (d >= dc).to_numpy()
    if margin_cut is not None:
        trans = trans & (m <= V.number(margin_cut, func, "margin_cut")).to_numpy()
    out = pd.DataFrame({"margin": m, "discount_pct": d})
    out["type"] = pd.Categorical.from_codes(
        trans.astype(int), categories=i18n.categories(RELATIONSHIP_KEYS, lang), ordered=True
    )
    rank = m.where(~trans).rank(method="min", ascending=False)
    out["value_rank"] = rank.astype("Int64")
    return out


# ----------------------------------------------------------------------------- summary tables
def segment_profile(
    summary: pd.DataFrame,
    by: str = "segment",
    columns: Sequence[str] = ("n_transactions", "revenue", "margin", "discount_pct"),
) -> pd.DataFrame:
    """How the groups of customers differ on average (客户特征分析): the mean of ``columns`` per ``by``.

    ``summary`` has one row per customer, e.g. :func:`customer_summary` with ``profile_cols``; ``by``
    is a characteristic such as the business segment or the region.

    >>> s = pd.DataFrame({"segment": ["retail", "retail", "business"], "revenue": [100.0, 300.0, 900.0],
    ...                   "margin": [10.0, 50.0, 200.0]})
    >>> segment_profile(s, columns=["revenue", "margin"])
              revenue  margin
    segment
    business    900.0   200.0
    retail      200.0    30.0
    """
    func = "segment_profile"
    cols = _column_names(columns, func, "columns")
    if not cols:
        raise CRMDataError(func, "columns", "needs at least one column to average")
    labels, values = _C.class_table(summary, func, by, cols, "summary", allow_negative=cols)
    return _C.by_class(labels, values, by, **{c: (c, "mean") for c in cols})


def segment_summary(
    segments: pd.DataFrame,
    segment_col: str = "segment",
    recency_col: str = "recency_days",
    frequency_col: str = "frequency",
    monetary_col: str = "monetary",
) -> pd.DataFrame:
    """Customers, revenue, mean recency and frequency, and share of revenue of each RFM segment.

    ``segments`` is the result of :func:`rfm_segments`; every segment is listed in order, an empty
    one with 0 customers (and no mean).

    >>> seg = rfm_segments(pd.DataFrame({"R": [5, 5, 1, 1], "F": [5, 4, 1, 1], "M": [5, 5, 1, 2]}))
    >>> seg = seg.assign(recency_days=[3, 5, 300, 200], frequency=[9, 7, 1, 1], monetary=[500.0, 400.0, 20.0, 80.0])
    >>> segment_summary(seg).loc[["Champions", "Lost", "Loyal"]]
               customers  revenue  mean_recency_days  mean_frequency  revenue_share
    segment
    Champions          2    900.0                4.0             8.0            0.9
    Lost               2    100.0              250.0             1.0            0.1
    Loyal              0      0.0                NaN             NaN            0.0
    """
    func = "segment_summary"
    labels, cols = _C.class_table(segments, func, segment_col, [recency_col, frequency_col, monetary_col], "segments")
    V.positive_total(cols[monetary_col], func, monetary_col)
    out = _C.by_class(
        labels,
        cols,
        segment_col,
        customers=(monetary_col, "size"),
        revenue=(monetary_col, "sum"),
        mean_recency_days=(recency_col, "mean"),
        mean_frequency=(frequency_col, "mean"),
    )
    out["revenue_share"] = out["revenue"] / out["revenue"].sum()
    return out


def tier_summary(tiers: pd.DataFrame, tier_col: str = "tier", profit_col: str = "profit") -> pd.DataFrame:
    """Customers, total margin and share of the margin of each profitability tier (按赢利能力细分).

    ``tiers`` is the result of :func:`profitability_tiers` (whose ``profit`` is here the margin
    contribution). The shares are of the net total, so a loss-making tier has a negative share;
    a net total of zero or less leaves the shares undefined (an error).

    >>> tier_summary(profitability_tiers([100, 50, 10, 0, -20]))
                      customers  total_margin  margin_share
    tier
    most profitable           1         100.0      0.714286
    profitable                2          60.0      0.428571
    least profitable          2         -20.0     -0.142857
    """
    func = "tier_summary"
    labels, cols = _C.class_table(tiers, func, tier_col, [profit_col], "tiers", allow_negative=[profit_col])
    V.positive_total(cols[profit_col], func, profit_col)
    out = _C.by_class(labels, cols, tier_col, customers=(profit_col, "size"), total_margin=(profit_col, "sum"))
    out["margin_share"] = out["total_margin"] / out["total_margin"].sum()
    return out


def abc_summary(abc: pd.DataFrame, class_col: str = "abc", value_col: str = "value") -> pd.DataFrame:
    """Customers and revenue of each ABC class, with their shares (关键、主要、普通客户).

    ``abc`` is the result of :func:`abc_classes`: the few A customers next to their large share of
    revenue is the 80/20 rule in one table.

    >>> abc_summary(abc_classes(pd.Series([5, 50, 10, 30, 5], index=list("vwxyz"))))
             customers  revenue  customer_share  revenue_share
    abc
    A key            2     80.0             0.4            0.8
    B major          3     20.0             0.6            0.2
    C ordinary       0      0.0             0.0            0.0
    """
    func = "abc_summary"
    labels, cols = _C.class_table(abc, func, class_col, [value_col], "abc")
    V.positive_total(cols[value_col], func, value_col)
    out = _C.by_class(labels, cols, class_col, customers=(value_col, "size"), revenue=(value_col, "sum"))
    out["customer_share"] = out["customers"] / out["customers"].sum()
    out["revenue_share"] = out["revenue"] / out["revenue"].sum()
    return out


def relationship_type_summary(types: pd.DataFrame, type_col: str = "type", margin_col: str = "margin") -> pd.DataFrame:
    """Customers, total and mean margin of relational and transactional customers (识别价值客户).

    ``types`` is the result of :func:`relationship_type`.

    >>> relationship_type_summary(relationship_type([500, 20, 300, -10], [0.05, 0.35, 0.1, 0.4]))
                   customers  total_margin  mean_margin
    type
    relational             2         800.0        400.0
    transactional          2          10.0          5.0
    """
    func = "relationship_type_summary"
    labels, cols = _C.class_table(types, func, type_col, [margin_col], "types", allow_negative=[margin_col])
    return _C.by_class(
        labels,
        cols,
        type_col,
        customers=(margin_col, "size"),
        total_margin=(margin_col, "sum"),
        mean_margin=(margin_col, "mean"),
    )
