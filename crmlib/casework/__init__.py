"""Computations behind the case-study notebooks in ``casework/`` (案例), one module per case.

Each case reuses the chapter modules where it can; what only a case needs lives in its module,
with the same conventions as every other crmlib module (validation through ``_validate``,
``CRMDataError`` naming the function, field and rows, a doctest per function). The cases' data
come from the seeded generators of :mod:`crmlib.datasets` (``make_casino_players`` …).

* :mod:`~crmlib.casework.harrahs` — Harrah's card tiers and comps (哈拉赌场), ``01_harrahs``;
* :mod:`~crmlib.casework.bank_lobby` — the bank lobby manager's triage (银行大堂经理), ``02_bank_lobby``;
* :mod:`~crmlib.casework.gas_station` — customer files and complaint follow-ups (加油站), ``03_gas_station``;
* :mod:`~crmlib.casework.rice_shop` — Wang Yongqing's rice deliveries (王永庆的米店), ``04_rice_shop``;
* :mod:`~crmlib.casework.relationship_manager` — the bank relationship manager's reviews (客户经理),
  ``05_bank_relationship_manager``;
* :mod:`~crmlib.casework.key_account` — a key-account plan (大客户管理计划), ``06_key_account_plan``.

Every public name is re-exported here: ``from crmlib import casework; casework.design_tiers(...)``.
"""

from __future__ import annotations

from crmlib.casework.bank_lobby import DESK_KEYS, lobby_reweigh, lobby_triage
from crmlib.casework.gas_station import (
    FOLLOW_KEYS,
    file_quota,
    follow_up_outcomes,
    monthly_files,
    winback_by_employee,
)
from crmlib.casework.harrahs import TIER_KEYS, comp_economics, comp_response, design_tiers, tier_summary
from crmlib.casework.key_account import key_account_plan
from crmlib.casework.relationship_manager import (
    REVIEW_KEYS,
    REVIEW_MONTHS,
    asset_mix,
    asset_mixes,
    asset_review,
    coverage_review,
    pick_client,
    review_frequency,
)
from crmlib.casework.rice_shop import (
    RICE_STATUS_KEYS,
    backtest_deliveries,
    delivery_plan,
    lead_days_tradeoff,
    rice_run_out,
    schedule_summary,
)

__all__ = [
    # case 1: Harrah's
    "TIER_KEYS",
    "design_tiers",
    "tier_summary",
    "comp_response",
    "comp_economics",
    # case 2: the bank lobby
    "DESK_KEYS",
    "lobby_triage",
    "lobby_reweigh",
    # case 3: the gas station
    "FOLLOW_KEYS",
    "file_quota",
    "monthly_files",
    "follow_up_outcomes",
    "winback_by_employee",
    # case 4: the rice shop
    "RICE_STATUS_KEYS",
    "rice_run_out",
    "delivery_plan",
    "backtest_deliveries",
    "schedule_summary",
    "lead_days_tradeoff",
    # case 5: the relationship manager
    "REVIEW_KEYS",
    "REVIEW_MONTHS",
    "coverage_review",
    "asset_review",
    "asset_mix",
    "asset_mixes",
    "review_frequency",
    "pick_client",
    # case 6: the key-account plan
    "key_account_plan",
]
