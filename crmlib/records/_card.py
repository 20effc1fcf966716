"""The customer card (客户卡): the card's fields in the four groups of customer information, the
joined view :class:`Card` that :meth:`crmlib.records.Archive.customer_card` returns, and its HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmlib import i18n
from crmlib._errors import CRMDataError

#: the customer card's fields (客户卡), in the order of the card in the course text; the card's
#: unified number (客户卡的统一编号) is ``customer_id``, the key that links every table
CARD_FIELDS = [
    "customer_id",
    "name",
    "decision_maker",
    "grade",
    "address",
    "phone",
    "needs",
    "finances",
    "operations",
    "purchasing",
    "credit",
    "relations",
    "contact_person",
    "created_by",
    "created_on",
    "notes",
    "owner",
    "birthday",
]

#: the four groups of customer information (客户信息) and the card fields that hold each
INFO_GROUPS = {
    "rec_basic": ["customer_id", "name", "decision_maker", "contact_person", "address", "phone", "birthday"],
    "rec_traits": ["operations", "needs", "grade"],
    "rec_business": ["relations", "owner", "created_by", "created_on", "notes"],
    "rec_transactions": ["purchasing", "finances", "credit"],
}


@dataclass
class Card:
    """One customer's card (客户卡) joined with the linked tables: :meth:`Archive.customer_card`.

    ``fields`` holds the card (a dict by field name), ``follow_ups``, ``purchases``, ``complaints`` and
    ``history`` the linked rows (latest first), ``summary`` a few figures computed from them. In a
    notebook the card renders itself as HTML; :meth:`to_frame` gives the labelled fields.
    """

    fields: dict[str, Any]
    follow_ups: pd.DataFrame
    purchases: pd.DataFrame
    complaints: pd.DataFrame
    history: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"

    def to_frame(self) -> pd.DataFrame:
        """The card's fields with their labels and information group, one row per field.

        >>> from crmlib.records import Archive

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["Mill"], "grade": ["B"]}))
        >>> arc.customer_card("K1").to_frame().loc["grade", "value"]
        'B major'
        """
        group_of = {f: g for g, fs in INFO_GROUPS.items() for f in fs}
        rows = []
        for f in CARD_FIELDS:
            v = self.fields.get(f)
            if f == "grade" and v is not None:
                v = i18n.label(v, self.lang)
            rows.append((f, i18n.label(f"rec_{f}", self.lang), i18n.label(group_of[f], self.lang), v))
        return pd.DataFrame(rows, columns=["field", "label", "group", "value"]).set_index("field")

    def to_dict(self) -> dict[str, Any]:
        """Everything on the card as plain Python (field values, summary, linked rows as lists of dicts).

        >>> from crmlib.records import Archive

        >>> arc = Archive(":memory:")
        >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["Mill"]}))
        >>> sorted(arc.customer_card("K1").to_dict())
        ['complaints', 'fields', 'follow_ups', 'history', 'purchases', 'summary']
        """

        def rows(df: pd.DataFrame) -> list[dict]:
            return df.astype(object).where(df.notna(), None).to_dict("records")

        return {
            "fields": dict(self.fields),
            "summary": dict(self.summary),
            "follow_ups": rows(self.follow_ups),
            "purchases": rows(self.purchases),
            "complaints": rows(self.complaints),
            "history": rows(self.history),
        }

    def _repr_html_(self) -> str:
        return card_html(self)

    def __repr__(self) -> str:
        f = self.fields
        return (
            f"<customer card {f.get('customer_id')}: {f.get('name')}, grade {f.get('grade')}, "
            f"{len(self.purchases)} purchases, {len(self.follow_ups)} follow-ups shown, "
            f"{len(self.complaints)} complaints>"
        )


def card_html(card: Card) -> str:
    """The card rendered as an HTML block (every value escaped), grouped like the four kinds of customer
    information, followed by the summary and the latest follow-ups and purchases.

    >>> from crmlib.records import Archive

    >>> arc = Archive(":memory:")
    >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["<b>Mill</b>"]}))
    >>> "&lt;b&gt;Mill&lt;/b&gt;" in card_html(arc.customer_card("K1"))
    True
    """
    if not isinstance(card, Card):
        raise CRMDataError("card_html", "card", f"must be a Card from Archive.customer_card, got {type(card).__name__}")
    lang = card.lang
    esc = lambda v: "—" if v is None or (isinstance(v, float) and np.isnan(v)) else html.escape(str(v))  # noqa: E731
    frame = card.to_frame()
    parts = [
        f"<div style='border:1px solid #999;border-radius:6px;padding:8px 12px;max-width:820px;"
        f"font-size:13px'><div style='font-size:16px;font-weight:bold'>{i18n.label('rec_card', lang)} "
        f"№ {esc(card.fields.get('customer_id'))} — {esc(card.fields.get('name'))}</div>"
    ]
    for g in INFO_GROUPS:
        parts.append(
            f"<div style='margin-top:6px;font-weight:bold;color:#555'>{i18n.label(g, lang)}</div>"
            "<table style='border-collapse:collapse'>"
        )
        for f in INFO_GROUPS[g]:
            parts.append(
                f"<tr><td style='padding:1px 10px 1px 0;color:#555;text-align:left'>"
                f"{html.escape(frame.loc[f, 'label'])}</td><td style='text-align:left'>"
                f"{esc(frame.loc[f, 'value'])}</td></tr>"
            )
        parts.append("</table>")
    s = card.summary
    parts.append(
        f"<div style='margin-top:6px;font-weight:bold;color:#555'>{i18n.label('rec_summary', lang)}</div>"
        + "<br>".join(f"{html.escape(i18n.label(f'rec_{k}', lang))}: {esc(v)}" for k, v in s.items())
    )
    for key, df in (
        ("rec_latest_follow_ups", card.follow_ups.head(3)),
        ("rec_latest_purchases", card.purchases.head(5)),
    ):
        parts.append(f"<div style='margin-top:6px;font-weight:bold;color:#555'>{i18n.label(key, lang)}</div>")
        if len(df) == 0:
            parts.append("—")
        else:
            shown = df.drop(columns=[c for c in df.columns if c.endswith("_id")]).dropna(axis=1, how="all")
            shown = shown.rename(
                columns={c: i18n.label(f"rec_{c}", lang) for c in shown.columns if f"rec_{c}" in i18n.GLOSSARY}
            )
            parts.append(shown.to_html(index=False, escape=True, border=0, na_rep="—", float_format="{:,.2f}".format))
    parts.append("</div>")
    return "".join(parts)
