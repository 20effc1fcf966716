"""Bundled datasets and the seeded generators behind them (数据集).

Synthetic tables feed the whole workbook (``list_datasets()`` names them; the datasheet is
``datasets/README.md``):

* ``retail_transactions`` — a retail purchase log (交易记录) made by :func:`make_transactions`,
  one row per purchase, with customer-level region, segment and preferred channel. The purchase
  process is the BG/NBD story (each customer buys at a gamma-distributed rate until a
  beta-distributed dropout ends the relationship), so recency, frequency and monetary value
  (RFM), customer lifetime value (CLV) and "lost" customers all behave as in real data.
* ``customer_wallets`` — the estimated yearly category spend (钱包) of each of those customers, made
  by :func:`make_wallets` with the same seed, for share of wallet and the value matrix's potential
  value (chapter 1).
* ``prospects`` — a prospect list (准客户名单) made by :func:`make_prospects` for the MAN rule
  (money · authority · need) and the deal-time classes.
* ``accounts`` and ``invoices`` — B2B accounts (客户档案) with the figures behind customer
  selection and credit (5C), and their invoices for receivables aging (应收账款), made by
  :func:`make_accounts` and :func:`make_invoices` (chapter 2).
* ``leads`` — a sales pipeline (销售线索) by prospecting channel with the AIDMAS stage reached,
  contacts, costs and MAN flags, made by :func:`make_leads` (chapter 3).
* ``survey`` and ``complaints`` — a satisfaction survey on 8 categories × 40 indicators (满意度调查)
  and a complaints log through the six handling steps (投诉记录), made by :func:`make_survey` and
  :func:`make_complaints` (chapter 4).
* ``cdnow_sample`` — the real CDNOW purchase sample of the CLV literature (Fader & Hardie), shipped
  as data, not generated; :func:`regenerate` leaves it alone (chapter 5).
* ``cdnow_master`` — the full CDNOW purchase log the sample was drawn from (23,570 customers,
  69,659 purchases, a gzipped CSV), real data beside the synthetic shop in chapter 1; not generated.

The case studies of ``casework/`` and the archive of chapter 6 draw their data from seeded
generators too, kept here with the others (nothing of theirs is committed as a CSV):
:func:`make_casino_players`, :func:`make_lobby_visitors`, :func:`make_station`,
:func:`make_rice_purchases`, :func:`make_bank_clients` (one per case) and :func:`make_card_details`,
:func:`make_follow_ups`, :func:`assign_complaints` (the customer archive).

The committed CSVs in the top-level ``datasets/`` folder (installed as ``crmlib._data``) are the
generators' output with their default arguments; :func:`regenerate` (``crmlib data regenerate``,
``make data``) rewrites them byte-identically. :func:`load_dataset` reads them through
``importlib.resources``, so it works from any install and any working directory.

>>> {"prospects", "retail_transactions"} <= set(list_datasets())
True
>>> load_dataset("prospects").shape
(600, 7)

The loaders are :mod:`crmlib.datasets._base`, the generators :mod:`crmlib.datasets._generators`
(chapters), :mod:`crmlib.datasets._case_generators` and :mod:`crmlib.datasets._record_generators`;
everything is used through ``crmlib.datasets``.
"""

from __future__ import annotations

from crmlib.datasets._base import (
    CDNOW_CALIBRATION_END,
    dataset_path,
    list_datasets,
    load_dataset,
    read_csv,
    regenerate,
)
from crmlib.datasets._case_generators import (
    ASSET_CLASSES,
    LOBBY_PURPOSES,
    POLICIES,
    make_bank_clients,
    make_casino_players,
    make_lobby_visitors,
    make_rice_purchases,
    make_station,
)
from crmlib.datasets._generators import (
    ACCOUNT_SIZES,
    AIDMAS,
    CHANNELS,
    COMPLAINT_CAUSES,
    COMPLAINT_CHANNELS,
    COMPLAINT_STEPS,
    INDUSTRIES,
    LEAD_CONTACT_COST,
    LEAD_STATUSES,
    REGIONS,
    ROWS_PER_CUSTOMER,
    SEGMENTS,
    SOURCES,
    SURVEY_CATEGORIES,
    SURVEY_CODES,
    SURVEY_SEGMENTS,
    make_accounts,
    make_complaints,
    make_invoices,
    make_leads,
    make_prospects,
    make_survey,
    make_transactions,
    make_wallets,
)
from crmlib.datasets._record_generators import (
    FOLLOW_UP_CHANNELS,
    FOLLOW_UP_DAYS,
    OWNERS,
    assign_complaints,
    make_card_details,
    make_follow_ups,
)

__all__ = [
    # loading the committed files
    "load_dataset",
    "read_csv",
    "list_datasets",
    "dataset_path",
    "regenerate",
    "CDNOW_CALIBRATION_END",
    # the chapters' generators and their vocabularies
    "make_transactions",
    "make_wallets",
    "make_prospects",
    "make_accounts",
    "make_invoices",
    "make_leads",
    "make_survey",
    "make_complaints",
    "CHANNELS",
    "REGIONS",
    "SEGMENTS",
    "SOURCES",
    "ROWS_PER_CUSTOMER",
    "INDUSTRIES",
    "ACCOUNT_SIZES",
    "AIDMAS",
    "LEAD_STATUSES",
    "LEAD_CONTACT_COST",
    "SURVEY_CATEGORIES",
    "SURVEY_CODES",
    "SURVEY_SEGMENTS",
    "COMPLAINT_CAUSES",
    "COMPLAINT_CHANNELS",
    "COMPLAINT_STEPS",
    # the case studies' generators
    "make_casino_players",
    "make_lobby_visitors",
    "make_station",
    "make_rice_purchases",
    "make_bank_clients",
    "LOBBY_PURPOSES",
    "ASSET_CLASSES",
    "POLICIES",
    # the customer archive's generators
    "make_card_details",
    "make_follow_ups",
    "assign_complaints",
    "OWNERS",
    "FOLLOW_UP_CHANNELS",
    "FOLLOW_UP_DAYS",
]
