"""Editions in other languages (语言版本): the Chinese notebooks, generated from the English ones.

The English notebook is the one source of all code. The Chinese text of its markdown cells lives
in a Markdown file that a reviewer reads top to bottom like the chapter, and the Chinese notebook
is generated from the two, the way ``crmlib release`` generates the student copies::

    notebooks/00_start_here.ipynb          the English notebook (code, English text)
    notebooks/zh/text/00_start_here.md     its Chinese text, keyed to the cells' ids
    notebooks/zh/00_start_here.ipynb       the Chinese edition: generated, never edited by hand

The same layout holds for ``casework/`` and for any other language code of
``crmlib.i18n.LANGUAGES``. In the text file each markdown cell of the English notebook has a
marker line, followed by its Chinese markdown up to the next marker::

    <!-- cell start-03 en:6b8e1f0a -->
    ## 1. 什么是客户关系管理

``start-03`` is the cell's id and ``6b8e1f0a`` a short hash of the English source the Chinese was
written against (:func:`source_hash`; whitespace does not count, so re-wrapping an English
paragraph changes nothing). When the English cell changes, the hash no longer matches and the
check names the cell and shows the English diff (found in the git history); the writer brings the
Chinese up to date and puts the new hash, which the message gives, into the marker.

The edition is the English notebook with every markdown cell replaced by its Chinese text,
``lang = "en"`` in the ``parameters`` cell set to the edition's language, every other code cell
byte-identical, outputs cleared, and a note in the notebook metadata (``crmlib_edition``) saying it
is generated and from what. Links to another chapter of the same folder (``01_identification.ipynb``)
lead to that chapter's edition once it has one, and to the English chapter (``../01_...``) until then.

A notebook without a text file simply has no edition yet (reported, not a failure); a notebook
with one must be complete and current. ``crmlib editions`` (``make editions``) writes every
edition; ``crmlib editions --check`` writes nothing and exits 1 when one is stale.

>>> nb = _tiny_english()
>>> text = f"{marker('md-0', '# Title')}\\n# 标题\\n\\n{marker('md-3', 'Please answer.')}\\n请回答。\\n"
>>> [c.source for c in build_edition(nb, parse_text(text), "zh").cells]
['# 标题', 'lang = "zh"  # label language', 'answer = 42', '请回答。']
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from crmlib._errors import CRMDataError
from crmlib.i18n import LANGUAGES

#: the language of the source notebooks
SOURCE_LANG = "en"
#: how the messages name a language
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
#: the folders of the workbook that hold English notebooks (each may have editions below it)
FOLDERS = ("notebooks", "casework")
#: the notebook metadata key of the note saying that an edition is generated
META_KEY = "crmlib_edition"
#: the start of the placeholder comment that :func:`scaffold_text` writes for a missing text
PLACEHOLDER = "<!-- TODO"

_MARKER = re.compile(r"^<!--\s*cell\s+(?P<id>\S+)\s+en:(?P<hash>[0-9a-f]{8})\s*-->\s*$")
_MARKER_LIKE = re.compile(r"^\s*<!--\s*cell\b")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LANG_LINE = re.compile(r"^(?P<head>lang\s*=\s*)(?P<q>[\"'])en(?P=q)", re.M)
# a markdown link or image target: [text](target "title") or ![alt](<target>)
_LINK = re.compile(r"(?P<head>\]\(\s*<?)(?P<target>[^)\s>]+)(?P<tail>>?(?:\s+\"[^\"]*\")?\s*\))")
_HTML_LINK = re.compile(r"(?P<head>\b(?:href|src)=[\"'])(?P<target>[^\"']+)(?P<tail>[\"'])")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


# ------------------------------------------------------------------------------------ checks of input
def _lang(lang: Any, func: str) -> str:
    if lang not in LANGUAGES or lang == SOURCE_LANG:
        others = [x for x in LANGUAGES if x != SOURCE_LANG]
        raise CRMDataError(func, "lang", f"must be the language of an edition, one of {others}, got {lang!r}")
    return lang


def _check_nb(nb: Any, func: str, field: str = "nb") -> None:
    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        raise CRMDataError(func, field, f"must be a notebook read with nbformat.read, got {type(nb).__name__}")
    no_id = [i for i, c in enumerate(nb.cells) if not c.get("id")]
    if no_id:
        raise CRMDataError(
            func, field, "has cells without an id (save it with nbformat >= 4.5 to give them one)", rows=no_id[:5]
        )


def _check_cells(cells: Any, func: str) -> list[TextCell]:
    if isinstance(cells, (str, bytes)) or not isinstance(cells, Iterable):
        raise CRMDataError(func, "cells", f"must be the list parse_text returns, got {type(cells).__name__}")
    cells = list(cells)
    bad = [i for i, c in enumerate(cells) if not isinstance(c, TextCell)]
    if bad:
        raise CRMDataError(func, "cells", "must hold the TextCell entries parse_text returns", rows=bad[:5])
    return cells


def _text(value: Any, func: str, field: str) -> str:
    if not isinstance(value, str):
        raise CRMDataError(func, field, f"must be a text, got {type(value).__name__}")
    return value


def _path(value: Any, func: str, field: str) -> Path:
    if not isinstance(value, (str, os.PathLike)):
        raise CRMDataError(func, field, f"must be a file or folder path, got {value!r} ({type(value).__name__})")
    return Path(value)


def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


# ------------------------------------------------------------------------------------- the text file
@dataclass(frozen=True)
class TextCell:
    """The text of one cell in a language's text file: the cell id, the hash of the English source
    it was written against, the text (blank lines around it removed) and the marker's line number."""

    cell_id: str
    en_hash: str
    text: str
    line: int


def source_hash(source: str) -> str:
    """A short hash (8 hex digits) of an English cell's source; runs of whitespace count as one space.

    >>> source_hash("Customers are *assets*.") == source_hash("Customers  are\\n*assets*.  ")
    True
    >>> source_hash("Customers are *assets*.")
    '88c421e2'
    """
    text = " ".join(_text(source, "source_hash", "source").split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def marker(cell_id: str, source: str) -> str:
    """The marker line of a cell in a text file: its id and the hash of its English source.

    >>> marker("start-03", "Customers are *assets*.")
    '<!-- cell start-03 en:88c421e2 -->'
    """
    if not isinstance(cell_id, str) or not re.fullmatch(r"\S+", cell_id):
        raise CRMDataError("marker", "cell_id", f"must be a cell id without spaces, got {cell_id!r}")
    return f"<!-- cell {cell_id} en:{source_hash(source)} -->"


def parse_text(text: str, where: str = "text") -> list[TextCell]:
    """The cells of a text file, in file order (checked against the notebook by :func:`text_problems`).

    Before the first marker only HTML comments may stand (a header for the reader); a line that
    starts like a marker but is not one is refused, so a typo cannot hide a cell.

    >>> t = "<!-- header -->\\n<!-- cell a1 en:0123abcd -->\\n\\n# 标题\\n\\n<!-- cell a2 en:89abcdef -->\\n正文。\\n"
    >>> [(c.cell_id, c.en_hash, c.text, c.line) for c in parse_text(t)]
    [('a1', '0123abcd', '# 标题', 2), ('a2', '89abcdef', '正文。', 6)]
    >>> parse_text("<!-- cell a1 en:xyz -->\\n文字", "zh/text/00.md")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: parse_text: field 'zh/text/00.md' line 1 looks like a marker but is not one: ...
    """
    text = _text(text, "parse_text", "text")
    where = _text(where, "parse_text", "where")
    cells: list[TextCell] = []
    current: tuple[str, str, int] | None = None
    body: list[str] = []
    preamble: list[str] = []

    def close() -> None:
        if current is not None:
            cells.append(TextCell(current[0], current[1], "\n".join(body).strip("\n").rstrip(), current[2]))

    for n, line in enumerate(text.splitlines(), start=1):
        m = _MARKER.match(line)
        if m:
            close()
            current, body = (m["id"], m["hash"], n), []
        elif _MARKER_LIKE.match(line):
            raise CRMDataError(
                "parse_text",
                where,
                f"line {n} looks like a marker but is not one: {line.strip()!r}",
                detail="write <!-- cell CELL_ID en:HASH --> with the 8-digit hash the check gives",
            )
        elif current is None:
            preamble.append(line)
        else:
            body.append(line)
    close()
    stray = _COMMENT.sub("", "\n".join(preamble)).strip()
    if stray:
        raise CRMDataError(
            "parse_text",
            where,
            f"has text before its first marker, which belongs to no cell: {stray.splitlines()[0][:60]!r}",
        )
    return cells


def _is_empty(text: str) -> bool:
    return not _COMMENT.sub("", text).strip()


def _english_diff(old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "English the text was written for", "English now", lineterm="", n=1
    )
    return "\n".join("      " + line for line in lines)


def text_problems(
    nb,
    cells: Sequence[TextCell],
    where: str = "text",
    previous: Callable[[str, str], str | None] | None = None,
    lang: str = "zh",
) -> list[str]:
    """What keeps a text from being complete and current for the English notebook ``nb``.

    One message per problem, each naming ``where`` (the text file), the cell and its line:
    a markdown cell without a marker or with an empty text (or only the scaffold's placeholder),
    an English cell changed since its text was written (the hash differs: the message gives the
    new marker and, when ``previous(cell_id, hash)`` finds the old English source, the diff), a
    marker for a cell that no longer exists or is not a markdown cell, a cell given twice, and
    markers out of the notebook's order.

    >>> nb = _tiny_english()
    >>> text_problems(nb, parse_text(scaffold_text(nb)), "zh.md")    # doctest: +NORMALIZE_WHITESPACE
    ['zh.md: cell md-0 (line 6) has no Chinese text yet (only the placeholder)',
     'zh.md: cell md-3 (line 11) has no Chinese text yet (only the placeholder)']
    """
    _check_nb(nb, "text_problems")
    cells = _check_cells(cells, "text_problems")
    where = _text(where, "text_problems", "where")
    name = LANGUAGE_NAMES.get(_lang(lang, "text_problems"), lang)
    if previous is not None and not callable(previous):
        raise CRMDataError(
            "text_problems", "previous", f"must be a function (cell_id, hash) -> source, got {previous!r}"
        )
    by_id = {c.id: c for c in nb.cells}
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    problems, seen = [], {}
    for t in cells:
        at = f"{where}: cell {t.cell_id} (line {t.line})"
        if t.cell_id in seen:
            problems.append(f"{at} is given twice (first at line {seen[t.cell_id]}); keep one text")
            continue
        seen[t.cell_id] = t.line
        cell = by_id.get(t.cell_id)
        if cell is None:
            problems.append(f"{at} no longer exists in the English notebook; delete its text (or fix the id)")
            continue
        if cell.cell_type != "markdown":
            problems.append(f"{at} is a {cell.cell_type} cell in the English notebook; only markdown cells have texts")
            continue
        now = source_hash(cell.source)
        if PLACEHOLDER in t.text and not _is_empty(t.text):
            problems.append(f"{at} still holds the placeholder comment of the scaffold; delete it")
        if _is_empty(t.text) and cell.source.strip():
            placeholder = " (only the placeholder)" if PLACEHOLDER in t.text else ""
            problems.append(f"{at} has no {name} text yet{placeholder}")
        elif t.en_hash != now:
            msg = (
                f"{at}: the English cell changed since this text was written (en:{t.en_hash}, now en:{now}); "
                f"bring the text up to date, then change its marker to {marker(t.cell_id, cell.source)}"
            )
            old = previous(t.cell_id, t.en_hash) if previous is not None else None
            if old is None:
                msg += (
                    "\n      (the English it was written for is not in the git history; compare with the English now)"
                )
            else:
                msg += "\n" + _english_diff(old, cell.source)
            problems.append(msg)
    for c in markdown:
        if c.id not in seen:
            problems.append(
                f"{where}: cell {c.id} has no text: add {marker(c.id, c.source)} and the text below it "
                "(crmlib editions --scaffold adds the missing markers)"
            )
    order = {c.id: i for i, c in enumerate(nb.cells)}
    positions = [
        (order[t.cell_id], t) for t in cells if t.cell_id in order and by_id[t.cell_id].cell_type == "markdown"
    ]
    for (a, ta), (b, tb) in zip(positions, positions[1:]):
        if b < a:
            problems.append(
                f"{where}: cell {tb.cell_id} (line {tb.line}) stands after cell {ta.cell_id}, but comes before it "
                "in the English notebook; keep the texts in the notebook's order"
            )
            break
    return problems


_CODE_SPAN = re.compile(r"`[^`]*`")
_BRACKETS = re.compile(r"\s*[(（][^)）]*[)）]")


def _plain(term: str) -> str:
    """A glossary term without its explanation in brackets: 'mature (closes within 1 month)' -> 'mature'."""
    return _BRACKETS.sub("", term).strip()


def key_terms(lang: str = "zh") -> dict[str, tuple[str, tuple[str, ...]]]:
    """The glossary's terms a text must carry over, by their English (lower case): (glossary key,
    the terms in ``lang`` that name it). These are the terms of two or more words ("customer value
    matrix", "share of wallet"): a single word such as "value", "strategy" or "lost" is also plain
    English, and the glossary's sense of it is not always the prose's. An entry whose English starts
    with a class letter ("A key") is a table label.

    >>> key_terms()["customer value matrix"]
    ('value_matrix', ('客户价值矩阵',))
    >>> "recency" in key_terms(), "80/20 rule" in key_terms()
    (False, True)
    """
    from crmlib.i18n import GLOSSARY, LANGUAGES as langs

    at = langs.index(_lang(lang, "key_terms"))
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, entry in GLOSSARY.items():
        en = _plain(entry[0]).lower()
        words = en.split()
        if len(words) < 2 or len(words[0]) == 1:
            continue
        key0, names = out.get(en, (key, ()))
        name = _plain(entry[at])
        out[en] = (key0, names if name in names else (*names, name))
    return out


def _uses(text: str, term: str) -> bool:
    """Whether ``text`` (spaces and emphasis ignored) holds ``term``; a term of four characters or
    more may have up to two characters between its characters ('累计占比' in '累计客户占比')."""
    text, term = re.sub(r"[\s*_]", "", text), re.sub(r"\s", "", term)
    if term in text:
        return True
    if len(term) < 4:
        return False
    return re.search(".{0,2}".join(map(re.escape, term)), text) is not None


def term_problems(nb, cells: Sequence[TextCell], where: str = "text", lang: str = "zh") -> list[str]:
    """The key terms (:func:`key_terms`) that an English markdown cell of ``nb`` uses and whose
    glossary term in ``lang`` the cell's text does not: one message per cell and term, naming the
    glossary key. Code spans and link targets of the English do not count. ``crmlib editions``
    reports these with a text's other problems, so an edition is not built until they are fixed.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("The **customer value matrix** crosses two values.")]
    >>> nb.cells[0]["id"] = "md-0"
    >>> term_problems(nb, [TextCell("md-0", "", "客户价值矩阵把两种价值交叉起来。", 3)], "zh.md")
    []
    >>> for p in term_problems(nb, [TextCell("md-0", "", "价值矩阵把两种价值交叉起来。", 3)], "zh.md"):
    ...     print(p)
    zh.md: cell md-0 (line 3): the English uses the term "customer value matrix"; write the glossary's Chinese term 客户价值矩阵 (crmlib.i18n.GLOSSARY["value_matrix"])
    """  # noqa: E501
    _check_nb(nb, "term_problems")
    cells = _check_cells(cells, "term_problems")
    where = _text(where, "term_problems", "where")
    name = LANGUAGE_NAMES.get(_lang(lang, "term_problems"), lang)
    terms = key_terms(lang)
    by_id = {c.id: c for c in nb.cells if c.cell_type == "markdown"}
    problems = []
    for t in cells:
        cell = by_id.get(t.cell_id)
        if cell is None or _is_empty(t.text):
            continue
        english = _LINK.sub("]", _CODE_SPAN.sub(" ", _COMMENT.sub(" ", cell.source)))
        for en, (key, names) in terms.items():
            pattern = r"(?<![A-Za-z])" + re.escape(en).replace(r"\ ", r"\s+") + r"(?:s|es)?(?![A-Za-z])"
            if re.search(pattern, english, re.I) and not any(_uses(t.text, n) for n in names):
                problems.append(
                    f'{where}: cell {t.cell_id} (line {t.line}): the English uses the term "{en}"; write the '
                    f'glossary\'s {name} term {" or ".join(names)} (crmlib.i18n.GLOSSARY["{key}"])'
                )
    return problems


# ---------------------------------------------------------------------------------- building editions
def with_language(source: str, lang: str, where: str = "notebook") -> str:
    """The ``parameters`` cell's source with its ``lang = "en"`` line set to ``lang`` (comment kept).

    >>> with_language('seed = 1\\nlang = "en"  # "en" or "zh"', "zh")
    'seed = 1\\nlang = "zh"  # "en" or "zh"'
    """
    source = _text(source, "with_language", "source")
    lang = _lang(lang, "with_language")
    found = _LANG_LINE.findall(source)
    if len(found) != 1:
        raise CRMDataError(
            "with_language",
            "parameters",
            f'the parameters cell of {where} needs exactly one line lang = "en", found {len(found)}',
        )
    return _LANG_LINE.sub(lambda m: f"{m['head']}{m['q']}{lang}{m['q']}", source)


def _targets(markdown: str) -> list[str]:
    return [m["target"] for rx in (_LINK, _HTML_LINK) for m in rx.finditer(markdown)]


def relink(markdown: str, links: Mapping[str, str]) -> str:
    """``markdown`` with the link targets in ``links`` replaced (a ``#section`` after them kept).

    >>> relink("[ch 1](01_identification.ipynb#rfm) and [web](https://x.org)", {"01_identification.ipynb": "../01_identification.ipynb"})
    '[ch 1](../01_identification.ipynb#rfm) and [web](https://x.org)'
    """  # noqa: E501
    markdown = _text(markdown, "relink", "markdown")
    if not isinstance(links, Mapping):
        raise CRMDataError("relink", "links", f"must map link targets to their replacements, got {links!r}")

    def sub(m: re.Match) -> str:
        target = m["target"]
        path, hashmark, frag = target.partition("#")
        key = path[2:] if path.startswith("./") else path
        if key in links:
            target = links[key] + hashmark + frag
        return m["head"] + target + m["tail"]

    return _HTML_LINK.sub(sub, _LINK.sub(sub, markdown))


def build_edition(
    nb,
    cells: Sequence[TextCell],
    lang: str = "zh",
    source: str = "",
    text: str = "",
    links: Mapping[str, str] | None = None,
):
    """The edition of the English notebook ``nb`` in ``lang``, from the parsed text ``cells``.

    Refuses (``CRMDataError``) a text that :func:`text_problems` finds fault with. ``source`` and
    ``text`` (the paths of the English notebook and of the text file) go into the metadata note;
    ``links`` maps link targets to their replacements (see :func:`relink`).

    >>> nb = _tiny_english()
    >>> cells = [TextCell("md-0", source_hash("# Title"), "# 标题", 1)]
    >>> build_edition(nb, cells, "zh", text="t.md")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: build_edition: field 'text' is not complete and current: t.md: cell md-3 ...
    """
    _check_nb(nb, "build_edition")
    cells = _check_cells(cells, "build_edition")
    lang = _lang(lang, "build_edition")
    source = _text(source, "build_edition", "source")
    text = _text(text, "build_edition", "text")
    links = {} if links is None else links
    if not isinstance(links, Mapping):
        raise CRMDataError("build_edition", "links", f"must map link targets to their replacements, got {links!r}")
    problems = text_problems(nb, cells, text or "text", lang=lang)
    if problems:
        raise CRMDataError(
            "build_edition",
            "text",
            f"is not complete and current: {problems[0].splitlines()[0]}",
            detail=f"{len(problems)} problem(s) in all",
        )
    translated = {c.cell_id: c.text for c in cells}
    tagged = [c for c in nb.cells if "parameters" in _tags(c)]
    if len(tagged) != 1:
        raise CRMDataError(
            "build_edition",
            "nb",
            f"{source or 'the notebook'} needs exactly one cell tagged 'parameters', found {len(tagged)}",
        )
    out = copy.deepcopy(nb)
    for c in out.cells:
        if c.cell_type == "markdown":
            c.source = relink(translated.get(c.id, c.source), links)
        elif c.cell_type == "code":
            if "parameters" in _tags(c):
                c.source = with_language(c.source, lang, source or "the notebook")
            c.outputs = []
            c.execution_count = None
            c.metadata.pop("execution", None)
    out.metadata.pop("papermill", None)
    out.metadata[META_KEY] = {
        "lang": lang,
        "source": source,
        "text": text,
        "note": (
            f"Generated by `crmlib editions` from {source or 'the English notebook'} and {text or 'its text file'}: "
            "do not edit. Change code in the English notebook and the text in the text file, then run "
            "`make editions`."
        ),
    }
    return out


def code_differences(english, edition, lang: str = "zh", where: str = "edition") -> list[str]:
    """How the code of ``edition`` differs from the English notebook's beyond ``lang``: cells added,
    removed or reordered, code or tags changed, outputs left in. ``[]`` when they agree.

    >>> en = _tiny_english()
    >>> ed = copy.deepcopy(en); ed.cells[1].source = 'lang = "zh"  # label language'
    >>> code_differences(en, ed, "zh")
    []
    >>> ed.cells[2].source = "answer = 41"
    >>> code_differences(en, ed, "zh")[0].splitlines()[0]
    'edition: cell code-2: the code differs from the English notebook (code is never edited twice: change the English one)'
    """  # noqa: E501
    _check_nb(english, "code_differences", "english")
    _check_nb(edition, "code_differences", "edition")
    lang = _lang(lang, "code_differences")
    where = _text(where, "code_differences", "where")
    a = [(c.cell_type, c.id) for c in english.cells]
    b = [(c.cell_type, c.id) for c in edition.cells]
    if a != b:
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return [
            f"{where}: its cells differ from the English notebook's from position {first} on "
            f"(English: {a[first] if first < len(a) else 'no more cells'}, "
            f"edition: {b[first] if first < len(b) else 'no more cells'}); regenerate it with crmlib editions"
        ]
    problems = []
    for en, ed in zip(english.cells, edition.cells):
        if en.cell_type != "code":
            continue
        want = with_language(en.source, lang, where) if "parameters" in _tags(en) else en.source
        if ed.source != want:
            diff = difflib.unified_diff(
                want.splitlines(), ed.source.splitlines(), "English", "edition", lineterm="", n=0
            )
            problems.append(
                f"{where}: cell {en.id}: the code differs from the English notebook "
                "(code is never edited twice: change the English one)\n" + "\n".join("      " + d for d in diff)
            )
        if _tags(en) != _tags(ed):
            problems.append(f"{where}: cell {en.id}: tags {_tags(ed)} differ from the English {_tags(en)}")
        if ed.get("outputs") or ed.get("execution_count") is not None:
            problems.append(f"{where}: cell {en.id} carries outputs; editions are committed without them")
    return problems


def scaffold_text(nb, existing: str | None = None, lang: str = "zh", source: str = "") -> str:
    """A text file for ``nb``: a marker for every markdown cell, in the notebook's order, with the
    text of ``existing`` (a text file being updated) where it has one and otherwise the English
    source in a placeholder comment. Texts of cells that no longer exist are kept at the end, for
    reuse; the check reports them until they are deleted. Markers keep their hash, so a stale
    text stays reported.

    >>> print(scaffold_text(_tiny_english()))   # doctest: +ELLIPSIS
    <!-- The Chinese text (zh) of an English notebook: ...
    ...
    <BLANKLINE>
    <!-- cell md-0 en:... -->
    <!-- TODO: write the Chinese text of this cell. The English:
    # Title
    -->
    <BLANKLINE>
    <!-- cell md-3 en:... -->
    ...
    """
    _check_nb(nb, "scaffold_text")
    lang = _lang(lang, "scaffold_text")
    source = _text(source, "scaffold_text", "source")
    old = parse_text(existing, "existing") if existing is not None else []
    have = {}
    for t in old:
        have.setdefault(t.cell_id, t)
    name = LANGUAGE_NAMES.get(lang, lang)
    header = (
        f"<!-- The {name} text ({lang}) of {source or 'an English notebook'}: below each marker line, the {name}\n"
        "     markdown of that cell. A marker gives the cell's id and a hash of the English the text was written\n"
        "     for. `crmlib editions` builds the edition from this file; CONTRIBUTING.md says how to add or update\n"
        "     a text. -->"
    )
    if old and existing is not None:  # keep the header the file has
        first = existing.splitlines()[: old[0].line - 1]
        header = "\n".join(first).strip() or header
    parts = [header]
    ids = set()
    for c in nb.cells:
        if c.cell_type != "markdown":
            continue
        ids.add(c.id)
        t = have.get(c.id)
        if t is not None and not _is_empty(t.text):
            parts.append(f"<!-- cell {c.id} en:{t.en_hash} -->\n{t.text}")
        else:
            english = c.source.replace("-->", "-- >")
            parts.append(
                f"{marker(c.id, c.source)}\n{PLACEHOLDER}: write the {name} text of this cell. The English:\n"
                f"{english}\n-->"
            )
    for t in old:
        if t.cell_id not in ids:
            parts.append(f"<!-- cell {t.cell_id} en:{t.en_hash} -->\n{t.text}")
    return "\n\n".join(parts) + "\n"


def link_targets(nb) -> list[tuple[str, str]]:
    """``(cell id, target)`` of every relative link or image in the markdown cells of ``nb``
    (web addresses, ``mailto:`` and ``#section`` links left out).

    >>> nb = _tiny_english(); nb.cells[0].source = "[a](../x.md#top) [b](https://x.org) [c](#here) ![d](img.png)"
    >>> link_targets(nb)
    [('md-0', '../x.md#top'), ('md-0', 'img.png')]
    """
    _check_nb(nb, "link_targets")
    out = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            for t in _targets(c.source):
                if not (_SCHEME.match(t) or t.startswith("#")):
                    out.append((c.id, t))
    return out


def link_problems(nb, folder: str | os.PathLike, where: str = "notebook", known: Iterable[str] = ()) -> list[str]:
    """The relative links of ``nb`` that lead nowhere when the notebook lies in ``folder``; the
    paths in ``known`` (relative to ``folder``) count as existing (editions about to be written).

    >>> import tempfile; tmp = Path(tempfile.mkdtemp()); _ = (tmp / "x.md").write_text("x")
    >>> nb = _tiny_english(); nb.cells[0].source = "[ok](x.md#top) and [gone](y.ipynb)"
    >>> link_problems(nb, tmp, "zh/00.ipynb")
    ["zh/00.ipynb: cell md-0 links to 'y.ipynb', which does not exist"]
    """
    from urllib.parse import unquote

    _check_nb(nb, "link_problems")
    folder = _path(folder, "link_problems", "folder")
    where = _text(where, "link_problems", "where")
    if isinstance(known, (str, bytes)) or not isinstance(known, Iterable):
        raise CRMDataError("link_problems", "known", f"must be a list of paths, got {known!r}")
    known = {os.path.normpath(k) for k in known}
    problems = []
    for cell_id, target in link_targets(nb):
        path = unquote(target.split("#")[0].split("?")[0])
        if path and os.path.normpath(path) not in known and not (folder / path).exists():
            problems.append(f"{where}: cell {cell_id} links to {target!r}, which does not exist")
    return problems


# -------------------------------------------------------------------------------- files and folders
def edition_paths(english: str | os.PathLike, lang: str = "zh") -> tuple[Path, Path]:
    """``(text file, edition)`` of an English notebook in ``lang``.

    >>> [p.as_posix() for p in edition_paths("notebooks/00_start_here.ipynb")]
    ['notebooks/zh/text/00_start_here.md', 'notebooks/zh/00_start_here.ipynb']
    """
    path = _path(english, "edition_paths", "english")
    lang = _lang(lang, "edition_paths")
    if path.suffix != ".ipynb":
        raise CRMDataError("edition_paths", "english", f"must be a notebook (.ipynb), got {str(path)!r}")
    return path.parent / lang / "text" / f"{path.stem}.md", path.parent / lang / path.name


def _read_nb(path: Path, func: str):
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise CRMDataError(func, str(path), f"cannot be read as a notebook: {exc}") from None


def _git_previous(path: Path) -> Callable[[str, str], str | None]:
    """A lookup ``(cell_id, hash) -> English source`` through the git history of ``path`` (the
    staged version, then up to 200 commits, newest first); ``None`` where git cannot tell."""
    versions: list[dict] | None = None

    def load() -> list[dict]:
        out: list[dict] = []
        try:
            top = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"], cwd=path.parent, capture_output=True, text=True, check=True
            ).stdout.strip()
            rel = path.resolve().relative_to(Path(top).resolve()).as_posix()
            log = subprocess.run(
                ["git", "log", "--format=%H", "-n", "200", "--", rel],
                cwd=top,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            for rev in ["", *log]:  # "" = the index
                shown = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=top, capture_output=True, text=True)
                if shown.returncode == 0:
                    with_ids = json.loads(shown.stdout)
                    out.append({c.get("id"): c for c in with_ids.get("cells", []) if c.get("id")})
        except (OSError, ValueError, subprocess.CalledProcessError):
            pass
        return out

    def lookup(cell_id: str, digest: str) -> str | None:
        nonlocal versions
        if versions is None:
            versions = load()
        for cells in versions:
            c = cells.get(cell_id)
            if c is not None:
                src = c.get("source", "")
                src = "".join(src) if isinstance(src, list) else src
                if source_hash(src) == digest:
                    return src
        return None

    return lookup


@dataclass
class Report:
    """What :func:`write_editions` / :func:`check_editions` found: editions written, editions already
    current, problems (each naming its file and cell) and notes (notebooks without an edition yet)."""

    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _root(root: Any, func: str) -> Path:
    root = _path(root, func, "root")
    if not any((root / f).is_dir() for f in FOLDERS):
        raise CRMDataError(func, "root", f"{str(root)!r} has no {' or '.join(f + '/' for f in FOLDERS)} folder")
    return root


def _langs(langs: Any, func: str) -> list[str]:
    if langs is None:
        return [x for x in LANGUAGES if x != SOURCE_LANG]
    if isinstance(langs, str):
        langs = [langs]
    if not isinstance(langs, Iterable):
        raise CRMDataError(func, "langs", f"must be a list of language codes, got {langs!r}")
    return [_lang(x, func) for x in langs]


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _links(folder: Path, lang: str) -> dict[str, str]:
    """Chapters of ``folder`` without an edition in ``lang``: their links go to the English chapter."""
    return {p.name: f"../{p.name}" for p in sorted(folder.glob("*.ipynb")) if not edition_paths(p, lang)[0].exists()}


def _edition_text(english: Path, lang: str, root: Path, previous: bool) -> tuple[str | None, list[str]]:
    """The edition of ``english`` as the bytes to commit, or ``None`` and the text's problems."""
    text_path, _ = edition_paths(english, lang)
    where = _rel(text_path, root)
    try:
        nb = _read_nb(english, "editions")
        cells = parse_text(text_path.read_text(encoding="utf-8"), where)
    except CRMDataError as exc:
        return None, [str(exc).replace(f"parse_text: field '{where}' ", f"{where}: ", 1)]
    problems = text_problems(nb, cells, where, _git_previous(english) if previous else None, lang)
    problems = problems or term_problems(nb, cells, where, lang)
    if problems:
        return None, problems
    try:  # e.g. a parameters cell without lang = "en"
        ed = build_edition(nb, cells, lang, _rel(english, root), where, _links(english.parent, lang))
    except CRMDataError as exc:
        return None, [f"{_rel(english, root)}: {exc}"]
    coming = [p.name for p in english.parent.glob("*.ipynb") if edition_paths(p, lang)[0].exists()]
    problems = link_problems(ed, english.parent / lang, _rel(edition_paths(english, lang)[1], root), coming)
    if problems:
        return None, problems
    return nbformat.writes(ed) + "\n", []


# A second reader's notes on a text (CONTRIBUTING.md) sit beside it as REVIEW_<NN>.md: not a text.
REVIEW_PREFIX = "REVIEW_"


def _survey(root: Path, langs: list[str], write: bool, previous: bool) -> Report:
    report = Report()
    for folder in FOLDERS:
        english = sorted(p for p in (root / folder).glob("*.ipynb") if not p.name.startswith("."))
        for lang in langs:
            name = LANGUAGE_NAMES.get(lang, lang)
            for p in english:
                text_path, ed_path = edition_paths(p, lang)
                if not text_path.exists():
                    report.notes.append(f"{_rel(p, root)}: no {name} edition yet (no {_rel(text_path, root)})")
                    continue
                want, problems = _edition_text(p, lang, root, previous)
                if problems:
                    report.problems += problems
                    continue
                have = ed_path.read_text(encoding="utf-8") if ed_path.exists() else None
                if have == want:
                    report.current.append(ed_path)
                elif write:
                    ed_path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = ed_path.with_name(ed_path.name + ".tmp")
                    tmp.write_text(want, encoding="utf-8")
                    os.replace(tmp, ed_path)
                    report.written.append(ed_path)
                elif have is None:
                    report.problems.append(f"{_rel(ed_path, root)}: missing (run crmlib editions, or make editions)")
                else:
                    msg = (
                        f"{_rel(ed_path, root)}: out of date with {_rel(p, root)} and {_rel(text_path, root)} "
                        "(run crmlib editions, or make editions)"
                    )
                    try:
                        diffs = code_differences(
                            _read_nb(p, "editions"), nbformat.reads(have, 4), lang, _rel(ed_path, root)
                        )
                    except Exception:  # a broken edition file: regenerating fixes it
                        diffs = []
                    report.problems += [msg, *diffs]
            stems = {p.stem for p in english}
            ed_folder = root / folder / lang
            for q in sorted(ed_folder.glob("*.ipynb")):
                missing = edition_paths(root / folder / q.name, lang)[0]
                if not missing.exists():
                    report.problems.append(
                        f"{_rel(q, root)}: has no text file {_rel(missing, root)}"
                        " (editions are generated from one; restore it or delete the notebook)"
                    )
            for t in sorted((ed_folder / "text").glob("*.md")):
                if t.stem not in stems and not t.name.startswith(REVIEW_PREFIX):
                    report.problems.append(f"{_rel(t, root)}: there is no English notebook {folder}/{t.stem}.ipynb")
    return report


def write_editions(root: str | os.PathLike = ".", langs: Sequence[str] | None = None) -> Report:
    """Write every edition whose text file is complete and current (idempotent: a file already right
    is left untouched); the others are reported, not written.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); (root / "notebooks").mkdir()
    >>> nbformat.write(_tiny_english(), root / "notebooks" / "00_demo.ipynb")
    >>> write_editions(root).notes
    ['notebooks/00_demo.ipynb: no Chinese edition yet (no notebooks/zh/text/00_demo.md)']
    """
    root = _root(root, "write_editions")
    return _survey(root, _langs(langs, "write_editions"), write=True, previous=True)


def check_editions(root: str | os.PathLike = ".", langs: Sequence[str] | None = None) -> Report:
    """Like :func:`write_editions`, writing nothing: ``problems`` lists every stale, missing or
    orphaned edition and every incomplete or out-of-date text.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); (root / "notebooks" / "zh").mkdir(parents=True)
    >>> nbformat.write(_tiny_english(), root / "notebooks" / "00_demo.ipynb")
    >>> nbformat.write(_tiny_english(), root / "notebooks" / "zh" / "00_demo.ipynb")
    >>> check_editions(root).problems
    ['notebooks/zh/00_demo.ipynb: has no text file notebooks/zh/text/00_demo.md (editions are generated from one; restore it or delete the notebook)']
    """  # noqa: E501
    root = _root(root, "check_editions")
    return _survey(root, _langs(langs, "check_editions"), write=False, previous=True)


def scaffold(english: str | os.PathLike, lang: str = "zh") -> Path:
    """Write or update the text file of the English notebook ``english`` with :func:`scaffold_text`;
    returns its path. Existing texts are kept; missing markers are added with the English as a
    placeholder.

    >>> import tempfile; root = Path(tempfile.mkdtemp())
    >>> nbformat.write(_tiny_english(), root / "00_demo.ipynb")
    >>> scaffold(root / "00_demo.ipynb").relative_to(root).as_posix()
    'zh/text/00_demo.md'
    """
    path = _path(english, "scaffold", "english")
    lang = _lang(lang, "scaffold")
    if path.suffix != ".ipynb" or not path.is_file():
        raise CRMDataError("scaffold", "english", f"{str(path)!r} is not a notebook file")
    if path.parent.name in LANGUAGES:
        raise CRMDataError("scaffold", "english", f"{str(path)!r} is an edition; scaffold the English notebook")
    text_path, _ = edition_paths(path, lang)
    existing = text_path.read_text(encoding="utf-8") if text_path.exists() else None
    text = scaffold_text(_read_nb(path, "scaffold"), existing, lang, path.as_posix())
    text_path.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_text(text, encoding="utf-8")
    return text_path


def _tiny_english():
    """A four-cell English notebook (title, parameters, code, question) for the examples."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('lang = "en"  # label language', metadata={"tags": ["parameters"]})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        params,
        nbformat.v4.new_code_cell("answer = 42"),
        nbformat.v4.new_markdown_cell("Please answer."),
    ]
    for i, c in enumerate(nb.cells):
        c["id"] = f"{'md' if c.cell_type == 'markdown' else 'code'}-{i}"
    return nb
