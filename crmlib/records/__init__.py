"""The customer archive (客户档案) — Chapter 6.

A customer file is only useful if it is kept complete, current and in one place. This package keeps
it in a SQLite database (stdlib ``sqlite3``, a single file or ``":memory:"``), in three parts:

* storage (:mod:`crmlib.records._storage`): :class:`Archive` — four linked tables, as the course
  texts advise for anyone keeping records in tables (信息的分离与整合): ``customers`` (the customer
  card, 客户卡), ``follow_ups`` (跟进记录), ``purchases`` (购买记录) and ``complaints`` (投诉记录), linked
  by ``customer_id`` with foreign keys enforced, plus ``history`` (修改记录: who changed what, when).
  The schema version is kept in ``PRAGMA user_version`` and older files are migrated when opened.
  :meth:`Archive.import_csv` is all or nothing: one transaction per file; a bad row aborts the whole
  file with a ``CRMDataError`` naming the row and the field, and the database is left as it was
  (also if the process is killed half-way). UTF-8, UTF-8 with BOM and GBK/GB18030 files (Chinese
  Excel exports) are read through :mod:`crmlib._io`. :meth:`Archive.update_customer` is dynamic
  management (动态管理): every change of a card field writes a history row (old → new, who, when, why);
  :meth:`Archive.correct` and :meth:`Archive.delete` do the same for a follow-up, purchase or
  complaint, so every kind of record can be corrected and the old values stay in the history.
  The card's ``owner`` is the one person responsible (专人负责). Every date written must lie in
  :data:`DATE_RANGE` (1900-01-01 to 2262-04-11: a year ``0024`` or a placeholder ``9999-12-31`` is
  refused); :meth:`Archive.bad_dates` lists those an older file may hold, which the exports leave
  out with a :class:`crmlib.CRMDataWarning`.
* the card view (:mod:`crmlib.records._card`): :meth:`Archive.customer_card` returns a :class:`Card`
  — card + latest follow-ups + purchase history + grade, as dicts/DataFrames and as an HTML card in a
  notebook (:func:`card_html`).
* analyses (:mod:`crmlib.records._analysis`), pure functions over :meth:`Archive.to_frames`:
  :func:`info_groups`, :func:`contact_intensity` (突出重点), :func:`owner_book` (专人负责) and the
  purchase-cycle forecast after Wang Yongqing's rice shop (王永庆的米店), :func:`purchase_cycle` and
  :func:`contact_plan`, behind :meth:`Archive.reminders` (主动联系名单) and the rice-shop case, and
  :func:`reminder_summary`, that list by grade;
  :meth:`Archive.birthdays` is the birthday file (生日档案).

:func:`customer_cards` and :func:`build_archive` (:mod:`crmlib.records._build`) write the chapter's
archive from the committed datasets, with the seeded generators of :mod:`crmlib.datasets`
(:func:`crmlib.datasets.make_card_details`, :func:`~crmlib.datasets.make_follow_ups`,
:func:`~crmlib.datasets.assign_complaints`).

Each write is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, ``ROLLBACK`` on any error) in SQLite's default
rollback journal: if the process dies half-way, even by ``kill -9``, the next opening of the file rolls the
unfinished transaction back (``tests/test_records.py`` kills an import of 200,000 rows to prove it), and
:func:`build_archive` writes all its tables in one. A lock held by another connection is waited for up to
the busy timeout (``Archive(path, timeout=5.0)``); then the write is rolled back — also when it is the
COMMIT that is refused — and a ``CRMDataError`` says what to do. Creating or migrating the schema is one
write transaction too, so several processes may open a new or old file at once.

Every value reaches SQLite as a ``?`` parameter; table and column names come only from the fixed
schema, never from the caller, so a customer called ``Robert'); DROP TABLE customers;--`` is
stored as that text. Every bad input raises :class:`crmlib.CRMDataError`, never a raw sqlite3 or
pandas error.

>>> import pandas as pd
>>> arc = Archive(":memory:")
>>> arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["王记米店"], "grade": ["A"]}))
1
>>> arc.customer_card("K1").fields["name"]
'王记米店'
"""

from __future__ import annotations

from crmlib.datasets import OWNERS  # the sales team who own the cards (专人负责); the chapter's notebook reads it here
from crmlib.records._analysis import (
    contact_intensity,
    contact_plan,
    info_groups,
    owner_book,
    purchase_cycle,
    reminder_summary,
)
from crmlib.records._build import build_archive, customer_cards
from crmlib.records._card import CARD_FIELDS, INFO_GROUPS, Card, card_html
from crmlib.records._storage import DATE_RANGE, GRADES, MIGRATIONS, SCHEMA_VERSION, TABLES, Archive

__all__ = [
    # storage
    "Archive",
    "SCHEMA_VERSION",
    "TABLES",
    "MIGRATIONS",
    "GRADES",
    "DATE_RANGE",
    # the card view
    "Card",
    "card_html",
    "CARD_FIELDS",
    "INFO_GROUPS",
    # analyses
    "info_groups",
    "contact_intensity",
    "owner_book",
    "purchase_cycle",
    "contact_plan",
    "reminder_summary",
    # building the chapter's archive
    "customer_cards",
    "build_archive",
    "OWNERS",
]
