"""Building the chapter's archive (建立客户档案): customer cards written from the accounts' figures
(:func:`customer_cards`, with the synthetic details of :func:`crmlib.datasets.make_card_details`)
and the whole archive from the committed datasets (:func:`build_archive`). Both stay here, above the
generators of :mod:`crmlib.datasets`: a card's grade and needs come from the topic modules
(:func:`crmlib.segmentation.abc_classes`, :func:`crmlib.loyalty.key_account_needs`), and
:func:`build_archive` fills an :class:`~crmlib.records.Archive`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError
from crmlib.datasets import assign_complaints, dataset_path, load_dataset, make_card_details, make_follow_ups
from crmlib.loyalty import key_account_needs
from crmlib.records._card import CARD_FIELDS
from crmlib.records._storage import Archive
from crmlib.segmentation import abc_classes


def _sentences(key: str, lang: str, **columns) -> list[str]:
    """The text ``key`` filled row by row from equally long columns of values."""
    return [i18n.text(key, lang, **dict(zip(columns, row))) for row in zip(*columns.values())]


def customer_cards(
    accounts: pd.DataFrame, seed: int = 2024, abc_cuts=(0.8, 0.95), as_of: Any = "2024-01-01", lang: str | None = None
) -> pd.DataFrame:
    """Customer cards (客户卡) for B2B accounts such as the ``accounts`` dataset, one row per account.

    The card's descriptive fields are written from the account's figures (``needs`` from
    :func:`crmlib.loyalty.key_account_needs`; finances, operations, purchasing, credit and relations
    from its ratios); ``grade`` is its ABC class by revenue (:func:`crmlib.segmentation.abc_classes`).
    Names, people, addresses, phones, birthdays and the owner (专人负责) are synthetic, drawn from
    ``seed`` (:func:`crmlib.datasets.make_card_details`); the card was created ``years_as_customer``
    years before ``as_of``. Text in ``lang``.

    >>> from crmlib.datasets import make_accounts
    >>> cards = customer_cards(make_accounts(n=20, seed=1), seed=1, lang="en")
    >>> cards.columns.tolist() == CARD_FIELDS, sorted(cards["grade"].unique())
    (True, ['A', 'B', 'C'])
    """
    func = "customer_cards"
    lang = i18n.resolve(lang, func)
    need = [
        "account_id",
        "industry",
        "region",
        "size",
        "employees",
        "years_as_customer",
        "revenue",
        "discounts",
        "revenue_growth",
        "avg_days_late",
        "on_time_share",
        "debt_ratio",
        "current_ratio",
        "collateral",
        "satisfaction",
        "partnership_interest",
        "payment_terms",
        "price_sensitivity",
    ]
    a = V.table(accounts, func, need, name="accounts")
    ids = V.unique(V.ids(a["account_id"], func, "account_id"), func, "account_id").astype(str)
    rev = V.numeric(a["revenue"], func, "revenue")
    num = {c: V.numeric(a[c], func, c, allow_negative=True).to_numpy() for c in need[4:] if c != "price_sensitivity"}
    with V.caller(func):
        details = make_card_details(a, seed=seed, as_of=as_of, lang=lang)
        grade = abc_classes(pd.Series(rev.to_numpy(), index=ids), cuts=abc_cuts, lang="en")["abc"]
        needs = key_account_needs(a, lang=lang).astype(str).to_numpy()
    grade = grade.astype(str).str[0].reindex(ids).to_numpy()
    disc = num["discounts"] / rev.to_numpy()
    written = {
        "finances": _sentences(
            "rec_card_finances",
            lang,
            debt=num["debt_ratio"],
            current=num["current_ratio"],
            collateral=num["collateral"],
        ),
        "operations": _sentences(
            "rec_card_operations",
            lang,
            industry=a["industry"],
            size=a["size"],
            staff=num["employees"].astype(int),
            growth=num["revenue_growth"],
        ),
        "purchasing": _sentences("rec_card_purchasing", lang, revenue=rev, discount=disc, terms=num["payment_terms"]),
        "credit": _sentences("rec_card_credit", lang, on_time=num["on_time_share"], late=num["avg_days_late"]),
        "relations": _sentences(
            "rec_card_relations",
            lang,
            years=num["years_as_customer"],
            satisfaction=num["satisfaction"],
            partnership=num["partnership_interest"],
        ),
    }
    out = pd.DataFrame(
        {
            **{c: details[c].to_numpy() for c in details.columns},
            "grade": grade,
            "needs": needs,
            **written,
            "notes": None,
        }
    )
    return out[CARD_FIELDS]


def build_archive(
    path: str | os.PathLike[str] = ":memory:", seed: int = 2024, abc_cuts=(0.8, 0.95), lang: str | None = None
) -> Archive:
    """The chapter's archive built from the committed datasets: cards from ``accounts``
    (:func:`customer_cards`), purchases imported from ``invoices.csv`` (invoice → ``ref``, account →
    ``customer_id``, issue date → ``date``), complaints from ``complaints``
    (:func:`crmlib.datasets.assign_complaints`) and generated follow-ups
    (:func:`crmlib.datasets.make_follow_ups`). ``path`` must not hold an archive yet.

    All or nothing, like the imports: the tables are written in one transaction, so that a build
    interrupted at any step leaves no half-built file, and running it again works.

    >>> arc = build_archive(seed=1)
    >>> arc.counts()["customers"], arc.counts()["purchases"]
    (400, 6022)
    """
    func = "build_archive"
    lang = i18n.resolve(lang, func)
    new_file = isinstance(path, (str, os.PathLike)) and str(path) != ":memory:" and not Path(path).expanduser().exists()
    arc = Archive(path, lang=lang)
    try:
        # all or nothing: every table in one transaction, so that a build interrupted at any step (an
        # error, Ctrl-C, even kill -9: SQLite rolls the journal back on the next opening) leaves the
        # file without a single row, and a second run starts afresh
        with arc._transaction(func):
            if any(arc.counts().values()):
                raise CRMDataError(func, "path", f"{str(path)!r} already holds an archive; pick a new file")
            accounts = load_dataset("accounts")
            cards = customer_cards(accounts, seed=seed, abc_cuts=abc_cuts, lang=lang)
            arc.add("customers", cards)
            arc.import_csv(
                "purchases",
                dataset_path("invoices"),
                columns={"invoice_id": "ref", "account_id": "customer_id", "issue_date": "date", "amount": "amount"},
            )
            arc.add(
                "complaints",
                assign_complaints(
                    load_dataset("complaints"), accounts.rename(columns={"account_id": "customer_id"}), seed=seed
                ),
            )
            arc.add("follow_ups", make_follow_ups(cards, seed=seed, lang=lang))
    except BaseException:
        arc.close()
        if new_file:  # nothing stays behind: not even the empty archive this call created
            Path(arc.path).unlink(missing_ok=True)
        raise
    return arc
