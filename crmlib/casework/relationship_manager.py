"""Case 5: the Taiwan bank relationship manager (客户经理) — ``casework/05_bank_relationship_manager.ipynb``.

The book of clients comes from :func:`crmlib.datasets.make_bank_clients`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.datasets import ASSET_CLASSES, POLICIES

#: review frequencies, most frequent first, with the months between two reviews
REVIEW_KEYS = ["cw5_monthly", "cw5_quarterly", "cw5_half_yearly"]


REVIEW_MONTHS = [1, 3, 6]


def coverage_review(
    clients: pd.DataFrame, insurance: pd.DataFrame, life_multiple: float = 10.0, premium_cap: float = 0.10
) -> pd.DataFrame:
    """The insurance coverage table (保险涵盖范围表) of every client, with the "double ten" rule of
    thumb (双十原则): life cover of about ``life_multiple`` × annual income, premiums of at most
    ``premium_cap`` of income. ``life_gap`` is the cover missing; ``underinsured`` and
    ``premium_heavy`` flag the two breaches.

    >>> cl = pd.DataFrame({"client_id": ["a", "b"], "annual_income": [1_000_000.0, 500_000.0]})
    >>> ins = pd.DataFrame({"client_id": ["a", "a", "b"], "policy": ["life", "medical", "life"],
    ...     "cover": [4e6, 1e6, 6e6], "annual_premium": [60_000.0, 20_000, 70_000]})
    >>> coverage_review(cl, ins)[["life_cover", "life_gap", "premium_share", "underinsured", "premium_heavy"]]
               life_cover   life_gap  premium_share  underinsured  premium_heavy
    client_id
    a           4000000.0  6000000.0           0.08          True          False
    b           6000000.0        0.0           0.14         False           True
    """
    func = "coverage_review"
    cl = V.table(clients, func, ["client_id", "annual_income"], name="clients")
    ins = V.table(
        insurance, func, ["client_id", "policy", "cover", "annual_premium"], name="insurance", allow_empty=True
    )
    V.unique(V.ids(cl["client_id"], func, "client_id"), func, "client_id")
    income = V.numeric(cl["annual_income"], func, "annual_income")
    if (income <= 0).any():
        V._fail(func, "annual_income", "must be positive", (income <= 0).to_numpy(), cl.index)
    mult = V.number(life_multiple, func, "life_multiple", 0, 50)
    cap = V.number(premium_cap, func, "premium_cap", 0, 1)
    unknown = ~ins["client_id"].isin(cl["client_id"]).to_numpy()
    if unknown.any():
        V._fail(func, "client_id", "names clients missing from the clients table", unknown, ins.index)
    cover = V.numeric(ins["cover"], func, "cover")
    premium = V.numeric(ins["annual_premium"], func, "annual_premium")
    idx = pd.Index(cl["client_id"], name="client_id")
    pol = ins["policy"].astype(str).to_numpy()
    by = pd.DataFrame({"c": ins["client_id"].to_numpy(), "p": pol, "cover": cover.to_numpy()})
    wide = by.pivot_table(index="c", columns="p", values="cover", aggfunc="sum")
    wide = wide.reindex(
        index=idx,
        columns=sorted(
            set(POLICIES) | set(pol), key=lambda p: (p not in POLICIES, POLICIES.index(p) if p in POLICIES else 0, p)
        ),
    ).fillna(0.0)
    out = wide.add_suffix("_cover")
    out.columns.name = None
    inc = pd.Series(income.to_numpy(), index=idx)
    out.insert(0, "annual_income", inc)
    out["life_need"] = mult * inc
    out["life_gap"] = (out["life_need"] - out["life_cover"]).clip(lower=0)
    out["premium"] = (
        pd.Series(premium.to_numpy(), index=ins["client_id"].to_numpy()).groupby(level=0).sum().reindex(idx).fillna(0.0)
    )
    out["premium_share"] = (out["premium"] / inc).round(6)
    out["underinsured"] = (out["life_gap"] > 0).to_numpy()
    out["premium_heavy"] = (out["premium_share"] > cap).to_numpy()
    return out


def _assets(assets: pd.DataFrame, func: str) -> pd.DataFrame:
    a = V.table(assets, func, ["client_id", "quarter", "asset_class", "value"], name="assets")
    V.ids(a["client_id"], func, "client_id")
    V.ids(a["quarter"], func, "quarter")
    V.numeric(a["value"], func, "value")
    dup = a.duplicated(["client_id", "quarter", "asset_class"], keep=False).to_numpy()
    if dup.any():
        V._fail(func, "asset_class", "appears twice for the same client and quarter", dup, a.index)
    return a


def _one_client(a: pd.DataFrame, client, func: str) -> pd.DataFrame:
    rows = a[a["client_id"] == client]
    if rows.empty:
        raise CRMDataError(
            func,
            "client",
            f"unknown client {client!r}",
            detail=f"clients run from {a['client_id'].min()!r} to {a['client_id'].max()!r}",
        )
    return rows


def _by_class(rows: pd.DataFrame, index: str) -> pd.DataFrame:
    """``value`` summed per ``index`` × asset class, the classes in the review table's order (0 where none)."""
    wide = rows.pivot_table(index=index, columns="asset_class", values="value", aggfunc="sum").fillna(0.0)
    order = [c for c in ASSET_CLASSES if c in wide.columns] + sorted(c for c in wide.columns if c not in ASSET_CLASSES)
    wide = wide[order]
    wide.columns.name = None
    return wide


def asset_review(assets: pd.DataFrame, client) -> pd.DataFrame:
    """One client's asset review table (资产回顾表): a row per quarter, a column per asset class, the
    ``total`` and its change on the quarter before (``change``, a fraction).

    >>> a = pd.DataFrame({"client_id": ["a"] * 4, "quarter": ["2024Q1", "2024Q1", "2024Q2", "2024Q2"],
    ...     "asset_class": ["deposits", "funds"] * 2, "value": [100.0, 100, 120, 100]})
    >>> asset_review(a, "a")
             deposits  funds  total  change
    quarter
    2024Q1      100.0  100.0  200.0     NaN
    2024Q2      120.0  100.0  220.0     0.1
    """
    func = "asset_review"
    rows = _one_client(_assets(assets, func), client, func)
    wide = _by_class(rows, "quarter")
    wide["total"] = wide.sum(axis=1)
    wide["change"] = wide["total"].pct_change().round(6)
    return wide


def asset_mix(assets: pd.DataFrame, client, quarter=None) -> pd.Series:
    """A client's asset mix (资产配置) in ``quarter`` (default: the latest): each class's share of the
    total, largest first — the slices of the review's pie chart.

    >>> a = pd.DataFrame({"client_id": ["a"] * 3, "quarter": ["2024Q1"] * 3,
    ...     "asset_class": ["deposits", "funds", "stocks"], "value": [50.0, 30, 20]})
    >>> asset_mix(a, "a").tolist()
    [0.5, 0.3, 0.2]
    """
    func = "asset_mix"
    with V.caller(func):
        review = asset_review(assets, client)
    qtr = review.index.max() if quarter is None else quarter
    if qtr not in review.index:
        raise CRMDataError(func, "quarter", f"unknown quarter {qtr!r}", detail=f"quarters: {list(review.index)}")
    row = review.loc[qtr].drop(["total", "change"])
    if not row.sum() > 0:
        raise CRMDataError(func, "value", f"client {client!r} holds nothing in {qtr}")
    out = (row / row.sum()).sort_values(ascending=False, kind="mergesort")
    out.name = qtr
    return out


def asset_mixes(
    assets: pd.DataFrame, quarter=None, clients: pd.DataFrame | None = None, by: str | None = None
) -> pd.DataFrame:
    """The asset mix (资产配置) of every client in ``quarter`` (default: the latest of the table): one
    row per client, one column per asset class (the review table's order), each the class's share of
    the client's assets, so that a row sums to 1. With ``clients`` and ``by`` (a column of the
    clients table, such as ``risk_profile``), the mean mix of the clients in each group instead —
    does the mix follow the risk profile?

    >>> a = pd.DataFrame({"client_id": ["a", "a", "b", "b"], "quarter": ["2024Q1"] * 4,
    ...     "asset_class": ["deposits", "stocks"] * 2, "value": [75.0, 25, 20, 80]})
    >>> asset_mixes(a)
               deposits  stocks
    client_id
    a              0.75    0.25
    b              0.20    0.80
    >>> cl = pd.DataFrame({"client_id": ["a", "b"], "risk_profile": ["growth", "growth"]})
    >>> asset_mixes(a, clients=cl, by="risk_profile")
                  deposits  stocks
    risk_profile
    growth           0.475   0.525
    """
    func = "asset_mixes"
    a = _assets(assets, func)
    qtr = a["quarter"].max() if quarter is None else quarter
    rows = a[a["quarter"] == qtr]
    if rows.empty:
        raise CRMDataError(
            func, "quarter", f"unknown quarter {qtr!r}", detail=f"quarters: {sorted(a['quarter'].unique())}"
        )
    wide = _by_class(rows, "client_id")
    total = wide.sum(axis=1)
    empty = (total <= 0).to_numpy()
    if empty.any():
        V._fail(func, "value", f"leaves clients holding nothing in {qtr}", empty, wide.index)
    mix = wide.div(total, axis=0)
    if clients is None and by is None:
        return mix
    if clients is None or by is None:
        raise CRMDataError(
            func,
            "clients" if clients is None else "by",
            "goes with the other: pass both clients= and by= to average the mix per group",
        )
    if not isinstance(by, str):
        raise CRMDataError(func, "by", f"must be the name of a column of the clients table, got {by!r}")
    cl = V.table(clients, func, ["client_id", by], name="clients")
    ids = V.unique(V.ids(cl["client_id"], func, "client_id"), func, "client_id")
    group = pd.Series(cl[by].to_numpy(), index=ids.to_numpy())
    unknown = ~mix.index.isin(group.index)
    if unknown.any():
        V._fail(func, "client_id", "names clients missing from the clients table", unknown, mix.index)
    missing = group.reindex(mix.index).isna().to_numpy()
    if missing.any():
        V._fail(func, by, "is missing for clients with assets", missing, mix.index)
    return mix.groupby(group.reindex(mix.index).rename(by)).mean()


def review_frequency(
    assets: pd.DataFrame,
    monthly_from: float = 5_000_000,
    quarterly_from: float = 1_500_000,
    change_trigger: float = 0.15,
    lang: str | None = None,
) -> pd.DataFrame:
    """How often to review each client's assets (资产回顾频率). Clients with assets (``aum``, latest
    quarter) of at least ``monthly_from`` are reviewed monthly, from ``quarterly_from`` quarterly,
    the others half-yearly; a client whose assets moved by ``change_trigger`` or more in the last
    quarter (either way) moves up one step (``moved``). ``reviews_per_year`` = 12 / ``every_months``.

    >>> a = pd.DataFrame({"client_id": list("aabbcc"), "quarter": ["2024Q1", "2024Q2"] * 3,
    ...     "asset_class": ["funds"] * 6, "value": [6e6, 6e6, 2e6, 2e6, 1e6, 5e5]})
    >>> review_frequency(a, lang="en")[["aum", "moved", "every_months", "frequency"]]
                     aum  moved  every_months    frequency
    client_id
    a          6000000.0  False             1      monthly
    b          2000000.0  False             3    quarterly
    c           500000.0   True             3    quarterly
    """
    func = "review_frequency"
    a = _assets(assets, func)
    lang = i18n.resolve(lang, func)
    lo = V.number(quarterly_from, func, "quarterly_from", 0)
    hi = V.number(monthly_from, func, "monthly_from", lo)
    trig = V.number(change_trigger, func, "change_trigger", 0, 10, closed="neither")
    tot = a.pivot_table(index="client_id", columns="quarter", values="value", aggfunc="sum").sort_index(axis=1)
    if tot.shape[1] < 2:
        raise CRMDataError(func, "quarter", "needs at least two quarters to see the last change")
    aum, prev = tot.iloc[:, -1].fillna(0.0), tot.iloc[:, -2].fillna(0.0)
    change = ((aum - prev) / prev.where(prev > 0)).fillna(0.0)
    step = np.where(aum >= hi, 0, np.where(aum >= lo, 1, 2))
    moved = (change.abs() >= trig).to_numpy()
    step = np.where(moved, np.maximum(step - 1, 0), step)
    months = np.array(REVIEW_MONTHS)[step]
    out = pd.DataFrame(
        {
            "aum": aum,
            "last_change": change.round(6),
            "moved": moved,
            "every_months": months.astype("int64"),
            "reviews_per_year": (12 // months).astype("int64"),
        },
        index=tot.index,
    )
    out["frequency"] = i18n.categorical(pd.Series(step, index=tot.index), REVIEW_KEYS, lang)
    return out


def pick_client(clients: pd.DataFrame, number: int) -> str:
    """The id of the ``number``-th client (1 = the first row) of the clients table, for a notebook
    parameter that chooses whose review to show.

    >>> pick_client(pd.DataFrame({"client_id": ["C001", "C002"]}), 2)
    'C002'
    """
    func = "pick_client"
    cl = V.table(clients, func, ["client_id"], name="clients")
    V.ids(cl["client_id"], func, "client_id")
    k = V.integer(number, func, "number", 1, len(cl))
    return str(cl["client_id"].iloc[k - 1])
