"""Case 4: Wang Yongqing's rice shop (王永庆的米店) — ``casework/04_rice_shop.ipynb``.

The purchase book comes from :func:`crmlib.datasets.make_rice_purchases`; the purchase-cycle
forecast behind :func:`rice_run_out` and :func:`delivery_plan` is the general one of
:func:`crmlib.records.purchase_cycle` and :func:`crmlib.records.contact_plan` (the archive's
reminders use it too), in the shop's words: households, kilograms, run-out dates, deliveries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.records import contact_plan, purchase_cycle

#: delivery outcomes, from worst to best: the household ran out first, the rice came in time, far too early
RICE_STATUS_KEYS = ["cw4_late", "cw4_on_time", "cw4_early"]


def rice_run_out(
    purchases: pd.DataFrame,
    as_of=None,
    household_col: str = "household_id",
    size_col: str = "household_size",
    date_col: str = "date",
    kg_col: str = "kg",
) -> pd.DataFrame:
    """When will each household run out of rice? (预测每户何时断米) — Wang Yongqing's method.

    A household's daily use is the rice it bought before its last purchase divided by the days
    between its first and last purchase; a household seen only once (or on one day only) is given
    its size × the median use per person of the others (``estimated`` is True). The last purchase
    then lasts ``last_kg / daily_kg`` days: that is the ``run_out`` date, and ``days_left`` counts
    from ``as_of`` (default: the last date of the log). This is :func:`crmlib.records.purchase_cycle`
    with the shop's columns and names.

    >>> log = pd.DataFrame({"household_id": ["A", "A", "A", "B"], "household_size": [2, 2, 2, 4],
    ...     "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-02-01"], "kg": [10.0, 10, 10, 20]})
    >>> rice_run_out(log, as_of="2025-02-15")[["daily_kg", "estimated", "run_out", "days_left"]]
                  daily_kg  estimated    run_out  days_left
    household_id
    A                  0.5      False 2025-03-02         15
    B                  1.0       True 2025-02-21          6
    """
    func = "rice_run_out"
    with V.caller(func):
        fc = purchase_cycle(
            purchases, as_of=as_of, customer_col=household_col, date_col=date_col, amount_col=kg_col, size_col=size_col
        )
    return fc.rename(
        columns={
            "size": "household_size",
            "last_amount": "last_kg",
            "daily_rate": "daily_kg",
            "rate_per_head": "kg_per_person",
            "next_purchase": "run_out",
        }
    )


def delivery_plan(forecast: pd.DataFrame, horizon_days: int = 14, lead_days: int = 1, as_of=None) -> pd.DataFrame:
    """Deliveries for the coming ``horizon_days`` (送米计划): each household whose rice runs out in
    that time gets its usual bag ``lead_days`` before the run-out date (never before ``as_of``, the
    forecast's date by default), earliest first: :func:`crmlib.records.contact_plan` on the run-out dates.

    >>> fc = pd.DataFrame({"run_out": pd.to_datetime(["2025-03-02", "2025-02-21", "2025-02-15"]),
    ...     "last_kg": [10.0, 20.0, 5.0], "household_size": [2, 4, 1]}, index=["A", "B", "C"])
    >>> delivery_plan(fc, horizon_days=10, lead_days=2, as_of="2025-02-15")
      delivery_date    run_out    kg  household_size
    C    2025-02-15 2025-02-15   5.0               1
    B    2025-02-19 2025-02-21  20.0               4
    """
    func = "delivery_plan"
    df = V.table(forecast, func, ["run_out", "last_kg", "household_size"], name="forecast")
    bags = pd.DataFrame(
        {
            "run_out": df["run_out"],
            "kg": V.numeric(df["last_kg"], func, "last_kg"),
            "household_size": df["household_size"],
        },
        index=df.index,
    )
    V.numeric(df["household_size"], func, "household_size")
    with V.caller(func):
        plan = contact_plan(
            bags,
            horizon_days=horizon_days,
            lead_days=lead_days,
            as_of=as_of if as_of is not None else df.attrs.get("as_of"),
            date_col="run_out",
        )
    return plan.rename(columns={"contact_on": "delivery_date"})


def _status(gap: pd.Series, early_days: int, lang: str) -> pd.Series:
    codes = pd.Series(np.where(gap > 0, 0, np.where(gap < -early_days, 2, 1)), index=gap.index)
    return i18n.categorical(codes, RICE_STATUS_KEYS, lang)


def backtest_deliveries(
    purchases: pd.DataFrame,
    cutoff,
    interval_days: int = 30,
    lead_days: int = 1,
    early_days: int = 5,
    lang: str | None = None,
    household_col: str = "household_id",
    size_col: str = "household_size",
    date_col: str = "date",
    kg_col: str = "kg",
) -> pd.DataFrame:
    """Predicted deliveries against a fixed round (按预测送米 vs 固定周期送米), tested on the log.

    Pretend today is ``cutoff``: forecast every household's run-out from the purchases before it
    (:func:`rice_run_out`); the household's next purchase on or after ``cutoff`` is when it really ran
    out. The *predictive* plan brings rice ``lead_days`` before the forecast run-out; the *fixed* plan
    visits every household once every ``interval_days``, the round spread evenly over the cycle (the
    i-th household first on day ``i mod interval_days``). ``*_gap`` = delivery − real run-out in days:
    above 0 the household ran out first (``late``), below −``early_days`` the rice came far too early.
    Households without purchases on both sides of ``cutoff`` are left out.

    >>> log = pd.DataFrame({"household_id": list("AAAABBBB"), "household_size": [2] * 4 + [4] * 4,
    ...     "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-03-03",
    ...              "2025-01-05", "2025-01-15", "2025-01-25", "2025-02-04"], "kg": [10.0] * 8})
    >>> bt = backtest_deliveries(log, cutoff="2025-02-01", interval_days=7, lead_days=1, early_days=3)
    >>> bt[["error_days", "predictive_status", "fixed_gap", "fixed_status"]]
                  error_days predictive_status  fixed_gap fixed_status
    household_id
    A                      0           on time         -9        early
    B                      0           on time         -2      on time
    """
    func = "backtest_deliveries"
    df = V.table(purchases, func, [household_col, date_col], name="purchases")
    t = V.timestamp(cutoff, func, "cutoff").normalize()
    every = V.integer(interval_days, func, "interval_days", 1, 365)
    lead = V.integer(lead_days, func, "lead_days", 0, 30)
    early = V.integer(early_days, func, "early_days", 0, 365)
    lang = i18n.resolve(lang, func)
    when = V.dates(df[date_col], func, date_col).dt.normalize()
    before = (when < t).to_numpy()
    if not before.any() or before.all():
        raise CRMDataError(
            func,
            "cutoff",
            f"must fall inside the log ({when.min():%Y-%m-%d} to {when.max():%Y-%m-%d}), got {t:%Y-%m-%d}",
        )
    with V.caller(func):
        fc = rice_run_out(
            df[before], as_of=t, household_col=household_col, size_col=size_col, date_col=date_col, kg_col=kg_col
        )
    actual = when[~before].groupby(df.loc[~before, household_col].to_numpy()).min()
    both = fc.index.intersection(actual.index)
    if len(both) == 0:
        raise CRMDataError(func, "cutoff", "leaves no household with purchases both before and after it")
    fc, actual = fc.loc[both], actual.loc[both]
    pred_del = (fc["run_out"] - pd.Timedelta(days=lead)).clip(lower=t)
    fixed_del = t + pd.to_timedelta(np.arange(len(both)) % every, unit="D")
    out = pd.DataFrame(
        {
            "household_size": fc["household_size"],
            "predicted_run_out": fc["run_out"],
            "actual_run_out": actual.to_numpy(),
        },
        index=both,
    )
    out["error_days"] = (out["predicted_run_out"] - out["actual_run_out"]).dt.days.astype("int64")
    out["predictive_delivery"] = pred_del
    out["predictive_gap"] = (pred_del - out["actual_run_out"]).dt.days.astype("int64")
    out["predictive_status"] = _status(out["predictive_gap"], early, lang)
    out["fixed_delivery"] = fixed_del
    out["fixed_gap"] = (out["fixed_delivery"] - out["actual_run_out"]).dt.days.astype("int64")
    out["fixed_status"] = _status(out["fixed_gap"], early, lang)
    out.index.name = household_col
    out.attrs["early_days"] = early
    return out


def schedule_summary(backtest: pd.DataFrame, early_days: int | None = None, lang: str | None = None) -> pd.DataFrame:
    """The two delivery plans side by side: share of households reached late / on time / early and
    the average days a household spent without rice (断米天数) before the delivery came.
    ``early_days`` defaults to the one the backtest was run with (else 5).

    >>> bt = pd.DataFrame({"predictive_gap": [0, -1, 2, -9], "fixed_gap": [5, 3, -2, -20]})
    >>> schedule_summary(bt, lang="en")
                       late (ran out first)  on time  early  days without rice
    predicted run-out                  0.25     0.50   0.25               0.50
    fixed schedule                     0.50     0.25   0.25               2.00
    """
    func = "schedule_summary"
    lang = i18n.resolve(lang, func)
    df = V.table(backtest, func, ["predictive_gap", "fixed_gap"], name="backtest")
    lim = V.integer(early_days if early_days is not None else df.attrs.get("early_days", 5), func, "early_days", 0, 365)
    rows = {}
    for key, col in (("cw4_predictive", "predictive_gap"), ("cw4_fixed", "fixed_gap")):
        gap = V.numeric(df[col], func, col, allow_negative=True)
        rows[i18n.label(key, lang)] = [
            float((gap > 0).mean()),
            float(((gap <= 0) & (gap >= -lim)).mean()),
            float((gap < -lim).mean()),
            float(gap.clip(lower=0).mean()),
        ]
    cols = i18n.categories(RICE_STATUS_KEYS, lang) + [i18n.label("cw4_days_without", lang)]
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols)


def lead_days_tradeoff(
    purchases: pd.DataFrame,
    cutoff,
    leads=range(0, 5),
    interval_days: int = 30,
    early_days: int = 5,
    lang: str | None = None,
    household_col: str = "household_id",
    size_col: str = "household_size",
    date_col: str = "date",
    kg_col: str = "kg",
) -> pd.DataFrame:
    """The lead time's trade-off (提前送米的天数): the predicted plan of :func:`backtest_deliveries`
    rerun for each of ``leads`` (days before the forecast run-out), one row per lead time with the
    columns of :func:`schedule_summary` — delivering earlier trades late arrivals for early ones.

    >>> log = pd.DataFrame({"household_id": list("AAAABBBB"), "household_size": [2] * 4 + [4] * 4,
    ...     "date": ["2025-01-01", "2025-01-21", "2025-02-10", "2025-03-03",
    ...              "2025-01-05", "2025-01-15", "2025-01-25", "2025-02-04"], "kg": [10.0] * 8})
    >>> # 5 days early: A's rice comes on 02-05 for a run-out on 02-10 (early); B's on "today", 02-01,
    >>> # three days before its run-out (on time, within early_days)
    >>> lead_days_tradeoff(log, "2025-02-01", leads=[0, 5], early_days=3, lang="en")
               late (ran out first)  on time  early  days without rice
    lead_days
    0                           0.0      1.0    0.0                0.0
    5                           0.0      0.5    0.5                0.0
    """
    func = "lead_days_tradeoff"
    if isinstance(leads, (str, bytes)) or not hasattr(leads, "__iter__"):
        raise CRMDataError(func, "leads", f"must be a list of whole numbers of days such as [0, 1, 2], got {leads!r}")
    days = [V.integer(x, func, "leads", 0, 30) for x in leads]
    if not days:
        raise CRMDataError(func, "leads", "needs at least one lead time, got none")
    twice = sorted({d for d in days if days.count(d) > 1})
    if twice:
        raise CRMDataError(func, "leads", "must not repeat a lead time", rows=twice[: V.MAX_ROWS], n_bad=len(twice))
    cols = dict(household_col=household_col, size_col=size_col, date_col=date_col, kg_col=kg_col)
    rows = {}
    with V.caller(func):
        for lead in days:
            bt = backtest_deliveries(
                purchases, cutoff, interval_days=interval_days, lead_days=lead, early_days=early_days, lang=lang, **cols
            )
            rows[lead] = schedule_summary(bt, lang=lang).iloc[0]
    return pd.DataFrame(rows).T.rename_axis("lead_days")
