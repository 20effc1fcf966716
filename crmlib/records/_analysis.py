"""What the archive's records say (客户档案的分析): the reference table of the information groups,
contact intensity by grade (突出重点), the owners' books (专人负责), the purchase-cycle forecast
behind the contact list (主动联系, after Wang Yongqing's rice shop) and that list by grade — pure
functions over frames, as :meth:`crmlib.records.Archive.to_frames` and
:meth:`crmlib.records.Archive.reminders` return them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._checks import GRADES, grade_codes
from crmlib._errors import CRMDataError
from crmlib.records._card import INFO_GROUPS


def info_groups(lang: str | None = None) -> pd.DataFrame:
    """The four groups of customer information (客户信息) and the card fields that hold each, in
    ``lang`` (default: the current language).

    >>> info_groups("zh").index.tolist()
    ['基础资料', '客户特征', '业务状况', '交易现状']
    >>> info_groups("en").columns.tolist()
    ['fields', 'what it covers']
    """
    lang = i18n.resolve(lang, "info_groups")
    rows = {
        i18n.label(g, lang): {
            i18n.text("rec_groups_h_fields", lang): i18n.text("list_sep", lang).join(
                i18n.label(f"rec_{f}", lang) for f in fs
            ),
            i18n.text("rec_groups_h_covers", lang): i18n.definition(g, lang),
        }
        for g, fs in INFO_GROUPS.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def contact_intensity(frames: Mapping[str, pd.DataFrame], as_of: Any = None, lang: str | None = None) -> pd.DataFrame:
    """Focus on the key customers (突出重点), checked on the records: per grade, the customers, the
    follow-ups per customer, the median days since each customer's last follow-up and its revenue share,
    counting records up to ``as_of`` (default: the last follow-up or purchase). ``frames`` is
    :meth:`Archive.to_frames`.

    >>> from crmlib.records import Archive

    >>> arc = Archive(":memory:")
    >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1", "K2"], "name": ["a", "b"], "grade": ["A", "C"]}))
    >>> _ = arc.add("follow_ups", pd.DataFrame({"customer_id": ["K1", "K1", "K2"],
    ...                                         "date": ["2024-01-01", "2024-02-01", "2024-01-15"]}))
    >>> _ = arc.add("purchases", pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2024-01-02", "2024-01-03"],
    ...                                        "amount": [90.0, 10.0]}))
    >>> ci = contact_intensity(arc.to_frames(), as_of="2024-03-01", lang="en")
    >>> ci[["customers", "follow_ups_per_customer", "days_since_last_contact"]]
                customers  follow_ups_per_customer  days_since_last_contact
    grade
    A key               1                      2.0                     29.0
    B major             0                      NaN                      NaN
    C ordinary          1                      1.0                     46.0
    >>> ci["revenue_share"].tolist()
    [0.9, 0.0, 0.1]
    """
    func = "contact_intensity"
    lang = i18n.resolve(lang, func)
    if not isinstance(frames, Mapping) or not {"customers", "follow_ups", "purchases"} <= set(frames):
        raise CRMDataError(func, "frames", "must be the dict of Archive.to_frames()")
    cust = V.table(frames["customers"], func, ["grade"], name="customers", allow_empty=True)
    cust = cust.assign(
        grade=grade_codes(cust["grade"].astype(object).where(cust["grade"].notna(), None), func, "grade")
    )
    fu = V.table(frames["follow_ups"], func, ["customer_id", "date"], name="follow_ups", allow_empty=True)
    pu = V.table(frames["purchases"], func, ["customer_id", "date", "amount"], name="purchases", allow_empty=True)
    fu = fu.assign(customer_id=V.ids(fu["customer_id"], func, "customer_id"), date=V.dates(fu["date"], func, "date"))
    pu = pu.assign(
        customer_id=V.ids(pu["customer_id"], func, "customer_id"),
        date=V.dates(pu["date"], func, "date"),
        amount=V.numeric(pu["amount"], func, "amount"),
    )
    ends = [x for x in (fu["date"].max() if len(fu) else None, pu["date"].max() if len(pu) else None) if x is not None]
    t = (
        V.timestamp(as_of, func, "as_of") if as_of is not None else max(ends) if ends else pd.Timestamp.now()
    ).normalize()
    fu, pu = fu[fu["date"] <= t], pu[pu["date"] <= t]  # what was known on as_of
    grade = pd.Categorical(
        cust["grade"].map(lambda g: i18n.label(g, lang) if isinstance(g, str) else None),
        categories=i18n.categories(GRADES, lang),
        ordered=True,
    )
    g = pd.Series(grade, index=cust.index, name="grade")
    n_fu = fu.groupby("customer_id").size().reindex(cust.index, fill_value=0)
    last = fu.groupby("customer_id")["date"].max().reindex(cust.index)
    rev = pu.groupby("customer_id")["amount"].sum().reindex(cust.index, fill_value=0.0)
    by = pd.DataFrame({"grade": g, "n": n_fu, "since": (t - last).dt.days, "rev": rev})
    out = by.groupby("grade", observed=False).agg(
        customers=("n", "size"),
        follow_ups_per_customer=("n", "mean"),
        days_since_last_contact=("since", "median"),
        revenue=("rev", "sum"),
    )
    total = float(out["revenue"].sum())
    out["revenue_share"] = out["revenue"] / total if total > 0 else 0.0
    return out.drop(columns="revenue")


def owner_book(frames: Mapping[str, pd.DataFrame], lang: str | None = None) -> pd.DataFrame:
    """One person responsible (专人负责): how many customers of each grade every owner looks after,
    and customers without an owner (listed as ``—``).

    >>> cust = pd.DataFrame({"grade": ["A", "C", "C", None], "owner": ["Zhao", "Zhao", None, None]},
    ...                     index=["K1", "K2", "K3", "K4"])
    >>> owner_book({"customers": cust}, lang="en")
    grade  A key  B major  C ordinary  total
    owner
    Zhao       1        0           1      2
    —          0        0           1      2
    """
    func = "owner_book"
    lang = i18n.resolve(lang, func)
    if not isinstance(frames, Mapping) or "customers" not in frames:
        raise CRMDataError(func, "frames", "must be the dict of Archive.to_frames()")
    c = V.table(frames["customers"], func, ["grade", "owner"], name="customers", allow_empty=True)
    c = c.assign(grade=grade_codes(c["grade"].astype(object).where(c["grade"].notna(), None), func, "grade"))
    grade = pd.Categorical(
        c["grade"].map(lambda g: i18n.label(g, lang) if isinstance(g, str) else None),
        categories=i18n.categories(GRADES, lang),
        ordered=True,
    )
    owner = c["owner"].astype(object).where(c["owner"].notna(), "—")
    tab = pd.crosstab(pd.Series(owner.to_numpy(), name="owner"), pd.Series(grade, name="grade"), dropna=False)
    tab = tab.reindex(columns=i18n.categories(GRADES, lang), fill_value=0)
    tab.columns = pd.Index(list(tab.columns), name="grade")
    tab["total"] = owner.value_counts().reindex(tab.index, fill_value=0).astype("int64")  # ungraded cards too
    order = sorted(tab.index, key=lambda o: (o == "—", -tab.loc[o, "total"], str(o)))
    return tab.loc[order]


def reminder_summary(due: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The contact list of :meth:`Archive.reminders` by grade (突出重点): how many ``customers`` of
    each grade are on it and how many of them are ``overdue`` already (``overdue_days`` > 0: the
    purchase is late, call today). Every grade is shown, A to C, labelled in ``lang``; grades may be
    given in any spelling (``"A"``, ``"A key"``, ``"A 关键客户"``), and a customer without a grade is
    not counted. An empty list gives zeros.

    >>> due = pd.DataFrame({"grade": ["A", "C", "A", "C"], "overdue_days": [0, 12, 3, 0]},
    ...                    index=pd.Index(["K1", "K2", "K3", "K4"], name="customer_id"))
    >>> reminder_summary(due, lang="en")
                customers  overdue
    grade
    A key               2        1
    B major             0        0
    C ordinary          2        1
    """
    func = "reminder_summary"
    lang = i18n.resolve(lang, func)
    df = V.table(due, func, ["grade", "overdue_days"], name="due", allow_empty=True)
    grade = grade_codes(df["grade"].astype(object).where(df["grade"].notna(), None), func, "grade")
    overdue = V.numeric(df["overdue_days"], func, "overdue_days")
    labels = pd.Categorical(
        grade.map(lambda g: i18n.label(g, lang) if isinstance(g, str) else None),
        categories=i18n.categories(GRADES, lang),
        ordered=True,
    )
    frame = pd.DataFrame({"late": (overdue > 0).to_numpy(dtype=bool)})
    out = frame.groupby(labels, observed=False).agg(customers=("late", "size"), overdue=("late", "sum"))
    out.index.name = "grade"
    return out.astype("int64")


# ============================================================================ purchase cycles and proactive contact
def purchase_cycle(
    purchases: pd.DataFrame,
    as_of: Any = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    size_col: str | None = None,
) -> pd.DataFrame:
    """When will each customer buy again? (购买周期) — the forecast Wang Yongqing made for every
    household of his rice shop (王永庆的米店), for any customer who uses up what it buys.

    A customer's ``daily_rate`` is what it bought before its last purchase divided by the days
    between its first and last purchase; a customer seen on one day only is given the median rate of
    the others (``estimated`` is True) — the median rate per head times its ``size`` when
    ``size_col`` says how many people each customer's purchases serve (a household's size; then
    ``rate_per_head`` is shown too). The last purchase lasts ``last_amount / daily_rate`` days: that
    is ``next_purchase``, and ``days_left`` counts from ``as_of`` (default: the last date of the log).
    The result carries ``as_of`` in ``attrs`` for :func:`contact_plan`.

    A shop selling coffee beans by the kilo: K1 bought 3 kg that lasted the 30 days to its next
    purchase, K2 bought 2 kg and then 2 kg after 10 days, K3 came once.

    >>> log = pd.DataFrame({"customer_id": ["K1", "K1", "K2", "K2", "K3"], "amount": [3.0, 3, 2, 2, 4],
    ...     "date": ["2025-03-01", "2025-03-31", "2025-03-20", "2025-03-30", "2025-03-25"]})
    >>> fc = purchase_cycle(log, as_of="2025-04-01")
    >>> fc[["daily_rate", "estimated", "next_purchase"]]
                 daily_rate  estimated next_purchase
    customer_id
    K1                 0.10      False    2025-04-30
    K2                 0.20      False    2025-04-09
    K3                 0.15       True    2025-04-20
    """
    func = "purchase_cycle"
    sized = size_col is not None
    df = V.table(
        purchases, func, [customer_col, *([size_col] if sized else []), date_col, amount_col], name="purchases"
    )
    who = V.ids(df[customer_col], func, customer_col)
    when = V.dates(df[date_col], func, date_col).dt.normalize()
    amount = V.numeric(df[amount_col], func, amount_col)
    size = V.numeric(df[size_col], func, size_col) if sized else pd.Series(1.0, index=df.index)
    if (amount <= 0).any():
        V._fail(
            func, amount_col, "must be positive (the quantity or amount bought)", (amount <= 0).to_numpy(), df.index
        )
    if (size < 1).any():
        V._fail(func, size_col, "must be at least 1 person", (size < 1).to_numpy(), df.index)
    d = pd.DataFrame(
        {"who": who.to_numpy(), "date": when.to_numpy(), "amount": amount.to_numpy(), "size": size.to_numpy()},
        index=df.index,
    )
    mixed = d.groupby("who")["size"].transform("nunique") > 1
    if mixed.any():
        V._fail(func, size_col, "must be the same on every row of a customer", mixed.to_numpy(), df.index)
    last_day = d["date"].max()
    t = last_day if as_of is None else V.timestamp(as_of, func, "as_of").normalize()
    if t < last_day:
        raise CRMDataError(
            func, "as_of", f"must not be before the last purchase ({last_day:%Y-%m-%d}), got {t:%Y-%m-%d}"
        )
    g = d.groupby("who", sort=True)
    first, last = g["date"].min(), g["date"].max()
    is_last = d["date"].to_numpy() == d["who"].map(last).to_numpy()
    last_amount = d[is_last].groupby("who")["amount"].sum().reindex(last.index)
    heads = g["size"].first()
    span = (last - first).dt.days.astype(float)
    daily = ((g["amount"].sum() - last_amount) / span).where(span > 0)
    per_head = daily / heads
    if per_head.notna().sum() == 0:
        raise CRMDataError(
            func,
            date_col,
            "needs at least one customer who bought on two different days",
            detail="the rate of use cannot be estimated from single purchases alone",
        )
    estimated = daily.isna()
    daily = daily.fillna(heads * float(per_head.median()))
    due = (last + pd.to_timedelta(last_amount / daily, unit="D")).dt.floor("D")
    out = pd.DataFrame(
        {
            "size": heads.astype("int64"),
            "purchases": g.size().astype("int64"),
            "first_purchase": first,
            "last_purchase": last,
            "last_amount": last_amount,
            "daily_rate": daily.round(4),
            "rate_per_head": (daily / heads).round(4),
            "estimated": estimated.to_numpy(),
            "next_purchase": due,
            "days_left": (due - t).dt.days.astype("int64"),
        }
    )
    if not sized:
        out = out.drop(columns=["size", "rate_per_head"])
    out.index.name = customer_col
    out.attrs["as_of"] = t
    return out


def contact_plan(
    forecast: pd.DataFrame,
    horizon_days: int = 14,
    lead_days: int = 1,
    as_of: Any = None,
    date_col: str = "next_purchase",
) -> pd.DataFrame:
    """Whom to get in touch with in the coming ``horizon_days`` (主动联系): every customer of a
    :func:`purchase_cycle` forecast whose next purchase (``date_col``) falls within the horizon from
    ``as_of`` (default: the forecast's date), with ``contact_on`` = ``lead_days`` before it, never
    before ``as_of`` (an overdue customer is called at once); earliest first. The forecast's other
    columns are kept.

    >>> fc = pd.DataFrame({"next_purchase": pd.to_datetime(["2025-03-02", "2025-02-21", "2025-02-15"])},
    ...                   index=["A", "B", "C"])
    >>> contact_plan(fc, horizon_days=10, lead_days=2, as_of="2025-02-15")
      contact_on next_purchase
    C 2025-02-15    2025-02-15
    B 2025-02-19    2025-02-21
    """
    func = "contact_plan"
    df = V.table(forecast, func, [date_col], name="forecast")
    h = V.integer(horizon_days, func, "horizon_days", 1, 365)
    lead = V.integer(lead_days, func, "lead_days", 0, 30)
    base = as_of if as_of is not None else df.attrs.get("as_of")
    if base is None:
        raise CRMDataError(func, "as_of", "is needed: the forecast carries no date, pass as_of='2025-01-31'")
    t = V.timestamp(base, func, "as_of").normalize()
    due = V.dates(df[date_col], func, date_col)
    keep = (due <= t + pd.Timedelta(days=h)).to_numpy()
    out = df[keep].copy()
    out[date_col] = due[keep].to_numpy()
    out.insert(0, "contact_on", (due - pd.Timedelta(days=lead)).clip(lower=t)[keep].to_numpy())
    return out.sort_values(["contact_on", date_col], kind="mergesort")
