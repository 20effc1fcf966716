"""Start-here explorer (从这里开始): the glossary as a search box.

>>> g = glossary_search("RFM")
>>> g.result.index.tolist()
['rfm']
>>> glossary_search("RFM", lang="zh").result.loc["rfm", "释义"][:8]
'根据最近一次消费'
"""

from __future__ import annotations

import ipywidgets as W
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib.widgets.base import Explorer, _text


class GlossarySearch(Explorer):
    """A search box over :func:`crmlib.i18n.glossary`: type an English or Chinese word, see the matching
    terms with their definitions in the explorer's language."""

    def __init__(self, search: str = "", rows: int = 20, lang: str | None = None) -> None:
        self._search, self.rows = search, V.integer(rows, type(self).__name__, "rows", 1)
        super().__init__(draw=False, lang=lang)

    def controls(self):
        self.search = _text(
            self,
            "search",
            W.Text,
            self._search,
            description=self.say("w_glossary_search"),
            placeholder=self.say("w_glossary_hint"),
            continuous_update=True,
        )
        return [self.search]

    def compute(self) -> pd.DataFrame:
        return i18n.glossary(self.search.value.strip() or None, lang=self.lang)

    def describe(self, g: pd.DataFrame) -> str:
        head = self.say("w_glossary_terms", n=len(g))
        if len(g) > self.rows:
            head += self.say("w_glossary_first", rows=self.rows)
        return f"<p>{head}</p>" + g.head(self.rows).to_html(escape=True)


def glossary_search(search: str = "", rows: int = 20, lang: str | None = None) -> GlossarySearch:
    """The glossary (术语表) as a searchable table: a thin view over ``i18n.glossary(search, lang)``;
    with ``lang="zh"`` the headings and the definitions are Chinese.

    >>> g = glossary_search()
    >>> g.search.value = "二八"
    >>> g.result.index.tolist(), "80/20 rule" in g.text.value
    (['pareto'], True)
    >>> z = glossary_search("二八", lang="zh")
    >>> "大约80%的收入或利润来自大约20%的客户" in z.text.value, "释义" in z.text.value
    (True, True)
    """
    return GlossarySearch(search, rows=rows, lang=lang)
