"""Chapter 6 explorer (客户档案): the customer search box over the archive.

>>> from crmlib.records import Archive
>>> arc = Archive(":memory:")
>>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1"], "name": ["王记米店"]}))
>>> customer_search(arc, lang="zh").text.value
'<p>输入客户名称或编号。</p>'
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
import pandas as pd

from crmlib._errors import CRMDataError
from crmlib.widgets.base import Explorer, _text


class CustomerSearch(Explorer):
    """Type a customer's name or number, see its card (客户卡查询): a thin view over
    :meth:`crmlib.records.Archive.search` and :meth:`~crmlib.records.Archive.customer_card`.

    Nothing is kept between searches (``keep = 0``): the archive may grow while the box is open."""

    def __init__(self, archive: Any, query: str = "", limit: int = 10, lang: str | None = None) -> None:
        from crmlib.records import Archive

        if not isinstance(archive, Archive):
            raise CRMDataError(
                "customer_search", "archive", f"must be a crmlib.records.Archive, got {type(archive).__name__}"
            )
        self.archive, self._query, self.limit = archive, query, limit
        self.matches = pd.DataFrame()
        super().__init__(draw=False, lang=lang if lang is not None else archive.lang)

    def controls(self):
        self.query = _text(
            self,
            "query",
            W.Text,
            self._query,
            description=self.say("w_search_customer"),
            placeholder=self.say("w_search_hint"),
            continuous_update=False,
        )
        return [self.query]

    def compute(self):
        """The card of the best match (exact number first), or None; ``matches`` lists all matches."""
        q = self.query.value.strip()
        self.matches = self.archive.search(q, limit=self.limit) if q else pd.DataFrame()
        if len(self.matches) == 0:
            return None
        return self.archive.customer_card(str(self.matches.index[0]), lang=self.lang)

    def describe(self, card) -> str:
        if not self.query.value.strip():
            return f"<p>{self.say('w_search_prompt')}</p>"
        if card is None:
            return f"<p>{self.say('w_search_none', query=html.escape(self.query.value))}</p>"
        n = len(self.matches)
        others = ", ".join(
            f"{html.escape(str(i))} {html.escape(str(v))}" for i, v in self.matches["name"].iloc[1:].items()
        )
        head = f"<p>{self.say('w_search_matches', n=n, others=others)}</p>" if n > 1 else ""
        return head + card._repr_html_()


def customer_search(archive: Any, query: str = "", limit: int = 10, lang: str | None = None) -> CustomerSearch:
    """A search box over the customer archive: name or number → the customer's card (Chapter 6).

    >>> from crmlib.records import Archive
    >>> arc = Archive(":memory:")
    >>> _ = arc.add("customers", pd.DataFrame({"customer_id": ["K1", "K2"], "name": ["王记米店", "李记粮行"]}))
    >>> s = customer_search(arc, lang="en")
    >>> s.query.value = "李记"
    >>> s.result.fields["customer_id"], "李记粮行" in s.text.value
    ('K2', True)
    """
    return CustomerSearch(archive, query=query, limit=limit, lang=lang)
