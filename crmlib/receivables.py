"""Credit management and receivables (客户信用管理与应收账款管理) — Chapter 2.

Selling on credit wins customers and costs money: every unpaid invoice is cash the company has
lent. This module scores each account's creditworthiness with the 5C model (character,
capacity, capital, collateral, conditions) and turns the score into a credit limit; then ages the
open invoices (应收账款账龄分析), measures days sales outstanding (DSO), sets aside a bad-debt
provision (坏账准备) and says what a salesperson does about each overdue account.

All functions are vectorised (no Python loop over invoices): :func:`receivables_aging` handles a
million invoices in well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlib import _checks, _validate as V, i18n
from crmlib._errors import CRMDataError

FIVE_C = ("character", "capacity", "capital", "collateral", "conditions")
DEFAULT_5C_WEIGHTS = {"character": 0.30, "capacity": 0.25, "capital": 0.20, "collateral": 0.10, "conditions": 0.15}
RATING_KEYS = ["credit_A", "credit_B", "credit_C", "credit_D"]
RATING_CUTS = (75.0, 60.0, 45.0)  # lowest score of A, B, C
LIMIT_MONTHS = (3.0, 2.0, 1.0, 0.0)  # months of net sales granted as credit, A … D
TERMS_DAYS = (60, 45, 30, 0)  # payment terms offered, A … D (0 = cash in advance)
PROVISION_RATES = (0.01, 0.03, 0.10, 0.25, 0.50)  # bad-debt provision: current, 1–30, …, > 90
#: the collection steps (催收措施), from the mildest to the strongest: keys of their texts in
#: :data:`crmlib.i18n.TEXTS`
COLLECTION_ACTIONS: tuple[str, ...] = (
    "rcv_action_remind",
    "rcv_action_call",
    "rcv_action_visit",
    "rcv_action_stop",
    "rcv_action_final",
)


# ----------------------------------------------------------------------------- 5C credit
def credit_score_5c(
    accounts: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    months: Sequence[float] = LIMIT_MONTHS,
    id_col: str = "account_id",
    lang: str | None = None,
) -> pd.DataFrame:
    """The 5C credit score (5C信用评分) of each account, its rating and credit limit (信用额度).

    Each C is scored 0–100 from the account's records:

    * **character** (品德): share of invoices paid by the due date, ``100 × on_time_share``;
    * **capacity** (能力): ``current_ratio`` from 0.5 (0 points) to 2.0 or more (100);
    * **capital** (资本): ``100 × (1 − debt_ratio)``;
    * **collateral** (担保品): ``collateral`` against two months of net sales, capped at 100;
    * **conditions** (环境条件): ``industry_outlook`` 1–5 mapped to 0–100.

    The score is their weighted mean (default weights 30/25/20/10/15 %; normalised like
    :func:`crmlib.selection.ideal_customer_score`); the rating is A (≥ 75), B (≥ 60), C (≥ 45) or
    D, and the limit is ``months`` of monthly net sales for that rating (see :func:`credit_limit`).

    >>> acc = pd.DataFrame({"account_id": ["x"], "on_time_share": [0.9], "current_ratio": [1.7],
    ...     "debt_ratio": [0.4], "collateral": [500.0], "industry_outlook": [4],
    ...     "revenue": [13200.0], "discounts": [1200.0]})
    >>> credit_score_5c(acc)[list(FIVE_C)].iloc[0].tolist()
    [90.0, 80.0, 60.0, 25.0, 75.0]
    >>> credit_score_5c(acc)[["score", "rating", "credit_limit", "terms_days"]]   # B: 2 months of 12,000 / 12
                score rating  credit_limit  terms_days
    account_id
    x           72.75      B        2000.0          45
    """
    func = "credit_score_5c"
    lang = i18n.resolve(lang, func)
    w = _checks.criterion_weights(weights, func, FIVE_C, default=DEFAULT_5C_WEIGHTS)
    cols = ["on_time_share", "current_ratio", "debt_ratio", "collateral", "industry_outlook", "revenue", "discounts"]
    a = _checks.account_table(accounts, func, cols, id_col)
    for col, hi in (("on_time_share", 1.0), ("debt_ratio", 1.0)):
        bad = (a[col] > hi).to_numpy()
        if bad.any():
            V._fail(func, col, "must be a share between 0 and 1", bad, a.index)
    bad = ((a["industry_outlook"] < 1) | (a["industry_outlook"] > 5)).to_numpy()
    if bad.any():
        V._fail(func, "industry_outlook", "must be a rating from 1 to 5", bad, a.index)
    monthly = (a["revenue"] - a["discounts"]) / 12.0
    neg = (monthly < 0).to_numpy()
    if neg.any():
        V._fail(func, "discounts", "must not exceed revenue", neg, a.index)
    out = pd.DataFrame(index=a.index)
    out["character"] = 100.0 * a["on_time_share"]
    out["capacity"] = 100.0 * np.clip((a["current_ratio"] - 0.5) / 1.5, 0.0, 1.0)
    out["capital"] = 100.0 * (1.0 - a["debt_ratio"])
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(monthly > 0, a["collateral"] / (2.0 * monthly), np.where(a["collateral"] > 0, 1.0, 0.0))
    out["collateral"] = 100.0 * np.clip(cover, 0.0, 1.0)
    out["conditions"] = 100.0 * (a["industry_outlook"] - 1.0) / 4.0
    out["score"] = sum(w[k] * out[k] for k in FIVE_C)
    out["rating"] = credit_rating(out["score"], lang=lang)
    with V.caller(func):
        out["credit_limit"] = credit_limit(out["rating"], monthly, months=months)
    out["terms_days"] = np.asarray(TERMS_DAYS, dtype=np.int64)[out["rating"].cat.codes.to_numpy()]
    return out


def credit_rating(score: Any, lang: str | None = None) -> pd.Series:
    """Rating A / B / C / D of 0–100 credit scores (cut-offs 75, 60, 45), an ordered Categorical.

    >>> credit_rating([80, 75, 59.9, 10]).tolist()
    ['A', 'A', 'C', 'D']
    """
    func = "credit_rating"
    lang = i18n.resolve(lang, func)
    s = V.values(score, func, "score")
    over = (s > 100).to_numpy()
    if over.any():
        V._fail(func, "score", "must lie between 0 and 100", over, s.index)
    cuts = np.round(s.to_numpy(), 9)
    codes = np.select([cuts >= RATING_CUTS[0], cuts >= RATING_CUTS[1], cuts >= RATING_CUTS[2]], [0, 1, 2], 3)
    return i18n.categorical(pd.Series(codes, index=s.index), RATING_KEYS, lang, name="rating")


def _rating_codes(rating: Any, func: str, field: str = "rating") -> np.ndarray:
    """Ratings of :func:`credit_rating` (any language) or the letters A–D → codes 0–3 (A = 0)."""
    if (
        isinstance(rating, pd.Series)
        and isinstance(rating.dtype, pd.CategoricalDtype)
        and len(rating.cat.categories) == 4
    ):
        codes = rating.cat.codes.to_numpy()
        bad = codes < 0
        if bad.any():
            V._fail(func, field, "must be ratings A, B, C or D", bad, rating.index)
        return codes.astype(np.int64)
    r = rating if isinstance(rating, pd.Series) else pd.Series(list(rating))
    letters = r.astype(object).where(r.notna(), "").astype(str).str.strip().str[:1].str.upper()
    mapped = letters.map({"A": 0, "B": 1, "C": 2, "D": 3})
    bad = mapped.isna().to_numpy()
    if bad.any():
        V._fail(func, field, "must be ratings A, B, C or D", bad, r.index)
    return mapped.to_numpy(dtype=np.int64)


def credit_limit(rating: Any, monthly_sales: Any, months: Sequence[float] = LIMIT_MONTHS) -> pd.Series:
    """Credit limit rule (信用额度): ``months[rating] × monthly net sales``.

    By default an A account may owe three months of net purchases, B two, C one and a D
    account gets no credit (cash in advance, 现款现货). ``months`` must be four non-negative
    numbers that do not grow from A to D. ``rating`` holds the ratings of :func:`credit_rating`
    (any language) or the letters A–D.

    >>> credit_limit(["A", "B", "C", "D"], [1000.0, 1000.0, 1000.0, 1000.0]).tolist()
    [3000.0, 2000.0, 1000.0, 0.0]
    >>> credit_limit(["A"], [1000.0], months=(1, 2, 0, 0))
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: credit_limit: field 'months' must not grow from rating A to D, got (1, 2, 0, 0)
    """
    func = "credit_limit"
    if isinstance(months, (str, bytes)) or not isinstance(months, Sequence) or len(months) != 4:
        raise CRMDataError(func, "months", f"must be four numbers (ratings A, B, C, D), got {months!r}")
    m = [V.number(x, func, "months", 0.0) for x in months]
    if any(b > a for a, b in zip(m, m[1:])):
        raise CRMDataError(func, "months", f"must not grow from rating A to D, got {tuple(months)!r}")
    sales = V.values(monthly_sales, func, "monthly_sales")
    codes = _rating_codes(rating, func)
    if len(codes) != len(sales):
        raise CRMDataError(
            func, "rating, monthly_sales", f"must have the same length, got {len(codes)} and {len(sales)}"
        )
    return pd.Series(np.asarray(m)[codes] * sales.to_numpy(), index=sales.index, name="credit_limit")


def rating_summary(credit: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The 5C credit table summarised by rating (信用等级): for A, B, C and D — all four, in order —
    the number of ``accounts``, their ``mean_score`` (NaN for a rating nobody has), the
    ``total_limit`` of credit granted and the payment ``terms_days`` of the rating (``TERMS_DAYS``:
    60, 45, 30, 0 = cash in advance).

    ``credit`` is the result of :func:`credit_score_5c` (or any table with ``rating``, ``score`` and
    ``credit_limit``; ratings in any language, or the letters A–D). The ratings are labelled in ``lang``.

    >>> credit = pd.DataFrame({"rating": ["A", "B", "B", "D"], "score": [80.0, 70.0, 62.0, 30.0],
    ...                        "credit_limit": [3000.0, 1000.0, 600.0, 0.0]})
    >>> rating_summary(credit)
            accounts  mean_score  total_limit  terms_days
    rating
    A              1        80.0       3000.0          60
    B              2        66.0       1600.0          45
    C              0         NaN          0.0          30
    D              1        30.0          0.0           0
    """
    func = "rating_summary"
    lang = i18n.resolve(lang, func)
    V.table(credit, func, ["rating", "score", "credit_limit"], name="credit")
    codes = _rating_codes(credit["rating"], func)
    score = V.numeric(credit["score"], func, "score")
    limit = V.numeric(credit["credit_limit"], func, "credit_limit")
    rating = i18n.categorical(pd.Series(codes), RATING_KEYS, lang, name="rating")
    frame = pd.DataFrame({"score": score.to_numpy(), "limit": limit.to_numpy()})
    out = frame.groupby(_checks.grouping(rating), observed=False).agg(
        accounts=("score", "size"), mean_score=("score", "mean"), total_limit=("limit", "sum")
    )
    out.index.name = "rating"
    out["accounts"] = out["accounts"].astype("int64")
    out["terms_days"] = np.asarray(TERMS_DAYS, dtype=np.int64)
    return out


# ----------------------------------------------------------------------------- aging
def _buckets(buckets: Any, func: str) -> np.ndarray:
    """Bucket edges (days past due): positive whole numbers in strictly increasing order."""
    if isinstance(buckets, (str, bytes)) or not isinstance(buckets, (Sequence, np.ndarray)) or len(buckets) == 0:
        raise CRMDataError(
            func, "buckets", f"must be a non-empty list of days past due such as (30, 60, 90), got {buckets!r}"
        )
    vals = [V.number(b, func, "buckets", 0.0, closed="neither") for b in buckets]
    if any(v != round(v) for v in vals):
        raise CRMDataError(func, "buckets", f"must be whole numbers of days, got {tuple(buckets)!r}")
    if any(b <= a for a, b in zip(vals, vals[1:])):
        bad = [i + 1 for i, (a, b) in enumerate(zip(vals, vals[1:])) if b <= a]
        raise CRMDataError(
            func,
            "buckets",
            f"must be in strictly increasing order, got {tuple(buckets)!r}",
            rows=bad[: V.MAX_ROWS],
            n_bad=len(bad),
            detail="sort them, e.g. (30, 60, 90)",
        )
    return np.asarray(vals, dtype=np.int64)


def bucket_labels(buckets: Sequence[int] = (30, 60, 90), lang: str | None = None) -> list[str]:
    """Names of the aging buckets for ``buckets`` (days past due), from "not yet due" to the oldest.

    >>> bucket_labels((30, 60, 90))
    ['not yet due', '1–30 days', '31–60 days', '61–90 days', 'over 90 days']
    >>> bucket_labels((30,), lang="zh")
    ['未到期', '逾期1–30天', '逾期30天以上']
    """
    func = "bucket_labels"
    lang = i18n.resolve(lang, func)
    b = _buckets(buckets, func)
    lows = np.concatenate([[1], b[:-1] + 1])
    return (
        [i18n.text("rcv_not_due", lang)]
        + [i18n.text("rcv_bucket", lang, lo=lo, hi=hi) for lo, hi in zip(lows, b)]
        + [i18n.text("rcv_bucket_over", lang, days=b[-1])]
    )


@dataclass(frozen=True)
class AgingReport:
    """The result of :func:`receivables_aging`.

    ``by_customer``: one row per customer with open invoices; columns ``("amount", bucket)`` and
    ``("count", bucket)`` for every bucket plus ``"total"``. ``total``: one row per bucket with the
    open ``amount``, the ``count`` of invoices and the ``share`` of the amount. ``open``: the open
    invoices with their ``days_past_due`` and ``bucket``.
    """

    by_customer: pd.DataFrame
    total: pd.DataFrame
    open: pd.DataFrame
    as_of: pd.Timestamp
    buckets: tuple[int, ...]
    labels: tuple[str, ...]


def _invoices(
    invoices: Any,
    func: str,
    as_of: Any,
    customer_col: str,
    amount_col: str,
    issue_col: str,
    due_col: str,
    paid_col: str | None,
):
    """Validate an invoice table; return (as_of, customers, amounts, issue, due, paid-or-None)."""
    req = [customer_col, amount_col, issue_col, due_col] + ([paid_col] if paid_col else [])
    V.table(invoices, func, req, name="invoices")
    t = V.timestamp(as_of, func, "as_of")
    issue = V.dates(invoices[issue_col], func, issue_col)
    due = V.dates(invoices[due_col], func, due_col)
    amount = V.numeric(invoices[amount_col], func, amount_col)
    early = due.to_numpy() < issue.to_numpy()
    if early.any():
        V._fail(
            func,
            due_col,
            f"is before {issue_col}",
            early,
            invoices.index,
            detail="an invoice falls due on or after the day it is issued",
        )
    paid = None
    if paid_col:
        raw = invoices[paid_col]
        if pd.api.types.is_numeric_dtype(raw.dtype) and raw.notna().any():
            raise CRMDataError(func, paid_col, "must hold dates (or be empty for unpaid invoices), got numbers")
        if raw.isna().all():  # nothing paid yet (an all-NaN column is float64)
            raw = raw.astype(object)
        paid = V.dates(raw, func, paid_col, allow_missing=True)
        before = paid.to_numpy() < issue.to_numpy()  # NaT compares False
        if before.any():
            V._fail(func, paid_col, f"is before {issue_col}", before, invoices.index)
    return t, V.same_ids(invoices[customer_col]), amount, issue, due, paid


def check_invoices(
    invoices: Any,
    customer_col: str = "account_id",
    amount_col: str = "amount",
    issue_col: str = "issue_date",
    due_col: str = "due_date",
    paid_col: str | None = "paid_date",
) -> pd.DataFrame:
    """The invoice table checked as every function of this module checks it, with its dates parsed
    (``datetime64``; an empty paid date is ``NaT``: the invoice is unpaid) and its amounts as
    numbers. A copy: the table given is not changed. Bad rows raise a :class:`CRMDataError` naming
    the field and the rows (a due date before the issue date, a payment before the issue date …).

    >>> inv = pd.DataFrame({"account_id": ["a", "b"], "amount": ["100", 50],
    ...     "issue_date": ["2024-01-01", "2024-02-01"], "due_date": ["2024-01-31", "2024-03-02"],
    ...     "paid_date": ["2024-01-20", None]})
    >>> checked = check_invoices(inv)
    >>> checked["amount"].tolist(), checked["paid_date"].isna().tolist(), checked["due_date"].dt.month.tolist()
    ([100.0, 50.0], [False, True], [1, 3])
    >>> check_invoices(inv.assign(due_date=["2023-12-01", "2024-03-02"]))
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: check_invoices: field 'due_date' is before issue_date (rows 0); an invoice falls due on or after the day it is issued
    """  # noqa: E501
    func = "check_invoices"
    _, _, amount, issue, due, paid = _invoices(
        invoices, func, "2000-01-01", customer_col, amount_col, issue_col, due_col, paid_col
    )
    _customer_codes(invoices[customer_col], np.ones(len(invoices), bool), invoices.index, func, customer_col)
    out = invoices.copy()
    out[amount_col] = amount.to_numpy()
    out[issue_col] = issue.to_numpy()
    out[due_col] = due.to_numpy()
    if paid_col:
        out[paid_col] = paid.to_numpy()
    return out


def _open_mask(t, issue, paid) -> np.ndarray:
    mask = issue.to_numpy() <= t.to_datetime64()
    if paid is not None:
        p = paid.to_numpy()
        mask &= np.isnat(p) | (p > t.to_datetime64())
    return mask


def _customer_codes(cust: pd.Series, mask: np.ndarray, index: pd.Index, func: str, field: str):
    """Sorted integer codes of the customers of the rows in ``mask``; a missing or blank id among them
    is reported with its rows. (Only the rows used are factorised: a million-invoice book has few
    open invoices, and hashing every id would double the cost.)"""
    ids = cust.to_numpy()[mask]
    codes, uniques = pd.factorize(ids, sort=True, use_na_sentinel=True)
    bad = codes < 0
    if uniques.dtype == object or pd.api.types.is_string_dtype(uniques.dtype):
        blank = np.char.str_len(np.char.strip(np.asarray(uniques, dtype=str))) == 0
        if blank.any():
            bad = bad | np.isin(codes, np.flatnonzero(blank))
    if bad.any():
        V._fail(func, field, "has missing or empty identifiers", bad, index[mask])
    return codes, uniques


def receivables_aging(
    invoices: pd.DataFrame,
    as_of: Any,
    buckets: Sequence[int] = (30, 60, 90),
    customer_col: str = "account_id",
    amount_col: str = "amount",
    issue_col: str = "issue_date",
    due_col: str = "due_date",
    paid_col: str | None = "paid_date",
    lang: str | None = None,
) -> AgingReport:
    """Aging of accounts receivable (应收账款账龄分析) on the day ``as_of``.

    An invoice is open when it was issued on or before ``as_of`` and not paid by then (empty
    ``paid_date`` or a later one). Its days past due are ``as_of − due_date``; ``buckets`` are the
    upper ends of the overdue bands: ``(30, 60, 90)`` gives *not yet due*, *1–30*, *31–60*,
    *61–90* and *over 90 days*. Amounts and invoice counts are summed per bucket, per customer and
    in total (see :class:`AgingReport`).

    >>> inv = pd.DataFrame({"account_id": ["a", "a", "b", "b"],
    ...     "issue_date": ["2024-01-01", "2024-05-01", "2024-05-20", "2024-06-01"],
    ...     "due_date": ["2024-01-31", "2024-05-31", "2024-06-19", "2024-07-01"],
    ...     "paid_date": [None, None, "2024-06-25", None], "amount": [100.0, 50.0, 70.0, 30.0]})
    >>> rep = receivables_aging(inv, as_of="2024-06-30", buckets=(30, 60, 90))
    >>> rep.total
                  amount  count     share
    bucket
    not yet due     30.0      1  0.166667
    1–30 days       50.0      1  0.277778
    31–60 days       0.0      0  0.000000
    61–90 days       0.0      0  0.000000
    over 90 days   100.0      1  0.555556
    >>> rep.by_customer["amount"]["total"].tolist()
    [150.0, 30.0]
    >>> receivables_aging(inv, as_of="2024-06-30", buckets=(60, 30))
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: receivables_aging: field 'buckets' must be in strictly increasing order, got (60, 30) (rows 1); sort them, e.g. (30, 60, 90)
    """  # noqa: E501
    func = "receivables_aging"
    lang = i18n.resolve(lang, func)
    b = _buckets(buckets, func)
    labels = bucket_labels(tuple(int(x) for x in b), lang)
    t, cust, amount, issue, due, paid = _invoices(
        invoices, func, as_of, customer_col, amount_col, issue_col, due_col, paid_col
    )
    mask = _open_mask(t, issue, paid)
    dpd = ((t.to_datetime64() - due.to_numpy()[mask]) // np.timedelta64(1, "D")).astype(np.int64)
    code = np.where(dpd <= 0, 0, 1 + np.searchsorted(b, dpd, side="left"))
    amt = amount.to_numpy()[mask]
    codes, uniques = _customer_codes(cust, mask, invoices.index, func, customer_col)
    k = len(labels)
    n = len(uniques)
    flat = codes * k + code
    amounts = np.bincount(flat, weights=amt, minlength=n * k).reshape(n, k)
    counts = np.bincount(flat, minlength=n * k).reshape(n, k)
    cols = pd.MultiIndex.from_product([["amount", "count"], labels + ["total"]])
    data = np.hstack([amounts, amounts.sum(axis=1, keepdims=True), counts, counts.sum(axis=1, keepdims=True)])
    by = pd.DataFrame(data, index=pd.Index(uniques, name=customer_col), columns=cols)
    by = by.astype({c: "int64" for c in cols if c[0] == "count"})
    by = by[counts.sum(axis=1) > 0]  # customers with nothing open are left out
    tot_amt = amounts.sum(axis=0)
    total_sum = tot_amt.sum()
    total = pd.DataFrame(
        {
            "amount": tot_amt,
            "count": counts.sum(axis=0).astype(np.int64),
            "share": tot_amt / total_sum if total_sum > 0 else np.zeros(k),
        },
        index=pd.CategoricalIndex(labels, categories=labels, ordered=True, name="bucket"),
    )
    open_inv = pd.DataFrame(
        {
            customer_col: uniques[codes],
            amount_col: amt,
            "days_past_due": dpd,
            "bucket": pd.Categorical.from_codes(code, categories=labels, ordered=True),
        },
        index=invoices.index[mask],
    )
    return AgingReport(by, total, open_inv, t, tuple(int(x) for x in b), tuple(labels))


def open_balance(
    invoices: pd.DataFrame,
    as_of: Any,
    customer_col: str = "account_id",
    amount_col: str = "amount",
    issue_col: str = "issue_date",
    due_col: str = "due_date",
    paid_col: str | None = "paid_date",
) -> pd.Series:
    """What each customer owes on ``as_of``: the sum of its open invoices (0 when none).

    >>> inv = pd.DataFrame({"account_id": ["a", "a", "b"], "amount": [100.0, 50.0, 70.0],
    ...     "issue_date": ["2024-01-01", "2024-05-01", "2024-05-20"],
    ...     "due_date": ["2024-01-31", "2024-05-31", "2024-06-19"],
    ...     "paid_date": [None, "2024-06-01", "2024-06-25"]})
    >>> open_balance(inv, "2024-06-10").tolist()
    [100.0, 70.0]
    """
    func = "open_balance"
    t, cust, amount, issue, due, paid = _invoices(
        invoices, func, as_of, customer_col, amount_col, issue_col, due_col, paid_col
    )
    V.ids(cust, func, customer_col)
    owed = amount.where(_open_mask(t, issue, paid), 0.0)
    return owed.groupby(cust.to_numpy(), sort=True).sum().rename_axis(customer_col).rename("open_balance")


def credit_exposure(
    credit: pd.DataFrame,
    invoices: pd.DataFrame,
    as_of: Any,
    customer_col: str = "account_id",
    amount_col: str = "amount",
    issue_col: str = "issue_date",
    due_col: str = "due_date",
    paid_col: str | None = "paid_date",
) -> pd.DataFrame:
    """The credit-limit rule against what each account owes on ``as_of`` (信用额度控制): its
    ``rating`` and ``credit_limit`` (:func:`credit_score_5c`), what it ``owed`` (its open invoices,
    :func:`open_balance`; 0 when none) and whether that is ``over_limit`` — the accounts the credit
    manager calls first. One row per account of ``credit`` (indexed by account, in its order);
    invoices of other accounts are not counted.

    >>> credit = pd.DataFrame({"rating": ["B", "D"], "credit_limit": [120.0, 0.0]},
    ...                       index=pd.Index(["a", "b"], name="account_id"))
    >>> inv = pd.DataFrame({"account_id": ["a", "a", "b"], "amount": [100.0, 50.0, 70.0],
    ...     "issue_date": ["2024-01-01", "2024-05-01", "2024-05-20"],
    ...     "due_date": ["2024-01-31", "2024-05-31", "2024-06-19"],
    ...     "paid_date": [None, "2024-06-01", "2024-06-25"]})
    >>> credit_exposure(credit, inv, "2024-06-10")
               rating  credit_limit  owed  over_limit
    account_id
    a               B         120.0 100.0       False
    b               D           0.0  70.0        True
    """
    func = "credit_exposure"
    V.table(credit, func, ["rating", "credit_limit"], name="credit")
    V.ids(pd.Series(credit.index.to_numpy(dtype=object)), func, customer_col)  # a missing id: named by position
    V.unique(credit.index.to_series(), func, customer_col)
    limit = V.numeric(credit["credit_limit"], func, "credit_limit")
    with V.caller(func):
        owed = open_balance(invoices, as_of, customer_col, amount_col, issue_col, due_col, paid_col)
    out = credit[["rating"]].copy()
    out["credit_limit"] = limit.to_numpy()
    out["owed"] = owed.reindex(credit.index, fill_value=0.0).to_numpy()
    out["over_limit"] = out["owed"].to_numpy() > out["credit_limit"].to_numpy()
    return out


def dso(
    invoices: pd.DataFrame,
    as_of: Any,
    period_days: int = 90,
    customer_col: str = "account_id",
    amount_col: str = "amount",
    issue_col: str = "issue_date",
    due_col: str = "due_date",
    paid_col: str | None = "paid_date",
) -> float:
    """Days sales outstanding (应收账款周转天数, DSO) on ``as_of``.

    ``DSO = open receivables on as_of / credit sales of the last period_days days × period_days``:
    how many days of sales are still waiting to be paid. Sales are the invoices issued in
    ``(as_of − period_days, as_of]``, which must not be zero.

    >>> inv = pd.DataFrame({"account_id": ["a", "a", "b"], "amount": [300.0, 600.0, 900.0],
    ...     "issue_date": ["2024-04-15", "2024-05-15", "2024-06-15"],
    ...     "due_date": ["2024-05-15", "2024-06-14", "2024-07-15"],
    ...     "paid_date": ["2024-05-10", None, None]})
    >>> dso(inv, "2024-06-30", period_days=90)   # (600 + 900) / 1800 × 90
    75.0
    """
    func = "dso"
    days = V.integer(period_days, func, "period_days", 1, 3650)
    t, cust, amount, issue, due, paid = _invoices(
        invoices, func, as_of, customer_col, amount_col, issue_col, due_col, paid_col
    )
    return _dso_at(t, amount, issue, paid, days, func, issue_col)


def _dso_at(t: pd.Timestamp, amount, issue, paid, days: int, func: str, issue_col: str) -> float:
    """DSO on ``t`` of checked invoices (:func:`dso`, :func:`dso_trend`)."""
    owed = float(amount.to_numpy()[_open_mask(t, issue, paid)].sum())
    iss = issue.to_numpy()
    window = (iss <= t.to_datetime64()) & (iss > (t - pd.Timedelta(days=days)).to_datetime64())
    sales = float(amount.to_numpy()[window].sum())
    if not sales > 0:
        raise CRMDataError(
            func,
            issue_col,
            f"has no sales in the {days} days up to {t.date()}: DSO is undefined",
            detail="choose an as_of inside the invoice period or a longer period_days",
        )
    return owed / sales * days


def dso_trend(
    invoices: pd.DataFrame,
    dates: Any,
    period_days: int = 90,
    customer_col: str = "account_id",
    amount_col: str = "amount",
    issue_col: str = "issue_date",
    due_col: str = "due_date",
    paid_col: str | None = "paid_date",
) -> pd.Series:
    """DSO (:func:`dso`) on each of ``dates`` — e.g. every month end, ``pd.date_range(start, end,
    freq="ME")`` —: rising DSO means customers are paying more slowly. A Series indexed by the dates
    (``as_of``), in the order given.

    >>> inv = pd.DataFrame({"account_id": ["a", "a", "b"], "amount": [300.0, 600.0, 900.0],
    ...     "issue_date": ["2024-04-15", "2024-05-15", "2024-06-15"],
    ...     "due_date": ["2024-05-15", "2024-06-14", "2024-07-15"],
    ...     "paid_date": ["2024-05-10", None, None]})
    >>> dso_trend(inv, ["2024-05-31", "2024-06-30"], period_days=90)   # (600 / 900, 1500 / 1800) × 90
    as_of
    2024-05-31    60.0
    2024-06-30    75.0
    Name: dso, dtype: float64
    """
    func = "dso_trend"
    days = V.integer(period_days, func, "period_days", 1, 3650)
    if isinstance(dates, (str, bytes, pd.Timestamp)) or not hasattr(dates, "__iter__"):
        raise CRMDataError(
            func, "dates", f"must be a list of dates such as ['2024-05-31', '2024-06-30'], got {dates!r}"
        )
    when = V.dates(pd.Series(list(dates)), func, "dates")
    if len(when) == 0:
        raise CRMDataError(func, "dates", "needs at least one date, got none")
    _, cust, amount, issue, due, paid = _invoices(
        invoices, func, when.iloc[0], customer_col, amount_col, issue_col, due_col, paid_col
    )
    values = [_dso_at(pd.Timestamp(t), amount, issue, paid, days, func, issue_col) for t in when]
    return pd.Series(values, index=pd.DatetimeIndex(when.to_numpy(), name="as_of"), name="dso", dtype="float64")


# ----------------------------------------------------------------------------- provision and collection
def bad_debt_provision(aging: AgingReport, rates: Sequence[float] | None = None) -> pd.DataFrame:
    """Bad-debt provision (坏账准备) by aging bucket: open amount × the bucket's loss rate.

    ``rates`` gives one rate in [0, 1] per bucket, from *not yet due* to the oldest, and must not
    fall as invoices get older; by default 1 %, 3 %, 10 %, 25 % and 50 % for the five buckets of
    ``(30, 60, 90)`` (other bucket sets need their own rates).

    >>> inv = pd.DataFrame({"account_id": ["a", "b"], "amount": [1000.0, 200.0],
    ...     "issue_date": ["2024-01-01", "2024-06-01"], "due_date": ["2024-01-31", "2024-07-01"],
    ...     "paid_date": [None, None]})
    >>> bad_debt_provision(receivables_aging(inv, "2024-06-30"))["provision"].tolist()
    [2.0, 0.0, 0.0, 0.0, 500.0]
    """
    func = "bad_debt_provision"
    if not isinstance(aging, AgingReport):
        raise CRMDataError(func, "aging", f"must be the result of receivables_aging, got {type(aging).__name__}")
    k = len(aging.labels)
    if rates is None:
        if k != len(PROVISION_RATES):
            raise CRMDataError(func, "rates", f"must be given for {k} buckets (the defaults fit 5 buckets)")
        rates = PROVISION_RATES
    if isinstance(rates, (str, bytes)) or not isinstance(rates, (Sequence, np.ndarray)) or len(rates) != k:
        raise CRMDataError(func, "rates", f"must hold one rate per bucket ({k}: {list(aging.labels)}), got {rates!r}")
    r = [V.number(x, func, "rates", 0.0, 1.0) for x in rates]
    falling = [aging.labels[i + 1] for i, (a, b) in enumerate(zip(r, r[1:])) if b < a]
    if falling:
        raise CRMDataError(
            func, "rates", "must not fall as invoices get older", rows=falling[: V.MAX_ROWS], n_bad=len(falling)
        )
    out = aging.total[["amount"]].copy()
    out["rate"] = r
    out["provision"] = out["amount"] * out["rate"]
    return out


def collection_steps(buckets: Sequence[int] = (30, 60, 90), lang: str | None = None) -> pd.DataFrame:
    """What the salesperson does for an account whose oldest open invoice is in each bucket (催收措施).

    The five steps escalate from a courtesy reminder to legal action; with fewer or more buckets they
    are spread over them from the first to the last.

    >>> collection_steps((30, 60, 90))["action"].str[:30].tolist()
    ['Courtesy reminder before the d', 'Friendly call or e-mail; resen', 'Visit the customer; agree a pa', 'Stop further deliveries on cre', 'Final written demand; hand ove']
    """  # noqa: E501
    func = "collection_steps"
    lang = i18n.resolve(lang, func)
    with V.caller(func):
        labels = bucket_labels(buckets, lang)
    k = len(labels)
    idx = np.round(np.arange(k) * (len(COLLECTION_ACTIONS) - 1) / (k - 1)).astype(int)
    return pd.DataFrame(
        {"action": [i18n.text(COLLECTION_ACTIONS[i], lang) for i in idx]}, index=pd.Index(labels, name="bucket")
    )


def collection_actions(aging: AgingReport, lang: str | None = None) -> pd.DataFrame:
    """For each customer with open invoices: its oldest bucket, overdue amount and the action to take.

    >>> inv = pd.DataFrame({"account_id": ["a", "b"], "amount": [1000.0, 200.0],
    ...     "issue_date": ["2024-01-01", "2024-06-01"], "due_date": ["2024-01-31", "2024-07-01"],
    ...     "paid_date": [None, None]})
    >>> collection_actions(receivables_aging(inv, "2024-06-30"))[["oldest_bucket", "overdue"]]
               oldest_bucket  overdue
    account_id
    a           over 90 days   1000.0
    b            not yet due      0.0
    """
    func = "collection_actions"
    if not isinstance(aging, AgingReport):
        raise CRMDataError(func, "aging", f"must be the result of receivables_aging, got {type(aging).__name__}")
    lang = i18n.resolve(lang, func)
    counts = aging.by_customer["count"][list(aging.labels)].to_numpy()
    amounts = aging.by_customer["amount"][list(aging.labels)].to_numpy()
    k = len(aging.labels)
    oldest = k - 1 - np.argmax(counts[:, ::-1] > 0, axis=1)
    steps = collection_steps(aging.buckets, lang)["action"].to_numpy()
    out = pd.DataFrame(index=aging.by_customer.index)
    out["oldest_bucket"] = pd.Categorical.from_codes(oldest, categories=list(aging.labels), ordered=True)
    out["open_amount"] = amounts.sum(axis=1)
    out["overdue"] = amounts[:, 1:].sum(axis=1)
    out["action"] = steps[oldest]
    return out
