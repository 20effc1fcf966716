"""Customer loyalty and retention (客户忠诚与客户保留) — Chapter 5.

The computable parts of the chapter (customer lifetime value lives in :mod:`crmlib.clv`):

* loyalty as at least three repeat purchases after a satisfying first one (:func:`loyalty_status`),
  and per group of customers (:func:`loyalty_by`);
* the value × loyalty matrix — strategic partner, retain, develop, build a relationship
  (:func:`value_loyalty_matrix`);
* retention economics as calculators: the 2 %-retention ≈ 10 %-cost rule
  (:func:`retention_saving`), the reach of unhappy customers (:func:`unhappy_reach`) and both
  together with the 6× acquisition cost of :func:`crmlib.development.acquisition_economics`
  (:func:`retention_economics`);
* cohort retention triangles (:func:`cohort_retention`, :func:`retention_curve`) and a churn watch
  list for win-back (:func:`churn_watch`), with the causes of churn and the steps of prevention and
  win-back as reference tables (:func:`churn_causes`, :func:`winback_steps`);
* key accounts (大客户): priority by value and potential (:func:`key_accounts`), the allocation
  of service resources (:func:`allocate_resources`) and what each account wants most
  (:func:`key_account_needs`).

Every function validates its input (``CRMDataError`` naming the function, the field and up to
five rows), never mutates it and works without Python loops over customers or transactions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlib import _checks as _C, _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.development import acquisition_economics
from crmlib.segmentation import top_share

#: loyalty classes of :func:`loyalty_status`, most loyal first
LOYALTY_KEYS = ["loy_loyal", "loy_repeat", "loy_one_time"]
#: the four relationships of the value × loyalty matrix (seed 002)
RELATION_KEYS = ["loy_partner", "loy_retain", "loy_develop", "loy_build"]
#: the action of each relationship as (English, 中文); the sentences are i18n.TEXTS["loy_action_<kind>"]
RELATION_ACTION = {k: i18n.TEXTS[f"loy_action_{k[4:]}"] for k in RELATION_KEYS}
#: statuses of :func:`churn_watch`
WATCH_KEYS = ["loy_active", "loy_at_risk", "loy_lapsed"]
PERIODS = ("W", "M", "Q", "Y")

# the causes of churn and the steps of a win-back: their text lives in i18n.TEXTS (loy_cause_*, loy_winback_*)
_CAUSES = ("quality", "prices", "service", "complaints", "salesperson", "neglect", "channels", "competitor", "needs")
_WINBACK = ("why", "owner", "admit", "small", "prevent")


# ============================================================================ helpers
def _tx(tx: Any, func: str, customer_col: str, date_col: str) -> tuple[pd.Series, pd.Series]:
    """Validate a transaction log (non-empty, ids and dates); return (ids, dates)."""
    V.table(tx, func, [customer_col, date_col], name="tx")
    ids = V.ids(tx[customer_col], func, customer_col)
    dates = V.dates(tx[date_col], func, date_col)
    return ids, dates


def _labels(keys: list[str], lang: str) -> list[str]:
    return i18n.categories(keys, lang)


# ============================================================================ loyalty
def loyalty_status(
    tx: pd.DataFrame,
    min_repeats: int = 3,
    customer_col: str = "customer_id",
    date_col: str = "date",
    lang: str | None = None,
) -> pd.DataFrame:
    """Who is loyal (客户忠诚)? A customer is *loyal* after at least ``min_repeats`` repeat purchases.

    The seed's definition: a satisfied customer trusts and defends the brand and buys again at
    least three times. Purchases on the same day count once (a basket split over two tickets is
    one visit). ``repeat_purchases`` = visits − 1; ``status`` is *loyal* (≥ ``min_repeats``
    repeats), *repeat buyer* (1 to ``min_repeats`` − 1) or *one-time buyer* (none). Satisfaction
    itself is not in a purchase log: read the result as "loyal behaviour".

    >>> tx = pd.DataFrame({"customer_id": ["A"] * 4 + ["B"] * 2 + ["C"],
    ...                    "date": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
    ...                             "2024-01-05", "2024-01-05", "2024-01-09"]})
    >>> loyalty_status(tx)[["visits", "repeat_purchases", "status"]]
                 visits  repeat_purchases          status
    customer_id
    A                 4                 3           loyal
    B                 1                 0  one-time buyer
    C                 1                 0  one-time buyer
    """
    func = "loyalty_status"
    lang = i18n.resolve(lang, func)
    k = V.integer(min_repeats, func, "min_repeats", lo=1)
    ids, dates = _tx(tx, func, customer_col, date_col)
    frame = pd.DataFrame({"cid": ids.to_numpy(), "day": dates.dt.normalize().to_numpy()})
    g = frame.groupby("cid", sort=True)
    out = pd.DataFrame(
        {
            "visits": g["day"].nunique().astype("int64"),
            "first_purchase": g["day"].min(),
            "last_purchase": g["day"].max(),
        }
    )
    out["repeat_purchases"] = out["visits"] - 1
    r = out["repeat_purchases"].to_numpy()
    codes = np.select([r >= k, r >= 1], [0, 1], default=2)
    out["loyal"] = codes == 0
    out["status"] = pd.Categorical.from_codes(codes, categories=_labels(LOYALTY_KEYS, lang), ordered=True)
    out.index.name = customer_col
    out.attrs["min_repeats"] = k
    return out


def loyalty_by(status: pd.DataFrame, groups: Any) -> pd.DataFrame:
    """Loyalty per group of customers (e.g. their kind, segment or region): how many ``customers``,
    how many of them are ``loyal`` and the ``loyal_share``, from :func:`loyalty_status`.

    ``groups`` names each customer's group: a Series indexed by customer (it may hold customers
    without purchases too), matched by label, or a list in the order of ``status``'s rows. Every
    customer of ``status`` needs a group. The groups are sorted; a Categorical keeps its order and
    shows every category (an empty one with a share of NaN).

    >>> tx = pd.DataFrame({"customer_id": ["A"] * 4 + ["B"] * 2 + ["C"],
    ...                    "date": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
    ...                             "2024-01-05", "2024-01-06", "2024-01-09"]})
    >>> kind = pd.Series({"A": "fleet", "B": "private", "C": "private", "D": "fleet"}, name="kind")
    >>> loyalty_by(loyalty_status(tx), kind)   # only A made 3 repeat purchases
             customers  loyal  loyal_share
    kind
    fleet            1      1          1.0
    private          2      0          0.0
    """
    func = "loyalty_by"
    df = V.table(status, func, ["loyal"], name="status")
    loyal = V.flags(df["loyal"], func, "loyal")
    g = _C.group_labels(groups, df.index, func, table="status", rows="customers")
    frame = pd.DataFrame({"loyal": loyal.to_numpy(dtype=bool)})
    by = frame.groupby(_C.grouping(g), sort=True, observed=False)
    out = by.agg(customers=("loyal", "size"), loyal=("loyal", "sum"))
    out = out.astype("int64")
    out["loyal_share"] = out["loyal"] / out["customers"].where(out["customers"] > 0)
    out.index.name = g.name if g.name is not None else "group"
    return out


def value_loyalty_matrix(
    value: Any, loyalty: Any, value_cut: float | None = None, loyalty_cut: float | None = None, lang: str | None = None
) -> pd.DataFrame:
    """The value × loyalty matrix of customer relationships (客户价值—忠诚度矩阵, seed 002).

    ``value`` is what a customer brings (e.g. revenue or margin), ``loyalty`` either yes/no flags
    (from :func:`loyalty_status`) or numbers such as repeat purchases. A value is *high* at or above
    its cut (default: the median; for loyalty numbers too, flags need no cut). The four
    relationships and the action each calls for:

    * high value, high loyalty — **strategic partner** (战略伙伴): keep it at almost any cost;
    * high value, low loyalty — **retain** (客户保留, a vendor relationship 卖主关系);
    * low value, high loyalty — **develop** (客户开发);
    * low value, low loyalty — **build a relationship** (建立关系, a mere acquaintance 认知关系).

    >>> m = value_loyalty_matrix([900, 800, 50, 40], [6, 0, 5, 1], value_cut=500, loyalty_cut=3)
    >>> m["relationship"].tolist()
    ['strategic partner', 'retain (vendor relationship)', 'develop', 'build relationship']
    """
    func = "value_loyalty_matrix"
    lang = i18n.resolve(lang, func)
    val = V.values(value, func, "value", allow_negative=True)
    raw = (
        loyalty
        if isinstance(loyalty, pd.Series)
        else pd.Series(
            loyalty
            if isinstance(loyalty, np.ndarray)
            else list(loyalty)
            if hasattr(loyalty, "__iter__") and not isinstance(loyalty, (str, bytes))
            else [loyalty]
        )
    )
    if isinstance(loyalty, (str, bytes)) or not hasattr(loyalty, "__iter__"):
        raise CRMDataError(func, "loyalty", f"must be a list, array or Series of flags or numbers, got {loyalty!r}")
    is_flag = pd.api.types.is_bool_dtype(raw.dtype)
    loy = raw.astype("float64") if is_flag else V.numeric(raw, func, "loyalty")
    val, loy = V.paired(val, loy, func, ("value", "loyalty"))
    if len(val) == 0:
        raise CRMDataError(func, "value", "needs at least 1 value, got 0")
    v_cut = float(val.median()) if value_cut is None else V.number(value_cut, func, "value_cut")
    if is_flag:
        l_cut = 0.5 if loyalty_cut is None else V.number(loyalty_cut, func, "loyalty_cut")
    else:
        l_cut = float(loy.median()) if loyalty_cut is None else V.number(loyalty_cut, func, "loyalty_cut")
    hv = (val >= v_cut).to_numpy()
    hl = (loy >= l_cut).to_numpy()
    codes = np.select([hv & hl, hv & ~hl, ~hv & hl], [0, 1, 2], default=3)
    out = pd.DataFrame({"value": val, "loyalty": raw.set_axis(val.index) if is_flag else loy})
    out["relationship"] = pd.Categorical.from_codes(codes, categories=_labels(RELATION_KEYS, lang), ordered=True)
    actions = np.array([i18n.text(f"loy_action_{k[4:]}", lang) for k in RELATION_KEYS], dtype=object)
    out["action"] = actions[codes]
    out.attrs.update(value_cut=v_cut, loyalty_cut=l_cut)
    return out


def relationship_actions(lang: str | None = None) -> pd.DataFrame:
    """The four relationships of the value × loyalty matrix with their action (对策), as a table in
    ``lang`` (default: the current language; an English table shows the Chinese names beside).

    >>> relationship_actions().index.tolist()
    ['strategic partner', 'retain (vendor relationship)', 'develop', 'build relationship']
    >>> relationship_actions("zh").loc["战略伙伴", ["价值", "忠诚度"]].tolist()
    ['高', '高']
    """
    func = "relationship_actions"
    lang = i18n.resolve(lang, func)
    levels = {k: i18n.text(f"loy_level_{k}", lang) for k in ("high", "low")}
    data = {
        i18n.text("loy_rel_h_value", lang): [levels[v] for v in ("high", "high", "low", "low")],
        i18n.text("loy_rel_h_loyalty", lang): [levels[v] for v in ("high", "low", "high", "low")],
    }
    for other in i18n.GLOSSES.get(lang, ()):
        data[i18n.LANGUAGE_NAMES[other]] = [i18n.label(k, other) for k in RELATION_KEYS]
    data[i18n.text("loy_rel_h_action", lang)] = [i18n.text(f"loy_action_{k[4:]}", lang) for k in RELATION_KEYS]
    return pd.DataFrame(data, index=pd.Index(_labels(RELATION_KEYS, lang), name=i18n.text("loy_rel_h_name", lang)))


def value_loyalty_summary(
    matrix: pd.DataFrame, relationship_col: str = "relationship", value_col: str = "value"
) -> pd.DataFrame:
    """Customers and revenue of each relationship of the value × loyalty matrix, all four in order.

    ``matrix`` is the result of :func:`value_loyalty_matrix`.

    >>> value_loyalty_summary(value_loyalty_matrix([900, 800, 50, 40], [6, 0, 5, 1], value_cut=500, loyalty_cut=3))
                                  customers  revenue
    relationship
    strategic partner                     1    900.0
    retain (vendor relationship)          1    800.0
    develop                               1     50.0
    build relationship                    1     40.0
    """
    func = "value_loyalty_summary"
    labels, cols = _C.class_table(matrix, func, relationship_col, [value_col], "matrix", allow_negative=[value_col])
    return _C.by_class(labels, cols, relationship_col, customers=(value_col, "size"), revenue=(value_col, "sum"))


# ============================================================================ retention economics
def retention_saving(
    sales_cost: float, retention_gain: float = 0.02, saving_per_step: float = 0.10, step: float = 0.02
) -> float:
    """Sales cost saved by keeping more customers: "keep 2 % more old customers, cut sales cost by 10 %".

    The seed's rule of thumb, taken as linear: each ``step`` (2 percentage points) of extra retention
    saves ``saving_per_step`` (10 %) of ``sales_cost``; the saving is capped at the whole cost. A
    rule of thumb, not a law — measure your own.

    >>> retention_saving(1_000_000, retention_gain=0.03)
    150000.0
    """
    func = "retention_saving"
    c = V.number(sales_cost, func, "sales_cost", 0)
    g = V.number(retention_gain, func, "retention_gain", 0, 1)
    s = V.number(saving_per_step, func, "saving_per_step", 0, 1)
    st = V.number(step, func, "step", 0, 1, closed="right")
    return float(round(c * min(1.0, s * g / st), 6))


def unhappy_reach(n_unhappy: float, reach: float = 25.0) -> float:
    """People whose wish to buy is touched by unhappy customers (一个不满意的客户会影响25个人).

    >>> unhappy_reach(40)
    1000.0
    """
    func = "unhappy_reach"
    n = V.number(n_unhappy, func, "n_unhappy", 0)
    r = V.number(reach, func, "reach", 0)
    return float(n * r)


def retention_economics(
    customers: float,
    retention_rate: float,
    sales_cost: float,
    retention_cost: float,
    customer_value: float,
    retention_gain: float = 0.02,
    multiple: float = 6.0,
    reach: float = 25.0,
    lang: str | None = None,
) -> pd.Series:
    """What ``retention_gain`` more retention is worth, by the seed's three rules of thumb (客户流失的代价).

    With ``customers`` at the start of a year and ``retention_rate`` of them staying:

    * ``lost`` customers leave; ``kept_extra`` = customers × retention_gain stay instead;
    * ``sales_cost_saved`` by the 2 % ≈ 10 % rule (:func:`retention_saving`);
    * ``cost_keep`` (keeping the extra ones at ``retention_cost`` each) against ``cost_replace``
      (winning as many new ones at ``multiple`` × retention_cost, the 6× rule, via
      :func:`crmlib.development.acquisition_economics`);
    * ``value_kept`` = kept_extra × customer_value;
    * ``people_reached`` by the lost customers if they leave unhappy (25 each, :func:`unhappy_reach`).

    >>> e = retention_economics(1000, 0.8, sales_cost=100_000, retention_cost=50, customer_value=300)
    >>> e[["lost", "kept_extra", "sales_cost_saved", "cost_keep", "cost_replace", "people_reached"]].tolist()
    [200.0, 20.0, 10000.0, 1000.0, 6000.0, 5000.0]
    """
    func = "retention_economics"
    lang = i18n.resolve(lang, func)
    n = V.number(customers, func, "customers", 0, closed="neither")
    rr = V.number(retention_rate, func, "retention_rate", 0, 1)
    g = V.number(retention_gain, func, "retention_gain", 0, 1)
    if rr + g > 1:
        raise CRMDataError(func, "retention_gain", f"takes retention above 100 % ({rr} + {g})")
    cv = V.number(customer_value, func, "customer_value", 0)
    with V.caller(func):
        saved = retention_saving(sales_cost, retention_gain=g)
    kept = n * g
    acq = acquisition_economics(
        budget=max(kept, 1e-9) * V.number(retention_cost, func, "retention_cost", 0, closed="neither"),
        retention_cost=retention_cost,
        multiple=V.number(multiple, func, "multiple", 1),
        customer_value=cv,
        lang=lang,
    )
    cost_keep = kept * float(acq.at["retain", "cost_per_customer"])
    cost_replace = kept * float(acq.at["acquire", "cost_per_customer"])
    lost = n * (1 - rr)
    out = pd.Series(
        {
            "lost": round(lost, 9),
            "kept_extra": round(kept, 9),
            "sales_cost_saved": saved,
            "cost_keep": round(cost_keep, 6),
            "cost_replace": round(cost_replace, 6),
            "value_kept": round(kept * cv, 6),
            "people_reached": unhappy_reach(lost, reach),
        },
        name="retention economics",
    )
    return out


def year_over_year(
    tx: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    margin_col: str | None = "margin",
) -> pd.DataFrame:
    """Customers, retention, revenue and margin per calendar year of a purchase log (逐年客户保留).

    ``customers``: who bought in the year; ``retained``: how many of the previous year's customers
    bought again in it; ``retention_rate`` = retained / the previous year's customers (empty for the
    first year, or after a year without purchases); ``revenue``: the year's total; and
    ``margin_per_customer``: the mean margin of the year's customers, a loss-making customer counted
    as 0 (what keeping a customer is worth, for :func:`retention_economics`). ``margin_col=None``
    leaves the margin out.

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B", "C"],
    ...                    "date": ["2023-03-01", "2024-02-01", "2023-05-01", "2024-07-01"],
    ...                    "amount": [100.0, 50.0, 30.0, 80.0], "margin": [20.0, -10.0, 6.0, 16.0]})
    >>> year_over_year(tx)
          customers  retained  retention_rate  revenue  margin_per_customer
    year
    2023          2      <NA>             NaN    130.0                 13.0
    2024          2         1             0.5    130.0                  8.0
    """
    func = "year_over_year"
    V.table(
        tx, func, [customer_col, date_col, amount_col] + ([margin_col] if margin_col is not None else []), name="tx"
    )
    ids, dates = _tx(tx, func, customer_col, date_col)
    amount = V.numeric(tx[amount_col], func, amount_col, allow_negative=True)  # returns may be negative
    year = dates.dt.year.to_numpy()
    frame = pd.DataFrame({"year": year, "cid": ids.to_numpy(), "amount": amount.to_numpy()})
    if margin_col is not None:
        frame["margin"] = V.numeric(tx[margin_col], func, margin_col, allow_negative=True).to_numpy()
    per = frame.groupby(["year", "cid"], sort=True).sum()  # one row per customer and year
    years = per.index.get_level_values("year")
    customers = per.groupby(level="year").size().astype("int64")
    # was the customer of year y also a customer of year y - 1?
    before = pd.MultiIndex.from_arrays([years.to_numpy() - 1, per.index.get_level_values("cid")])
    again = pd.Series(before.isin(per.index), index=years).groupby(level=0).sum().to_numpy()
    prev = customers.reindex(customers.index - 1).to_numpy(dtype="float64")
    has_prev = ~np.isnan(prev)
    out = pd.DataFrame({"customers": customers})
    out["retained"] = pd.array(np.where(has_prev, again, 0), dtype="Int64")
    out.loc[~has_prev, "retained"] = pd.NA
    with np.errstate(invalid="ignore", divide="ignore"):
        out["retention_rate"] = np.where(has_prev, again / prev, np.nan)
    # a few calendar years: each year's totals are taken as a reader would by hand
    out["revenue"] = [float(frame.loc[year == y, "amount"].sum()) for y in out.index]
    if margin_col is not None:
        out["margin_per_customer"] = [float(per.loc[y, "margin"].clip(lower=0).mean()) for y in out.index]
    out.index.name = "year"
    return out


# ============================================================================ cohorts and churn
def cohort_retention(
    tx: pd.DataFrame, period: str = "M", customer_col: str = "customer_id", date_col: str = "date", counts: bool = False
) -> pd.DataFrame:
    """Cohort retention triangle (同期群保留率): share of each cohort buying again k periods later.

    A cohort is the customers whose first purchase fell in the same ``period`` ("W", "M", "Q" or
    "Y"). Column ``k`` holds the share of the cohort that bought in its ``k``-th period after the
    first (column 0 is 1.0 by definition); periods after the end of the log are left empty (NaN),
    which gives the triangle. ``counts=True`` returns numbers of customers instead of shares;
    ``.attrs["sizes"]`` holds the cohort sizes.

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B", "C", "C"],
    ...                    "date": ["2024-01-03", "2024-02-10", "2024-01-20", "2024-02-02", "2024-03-01"]})
    >>> cohort_retention(tx)
    period    0    1    2
    cohort
    2024-01  1.0  0.5  0.0
    2024-02  1.0  1.0  NaN
    """
    func = "cohort_retention"
    per = V.choice(period, PERIODS, func, "period")
    if not isinstance(counts, (bool, np.bool_)):
        raise CRMDataError(func, "counts", f"must be True (head counts) or False (shares), got {counts!r}")
    ids, dates = _tx(tx, func, customer_col, date_col)
    ordinal = pd.PeriodIndex(dates.to_numpy(), freq=per).asi8
    frame = pd.DataFrame({"cid": ids.to_numpy(), "p": ordinal}).drop_duplicates()
    first = frame.groupby("cid")["p"].transform("min")
    frame["cohort"] = first.to_numpy()
    frame["k"] = frame["p"].to_numpy() - frame["cohort"].to_numpy()
    active = frame.groupby(["cohort", "k"]).size().unstack("k", fill_value=0)
    last = int(ordinal.max())
    cohorts = active.index.to_numpy()
    full = np.arange(0, last - cohorts.min() + 1)
    active = active.reindex(columns=full, fill_value=0).astype("float64")
    observable = (cohorts[:, None] + full[None, :]) <= last
    sizes = active[0].astype("int64")
    table = active if counts else active.div(active[0], axis=0)
    table = table.where(observable)
    table.index = pd.PeriodIndex.from_ordinals(cohorts, freq=per)
    table.index.name = "cohort"
    table.columns = pd.Index(full, name="period")
    sizes.index = table.index
    table.attrs["sizes"] = sizes
    table.attrs["period"] = per
    return table


def retention_curve(triangle: pd.DataFrame) -> pd.Series:
    """Average retention k periods after the first purchase, weighting each cohort by its size.

    Only cohorts old enough to be observed at k count for column k (NaN where none is).

    >>> tri = pd.DataFrame({0: [1.0, 1.0], 1: [0.5, np.nan]})
    >>> tri.attrs["sizes"] = pd.Series([2, 4])
    >>> retention_curve(tri).tolist()
    [1.0, 0.5]
    """
    func = "retention_curve"
    t = V.table(triangle, func, name="triangle")
    sizes = t.attrs.get("sizes")
    if sizes is None:
        w = pd.Series(1.0, index=t.index)
    elif isinstance(sizes, pd.Series) and sizes.index.isin(t.index).any():
        w = sizes.reindex(t.index)  # a filtered triangle (tri.iloc[:3]) keeps every cohort's size
    elif len(sizes) == len(t):
        w = pd.Series(np.asarray(sizes), index=t.index)
    else:
        raise CRMDataError(func, "triangle", f"has {len(t)} cohorts but attrs['sizes'] gives {len(sizes)} sizes")
    w = V.numeric(w, func, "triangle.attrs['sizes']")
    vals = t.to_numpy(dtype=float)
    seen = ~np.isnan(vals)
    num = np.where(seen, vals, 0.0) * w.to_numpy()[:, None]
    den = seen * w.to_numpy()[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        curve = num.sum(axis=0) / den.sum(axis=0)
    return pd.Series(curve, index=t.columns, name="retention")


def churn_watch(
    tx: pd.DataFrame,
    as_of: Any = None,
    at_risk: float = 1.5,
    lapsed: float = 3.0,
    customer_col: str = "customer_id",
    date_col: str = "date",
    lang: str | None = None,
) -> pd.DataFrame:
    """A churn watch list (防范客户流失): who is overdue against their own purchase cycle?

    A customer's ``cycle_days`` is the mean gap between their purchase days; one-visit customers get
    the median cycle of the others. ``overdue`` = days since the last purchase / cycle. Status:
    *active* below ``at_risk``, *at risk* from ``at_risk``, *lapsed* (a win-back case) from
    ``lapsed`` cycles. ``as_of`` defaults to the last date of the log.

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "B"],
    ...                    "date": ["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-01", "2024-01-31"]})
    >>> churn_watch(tx, as_of="2024-03-01")[["cycle_days", "days_since", "overdue", "status"]]
                 cycle_days  days_since  overdue             status
    customer_id
    A                  10.0          40      4.0  lapsed (win back)
    B                  30.0          30      1.0             active
    """
    func = "churn_watch"
    lang = i18n.resolve(lang, func)
    ids, dates = _tx(tx, func, customer_col, date_col)
    a = V.number(at_risk, func, "at_risk", 0, closed="neither")
    b = V.number(lapsed, func, "lapsed", 0, closed="neither")
    if b < a:
        raise CRMDataError(func, "lapsed", f"must be at least at_risk ({a}), got {b}")
    days = dates.dt.normalize()
    end = days.max() if as_of is None else V.timestamp(as_of, func, "as_of")
    late = (days > end).to_numpy()
    if late.any():
        V._fail(func, date_col, f"has purchases after as_of={end.date()}", late, dates.index)
    frame = pd.DataFrame({"cid": ids.to_numpy(), "day": days.to_numpy()})
    g = frame.groupby("cid", sort=True)["day"]
    first, last, visits = g.min(), g.max(), g.nunique()
    span = (last - first) / pd.Timedelta(days=1)
    cycle = span / (visits - 1).where(visits > 1)
    fallback = float(cycle.median()) if cycle.notna().any() else float("nan")
    if not np.isfinite(fallback) or fallback <= 0:
        fallback = float(((end - first) / pd.Timedelta(days=1)).max()) or 1.0
    cycle = cycle.fillna(fallback).clip(lower=1.0)
    since = ((end - last) // pd.Timedelta(days=1)).astype("int64")
    overdue = since / cycle
    codes = np.select([overdue.to_numpy() >= b, overdue.to_numpy() >= a], [2, 1], default=0)
    out = pd.DataFrame(
        {
            "visits": visits.astype("int64"),
            "cycle_days": cycle.round(2),
            "days_since": since,
            "overdue": overdue.round(3),
        }
    )
    out["status"] = pd.Categorical.from_codes(codes, categories=_labels(WATCH_KEYS, lang), ordered=True)
    out.index.name = customer_col
    return out


def churn_causes(lang: str | None = None) -> pd.DataFrame:
    """Why customers leave (客户流失的原因, seeds 002 and 003), where each cause comes from (the
    company, the market or the customer) and how it is prevented, in ``lang`` (default: the current
    language).

    >>> churn_causes().loc["complaints not solved in time", "source"]
    'company'
    >>> churn_causes("zh").loc["投诉不能及时解决", "来源"]
    '企业'
    """
    return i18n.reference_table("loy_cause", _CAUSES, ["source", "prevention"], lang, func="churn_causes")


def winback_steps(lang: str | None = None) -> pd.DataFrame:
    """The steps of winning back a lost customer (挽回流失客户), in ``lang`` (default: the current
    language).

    >>> winback_steps().index[0], winback_steps("zh").index[0]
    ('1. find out why', '调查流失原因')
    """
    return i18n.reference_table("loy_winback", _WINBACK, ["do"], lang, func="winback_steps")


# ============================================================================ key accounts
def key_accounts(value: Any, potential: Any, top: float = 0.2, value_weight: float = 0.6) -> pd.DataFrame:
    """Key accounts (大客户) ranked by value and potential (根据客户价值、潜力确定优先排序).

    Each customer's ``score`` (0–100) mixes the percentile rank of its current ``value`` (weight
    ``value_weight``) and of its ``potential`` (the rest). The ``top`` share of customers by score are
    ``key_account``s; ``priority`` is 1 for the best. ``.attrs["top_value_share"]`` is the 80/20
    check: the share of value held by the top ``top`` of customers by value
    (:func:`crmlib.segmentation.top_share`).

    >>> ka = key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)
    >>> ka[["score", "priority", "key_account"]]
       score  priority  key_account
    0   68.0         3        False
    1   80.0         1         True
    2   76.0         2         True
    3   48.0         4        False
    4   28.0         5        False
    """
    func = "key_accounts"
    v = V.values(value, func, "value")
    p = V.values(potential, func, "potential")
    v, p = V.paired(v, p, func, ("value", "potential"))
    f = V.number(top, func, "top", 0, 1, closed="right")
    w = V.number(value_weight, func, "value_weight", 0, 1)
    V.positive_total(v, func, "value")
    score = 100 * (w * v.rank(pct=True, method="average") + (1 - w) * p.rank(pct=True, method="average"))
    score = score.round(6)
    order = score.rank(method="first", ascending=False).astype("int64")
    k = max(1, int(np.ceil(round(f * len(v), 9))))
    out = pd.DataFrame(
        {"value": v, "potential": p, "score": score, "priority": order, "key_account": (order <= k).to_numpy()},
        index=v.index,
    )
    out["value_share"] = v / v.sum()
    out.attrs["top_value_share"] = top_share(v, f)
    return out


def allocate_resources(accounts: pd.DataFrame, budget: float, key_share: float = 0.6) -> pd.Series:
    """Share a service budget (资源分配): ``key_share`` of it to the key accounts, the rest to the
    others, within each group in proportion to the ``score`` of :func:`key_accounts`.

    >>> ka = key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)
    >>> allocate_resources(ka, budget=1000, key_share=0.6).round(1).tolist()
    [188.9, 307.7, 292.3, 133.3, 77.8]
    """
    func = "allocate_resources"
    df = V.table(accounts, func, ["score", "key_account"], name="accounts")
    b = V.number(budget, func, "budget", 0)
    s = V.number(key_share, func, "key_share", 0, 1)
    score = V.numeric(df["score"], func, "score")
    key = V.flags(df["key_account"], func, "key_account").to_numpy()
    share = np.where(key, s, 1 - s)
    if not (~key).any():
        share = np.ones(len(key))
    elif not key.any():
        share = np.ones(len(key))
    grp_total = np.where(key, score[key].sum(), score[~key].sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.where(grp_total > 0, score.to_numpy() / grp_total, 1.0 / np.where(key, key.sum(), (~key).sum()))
    return pd.Series(b * share * within, index=df.index, name="budget")


def key_account_summary(accounts: pd.DataFrame, budget: Any = None) -> pd.DataFrame:
    """The key accounts against the others (大客户与其他客户): the number of ``accounts`` in each
    group, their ``value``, their ``potential`` (when ``accounts`` has that column) and their service
    ``budget`` summed, and the ``budget_per_account``.

    ``accounts`` is the result of :func:`key_accounts` (or a table with ``value`` and ``key_account``),
    ``budget`` that of :func:`allocate_resources` (one amount per account, same order); without it
    the table's own ``budget`` column is used (:func:`crmlib.casework.key_account_plan` has one).

    >>> ka = key_accounts([900, 500, 100, 50, 10], [0, 400, 800, 10, 5], top=0.4)
    >>> key_account_summary(ka, allocate_resources(ka, budget=1000, key_share=0.6))
                 accounts  value  potential  budget  budget_per_account
    key_account
    False               3  960.0       15.0   400.0          133.333333
    True                2  600.0     1200.0   600.0          300.000000
    >>> key_account_summary(ka.assign(budget=[50.0, 200.0, 100.0, 30.0, 20.0]))["budget_per_account"].tolist()
    [33.333333333333336, 150.0]
    """
    func = "key_account_summary"
    df = V.table(accounts, func, ["value", "key_account"], name="accounts")
    key = V.flags(df["key_account"], func, "key_account")
    value = V.numeric(df["value"], func, "value")
    if budget is None:
        V.table(df, func, ["budget"], name="accounts")  # no budget given: the table must carry it
        budget = df["budget"]
    b = V.values(budget, func, "budget")
    value, b = V.paired(value, b, func, ("value", "budget"))
    cols = {"value": value.to_numpy()}
    if "potential" in df.columns:
        cols["potential"] = V.numeric(df["potential"], func, "potential").to_numpy()
    cols["budget"] = b.to_numpy()
    frame = pd.DataFrame(cols)
    g = frame.groupby(key.to_numpy(), sort=True)
    out = g.sum()
    out.insert(0, "accounts", g.size().astype("int64"))
    out["budget_per_account"] = out["budget"] / out["accounts"]
    out.index.name = "key_account"
    return out


#: what a key account wants most, in the order the plan attends to them
NEED_KEYS = ["cw6_service", "cw6_price", "cw6_partnership", "cw6_supply"]


def key_account_needs(
    accounts: pd.DataFrame,
    price_cut: float = 0.6,
    unhappy_at: int = 2,
    partner_from: int = 4,
    lang: str | None = None,
    id_col: str = "account_id",
) -> pd.Series:
    """What each account wants most (大客户想要什么), read from the account team's ratings: an unhappy
    account (``satisfaction`` ≤ ``unhappy_at``) needs service recovery first; else a price-sensitive one
    (``price_sensitivity`` ≥ ``price_cut``) wants better terms; else one keen on partnership
    (``partnership_interest`` ≥ ``partner_from``) wants joint solutions; the rest want reliable supply.

    >>> acc = pd.DataFrame({"account_id": list("abcd"), "satisfaction": [1, 4, 4, 3],
    ...     "price_sensitivity": [0.9, 0.8, 0.2, 0.1], "partnership_interest": [5, 5, 5, 2]})
    >>> key_account_needs(acc, lang="en").tolist()
    ['service recovery', 'better price terms', 'joint solutions', 'reliable supply']
    """
    func = "key_account_needs"
    a = V.table(accounts, func, [id_col, "satisfaction", "price_sensitivity", "partnership_interest"], name="accounts")
    lang = i18n.resolve(lang, func)
    cut = V.number(price_cut, func, "price_cut", 0, 1)
    unhappy = V.number(unhappy_at, func, "unhappy_at", 1, 5)
    partner = V.number(partner_from, func, "partner_from", 1, 5)
    sat = V.numeric(a["satisfaction"], func, "satisfaction")
    price = V.numeric(a["price_sensitivity"], func, "price_sensitivity")
    part = V.numeric(a["partnership_interest"], func, "partnership_interest")
    code = np.select([sat <= unhappy, price >= cut, part >= partner], [0, 1, 2], default=3)
    idx = pd.Index(V.unique(V.ids(a[id_col], func, id_col), func, id_col), name=id_col)
    return i18n.categorical(pd.Series(code, index=idx), NEED_KEYS, lang, name="need")


# ============================================================================ customer lifetime value
WEEKS_PER_MONTH = 52.0 / 12.0


def clv_report(
    tx: pd.DataFrame,
    horizon_months: float = 12.0,
    annual_discount: float = 0.10,
    models: tuple | None = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Customer lifetime value (客户终身价值) of every customer, in one call over :mod:`crmlib.clv`.

    Steps: :func:`crmlib.clv.summary_from_transactions` in **weeks** → :class:`crmlib.clv.BetaGeo`
    (P(alive), expected purchases over the horizon) → :class:`crmlib.clv.GammaGamma` (expected spend
    per purchase) → :func:`crmlib.clv.customer_lifetime_value`, discounted **monthly**. The units are
    converted here once: ``horizon_months`` × 52/12 weeks, and the annual rate ``annual_discount``
    becomes (1 + rate)^(1/12) − 1 per month. Pass ``models=(bg, gg)`` (from ``.attrs["models"]`` of
    an earlier call) to reuse fitted models. The observation ends the day after the last purchase
    of the log, so a customer who joined on the last day has been seen for one day, not zero.

    >>> from crmlib.datasets import make_transactions
    >>> rep = clv_report(make_transactions(n_customers=300, seed=1), horizon_months=12)
    >>> list(rep.columns)
    ['frequency', 'recency', 'T', 'monetary_value', 'prob_alive', 'expected_purchases', 'expected_spend', 'clv']
    >>> bool((rep["prob_alive"].between(0, 1)).all() and (rep["clv"] >= 0).all())
    True
    """
    from crmlib import clv as C

    func = "clv_report"
    h = V.number(horizon_months, func, "horizon_months", 0, 600, closed="right")
    d = V.number(annual_discount, func, "annual_discount", 0, 1, closed="left")
    V.table(tx, func, [customer_col, date_col, amount_col], name="tx")
    end = V.dates(tx[date_col], func, date_col).max().normalize() + pd.Timedelta(days=1)
    with V.caller(func):
        sm = C.summary_from_transactions(
            tx, customer_col=customer_col, date_col=date_col, amount_col=amount_col, observation_end=end, freq="W"
        )
    if models is None and (sm["frequency"] > 0).sum() < 5:
        raise CRMDataError(
            func,
            "tx",
            "needs at least 5 customers with a repeat purchase to fit the models",
            detail=f"got {int((sm['frequency'] > 0).sum())}",
        )
    with V.caller(func):
        return clv_from_summary(sm, models=models, horizon_months=h, annual_discount=d)


def clv_from_summary(
    summary: pd.DataFrame, models: tuple | None = None, horizon_months: float = 12.0, annual_discount: float = 0.10
) -> pd.DataFrame:
    """The report of :func:`clv_report` from a customer summary in weeks (its first four columns:
    ``frequency``, ``recency``, ``T``, ``monetary_value``, as :func:`crmlib.clv.summary_from_transactions`
    gives them with ``freq="W"``), with the models fitted on it or the fitted ``models=(bg, gg)``.

    A new horizon or discount rate needs no new pass over the transactions: the CLV explorer keeps
    the summary and the models, and calls this for every setting.

    >>> from crmlib.datasets import make_transactions
    >>> rep = clv_report(make_transactions(n_customers=300, seed=1), horizon_months=12)
    >>> longer = clv_from_summary(rep, models=rep.attrs["models"], horizon_months=24)
    >>> bool((longer["clv"] >= rep["clv"]).all()), longer["frequency"].equals(rep["frequency"])
    (True, True)
    """
    from crmlib import clv as C

    func = "clv_from_summary"
    h = V.number(horizon_months, func, "horizon_months", 0, 600, closed="right")
    d = V.number(annual_discount, func, "annual_discount", 0, 1, closed="left")
    cols = ["frequency", "recency", "T", "monetary_value"]
    V.table(summary, func, cols, name="summary")
    f, r, T = (V.numeric(summary[c], func, c) for c in cols[:3])
    m = V.numeric(summary["monetary_value"], func, "monetary_value")
    if models is None:
        rep = (f > 0).to_numpy()
        if rep.sum() < 5:
            raise CRMDataError(
                func,
                "summary",
                "needs at least 5 customers with a repeat purchase to fit the models",
                detail=f"got {int(rep.sum())}",
            )
        with V.caller(func):
            bg = C.BetaGeo().fit(f, r, T)
            gg = C.GammaGamma().fit(f[rep], m[rep])
    elif (
        not isinstance(models, (tuple, list))
        or len(models) != 2
        or not isinstance(models[0], C.BetaGeo)
        or not isinstance(models[1], C.GammaGamma)
    ):
        raise CRMDataError(
            func,
            "models",
            "must be the (BetaGeo, GammaGamma) pair of an earlier report's .attrs['models']",
            detail=f"got {type(models).__name__}",
        )
    else:
        bg, gg = models
    weeks = h * WEEKS_PER_MONTH
    monthly = (1.0 + d) ** (1.0 / 12.0) - 1.0
    out = summary[cols].copy()
    out["prob_alive"] = np.asarray(bg.prob_alive(f, r, T), dtype=float)
    out["expected_purchases"] = np.asarray(bg.conditional_expected_purchases(weeks, f, r, T), dtype=float)
    out["expected_spend"] = np.asarray(gg.conditional_expected_spend(f, m), dtype=float)
    out["clv"] = np.asarray(
        C.customer_lifetime_value(bg, gg, f, r, T, m, horizon=weeks, discount_rate=monthly, freq=WEEKS_PER_MONTH),
        dtype=float,
    )
    out.attrs.update(models=(bg, gg), horizon_weeks=weeks, monthly_discount=monthly)
    return out


def clv_by_relationship(
    report: pd.DataFrame, matrix: pd.DataFrame, relationship_col: str = "relationship"
) -> pd.DataFrame:
    """Mean P(alive) and CLV of the customers of each relationship of the value × loyalty matrix.

    ``report`` is the result of :func:`clv_report`, ``matrix`` that of :func:`value_loyalty_matrix`,
    both indexed by customer; every customer of the report must be in the matrix.

    >>> rep = pd.DataFrame({"prob_alive": [0.9, 0.7, 0.2, 0.4], "clv": [500.0, 300.0, 10.0, 30.0]},
    ...                    index=list("abcd"))
    >>> vlm = value_loyalty_matrix(pd.Series([900, 800, 50, 40], index=list("abcd")), [6, 5, 0, 1],
    ...                            value_cut=500, loyalty_cut=3)
    >>> clv_by_relationship(rep, vlm)
                                  prob_alive    clv
    relationship
    strategic partner                    0.8  400.0
    retain (vendor relationship)         NaN    NaN
    develop                              NaN    NaN
    build relationship                   0.3   20.0
    """
    func = "clv_by_relationship"
    V.table(report, func, ["prob_alive", "clv"], name="report")
    V.table(matrix, func, [relationship_col], name="matrix")
    V.unique(pd.Series(matrix.index, index=matrix.index), func, "matrix")
    absent = ~report.index.isin(matrix.index)
    if absent.any():
        V._fail(
            func,
            "report",
            "has customers that are not in matrix",
            absent,
            report.index,
            detail="make both from the same purchase log",
        )
    view = report[["prob_alive", "clv"]].assign(**{relationship_col: matrix[relationship_col].reindex(report.index)})
    labels, cols = _C.class_table(view, func, relationship_col, ["prob_alive", "clv"], "report")
    return _C.by_class(labels, cols, relationship_col, prob_alive=("prob_alive", "mean"), clv=("clv", "mean"))


def value_loyalty_inputs(
    tx: pd.DataFrame, customer_col: str = "customer_id", date_col: str = "date", amount_col: str = "amount"
) -> pd.DataFrame:
    """Each customer's ``revenue`` (sum of ``amount``; returns may make it negative) and
    ``repeat_purchases`` (:func:`loyalty_status`): the value and the loyalty that
    :func:`value_loyalty_matrix` places, from a purchase log.

    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"], "date": ["2024-01-01", "2024-02-01", "2024-01-05"],
    ...                    "amount": [100.0, 50.0, -20.0]})
    >>> value_loyalty_inputs(tx)
                 revenue  repeat_purchases
    customer_id
    A              150.0                 1
    B              -20.0                 0
    """
    func = "value_loyalty_inputs"
    V.table(tx, func, [customer_col, date_col, amount_col], name="tx")
    with V.caller(func):
        status = loyalty_status(tx, customer_col=customer_col, date_col=date_col)
    amount = V.numeric(tx[amount_col], func, amount_col, allow_negative=True)
    revenue = amount.groupby(tx[customer_col]).sum().reindex(status.index)
    return pd.DataFrame(
        {"revenue": revenue.astype("float64"), "repeat_purchases": status["repeat_purchases"]}, index=status.index
    )
