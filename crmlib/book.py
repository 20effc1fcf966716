"""The workbook as a book (工作簿网页版): ``make book`` or ``crmlib book --out DIR``.

The book engine is Sphinx with MyST-NB and the sphinx-book-theme — the stack Jupyter Book 1 wraps —
driven directly: sidebar navigation, previous/next links, full-text search (Chinese words segmented
by jieba), a glossary, folded solutions and downloadable notebooks all come from it. This module is
only the glue around it:

1. **execute** every chapter (``notebooks/``) and case (``casework/``) once with papermill — with
   its default parameters or the ones given — or take copies already executed (:func:`execute`);
2. turn each executed copy into the **build copy** the engine renders (:func:`prepare_notebook`):
   widget views become static snapshots of their state (:func:`snapshot_widgets`; live widgets
   would need a widget manager fetched from the internet), model solutions are folded
   (:func:`fold_solutions`), glossary terms in the title, in bold and beside an English word link
   to the glossary (:func:`link_terms`), and links between notebooks lead to pages;
3. write one Sphinx project per **edition** (:func:`write_project`): the English one from
   ``notebooks/*.ipynb`` and ``casework/*.ipynb``, the Chinese one from the generated Chinese
   notebooks ``notebooks/zh/*.ipynb`` and ``casework/zh/*.ipynb`` (whichever exist), each with its
   configuration, table of contents and glossary page (:func:`glossary_markdown`);
4. run Sphinx on each (:func:`sphinx_command`; the two editions side by side, one process each)
   and write the language choice ``index.html``.

The book in ``out`` (``build/book``)::

    index.html            choose an edition
    en/index.html         the English edition: chapters, cases, glossary, datasets, search
    zh/index.html         the Chinese edition (zh_CN): the same page names, so that each page
                          links to itself in the other edition
    _executed/            the executed notebooks, at their paths in the workbook
    _src/en, _src/zh      the Sphinx projects (build copies, conf.py, index.md, glossary.md)

Images are files beside the pages and widget snapshots embed theirs, nothing is fetched from the
internet: the folder works offline from anywhere.

>>> docname(Path("notebooks/zh/01_identification.ipynb")), docname(Path("casework/02_bank_lobby.ipynb"))
('notebooks/01_identification', 'casework/02_bank_lobby')
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmlib import i18n
from crmlib._errors import CRMDataError
from crmlib._kernels import kernel_manager_class

#: the folders of the book, in the order of its table of contents
SECTIONS = ("notebooks", "casework")
#: the editions: English from the source notebooks, the others from ``<folder>/<lang>/``
EDITIONS = ("en", "zh")
#: Sphinx's name of each edition's language
SPHINX_LANGUAGE = {"en": "en", "zh": "zh_CN"}
#: cell tags of the model solutions (``crmlib release`` drops these cells from the student copies)
SOLUTION_TAGS = ("solution",)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_INLINE = "module://matplotlib_inline.backend_inline"


class BookError(RuntimeError):
    """Sphinx could not build an edition, or (``strict``) warned: the message holds what it said.

    ``warnings`` are Sphinx's warnings, ``pages`` the pages built all the same (empty if none was).

    >>> err = BookError("Sphinx warned", warnings=["x.ipynb: WARNING: ..."])
    >>> str(err), err.warnings, err.pages
    ('Sphinx warned', ['x.ipynb: WARNING: ...'], [])
    """

    def __init__(self, message: str, warnings: Iterable[str] = (), pages: Iterable[Page] = ()) -> None:
        super().__init__(message)
        self.warnings = list(warnings)
        self.pages = list(pages)


def _check_path(path: Any, func: str, field: str = "path") -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise CRMDataError(func, field, f"must be a file or folder path, got {path!r} ({type(path).__name__})")
    return Path(path)


def _check_notebook(nb: Any, func: str) -> None:
    if not hasattr(nb, "cells") or not hasattr(nb, "metadata") or not isinstance(nb.cells, list):
        raise CRMDataError(func, "nb", f"must be a notebook read with nbformat.read, got {type(nb).__name__}")


def _check_timeout(timeout: Any, func: str) -> None:
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise CRMDataError(func, "timeout", f"must be a whole number of seconds >= 1, got {timeout!r}")


def _check_lang(lang: Any, func: str) -> str:
    if lang not in EDITIONS:
        raise CRMDataError(func, "lang", f"must be the language of an edition, one of {list(EDITIONS)}, got {lang!r}")
    return lang


@dataclass
class Page:
    """One chapter or case of one edition: its executed notebook and the page rendered from it."""

    source: Path  # the notebook in the workbook (notebooks/zh/01_identification.ipynb)
    lang: str  # the edition
    docname: str  # the page in its edition, the same in every edition: notebooks/01_identification
    title: str
    label: str  # "00", "05", "C1", …
    section: str  # notebooks | casework
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0
    figures: int = 0  # images on the rendered page (figures and widget snapshots' figures)
    widgets: int = 0  # widget views turned into snapshots
    solutions: int = 0  # model solutions folded
    terms: int = 0  # glossary terms linked
    errors: list[str] = field(default_factory=list)

    @property
    def href(self) -> str:
        """The page, relative to the book's folder (``zh/notebooks/01_identification.html``)."""
        return f"{self.lang}/{self.docname}.html"


# --------------------------------------------------------------------------------- the notebooks
def _edition_of(path: Path) -> str:
    return path.parent.name if path.parent.name in EDITIONS and path.parent.name != "en" else "en"


def find_notebooks(root: str | os.PathLike[str] = ".", lang: str = "en") -> list[Path]:
    """The notebooks of one edition, chapters first, then cases, each sorted by name.

    The English edition is ``notebooks/*.ipynb`` and ``casework/*.ipynb``; another is the same
    folders' ``<lang>/`` subfolders (``notebooks/zh/``), which may hold only some chapters, or none.

    >>> import tempfile
    >>> r = Path(tempfile.mkdtemp())
    >>> for p in ("casework/01_a.ipynb", "notebooks/01_b.ipynb", "notebooks/00_c.ipynb", "notebooks/zh/00_c.ipynb"):
    ...     (r / p).parent.mkdir(parents=True, exist_ok=True); _ = (r / p).write_text("{}")
    >>> [p.relative_to(r).as_posix() for p in find_notebooks(r)]
    ['notebooks/00_c.ipynb', 'notebooks/01_b.ipynb', 'casework/01_a.ipynb']
    >>> [p.relative_to(r).as_posix() for p in find_notebooks(r, "zh")]
    ['notebooks/zh/00_c.ipynb']
    """
    root = _check_path(root, "find_notebooks", "root")
    lang = _check_lang(lang, "find_notebooks")
    sub = "" if lang == "en" else lang
    found = [p for folder in SECTIONS for p in sorted((root / folder / sub).glob("*.ipynb"))]
    if not found and lang == "en":
        raise CRMDataError("find_notebooks", "root", f"{str(root)!r} has no notebooks/ or casework/ notebooks")
    return found


def docname(path: str | os.PathLike[str]) -> str:
    """The page of a notebook in its edition's book: ``<folder>/<name>``, the same for every edition.

    >>> docname("casework/06_key_account_plan.ipynb"), docname("notebooks/zh/00_start_here.ipynb")
    ('casework/06_key_account_plan', 'notebooks/00_start_here')
    """
    path = _check_path(path, "docname")
    folder = path.parent.parent if _edition_of(path) != "en" else path.parent
    return f"{folder.name}/{path.stem}"


def page_label(path: str | os.PathLike[str]) -> str:
    """The number shown in the table of contents: ``"03"`` for chapter 3, ``"C3"`` for case 3.

    >>> page_label("notebooks/03_development.ipynb"), page_label("casework/zh/03_gas_station.ipynb")
    ('03', 'C3')
    """
    path = _check_path(path, "page_label")
    m = re.match(r"(\d+)", path.stem)
    num = m.group(1) if m else path.stem
    return f"C{int(num)}" if docname(path).startswith("casework/") and m else num


def notebook_title(nb: Any) -> str:
    """The first heading of the first markdown cell, without the ``#`` marks (the page's title).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Customer selection (客户选择)\\ntext")])
    >>> notebook_title(nb)
    'Customer selection (客户选择)'
    """
    _check_notebook(nb, "notebook_title")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    return line.lstrip().lstrip("#").strip()
    return "(untitled)"


# ----------------------------------------------------------------------------- widget snapshots
def _fmt(value: Any, fmt: str | None = None) -> str:
    if isinstance(value, bool):
        return "☑" if value else "☐"
    if isinstance(value, float):
        if fmt and re.fullmatch(r"\.?\d*[%fge]", fmt):
            try:
                return format(value, fmt)
            except ValueError:
                pass
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return " – ".join(_fmt(v, fmt) for v in value)
    return str(value)


def widget_snapshot(state: Mapping[str, Any], model_id: str, _depth: int = 0) -> str:
    """Static HTML of a widget and its children from a notebook's saved widget state.

    Boxes lay out their children, HTML and Label widgets show their text, Output widgets their
    outputs (figures as embedded PNGs), and controls their description and value.

    >>> state = {"b": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_s", "IPY_MODEL_h"]}},
    ...          "s": {"model_name": "FloatSliderModel", "state": {"description": "top share", "value": 0.2,
    ...                                                              "readout_format": ".0%"}},
    ...          "h": {"model_name": "HTMLModel", "state": {"value": "<b>70%</b> of value"}}}
    >>> print(widget_snapshot(state, "b"))
    <div class="snap-box snap-vbox"><span class="snap-control"><span class="snap-desc">top share</span> <span class="snap-value">20%</span></span><div class="snap-html"><b>70%</b> of value</div></div>
    """  # noqa: E501
    if not isinstance(state, Mapping):
        raise CRMDataError(
            "widget_snapshot", "state", f"must be the saved widget state (a dict), got {type(state).__name__}"
        )
    if not isinstance(model_id, str):
        raise CRMDataError("widget_snapshot", "model_id", f"must be a widget model id (text), got {model_id!r}")
    model = state.get(model_id)
    if model is None or _depth > 50:
        return ""
    name, st = model.get("model_name", ""), model.get("state", {})
    desc = html.escape(str(st.get("description", "") or ""))

    def children() -> str:
        return "".join(
            widget_snapshot(state, str(c).replace("IPY_MODEL_", ""), _depth + 1) for c in st.get("children", [])
        )

    if name in ("VBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel", "StackModel"):
        return f'<div class="snap-box snap-vbox">{children()}</div>'
    if name == "HBoxModel":
        return f'<div class="snap-box snap-hbox">{children()}</div>'
    if name in ("HTMLModel", "HTMLMathModel"):
        pre = f'<span class="snap-desc">{desc}</span> ' if desc else ""
        return f'<div class="snap-html">{pre}{st.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<div class="snap-html">{html.escape(str(st.get("value", "")))}</div>'
    if name == "OutputModel":
        return f'<div class="snap-output">{_outputs_html(st.get("outputs", []))}</div>'
    if name == "ButtonModel":
        return f'<span class="snap-control"><button disabled>{desc}</button></span>'
    if name in ("ImageModel",):
        return '<span class="snap-control">[image]</span>'
    if "_options_labels" in st:  # Dropdown, SelectionSlider, RadioButtons, ToggleButtons, …
        labels = st.get("_options_labels", [])
        idx = st.get("index")
        if isinstance(idx, (list, tuple)):
            value = ", ".join(str(labels[i]) for i in idx if 0 <= i < len(labels))
        else:
            value = str(labels[idx]) if isinstance(idx, int) and 0 <= idx < len(labels) else ""
    elif "value" in st:
        value = _fmt(st["value"], st.get("readout_format"))
    else:
        return ""  # layouts, styles and other models without a view of their own
    tag = "pre" if name == "TextareaModel" else "span"
    return (
        f'<span class="snap-control"><span class="snap-desc">{desc}</span> '
        f'<{tag} class="snap-value">{html.escape(value)}</{tag}></span>'
    )


def _outputs_html(outputs: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for o in outputs:
        data = o.get("data", {})
        if o.get("output_type") == "stream":
            text = o.get("text", "")
            parts.append(f"<pre>{html.escape(''.join(text) if isinstance(text, list) else text)}</pre>")
        elif "image/png" in data:
            png = data["image/png"]
            png = "".join(png) if isinstance(png, list) else png
            parts.append(f'<img src="data:image/png;base64,{png.strip()}" alt="figure">')
        elif "text/html" in data:
            h = data["text/html"]
            parts.append("".join(h) if isinstance(h, list) else h)
        elif "text/plain" in data:
            t = data["text/plain"]
            parts.append(f"<pre>{html.escape(''.join(t) if isinstance(t, list) else t)}</pre>")
    return "".join(parts)


def snapshot_widgets(nb: Any, lang: str = "en") -> int:
    """Replace every widget view in ``nb``'s outputs by a static HTML snapshot; returns how many.

    The saved widget state is dropped afterwards, so the page loads no widget manager. The note
    on each snapshot is in ``lang``.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
    ...     "display_data", data={WIDGET_VIEW: {"model_id": "h"}, "text/plain": "HTML()"})])
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> nb.metadata["widgets"] = {
    ...     WIDGET_STATE: {"state": {"h": {"model_name": "LabelModel", "state": {"value": "hi"}}}}}
    >>> snapshot_widgets(nb), sorted(nb.cells[0].outputs[0].data), "widgets" in nb.metadata
    (1, ['text/html', 'text/plain'], False)
    """
    _check_notebook(nb, "snapshot_widgets")
    lang = _check_lang(lang, "snapshot_widgets")
    note = html.escape(i18n.text("book_snapshot_note", lang), quote=True)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            view = data.pop(WIDGET_VIEW)
            snap = widget_snapshot(state, str(view.get("model_id", "")))
            data["text/html"] = (
                f'<div class="widget-snapshot" title="{note}">'
                f"{snap or html.escape(str(data.get('text/plain', '')))}</div>"
            )
            n += 1
    nb.metadata.pop("widgets", None)
    return n


# ------------------------------------------------------------------------------- solutions, terms
def fold_solutions(nb: Any, lang: str = "en") -> int:
    """Fold the model solutions of ``nb`` (the cells tagged ``solution``); returns how many.

    A code cell gets MyST-NB's ``hide-cell`` tag and a "Show the model solution" prompt in
    ``lang``, so that the page shows it collapsed, code and output; a markdown cell is wrapped in
    a ``<details>`` block. Only the build copy is changed, never the source notebook.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]}),
    ...                                      nbformat.v4.new_code_cell("check(answer)")])
    >>> fold_solutions(nb, "zh"), nb.cells[0].metadata["tags"], nb.cells[0].metadata["mystnb"]["code_prompt_show"]
    (1, ['solution', 'hide-cell'], '显示参考答案')
    """
    _check_notebook(nb, "fold_solutions")
    lang = _check_lang(lang, "fold_solutions")
    show, hide = i18n.text("book_show_solution", lang), i18n.text("book_hide_solution", lang)
    n = 0
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if not any(t in SOLUTION_TAGS for t in tags):
            continue
        n += 1
        if cell.cell_type == "code":
            if "hide-cell" not in tags:
                cell.metadata["tags"] = [*tags, "hide-cell"]
            cell.metadata.setdefault("mystnb", {}).update(code_prompt_show=show, code_prompt_hide=hide)
        elif not cell.source.lstrip().startswith("<details"):
            summary = f'<details class="book-solution">\n<summary>{html.escape(show)}</summary>'
            cell.source = f"{summary}\n\n{cell.source}\n\n</details>"
    return n


def _definition(key: str, lang: str) -> str:
    """A glossary term's definition in ``lang`` when the glossary has one in it, else the English one.

    Looks, in this order, for ``i18n.definition(key, lang)`` and for a fourth field of the glossary
    entry (the Chinese definition)."""
    entry = i18n.GLOSSARY[key]
    if lang != "en":
        lookup = getattr(i18n, "definition", None)
        if callable(lookup):
            text = lookup(key, lang)
            if text:
                return str(text)
        if len(entry) > 3 and entry[3]:
            return str(entry[3])
    return str(entry[2])


@dataclass
class GlossaryEntry:
    """One entry of the glossary page: its terms (the first one shown as the headword) and definition."""

    keys: list[str]  # the crmlib.i18n.GLOSSARY keys it comes from
    terms: list[str]
    definition: str


def glossary_entries(lang: str = "en") -> list[GlossaryEntry]:
    """The glossary page of an edition, from ``crmlib.i18n.GLOSSARY`` (its terms with a definition).

    The English edition heads each entry with the English term, the Chinese one with the Chinese
    term, and the other language's term follows as a second term of the same entry, so that a link
    to either finds it. Keys sharing a headword (潜在客户: "prospect" and "potential customer") make
    one entry; a term already used by an earlier entry is not repeated. Definitions are in the
    edition's language where the glossary has one, else in English.

    >>> [(e.terms, e.definition[:16]) for e in glossary_entries("zh") if "pareto" in e.keys]
    [(['二八法则', '80/20 rule'], '一条经验法则：大约80%的收入或')]
    """
    lang = _check_lang(lang, "glossary_entries")
    head, other = (0, 1) if lang == "en" else (1, 0)
    groups: dict[str, list[str]] = {}
    for key, entry in i18n.GLOSSARY.items():
        if entry[2]:  # labels without a definition are not terms
            groups.setdefault(entry[head].strip().lower(), []).append(key)
    used: set[str] = set()
    entries = []
    for keys in groups.values():
        terms = []
        for t in [i18n.GLOSSARY[keys[0]][head]] + [i18n.GLOSSARY[k][other] for k in keys]:
            t = " ".join(str(t).split())
            if t and t.lower() not in used:
                used.add(t.lower())
                terms.append(t)
        definitions = list(dict.fromkeys(_definition(k, lang) for k in keys))
        entries.append(GlossaryEntry(keys, terms, " ".join(definitions)))
    return entries


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>|#$])", r"\\\1", text)


def glossary_markdown(lang: str = "en") -> str:
    """The glossary page of an edition as MyST Markdown: a Sphinx ``glossary`` that ``{term}`` roles link to.

    Entries in the order of :func:`glossary_entries`; the English edition has Sphinx sort them
    alphabetically, the Chinese one keeps the glossary's order (by chapter), as Chinese words have
    no alphabetical order that the engine knows.

    >>> text = glossary_markdown("en")
    >>> print(text[text.index("```{glossary}") :][:60])
    ```{glossary}
    :sorted:
    <BLANKLINE>
    customer relationship management
    客户关
    """
    lang = _check_lang(lang, "glossary_markdown")
    lines = [
        f"# {i18n.text('book_glossary_title', lang)}",
        "",
        i18n.text("book_glossary_intro", lang, n=len(glossary_entries(lang))),
        "",
        "```{glossary}",
    ]
    if lang == "en":
        lines.append(":sorted:")
    lines.append("")
    for entry in glossary_entries(lang):
        lines += [_md_escape(t) for t in entry.terms]
        lines += ["  " + _md_escape(entry.definition), ""]
    lines.append("```")
    return "\n".join(lines) + "\n"


def _term_index(lang: str) -> dict[str, str]:
    """Every term of the edition's glossary, lower case, to the term a ``{term}`` role names."""
    return {t.lower(): t for e in glossary_entries(lang) for t in e.terms}


_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
#: a bold span, or a parenthesis (where the text gives the Chinese term beside the English one)
_MARKED = re.compile(
    r"(?<![*\\])\*\*(?P<bold>(?!\s)[^*\n]+?(?<!\s))\*\*(?!\*)"
    r"|(?P<open>[(（])(?P<paren>[^()（）\n]{1,80})(?P<close>[)）])"
)
_ROLE_UNSAFE = re.compile(r"[`<>{}\[\]|$\\*]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PART_SEP = re.compile(r"(\s*[,，、/;；]\s*)")


def _outside_code(text: str, fn: Callable[[str], str]) -> str:
    """``fn`` applied to the parts of a markdown text outside code spans and fenced blocks."""
    parts = _CODE.split(text)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))


def _bold_candidates(span: str) -> list[str]:
    """What a bold span may name: itself, its words before a parenthesis, the parts inside it."""
    out = [span]
    m = re.fullmatch(r"(.*?)\s*[(（](.*)[)）]\s*", span)
    if m:
        out.append(m.group(1))
        out += re.split(r"\s*[,，、/;；]\s*", m.group(2))
    out += [c[:-1] for c in out if c.endswith("s") and len(c) > 3]  # "loyalty cards"
    return [c.strip() for c in out if c.strip()]


def _role(text: str, target: str) -> str:
    return f"{{term}}`{text} <{target}>`" if text.lower() != target.lower() else f"{{term}}`{text}`"


def link_terms(nb: Any, lang: str = "en") -> int:
    """Link glossary terms of ``nb`` to the glossary page with ``{term}`` roles; returns how many.

    Linked are, each term once per page at its first place: the terms in the title (the first
    heading); bold spans that name a term — the whole span (``**customer segmentation (客户细分)**``),
    its words before a parenthesis or a part inside it — which become the link, still bold
    (``<strong>``: in Chinese text a role between ``**`` would not parse); and a term in
    parentheses in the other language, which the text gives beside a key word: the Chinese term in
    the English edition (``segments (客户细分)``, also a part of a list: ``(关键/主要/普通客户, ABC)``),
    the English term in a Chinese edition. Code is never changed.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Chapter 1 — Customer identification (客户识别)\\nUse the **MAN rule**, **RFM** (`**x**`) and "
    ...     "segments (客户细分, 客户识别).")])
    >>> link_terms(nb, "en")
    3
    >>> print(nb.cells[0].source)
    # Chapter 1 — {term}`Customer identification` (客户识别)
    Use the <strong>{term}`MAN rule`</strong>, **RFM** (`**x**`) and segments ({term}`客户细分`, 客户识别).
    """
    _check_notebook(nb, "link_terms")
    lang = _check_lang(lang, "link_terms")
    entries = glossary_entries(lang)
    index = {t.lower(): t for e in entries for t in e.terms}
    entry_of = {t.lower(): i for i, e in enumerate(entries) for t in e.terms}
    linked: set[int] = set()
    n = 0

    def link(text: str, term: str) -> str | None:
        """The role for ``text`` naming ``term``, or None when the term was linked already."""
        nonlocal n
        i = entry_of[term.lower()]
        if i in linked or _ROLE_UNSAFE.search(text):
            return None
        linked.add(i)
        n += 1
        return _role(text, index[term.lower()])

    def bound(t: str) -> str:
        pre = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", t) else ""
        post = r"(?![A-Za-z0-9])" if re.search(r"[A-Za-z0-9]$", t) else ""
        return pre + re.escape(t) + post

    by_length = sorted(index, key=len, reverse=True)
    in_title = re.compile("|".join(bound(t) for t in by_length), re.I) if by_length else None

    def title(text: str) -> str:
        return in_title.sub(lambda m: link(m.group(0), m.group(0)) or m.group(0), text) if in_title else text

    def marked(part: str) -> str:
        def sub(m: re.Match) -> str:
            if m.group("bold") is not None:
                span = m.group("bold")
                if "](" in span:
                    return m.group(0)
                for cand in _bold_candidates(span):
                    if cand.lower() in index:
                        role = link(span, cand)
                        return f"<strong>{role}</strong>" if role else m.group(0)
                return m.group(0)
            pieces = _PART_SEP.split(m.group("paren"))  # parts and, between them, their separators
            for j in range(0, len(pieces), 2):
                part = pieces[j].strip()
                if part.lower() in index and bool(_CJK.search(part)) == (lang == "en"):
                    role = link(pieces[j].strip(), pieces[j].strip())
                    if role:
                        pieces[j] = pieces[j].replace(pieces[j].strip(), role)
            return m.group("open") + "".join(pieces) + m.group("close")

        return _MARKED.sub(sub, part)

    first_heading = True
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        if first_heading:
            m = re.search(r"^[ \t]*#{1,6}[ \t]+(.*)$", source, flags=re.M)
            if m:
                first_heading = False
                head = m.group(0)[: m.start(1) - m.start(0)]
                source = source[: m.start()] + head + _outside_code(m.group(1), title) + source[m.end() :]
        cell.source = _outside_code(source, marked)
    return n


# ------------------------------------------------------------------------------------------ links
_LINK = re.compile(r"(?P<head>(?<!!)\[(?P<text>[^\]\n]*)\]\(\s*)(?P<target>[^)\s]+)(?P<tail>(?:\s+\"[^\"]*\")?\s*\))")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class _Book:
    """What the link rewriting of one edition needs to know."""

    root: Path
    lang: str
    pages: dict[Path, str]  # notebook (resolved) -> docname, for this edition
    english: dict[Path, str]  # English notebooks (resolved) -> docname, for links to the English edition
    extras: dict[Path, str]  # other workbook files the pages link to -> their path in the project
    sections: dict[str, str]  # "notebooks" | "casework" -> the first page of that section


def _rewrite_links(nb: Any, source: Path, book: _Book) -> int:
    """Make the links of a build copy lead where they led in the workbook; returns how many changed.

    A link to a notebook of the edition becomes a link to its page (relative to the page's own
    folder, which for an edition is not the notebook's); one to an English notebook that has no
    page in this edition leads to the English edition's page; one to ``notebooks/`` or
    ``casework/`` to the first page of that section; one to another file of the workbook
    (``datasets/README.md``) to its copy in the project, recorded in ``book.extras``."""
    here = source.resolve().parent
    doc_dir = Path(book.pages[source.resolve()]).parent
    changed = 0

    def rel(target_in_project: str) -> str:
        return os.path.relpath(target_in_project, doc_dir).replace(os.sep, "/")

    def sub(m: re.Match) -> str:
        nonlocal changed
        target = m.group("target")
        if target.startswith("#") or _SCHEME.match(target) or target.startswith("/"):
            return m.group(0)
        path, _, anchor = target.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        dest = (here / path).resolve()
        new = None
        if dest in book.pages:
            new = rel(book.pages[dest] + ".ipynb") + anchor
        elif dest in book.english:  # no page in this edition: the English one
            href = "../" * (len(Path(book.pages[source.resolve()]).parts)) + f"en/{book.english[dest]}.html"
            changed += 1
            return f'<a href="{html.escape(href)}{anchor}">{m.group("text")}</a>'
        elif dest.is_dir() and dest.parent == book.root.resolve() and dest.name in SECTIONS:
            if dest.name in book.sections:
                new = rel(book.sections[dest.name] + ".ipynb")
            else:  # no page of that section in this edition: its first English page, or the start page
                first = sorted(d for d in book.english.values() if d.startswith(dest.name + "/"))
                if not first:
                    new = rel("index.md")
                else:
                    href = "../" * len(Path(book.pages[source.resolve()]).parts) + f"en/{first[0]}.html"
                    changed += 1
                    return f'<a href="{html.escape(href)}">{m.group("text")}</a>'

        elif (
            dest.suffix == ".ipynb"
            and book.root.resolve() in dest.parents
            and _edition_of(dest.relative_to(book.root.resolve())) not in ("en", book.lang)
        ):  # a page of another edition ("中文版" on the English start page): that edition's page
            other = dest.relative_to(book.root.resolve())
            href = "../" * len(Path(book.pages[source.resolve()]).parts) + f"{_edition_of(other)}/{docname(other)}.html"
            changed += 1
            return f'<a href="{html.escape(href)}{anchor}">{m.group("text")}</a>'
        elif dest.suffix == ".ipynb":  # a notebook without a page (not built): the link stays, Sphinx warns
            return m.group(0)
        elif dest.is_file() and book.root.resolve() in dest.parents:
            in_project = dest.relative_to(book.root.resolve()).as_posix()
            book.extras[dest] = in_project
            new = rel(in_project) + anchor
        if new is None or new == target:
            return m.group(0)
        changed += 1
        return m.group("head") + new + m.group("tail")

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            code = [m.span() for m in _CODE.finditer(cell.source)]  # a link's text may hold code, never its start
            cell.source = _LINK.sub(
                lambda m, code=code: m.group(0) if any(a <= m.start() < b for a, b in code) else sub(m), cell.source
            )
    return changed


def _errors(nb: Any) -> list[str]:
    out: list[str] = []
    for c in nb.cells:
        if c.cell_type == "code":
            for o in c.get("outputs", []):
                if o.get("output_type") == "error":
                    e = f"{o.get('ename')}: {o.get('evalue')}"
                    if e not in out:
                        out.append(e)
    return out


def prepare_notebook(nb: Any, lang: str = "en") -> dict[str, int]:
    """Turn an executed notebook into the build copy the engine renders (in place); returns counts.

    Widget views become snapshots (:func:`snapshot_widgets`), model solutions are folded
    (:func:`fold_solutions`) and glossary terms linked (:func:`link_terms`), in the edition's
    language ``lang``; a notebook that does not name its language is marked as Python.
    (:func:`build_book` also rewrites the links between notebooks.)

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# The **80/20 rule**"),
    ...     nbformat.v4.new_code_cell("answer = 0.8", metadata={"tags": ["solution"]})])
    >>> prepare_notebook(nb, "en")
    {'widgets': 0, 'solutions': 1, 'terms': 1}
    """
    _check_notebook(nb, "prepare_notebook")
    lang = _check_lang(lang, "prepare_notebook")
    # MyST-NB highlights code in the notebook's language: the workbook's are Python (an executed
    # copy says so; a notebook written by a script may not)
    if not nb.metadata.get("language_info", {}).get("name"):
        nb.metadata["language_info"] = {**nb.metadata.get("language_info", {}), "name": "python"}
    return {
        "widgets": snapshot_widgets(nb, lang),
        "solutions": fold_solutions(nb, lang),
        "terms": link_terms(nb, lang),
    }


# ------------------------------------------------------------------------------ the Sphinx project
_CSS = """/* crmlib.book: widget snapshots and the language switch */
.widget-snapshot{border:1px dashed #bbb;border-radius:4px;padding:.5em;margin:.3em 0;background:#fcfcfc}
.widget-snapshot .snap-hbox{display:flex;flex-wrap:wrap;gap:.4em 1.2em}
.widget-snapshot .snap-control{display:inline-block;padding:.1em .4em;border:1px solid #ddd;border-radius:3px}
.widget-snapshot .snap-desc{color:#555}
.widget-snapshot .snap-value{font-weight:600;white-space:pre-wrap}
.widget-snapshot img{max-width:100%}
.book-language{margin:.5em 0 .8em;font-size:.95em}
.book-language a{font-weight:600}
"""

# Sphinx 9.0 names the stemmer of its Chinese search ChineseStemmer in language_data.js, but ships
# only the English one it uses (sphinx-doc/sphinx#14229): the search page stops at "Searching".
# Loaded before language_data.js, this gives that name the English stemmer; unused where fixed.
_SEARCH_FIX = """/* crmlib.book: Sphinx 9.0's Chinese search asks for a ChineseStemmer (sphinx-doc/sphinx#14229) */
if (typeof window.ChineseStemmer === "undefined") {
  window.ChineseStemmer = function () { return new EnglishStemmer(); };
}
"""

_SWITCH = """{# crmlib.book: this page in the other edition (or that edition's start page) #}
{%- set book_target = '../' ~ book_other ~ '/' ~ book_switch.get(pagename, 'index') ~ '.html' %}
<div class="book-language"><a class="book-language-link" hreflang="{{ book_other_hreflang }}"
 href="{{ pathto(book_target, 1) }}">{{ book_switch_label }}</a></div>
"""


def _conf(lang: str, switch: Mapping[str, str], other: str, dict_file: str | None) -> str:
    title = i18n.text("book_title", lang)
    settings: dict[str, Any] = {
        "project": title,
        "author": i18n.text("book_author", lang),
        "copyright": i18n.text("book_author", lang),
        "language": SPHINX_LANGUAGE[lang],
        "extensions": ["myst_nb"],
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "templates_path": ["_templates"],
        "html_static_path": ["_static"],
        "html_css_files": ["book.css"],
        "html_js_files": ["book-search.js"],
        # the notebooks come executed: MyST-NB renders their outputs and never runs them
        "nb_execution_mode": "off",
        "nb_merge_streams": True,
        "myst_heading_anchors": 3,
        "html_theme": "sphinx_book_theme",
        "html_title": title,
        "html_show_sourcelink": False,
        "html_last_updated_fmt": "",
        "html_sidebars": {
            "**": ["navbar-logo.html", "book-language.html", "search-button-field.html", "sbt-sidebar-nav.html"]
        },
        "html_theme_options": {
            "home_page_in_toc": True,
            "show_navbar_depth": 1,
            "use_download_button": True,
            "use_fullscreen_button": False,
            "use_repository_button": False,
            "extra_footer": i18n.text("book_footer", lang),
        },
        "html_context": {
            "book_other": other,
            "book_other_hreflang": SPHINX_LANGUAGE[other].replace("_", "-"),
            "book_switch": dict(switch),
            "book_switch_label": i18n.text("book_switch", lang),
        },
        # Both editions index with Sphinx's Chinese splitter: jieba cuts the Chinese words (the
        # English edition has the Chinese term beside every key word), English words are stemmed
        # as by the English search. The glossary's Chinese terms are jieba's user dictionary, so
        # that 客户价值矩阵 stays one word as well as its parts 客户, 价值, 矩阵.
        "html_search_language": "zh",
    }
    if dict_file:
        settings["html_search_options"] = {"dict": dict_file}
    body = "\n".join(f"{k} = {v!r}" for k, v in settings.items())
    return (
        "# Written by crmlib.book (make book / crmlib book): changes here are overwritten.\n"
        "import logging\n\n"
        'logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" on every build\n\n'
        f"{body}\n"
    )


def _index_md(lang: str, pages: list[Page], extras: Iterable[str], english_only: list[Page]) -> str:
    lines = [f"# {i18n.text('book_title', lang)}", "", i18n.text("book_intro", lang), ""]
    for section, key in (("notebooks", "book_chapters"), ("casework", "book_cases")):
        docs = [p.docname for p in pages if p.section == section]
        if docs:
            lines += ["```{toctree}", f":caption: {i18n.text(key, lang)}", ":maxdepth: 1", "", *docs, "```", ""]
    if not pages:
        lines += [i18n.text("book_no_pages", lang), ""]
    if english_only:
        lines += [i18n.text("book_english_only", lang), ""]
        for p in english_only:
            href = html.escape(f"../en/{p.docname}.html")
            lines.append(f'* <a href="{href}">{html.escape(p.label)} {html.escape(p.title)}</a>')
        lines.append("")
    ref = ["glossary", *(e.removesuffix(".md") for e in extras if e.endswith(".md"))]
    lines += ["```{toctree}", f":caption: {i18n.text('book_reference', lang)}", ":maxdepth: 1", "", *ref, "```", ""]
    return "\n".join(lines)


def write_project(
    src: str | os.PathLike[str],
    lang: str,
    pages: Iterable[Page] = (),
    switch: Mapping[str, str] | None = None,
    extras: Iterable[str] = (),
    english_only: Iterable[Page] = (),
) -> Path:
    """Write the Sphinx project of an edition into ``src`` beside its build copies; returns ``src``.

    ``conf.py`` (the engine's configuration: MyST-NB without execution, the book theme, the edition's
    language, Chinese search), ``index.md`` (the table of contents: chapters, then cases, then the
    glossary and the ``extras``, pages such as ``datasets/README.md`` already copied into ``src``),
    ``glossary.md``, the jieba dictionary of the glossary's Chinese terms, the style sheet and the
    language switch template. ``switch`` maps each page to its name in the other edition (a page
    missing there links to that edition's start page); ``english_only`` lists the chapters that a
    non-English edition has not got yet (its start page links to their English pages).

    >>> import tempfile
    >>> src = write_project(Path(tempfile.mkdtemp()), "zh")
    >>> sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())  # doctest: +NORMALIZE_WHITESPACE
    ['_static/book-search.js', '_static/book.css', '_templates/book-language.html', 'conf.py', 'glossary.md',
     'index.md', 'search_terms.txt']
    >>> "language = 'zh_CN'" in (src / "conf.py").read_text(encoding="utf-8")
    True
    """
    src = _check_path(src, "write_project", "src")
    lang = _check_lang(lang, "write_project")
    pages = list(pages)
    if not all(isinstance(p, Page) for p in pages):
        raise CRMDataError("write_project", "pages", "must be the Page records of the edition's notebooks")
    other = next(x for x in EDITIONS if x != lang) if len(EDITIONS) == 2 else "en"
    switch = dict(switch or {})
    src.mkdir(parents=True, exist_ok=True)
    (src / "_static").mkdir(exist_ok=True)
    (src / "_templates").mkdir(exist_ok=True)
    (src / "_static" / "book.css").write_text(_CSS, encoding="utf-8")
    (src / "_static" / "book-search.js").write_text(_SEARCH_FIX, encoding="utf-8")
    (src / "_templates" / "book-language.html").write_text(_SWITCH, encoding="utf-8")
    words = sorted({t for e in glossary_entries("zh") for t in e.terms if re.search(r"[\u4e00-\u9fff]", t)})
    words = [w for w in words if " " not in w]
    (src / "search_terms.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (src / "conf.py").write_text(_conf(lang, switch, other, str((src / "search_terms.txt").resolve())), "utf-8")
    (src / "glossary.md").write_text(glossary_markdown(lang), encoding="utf-8")
    (src / "index.md").write_text(_index_md(lang, pages, list(extras), list(english_only)), encoding="utf-8")
    return src


def sphinx_command(
    src: str | os.PathLike[str], html_dir: str | os.PathLike[str], strict: bool = False, jobs: int = 1
) -> list[str]:
    """The command that builds an edition: Sphinx's HTML builder on ``src`` into ``html_dir``.

    ``strict``: warnings are errors (``-W --keep-going``) and every reference must resolve (``-n``).
    The doctrees go beside the sources (``src/.doctrees``) and the warnings into ``src/warnings.txt``.

    >>> sphinx_command("build/book/_src/zh", "build/book/zh", strict=True)[2:]
    ['sphinx', '-b', 'html', '-q', '-d', 'build/book/_src/zh/.doctrees', '-w', 'build/book/_src/zh/warnings.txt', '-W', '--keep-going', '-n', 'build/book/_src/zh', 'build/book/zh']
    """  # noqa: E501
    src, html_dir = _check_path(src, "sphinx_command", "src"), _check_path(html_dir, "sphinx_command", "html_dir")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise CRMDataError("sphinx_command", "jobs", f"must be a whole number of processes >= 1, got {jobs!r}")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]
    cmd += ["-d", (src / ".doctrees").as_posix(), "-w", (src / "warnings.txt").as_posix()]
    if jobs > 1:
        cmd += ["-j", str(jobs)]
    if strict:
        cmd += ["-W", "--keep-going", "-n"]
    return cmd + [src.as_posix(), html_dir.as_posix()]


def _start_sphinx(src: Path, html_dir: Path, strict: bool, jobs: int = 1) -> subprocess.Popen:
    """Start Sphinx on one edition (the editions build side by side: one process each)."""
    import importlib.util

    if importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_nb") is None:
        raise BookError(
            "the book engine is not installed: pip install -e '.[book]' (Sphinx, MyST-NB, sphinx-book-theme, jieba)"
        )
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    return subprocess.Popen(
        sphinx_command(src.resolve(), html_dir.resolve(), strict, jobs),  # run in src: absolute paths
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(src),
    )


def _finish_sphinx(proc: subprocess.Popen, src: Path, html_dir: Path) -> tuple[int, list[str]]:
    """Sphinx's exit status and warnings for one edition (BookError if it wrote no page; with
    ``strict`` a warning makes the status 1, and the pages are written all the same)."""
    _, stderr = proc.communicate()
    log = src / "warnings.txt"
    warnings = [w for w in (log.read_text(encoding="utf-8").splitlines() if log.exists() else []) if w.strip()]
    if proc.returncode != 0 and not (html_dir / "index.html").is_file():
        raise BookError(f"Sphinx failed on {src} (exit {proc.returncode}):\n" + "\n".join(warnings or [stderr[-4000:]]))
    return proc.returncode, warnings


def _landing(editions: Mapping[str, list[Page]]) -> str:
    links = "".join(
        f'<li><a href="{lang}/index.html" hreflang="{SPHINX_LANGUAGE[lang].replace("_", "-")}">'
        f"{html.escape(i18n.text('book_edition', lang, n=len(pages)))}</a></li>"
        for lang, pages in editions.items()
    )
    title = " · ".join(html.escape(i18n.text("book_title", lang)) for lang in editions)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:17px/1.6 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#222}}
li{{margin:.4em 0;font-size:1.15em}}</style></head>
<body><h1>{title}</h1><ul>{links}</ul></body></html>
"""


# ------------------------------------------------------------------------------- execution, build
def execute(
    path: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    output: str | os.PathLike[str] | None = None,
    timeout: int = 900,
):
    """Run a notebook with papermill in its own folder; returns ``(executed notebook, error or None)``.

    An error does not raise: the notebook comes back with the failing cell's traceback in its outputs.
    Figures are drawn by the inline backend (whatever ``MPLBACKEND`` the caller has), and widget
    state is stored in the notebook's metadata.

    >>> import nbformat, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), d / "t.ipynb")
    >>> nb, err = execute(d / "t.ipynb")
    >>> nb.cells[0].outputs[0]["text"], err
    ('42\\n', None)
    """
    import nbformat

    path = _check_path(path, "execute")
    if not path.is_file() or path.suffix != ".ipynb":
        raise CRMDataError("execute", "path", f"{str(path)!r} is not a notebook file")
    if parameters is not None and not isinstance(parameters, Mapping):
        raise CRMDataError(
            "execute", "parameters", f"must map parameter names to values, got {type(parameters).__name__}"
        )
    _check_timeout(timeout, "execute")
    if parameters:  # a misspelt name would run silently with the notebook's default
        try:
            source = nbformat.read(str(path), as_version=4)
        except Exception as exc:
            raise CRMDataError("execute", "path", f"{str(path)!r} cannot be read as a notebook: {exc}") from None
        known = {
            name
            for cell in source.cells
            if "parameters" in cell.get("metadata", {}).get("tags", [])
            for name in re.findall(r"^([A-Za-z_]\w*)\s*=", cell.source, flags=re.M)
        }
        unknown = [k for k in parameters if k not in known]
        if unknown:
            raise CRMDataError(
                "execute",
                str(unknown[0]),
                "is not a parameter of this notebook",
                detail=f"its parameters cell sets {sorted(known)}",
            )
    import papermill as pm  # ~2 s: only once the arguments are known to be good

    if output is None:
        import tempfile

        output = Path(tempfile.mkdtemp(prefix="crmlib-book-")) / path.name
    old = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = _INLINE  # the kernel inherits it: figures become image/png outputs
    error = None
    try:
        pm.execute_notebook(
            str(path),
            str(output),
            parameters=dict(parameters or {}),
            cwd=str(path.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            # written once at the end, not after every cell (a chapter's copy with its figures takes
            # ~35 ms to write: 5 s of a 145-cell chapter's run)
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            kernel_manager_class=kernel_manager_class(),  # socket files, not TCP ports (_kernels)
        )
    except pm.PapermillExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
    finally:
        if old is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old
    return nbformat.read(str(output), as_version=4), error


def notebook_key(path: str | os.PathLike[str], root: str | os.PathLike[str] = ".") -> str:
    """How ``parameters`` and ``executed`` of :func:`build_book` name a notebook: its path in the workbook
    without ``.ipynb``.

    >>> notebook_key("/w/notebooks/zh/01_identification.ipynb", "/w")
    'notebooks/zh/01_identification'
    """
    path, root = _check_path(path, "notebook_key"), _check_path(root, "notebook_key", "root")
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        raise CRMDataError("notebook_key", "path", f"{str(path)!r} is not inside the workbook {str(root)!r}") from None
    return rel.with_suffix("").as_posix()


def build_book(
    out: str | os.PathLike[str] = "build/book",
    root: str | os.PathLike[str] = ".",
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    notebooks: Iterable[str | os.PathLike[str]] | None = None,
    timeout: int = 900,
    log: Callable[[str], Any] | None = print,
    executed: Mapping[str, str | os.PathLike[str]] | None = None,
    strict: bool = False,
    jobs: int = 1,
) -> list[Page]:
    """Execute the notebooks and build the book into ``out``: both editions and a language choice page.

    ``notebooks`` defaults to every chapter and case of every edition (:func:`find_notebooks`); an
    edition without notebooks still gets its start page and glossary. ``parameters`` maps a
    notebook (:func:`notebook_key`: ``"notebooks/01_identification"``, ``"notebooks/zh/01_identification"``)
    to papermill parameters; the others run with their defaults. ``executed`` maps a notebook to a
    copy of it already executed (by :func:`execute`, or by papermill with the inline matplotlib
    backend, so that figures are PNG outputs): that copy is used instead of running the notebook again
    (the test suite shares its executions this way); the parameters it ran with are read from its
    papermill metadata and, when ``parameters`` names the notebook too, must be the same.

    A page whose notebook raised lists the error in ``Page.errors`` (its page is built all the same).
    ``strict``: Sphinx's warnings are errors, as in ``make book`` and the test suite: the book is
    written, then a :class:`BookError` lists them. ``jobs``: Sphinx processes per edition. Returns
    the pages of both editions, English first.

    >>> import nbformat, tempfile
    >>> r = Path(tempfile.mkdtemp()); (r / "notebooks").mkdir()
    >>> cells = [nbformat.v4.new_markdown_cell("# Demo (演示)"), nbformat.v4.new_code_cell("1 + 1")]
    >>> nbformat.write(nbformat.v4.new_notebook(cells=cells), r / "notebooks" / "00_demo.ipynb")
    >>> pages = build_book(r / "book", root=r, log=None)
    >>> [(p.lang, p.label, p.title, p.errors) for p in pages]
    [('en', '00', 'Demo (演示)', [])]
    >>> (r / "book" / "en" / "notebooks" / "00_demo.html").is_file(), (r / "book" / "zh" / "glossary.html").is_file()
    (True, True)
    """
    import nbformat

    func = "build_book"
    out, root = _check_path(out, func, "out"), _check_path(root, func, "root")
    _check_timeout(timeout, func)
    if out.exists() and not out.is_dir():
        raise CRMDataError(func, "out", f"{str(out)!r} exists and is not a folder")
    if log is not None and not callable(log):
        raise CRMDataError(func, "log", f"must be a function such as print, or None, got {log!r}")
    if not isinstance(strict, bool):
        raise CRMDataError(func, "strict", f"must be True or False, got {strict!r}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise CRMDataError(func, "jobs", f"must be a whole number of processes >= 1, got {jobs!r}")
    if parameters is not None and (
        not isinstance(parameters, Mapping) or not all(isinstance(v, Mapping) for v in parameters.values())
    ):
        raise CRMDataError(
            func,
            "parameters",
            "must map notebooks to dicts of parameters, "
            f"e.g. {{'notebooks/01_identification': {{'seed': 3}}}}, got {parameters!r}",
        )
    if notebooks is not None:
        if isinstance(notebooks, (str, os.PathLike)):
            raise CRMDataError(
                func, "notebooks", f"must be a list of notebook paths, got the single path {notebooks!r}"
            )
        paths = [_check_path(p, func, "notebooks") for p in notebooks]
        missing = [str(p) for p in paths if not p.is_file() or p.suffix != ".ipynb"]
        if missing:
            raise CRMDataError(func, "notebooks", f"are not notebook files: {missing[:5]}")
        outside = [str(p) for p in paths if not Path(os.path.abspath(p)).is_relative_to(os.path.abspath(root))]
        if outside:
            raise CRMDataError(func, "notebooks", f"are not inside the workbook {str(root)!r}: {outside[:5]}")
    else:
        paths = [p for lang in EDITIONS for p in find_notebooks(root, lang)]
    if not paths:
        raise CRMDataError(func, "notebooks", "lists no notebook")
    keys = {notebook_key(p, root): p for p in paths}
    parameters = dict(parameters or {})
    unknown = sorted(set(parameters) - set(keys))
    if unknown:
        raise CRMDataError(func, "parameters", f"name no notebook of the book: {unknown}")
    copies = _executed_copies(executed, list(keys), parameters)

    start = time.perf_counter()
    for owned in ("_src", "_build", *EDITIONS):  # the book's own folders, rebuilt from scratch
        shutil.rmtree(out / owned, ignore_errors=True)
    pages: list[Page] = []
    built: dict[str, Any] = {}
    for key, path in keys.items():
        t0 = time.perf_counter()
        params = dict(parameters.get(key, {}))
        target = out / "_executed" / f"{key}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        error = None
        if key in copies:
            nb, params, ran_for = copies[key]
            nbformat.write(nb, str(target))
            if log:
                log(f"using the executed copy of {key}")
        else:
            if log:
                log(f"executing {key}" + (f" with {params}" if params else ""))
            nb, error = execute(path, params, target, timeout=timeout)
            ran_for = time.perf_counter() - t0
        lang = _edition_of(path)
        page = Page(
            source=path,
            lang=lang,
            docname=docname(path),
            title=notebook_title(nb),
            label=page_label(path),
            section=docname(path).split("/")[0],
            parameters=params,
            seconds=ran_for,
        )
        page.errors = ([error] if error else []) + [e for e in _errors(nb) if e != error]
        for k, v in prepare_notebook(nb, lang).items():
            setattr(page, k, v)
        pages.append(page)
        built[key] = nb

    english = {p.source.resolve(): p.docname for p in pages if p.lang == "en"}
    english.update({q.resolve(): docname(q) for q in find_notebooks(root, "en") if q.resolve() not in english})
    by_lang = {lang: [p for p in pages if p.lang == lang] for lang in EDITIONS}
    order = {s: i for i, s in enumerate(SECTIONS)}
    for lang_pages in by_lang.values():
        lang_pages.sort(key=lambda p: (order[p.section], p.source.name))
    extras: dict[Path, str] = {}  # files the pages link to (datasets/README.md): in both editions
    for lang, lang_pages in by_lang.items():
        links = _Book(
            root=root,
            lang=lang,
            pages={p.source.resolve(): p.docname for p in lang_pages},
            english={} if lang == "en" else english,
            extras=extras,
            sections={
                s: next(p.docname for p in lang_pages if p.section == s) for s in {p.section for p in lang_pages}
            },
        )
        for page in lang_pages:
            nb = built[notebook_key(page.source, root)]
            _rewrite_links(nb, page.source, links)
            target = out / "_src" / lang / f"{page.docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(target))
    running = {}
    for lang, lang_pages in by_lang.items():
        src = out / "_src" / lang
        for file, in_project in extras.items():
            (src / in_project).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, src / in_project)
        others = {p.docname for lang2, ps in by_lang.items() if lang2 != lang for p in ps}
        switch = {p.docname: (p.docname if p.docname in others else "index") for p in lang_pages}
        switch.update({d: d for d in ("index", "glossary", "search", "genindex")})
        switch.update({e.removesuffix(".md"): e.removesuffix(".md") for e in extras.values() if e.endswith(".md")})
        shown = {p.docname for p in lang_pages}
        english_only = [] if lang == "en" else [p for p in by_lang["en"] if p.docname not in shown]
        write_project(src, lang, lang_pages, switch, sorted(set(extras.values())), english_only)
        if log:
            log(f"building the {lang} edition ({len(lang_pages)} pages) with Sphinx")
        # each edition's own build folder: MyST-NB writes the images beside it (jupyter_execute/)
        running[lang] = (_start_sphinx(src, out / "_build" / lang / "html", strict, jobs), src)
    t0 = time.perf_counter()
    failed: dict[str, list[str]] = {}
    try:
        results = {
            lang: _finish_sphinx(proc, src, out / "_build" / lang / "html") for lang, (proc, src) in running.items()
        }
    finally:
        for proc, _ in running.values():  # one failed: the other is not left running
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for lang, (status, warnings) in results.items():
        os.replace(out / "_build" / lang / "html", out / lang)
        if status:
            failed[lang] = warnings
        for w in warnings:
            if log:
                log(f"  {w}")
        if log:
            log(f"  {lang} edition built ({time.perf_counter() - t0:.0f} s after both started)")
    shutil.rmtree(out / "_build", ignore_errors=True)  # MyST-NB's copies of the images, now in <lang>/_images/
    for lang_pages in by_lang.values():
        for page in lang_pages:
            text = (out / page.href).read_text(encoding="utf-8")
            page.figures = len(re.findall(r"<img\b", text))
    (out / "index.html").write_text(_landing(by_lang), encoding="utf-8")
    pages = by_lang["en"] + [p for lang in EDITIONS[1:] for p in by_lang[lang]]
    if log:
        for p in pages:
            log(
                f"{p.lang} {p.label:>3} {p.title[:56]:<56} {p.seconds:6.1f} s {p.figures:3d} figures "
                f"{p.widgets:2d} widgets {p.solutions:2d} solutions {p.terms:2d} terms"
                + (f"  ERROR {p.errors[0]}" if p.errors else "")
            )
        log(
            f"wrote {out / 'index.html'}: "
            + ", ".join(f"{lang} {len(ps)} pages" for lang, ps in by_lang.items())
            + f" ({time.perf_counter() - start:.0f} s)"
        )
    if failed:
        warned = [f"[{lang}] {w}" for lang, ws in failed.items() for w in ws]
        raise BookError(
            "Sphinx warned (strict: warnings are errors), the book is written all the same:\n  " + "\n  ".join(warned),
            warned,
            pages,
        )
    return pages


def _executed_copies(
    executed: Any, keys: list[str], parameters: Mapping[str, Mapping[str, Any]]
) -> dict[str, tuple[Any, dict, float]]:
    """``executed`` of :func:`build_book`, checked and read: notebook key → (notebook, parameters, seconds)."""
    import nbformat

    func = "build_book"
    if executed is None:
        return {}
    if not isinstance(executed, Mapping):
        raise CRMDataError(
            func,
            "executed",
            "must map notebooks to executed copies, "
            f"e.g. {{'notebooks/01_identification': 'build/executed/01_identification.ipynb'}}, got {executed!r}",
        )
    unknown = sorted(str(k) for k in set(executed) - set(keys))
    if unknown:
        raise CRMDataError(func, "executed", f"name no notebook of the book: {unknown}")
    copies = {}
    for key, path in executed.items():
        path = _check_path(path, func, "executed")
        if not path.is_file():
            raise CRMDataError(func, "executed", f"{str(path)!r} (for {key}) is not a file")
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception as exc:
            raise CRMDataError(func, "executed", f"{str(path)!r} cannot be read as a notebook: {exc}") from None
        meta = nb.metadata.get("papermill", {})
        ran_with = dict(meta.get("parameters") or {})
        if key in parameters and dict(parameters[key]) != ran_with:
            raise CRMDataError(
                func,
                "executed",
                f"{str(path)!r} was executed with {ran_with}, "
                f"not with the parameters given for {key}: {dict(parameters[key])}",
            )
        copies[key] = (nb, ran_with, float(meta.get("duration") or 0.0))
    return copies


def main(argv: list[str] | None = None) -> int:
    """``python -m crmlib.book --out DIR`` (also ``crmlib book``); exit status 1 if a notebook or Sphinx failed.

    >>> main(["--root", "/nonexistent", "--out", "/tmp/x"])
    crmlib book: find_notebooks: field 'root' '/nonexistent' has no notebooks/ or casework/ notebooks
    2
    """
    ap = argparse.ArgumentParser(prog="crmlib book", description="execute every notebook and build the HTML book")
    ap.add_argument("--out", default="build/book", help="folder of the book (default build/book)")
    ap.add_argument("--root", default=".", help="the workbook's folder (with notebooks/ and casework/)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell (default 900)")
    ap.add_argument("--strict", action="store_true", help="Sphinx warnings are errors (as in the test suite)")
    ap.add_argument("--jobs", type=int, default=1, help="Sphinx processes per edition (default 1)")
    args = ap.parse_args(argv)
    try:
        pages = build_book(args.out, root=args.root, timeout=args.timeout, strict=args.strict, jobs=args.jobs)
    except CRMDataError as exc:
        print(f"crmlib book: {str(exc).splitlines()[0]}")
        return 2
    except BookError as exc:
        print(f"crmlib book: {exc}")
        return 1
    return 1 if any(p.errors for p in pages) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
