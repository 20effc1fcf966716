"""Case 6: a key-account plan (大客户管理计划) — ``casework/06_key_account_plan.ipynb``.

The accounts come from :func:`crmlib.datasets.make_accounts`; what each account wants most is
:func:`crmlib.loyalty.key_account_needs` (the archive's customer cards use it too).
"""

from __future__ import annotations

import pandas as pd

from crmlib import _validate as V
from crmlib.loyalty import allocate_resources, key_account_needs, key_accounts
from crmlib.selection import big_customer_risks, growth_potential


def key_account_plan(
    accounts: pd.DataFrame,
    top: float = 0.1,
    value_weight: float = 0.6,
    budget: float = 1_000_000.0,
    key_share: float = 0.6,
    horizon: int = 3,
    lang: str | None = None,
    id_col: str = "account_id",
) -> pd.DataFrame:
    """The key-account plan (大客户管理计划) in one table, one row per account, best priority first.

    * value = this year's ``revenue``; potential = the extra revenue ``horizon`` years of the current
      growth would bring, ``revenue × ((1 + growth) ** horizon − 1)``, never below 0
      (:func:`crmlib.selection.growth_potential`);
    * ``score``, ``priority`` and ``key_account`` (the ``top`` share by score) from
      :func:`crmlib.loyalty.key_accounts`; ``budget`` from :func:`crmlib.loyalty.allocate_resources`
      (``key_share`` of the budget to the key accounts);
    * ``need`` from :func:`crmlib.loyalty.key_account_needs`; the four big-customer risks and ``n_risks`` from
      :func:`crmlib.selection.big_customer_risks` (big = the ``top`` share by revenue).

    >>> from crmlib.datasets import make_accounts
    >>> plan = key_account_plan(make_accounts(n=40, seed=1), top=0.1)
    >>> int(plan["key_account"].sum()), plan["priority"].tolist()[:3]
    (4, [1, 2, 3])
    """
    func = "key_account_plan"
    a = V.table(accounts, func, [id_col, "revenue", "revenue_growth"], name="accounts")
    h = V.integer(horizon, func, "horizon", 1, 20)
    with V.caller(func):
        gp = growth_potential(a, horizon=h, id_col=id_col)
        revenue = gp["revenue"]
        potential = (gp["projected_revenue"] - revenue).clip(lower=0)
        ka = key_accounts(revenue, potential, top=top, value_weight=value_weight)
        out = ka.copy()
        out["budget"] = allocate_resources(ka, budget=budget, key_share=key_share)
        out["need"] = key_account_needs(a, lang=lang, id_col=id_col).to_numpy()
        risks = big_customer_risks(a, big_share=top, id_col=id_col)
    for col in ["financial_risk", "profit_risk", "management_risk", "churn_risk", "n_risks"]:
        out[col] = risks[col].to_numpy()
    out.index.name = id_col
    return out.sort_values("priority", kind="mergesort")
