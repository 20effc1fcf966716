"""Case 3: the gas station's customer files and complaint follow-ups (加油站) —
``casework/03_gas_station.ipynb``.

The station's year comes from :func:`crmlib.datasets.make_station`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n

#: complaint follow-up groups of the gas station (投诉回访)
FOLLOW_KEYS = ["cw_no_complaint", "cw_followed_in_time", "cw_followed_late"]


def file_quota(
    customers: pd.DataFrame, per_month: int = 5, employee_col: str = "employee", joined_col: str = "joined"
) -> pd.DataFrame:
    """Did every employee open ``per_month`` new customer files a month (每人每月发展5名新客户)?
    Months run from the first to the last month in which any file was opened. Per employee:
    ``added``, ``months``, ``target`` = months × per_month, ``per_month_avg``, ``shortfall``
    (0 when met) and ``met``.

    >>> c = pd.DataFrame({"employee": ["E1"] * 10 + ["E2"] * 7,
    ...                    "joined": ["2024-01-05"] * 5 + ["2024-02-03"] * 5 + ["2024-01-09"] * 4 + ["2024-02-11"] * 3})
    >>> file_quota(c)[["added", "target", "shortfall", "met"]]
              added  target  shortfall    met
    employee
    E1           10      10          0   True
    E2            7      10          3  False
    """
    func = "file_quota"
    V.table(customers, func, [employee_col, joined_col], name="customers")
    per = V.integer(per_month, func, "per_month", lo=1)
    emp = V.ids(customers[employee_col], func, employee_col)
    d = V.dates(customers[joined_col], func, joined_col)
    period = d.dt.to_period("M")
    months = int((period.max() - period.min()).n) + 1
    added = emp.groupby(emp.to_numpy()).size().astype("int64")
    out = pd.DataFrame({"added": added, "months": months})
    out["target"] = out["months"] * per
    out["per_month_avg"] = (out["added"] / months).round(2)
    out["shortfall"] = (out["target"] - out["added"]).clip(lower=0).astype("int64")
    out["met"] = out["shortfall"] == 0
    out.index.name = employee_col
    return out


def monthly_files(
    customers: pd.DataFrame, per_month: int = 5, employee_col: str = "employee", joined_col: str = "joined"
) -> pd.DataFrame:
    """Customer files opened per month (新建客户档案): ``new``, the running total ``files`` and the
    running ``target`` if every employee met ``per_month``.

    >>> c = pd.DataFrame({"employee": ["E1", "E1", "E2"], "joined": ["2024-01-05", "2024-02-03", "2024-02-09"]})
    >>> monthly_files(c, per_month=1)
             new  files  target
    month
    2024-01    1      1       2
    2024-02    2      3       4
    """
    func = "monthly_files"
    V.table(customers, func, [employee_col, joined_col], name="customers")
    per = V.integer(per_month, func, "per_month", lo=1)
    emp = V.ids(customers[employee_col], func, employee_col)
    period = V.dates(customers[joined_col], func, joined_col).dt.to_period("M")
    rng = pd.period_range(period.min(), period.max(), freq="M")
    new = period.value_counts().reindex(rng, fill_value=0).astype("int64")
    out = pd.DataFrame(
        {
            "new": new.to_numpy(),
            "files": new.cumsum().to_numpy(),
            "target": per * emp.nunique() * np.arange(1, len(rng) + 1),
        },
        index=pd.Index(rng.astype(str), name="month"),
    )
    return out


def follow_up_outcomes(
    watch: pd.DataFrame, complaints: pd.DataFrame, follow_up_days: float = 7, lang: str | None = None
) -> pd.DataFrame:
    """Churn by how complaints were followed up (投诉回访与流失). Customers from a
    :func:`crmlib.loyalty.churn_watch` table fall in three groups: no complaint; every complaint
    called back within ``follow_up_days`` of the remedy; at least one called back late or never.
    Per group: ``customers``, ``lapsed`` (status lapsed), ``lapsed_share``, ``at_risk_or_lapsed_share``
    (the shares are NaN for a group without customers).

    >>> w = pd.DataFrame({"status": pd.Categorical(["active", "lapsed (win back)", "lapsed (win back)"],
    ...                    categories=["active", "at risk", "lapsed (win back)"], ordered=True)},
    ...                   index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> q = pd.DataFrame({"customer_id": ["b", "c"], "remedy_h": [10.0, 10.0], "follow_up_h": [50.0, None]})
    >>> follow_up_outcomes(w, q)[["customers", "lapsed", "lapsed_share"]]
                          customers  lapsed  lapsed_share
    group
    no complaint                  1       0           0.0
    followed up in time           1       1           1.0
    followed up late/never        1       1           1.0
    """
    func = "follow_up_outcomes"
    lang = i18n.resolve(lang, func)
    V.table(watch, func, ["status"], name="watch")
    V.table(complaints, func, ["customer_id", "remedy_h", "follow_up_h"], name="complaints")
    days = V.number(follow_up_days, func, "follow_up_days", lo=0)
    cid = V.ids(complaints["customer_id"], func, "customer_id").astype(str)
    rem = V.numeric(complaints["remedy_h"], func, "remedy_h")
    fol = V.numeric(complaints["follow_up_h"], func, "follow_up_h", allow_nan=True)
    gap = (fol - rem).to_numpy()
    late = ~(np.nan_to_num(gap, nan=np.inf) <= 24.0 * days)
    any_late = pd.Series(late, index=cid.to_numpy()).groupby(level=0).any()
    unknown = ~pd.Index(any_late.index).isin(watch.index.astype(str))
    if unknown.any():
        V._fail(
            func,
            "customer_id",
            "has customers missing from the watch table",
            np.asarray(unknown),
            pd.Index(any_late.index),
        )
    idx = watch.index.astype(str)
    code = np.zeros(len(watch), dtype=int)
    lk = any_late.reindex(idx)
    code[lk.notna().to_numpy()] = 1
    code[(lk == True).to_numpy()] = 2  # noqa: E712
    st = watch["status"].cat.codes.to_numpy()
    g = pd.DataFrame({"code": code, "lapsed": st == 2, "risk": st >= 1})
    agg = (
        g.groupby("code")
        .agg(
            customers=("lapsed", "size"),
            lapsed=("lapsed", "sum"),
            risk=("risk", "mean"),
            lapsed_share=("lapsed", "mean"),
        )
        .reindex(range(3))
    )
    out = pd.DataFrame(
        {
            "customers": agg["customers"].fillna(0).astype("int64").to_numpy(),
            "lapsed": agg["lapsed"].fillna(0).astype("int64").to_numpy(),
            "lapsed_share": agg["lapsed_share"].to_numpy(dtype=float),
            "at_risk_or_lapsed_share": agg["risk"].to_numpy(dtype=float),
        },
        index=pd.CategoricalIndex(i18n.categories(FOLLOW_KEYS, lang), ordered=True, name="group"),
    )
    return out


def winback_by_employee(
    watch: pd.DataFrame, customers: pd.DataFrame, employee_col: str = "employee", customer_col: str = "customer_id"
) -> pd.DataFrame:
    """Whose customers are slipping away (谁的客户谁去做工作)? Per employee, from a
    :func:`crmlib.loyalty.churn_watch` table and the customer files: ``customers`` on file with
    fill-ups, ``at_risk``, ``lapsed``, ``lapsed_share`` and the ids to call (``call_list``, most
    overdue first), most lapsed customers first.

    >>> w = pd.DataFrame({"status": pd.Categorical(["active", "at risk", "lapsed (win back)"],
    ...                    categories=["active", "at risk", "lapsed (win back)"], ordered=True),
    ...                    "overdue": [0.5, 2.0, 4.0]}, index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c"], "employee": ["E1", "E1", "E2"]})
    >>> winback_by_employee(w, c)[["customers", "at_risk", "lapsed", "call_list"]]
              customers  at_risk  lapsed call_list
    employee
    E2                1        0       1         c
    E1                2        1       0
    """
    func = "winback_by_employee"
    V.table(watch, func, ["status", "overdue"], name="watch")
    V.table(customers, func, [customer_col, employee_col], name="customers")
    cid = V.unique(V.ids(customers[customer_col], func, customer_col), func, customer_col).astype(str)
    emp = V.ids(customers[employee_col], func, employee_col).astype(str)
    owner = pd.Series(emp.to_numpy(), index=cid.to_numpy())
    idx = watch.index.astype(str)
    missing = ~idx.isin(owner.index)
    if missing.any():
        V._fail(func, customer_col, "has customers in the watch table without a file", missing, watch.index)
    code = watch["status"].cat.codes.to_numpy()
    f = pd.DataFrame(
        {
            "employee": owner.reindex(idx).to_numpy(),
            "id": idx,
            "risk": code == 1,
            "lapsed": code == 2,
            "overdue": V.numeric(watch["overdue"], func, "overdue").to_numpy(),
        }
    )
    g = f.groupby("employee", sort=True)
    out = pd.DataFrame({"customers": g.size(), "at_risk": g["risk"].sum(), "lapsed": g["lapsed"].sum()})
    out["lapsed_share"] = out["lapsed"] / out["customers"]
    calls = f[f["lapsed"]].sort_values("overdue", ascending=False, kind="mergesort")
    out["call_list"] = calls.groupby("employee")["id"].agg(", ".join).reindex(out.index).fillna("")
    out = out.astype({"customers": "int64", "at_risk": "int64", "lapsed": "int64"})
    out.index.name = employee_col
    return out.sort_values("lapsed", ascending=False, kind="mergesort")
