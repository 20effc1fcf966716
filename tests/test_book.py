"""The book (make book): both editions built by Sphinx + MyST-NB from executed notebooks.

Three layers:

* the glue on hand-made notebooks, without a kernel or Sphinx: solutions folded, glossary terms
  linked, the glossary page, the project Sphinx is given (``fold_solutions``, ``link_terms``,
  ``glossary_entries``, ``write_project`` …);
* ``build_book(executed=...)`` on a hand-made workbook of three notebooks and a Chinese edition of
  one, with Sphinx and warnings as errors but no kernel (``slow``): links, language switch,
  previous/next, the sidebar, the Chinese search index, what a warning does;
* the real book, built once for the session — warnings as errors — from the suite's shared
  executions (tests/_executions.py) of each chapter's and case's smallest tested parameter set,
  English and every Chinese notebook that exists (``notebooks/zh/*.ipynb``): each page has its
  title, figures, no error, a previous/next link and the sidebar, and the Chinese search index
  finds a Chinese glossary term. The page checks are per notebook, so a notebook that fails fails
  its own pages only.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

import _executions as ex
from _support import expect_error, small_parameters as small
from crmlib import book, i18n

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb"))
#: the Chinese edition: whichever generated Chinese notebooks exist (crmlib.editions writes them)
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")) + sorted((ROOT / "casework" / "zh").glob("*.ipynb"))
ALL = NOTEBOOKS + ZH_NOTEBOOKS
JOBS = [ex.small(p) for p in ALL]
IDS = [book.notebook_key(p, ROOT) for p in ALL]
#: the tests reading the book wait for the executions of every notebook's smallest set
reads_book = pytest.mark.executions(*JOBS)
SOLUTION_PROMPT = {lang: i18n.text("book_show_solution", lang) for lang in book.EDITIONS}


def _code(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def _makes_figures(path: Path) -> bool:
    return bool(re.search(r"\bplots\.\w+\(|_explorer\(|plt\.|\.plot\(", _code(path)))


def _uses_widgets(path: Path) -> bool:
    return "widgets." in _code(path)


def _solutions(path: Path) -> int:
    return sum("solution" in c.metadata.get("tags", []) for c in nbformat.read(path, as_version=4).cells)


def search_index(html_dir: Path) -> dict:
    """The decoded search index of an edition (``searchindex.js`` is ``Search.setIndex({...})``)."""
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def pages_found(index: dict, word: str) -> list[str]:
    """The pages the search index lists for ``word``, in their text or their title (Sphinx keeps a
    word of a page's title out of its text terms), as the browser's search looks it up."""
    hits: set[int] = set()
    for table in ("terms", "titleterms"):
        found = index[table].get(word, [])
        hits |= {found} if isinstance(found, int) else set(found)
    return sorted(index["docnames"][i] for i in hits)


def _plain(fragment: str) -> str:
    """An HTML fragment's text as a reader sees it, with Sphinx's typographic quotes made plain again."""
    text = html.unescape(re.sub(r"<[^>]+>", "", fragment))
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())


def _links(text: str) -> list[str]:
    return re.findall(r'href="([^"#]+)(?:#[^"]*)?"', text)


def _nav(text: str, side: str) -> str | None:
    m = re.search(rf'<a class="{side}"\s+href="([^"]+)"', text)
    return m.group(1) if m else None


# ======================================================================== the glue, no Sphinx at all
def _md(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source)])


def test_fold_solutions_hides_solution_cells_in_the_build_copy_only():
    source = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("answer = None"),
            nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]}),
            nbformat.v4.new_markdown_cell("Keep the top 20 %.", metadata={"tags": ["solution"]}),
            nbformat.v4.new_code_cell("check(answer)", metadata={"tags": ["nbval-ignore-output"]}),
        ]
    )
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    assert book.fold_solutions(nb, "en") == 2
    assert [c.metadata.get("tags", []) for c in nb.cells] == [
        [],
        ["solution", "hide-cell"],
        ["solution"],
        ["nbval-ignore-output"],
    ]
    assert nb.cells[1].metadata["mystnb"] == {
        "code_prompt_show": "Show the model solution",
        "code_prompt_hide": "Hide the model solution",
    }
    assert nb.cells[2].source.startswith('<details class="book-solution">\n<summary>Show the model solution</summary>')
    assert "Keep the top 20 %." in nb.cells[2].source and nb.cells[2].source.endswith("</details>")
    # a second pass changes nothing; the notebook it was copied from is untouched
    again = json.dumps(nb, sort_keys=True)
    assert book.fold_solutions(nb, "en") == 2 and json.dumps(nb, sort_keys=True) == again
    assert "hide-cell" not in json.dumps(source) and "mystnb" not in json.dumps(source)
    zh = nbformat.from_dict(json.loads(json.dumps(source)))
    book.fold_solutions(zh, "zh")
    assert zh.cells[1].metadata["mystnb"]["code_prompt_show"] == "显示参考答案"


def test_link_terms_links_title_bold_and_parenthesised_terms_once_each():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Chapter 1 — Customer identification (客户识别)\nsegments (客户细分)"),
            nbformat.v4.new_code_cell("**x** = 1  # (客户细分)"),
            nbformat.v4.new_markdown_cell(
                "The **80/20 rule** again: **80/20 rule**, `**80/20 rule**` and (客户细分, recency) and "
                "**customer segmentation (客户细分)** and **not a term**."
            ),
        ]
    )
    assert book.link_terms(nb, "en") == 3
    assert nb.cells[0].source == (
        "# Chapter 1 — {term}`Customer identification` (客户识别)\nsegments ({term}`客户细分`)"
    )
    assert nb.cells[1].source == "**x** = 1  # (客户细分)"  # code is never changed
    # each term once (the first place), code spans untouched, only the Chinese term in parentheses
    assert nb.cells[2].source == (
        "The <strong>{term}`80/20 rule`</strong> again: **80/20 rule**, `**80/20 rule**` and (客户细分, recency) and "
        "**customer segmentation (客户细分)** and **not a term**."
    )


def test_link_terms_in_a_chinese_edition_links_chinese_bold_and_english_in_parentheses():
    nb = _md("# 第一章 客户识别\n本章讲**客户价值矩阵**和客户细分（customer segmentation）。")
    assert book.link_terms(nb, "zh") == 3
    # <strong>: between Chinese characters `**{term}...**` would not parse as bold (CommonMark)
    assert nb.cells[0].source == (
        "# 第一章 {term}`客户识别`\n"
        "本章讲<strong>{term}`客户价值矩阵`</strong>和客户细分（{term}`customer segmentation`）。"
    )


def test_glossary_entries_hold_every_term_once_in_each_edition():
    keys = [k for k, (_, _, definition, *_) in i18n.GLOSSARY.items() if definition]
    for lang, head in (("en", 0), ("zh", 1)):
        entries = book.glossary_entries(lang)
        assert sorted(k for e in entries for k in e.keys) == sorted(keys)
        terms = [t.lower() for e in entries for t in e.terms]
        assert len(terms) == len(set(terms)), "a term twice: Sphinx would warn"
        for e in entries:
            assert e.terms[0] == i18n.GLOSSARY[e.keys[0]][head] and e.definition
    # one Chinese term for two English ones: one Chinese entry holding both, two English entries
    shared = [zh for zh in {v[1] for v in i18n.GLOSSARY.values() if v[2]} if zh == "大客户"]  # i18n.SHARED_LABELS
    assert shared
    [entry] = [e for e in book.glossary_entries("zh") if e.terms[0] == "大客户"]
    assert len(entry.keys) >= 2 and len(entry.terms) >= 3
    markdown = book.glossary_markdown("zh")
    assert markdown.startswith("# 术语表\n") and "```{glossary}" in markdown and ":sorted:" not in markdown
    assert ":sorted:" in book.glossary_markdown("en")


def test_glossary_uses_the_definition_in_the_editions_language_when_there_is_one(monkeypatch):
    [crm] = [e for e in book.glossary_entries("zh") if "crm" in e.keys]
    assert crm.definition == i18n.definition("crm", "zh") != i18n.GLOSSARY["crm"][2]
    monkeypatch.setattr(
        i18n, "definition", lambda key, lang: "管理与客户的每一次接触。" if key == "crm" else "", raising=False
    )
    [crm] = [e for e in book.glossary_entries("zh") if "crm" in e.keys]
    assert crm.definition == "管理与客户的每一次接触。"
    [crm] = [e for e in book.glossary_entries("en") if "crm" in e.keys]
    assert crm.definition == i18n.GLOSSARY["crm"][2]


def test_write_project_configures_sphinx_for_the_edition(tmp_path):
    page = book.Page(ROOT / "notebooks/zh/01_x.ipynb", "zh", "notebooks/01_x", "第一章", "01", "notebooks")
    case = book.Page(ROOT / "notebooks/zh/01_c.ipynb", "zh", "casework/01_c", "案例一", "C1", "casework")
    english = book.Page(ROOT / "notebooks/02_y.ipynb", "en", "notebooks/02_y", "Chapter 2", "02", "notebooks")
    src = book.write_project(
        tmp_path, "zh", [page, case], {"notebooks/01_x": "index"}, ["datasets/README.md"], [english]
    )
    conf: dict = {}
    exec((src / "conf.py").read_text(encoding="utf-8"), conf)
    assert conf["language"] == "zh_CN" and conf["html_search_language"] == "zh"
    assert conf["nb_execution_mode"] == "off" and conf["html_theme"] == "sphinx_book_theme"
    assert conf["html_context"]["book_other"] == "en"
    assert conf["html_context"]["book_switch"] == {"notebooks/01_x": "index"}
    words = Path(conf["html_search_options"]["dict"]).read_text(encoding="utf-8").split("\n")
    assert {"客户价值矩阵", "二八法则", "客户关系管理"} <= set(words)
    index = (src / "index.md").read_text(encoding="utf-8")
    toc = re.findall(r"^(notebooks/\S+|casework/\S+|glossary|datasets/README)$", index, flags=re.M)
    assert toc == ["notebooks/01_x", "casework/01_c", "glossary", "datasets/README"]
    assert ":caption: 章节" in index and ":caption: 案例" in index and ":caption: 参考资料" in index
    assert '<a href="../en/notebooks/02_y.html">02 Chapter 2</a>' in index  # not yet in Chinese
    assert (src / "_templates" / "book-language.html").is_file() and (src / "glossary.md").is_file()


def test_sphinx_command_turns_warnings_into_errors_when_strict():
    cmd = book.sphinx_command("src", "out", strict=True, jobs=2)
    assert cmd[1:5] == ["-m", "sphinx", "-b", "html"] and cmd[-2:] == ["src", "out"]
    assert {"-W", "--keep-going", "-n"} <= set(cmd) and cmd[cmd.index("-j") + 1] == "2"
    assert not {"-W", "-n", "-j"} & set(book.sphinx_command("src", "out"))


def test_snapshot_widgets_shows_controls_verdict_and_figure():
    png = _png()
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_s", "IPY_MODEL_o"]}},
        "s": {"model_name": "IntSliderModel", "state": {"description": "bins", "value": 4}},
        "o": {
            "model_name": "OutputModel",
            "state": {"outputs": [{"output_type": "display_data", "data": {"image/png": png}}]},
        },
    }
    nb = nbformat.v4.new_notebook(cells=[_widget_cell("box")])
    nb.metadata["widgets"] = {book.WIDGET_STATE: {"state": state}}
    assert book.snapshot_widgets(nb, "zh") == 1
    html_out = nb.cells[0].outputs[0].data["text/html"]
    assert book.WIDGET_VIEW not in nb.cells[0].outputs[0].data and "widgets" not in nb.metadata
    assert '<span class="snap-desc">bins</span> <span class="snap-value">4</span>' in html_out
    assert f'src="data:image/png;base64,{png}"' in html_out
    assert 'title="这是控件在运行结束时的快照' in html_out


# ===================================================== build_book on a hand-made workbook: Sphinx, no kernel
def _png() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _widget_cell(model_id: str) -> nbformat.NotebookNode:
    view = {book.WIDGET_VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"}
    return nbformat.v4.new_code_cell(
        "widgets.explorer()", execution_count=4, outputs=[nbformat.v4.new_output("display_data", data=view)]
    )


def _notebook(title: str, text: str, solution: bool = True) -> nbformat.NotebookNode:
    cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\n{text}"),
        nbformat.v4.new_code_cell("seed = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("raise SystemExit('executed again')"),
    ]
    if solution:
        cells.append(nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]}))
    return nbformat.v4.new_notebook(cells=cells)


def _executed(nb: nbformat.NotebookNode, params: dict, widget: bool = False) -> nbformat.NotebookNode:
    done = nbformat.from_dict(json.loads(json.dumps(nb)))
    done.cells[2] = nbformat.v4.new_code_cell(
        "print(6 * 7)",
        execution_count=2,
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="42\n"),
            nbformat.v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"}),
        ],
    )
    if widget:
        done.cells.append(_widget_cell("h"))
        state = {"h": {"model_name": "HTMLModel", "state": {"value": "The top <b>20%</b> hold <b>75%</b>."}}}
        done.metadata["widgets"] = {book.WIDGET_STATE: {"state": state}}
    done.metadata["papermill"] = {"parameters": params, "duration": 3.5}
    return done


DEMO_EN = (
    "We split customers into **customer segmentation (客户细分)** groups. Read [the next chapter](01_next.ipynb), "
    "the [datasheet](../datasets/README.md) and the [cases (`casework/`)](../casework/)."
)
DEMO_ZH = "本章讲**客户价值矩阵**。请接着读[下一章](../01_next.ipynb)，再看[案例](../../casework/)。"


def _workbook(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """Three English notebooks, a Chinese edition of the first, a datasheet, executed copies of all."""
    root = tmp_path / "wb"
    sources = {
        "notebooks/00_demo": (_notebook("Demo — customer identification (客户识别)", DEMO_EN), {"seed": 7}),
        "notebooks/01_next": (_notebook("Next (下一章)", "The **80/20 rule**.", solution=False), {}),
        "casework/01_case": (_notebook("Case 1 — a shop (案例一)", "A case."), {}),
        "notebooks/zh/00_demo": (_notebook("演示：客户识别", DEMO_ZH), {}),
    }
    executed = {}
    for key, (nb, params) in sources.items():
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, root / f"{key}.ipynb")
        copy = tmp_path / "executed" / f"{key}.ipynb"
        copy.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(_executed(nb, params, widget=key.endswith("00_demo")), copy)
        executed[key] = copy
    (root / "datasets").mkdir()
    (root / "datasets" / "README.md").write_text("# Datasheet (数据集说明)\n\nThe tables.\n", encoding="utf-8")
    return root, executed


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("small-book")
    root, executed = _workbook(tmp)
    here = os.getcwd()
    os.chdir(tmp)  # a relative out (as `crmlib book --out build/book` gives it)
    try:
        pages = book.build_book("book", root=root, executed=executed, log=None, strict=True)
    finally:
        os.chdir(here)
    return tmp / "book", root, {f"{p.lang}:{p.docname}": p for p in pages}


@pytest.mark.slow
def test_build_book_uses_the_executed_copies_of_both_editions(small_book):
    out, root, pages = small_book
    assert list(pages) == [
        "en:notebooks/00_demo",
        "en:notebooks/01_next",
        "en:casework/01_case",
        "zh:notebooks/00_demo",
    ]
    demo = pages["en:notebooks/00_demo"]
    assert demo.parameters == {"seed": 7} and demo.seconds == 3.5 and demo.errors == []
    assert (demo.label, demo.title, demo.href) == (
        "00",
        "Demo — customer identification (客户识别)",
        "en/notebooks/00_demo.html",
    )
    assert (demo.widgets, demo.solutions, demo.terms) == (1, 1, 2) and demo.figures == 1
    assert pages["en:casework/01_case"].label == "C1"
    for p in pages.values():
        text = (out / p.href).read_text(encoding="utf-8")
        assert "42" in text and "executed again" not in text.replace("raise SystemExit", "")
    text = (out / demo.href).read_text(encoding="utf-8")
    assert 'class="widget-snapshot"' in text and "The top <b>20%</b> hold <b>75%</b>." in text
    assert text.count("Show the model solution") == 1 and "<details" in text
    kept = nbformat.read(out / "_executed" / "notebooks" / "00_demo.ipynb", as_version=4)
    assert kept.cells[2].outputs[0]["text"] == "42\n"
    source = nbformat.read(root / "notebooks" / "00_demo.ipynb", as_version=4)
    assert "hide-cell" not in json.dumps(source) and "{term}" not in json.dumps(source)  # sources untouched
    # the figure is a file beside the pages
    [img] = re.findall(r'<img[^>]+src="([^"]+)"', text.split('class="widget-snapshot"')[0])
    assert (out / "en" / "notebooks" / img).is_file()


@pytest.mark.slow
def test_build_book_links_pages_editions_and_the_glossary(small_book):
    out, _, pages = small_book
    en = (out / "en" / "notebooks" / "00_demo.html").read_text(encoding="utf-8")
    zh = (out / "zh" / "notebooks" / "00_demo.html").read_text(encoding="utf-8")
    links = _links(en)
    assert "01_next.html" in links and "../datasets/README.html" in links and "../casework/01_case.html" in links
    assert (out / "en" / "datasets" / "README.html").is_file() and (out / "zh" / "datasets" / "README.html").is_file()
    # the Chinese page: chapter 1 and the cases have no Chinese edition, so their English pages
    assert "../../en/notebooks/01_next.html" in _links(zh) and "../../en/casework/01_case.html" in _links(zh)
    # terms: the title's and the bold ones link to the glossary of their own edition
    assert re.search(r'<h1>Demo — <a class="reference internal" href="../glossary.html#term-[^"]+"', en)
    glossary = (out / "en" / "glossary.html").read_text(encoding="utf-8")
    for anchor in re.findall(r'href="\.\./glossary\.html#([^"]+)"', en):
        assert f'id="{anchor}"' in glossary, anchor
    assert re.search(
        r'<strong><a class="reference internal" href="../glossary.html#term-[^"]+">'
        r'<span class="xref std std-term">客户价值矩阵',
        zh,
    )
    # the language switch: the same page in the other edition, or its start page
    switch = re.compile(r'class="book-language-link"[^>]*\s+href="([^"]+)"')
    assert switch.search(en).group(1) == "../../zh/notebooks/00_demo.html"
    assert switch.search(zh).group(1) == "../../en/notebooks/00_demo.html"
    nxt = (out / "en" / "notebooks" / "01_next.html").read_text(encoding="utf-8")
    assert switch.search(nxt).group(1) == "../../zh/index.html"
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="en/index.html"' in landing and 'href="zh/index.html"' in landing


@pytest.mark.slow
def test_build_book_navigation_follows_the_table_of_contents(small_book):
    out, _, _ = small_book
    order = {
        "en": ["index", "notebooks/00_demo", "notebooks/01_next", "casework/01_case", "glossary", "datasets/README"],
        "zh": ["index", "notebooks/00_demo", "glossary", "datasets/README"],
    }
    for lang, docs in order.items():
        for i, doc in enumerate(docs):
            text = (out / lang / f"{doc}.html").read_text(encoding="utf-8")

            def rel(other: str, doc: str = doc) -> str:
                return os.path.relpath(f"{other}.html", os.path.dirname(doc) or ".")

            assert _nav(text, "left-prev") == (rel(docs[i - 1]) if i else None), (lang, doc)
            assert _nav(text, "right-next") == (rel(docs[i + 1]) if i + 1 < len(docs) else None), (lang, doc)
            sidebar = text[text.index("bd-sidebar-primary") : text.index('class="bd-main"')]
            for other in docs[1:]:
                assert f'href="{rel(other)}"' in sidebar or (other == doc and 'href="#"' in sidebar), (doc, other)


@pytest.mark.slow
def test_build_book_search_finds_chinese_words(small_book):
    out, _, _ = small_book
    zh = search_index(out / "zh")
    assert pages_found(zh, "客户价值矩阵") == ["glossary", "notebooks/00_demo"]  # one word, not 客户 + 价值 + 矩阵
    assert "notebooks/00_demo" in pages_found(zh, "客户") and "notebooks/00_demo" in pages_found(zh, "矩阵")
    en = search_index(out / "en")
    assert pages_found(en, "客户细分") == ["glossary", "notebooks/00_demo"]
    assert "notebooks/00_demo" in pages_found(en, "segment")  # English words stemmed
    # the browser's search can run: the stemmer that language_data.js names exists
    data = (out / "zh" / "_static" / "language_data.js").read_text(encoding="utf-8")
    fix = (out / "zh" / "_static" / "book-search.js").read_text(encoding="utf-8")
    named = re.search(r"window\.Stemmer = (\w+);", data)  # Sphinx 9; Sphinx 8 defines `var Stemmer` itself
    assert named or "var Stemmer = function" in data
    if named:
        assert f"var {named.group(1)}=" in data.replace(" ", "") or f"window.{named.group(1)} =" in fix
    page = (out / "zh" / "search.html").read_text(encoding="utf-8")
    assert page.index("_static/book-search.js") < page.index("_static/language_data.js")


@pytest.mark.slow
def test_strict_build_reports_warnings_and_notebook_errors_and_still_writes_the_book(tmp_path):
    root, executed = _workbook(tmp_path)
    nb = nbformat.read(executed["notebooks/01_next"], as_version=4)
    nb.cells[0].source += "\nSee [a missing chapter](09_missing.ipynb)."
    nb.cells[2].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="bad cut", traceback=[])]
    nbformat.write(nb, executed["notebooks/01_next"])
    with pytest.raises(book.BookError) as info:
        book.build_book(tmp_path / "book", root=root, executed=executed, log=None, strict=True)
    err = info.value
    assert [w for w in err.warnings if "09_missing" in w] and all(w.startswith("[en] ") for w in err.warnings)
    [page] = [p for p in err.pages if p.docname == "notebooks/01_next"]
    assert page.errors == ["ValueError: bad cut"]
    assert (tmp_path / "book" / "en" / "notebooks" / "01_next.html").is_file()
    assert (tmp_path / "book" / "zh" / "index.html").is_file() and (tmp_path / "book" / "index.html").is_file()


@pytest.mark.parametrize(
    "executed, field_text",
    [
        ([("notebooks/00_demo", "x.ipynb")], "must map"),
        ({"notebooks/99_nope": "x.ipynb"}, "name no notebook"),
        ({"notebooks/00_demo": None}, "path"),
        ({"notebooks/00_demo": "missing.ipynb"}, "is not a file"),
        ({"notebooks/00_demo": "roster.csv"}, "cannot be read as a notebook"),
        ({"notebooks/00_demo": "COPY"}, "was executed with {'seed': 7}"),
    ],
    ids=["not a mapping", "unknown notebook", "not a path", "missing file", "not a notebook", "other parameters"],
)
def test_build_book_refuses_bad_executed_copies(tmp_path, executed, field_text):
    root, copies = _workbook(tmp_path)
    (tmp_path / "roster.csv").write_text("a,b\n1,2\n")
    if isinstance(executed, dict):
        executed = {
            k: (copies["notebooks/00_demo"] if v == "COPY" else tmp_path / v if isinstance(v, str) else v)
            for k, v in executed.items()
        }
    err = expect_error(
        lambda: book.build_book(
            tmp_path / "book", root=root, executed=executed, log=None, parameters={"notebooks/00_demo": {"seed": 2}}
        ),
        "build_book",
        "executed",
        contains=(field_text,),
    )
    assert not (tmp_path / "book").exists(), err


# ======================================================= the real book, from the shared executions
@pytest.fixture(scope="session")
def built(tmp_path_factory, executions):
    out = tmp_path_factory.mktemp("book")
    results = {p: executions.result(job) for p, job in zip(ALL, JOBS)}
    have = [p for p in ALL if results[p].output is not None]  # a run that broke down has no copy
    keys = {p: book.notebook_key(p, ROOT) for p in have}
    t0 = time.perf_counter()
    try:
        pages = book.build_book(
            out,
            root=ROOT,
            parameters={keys[p]: small(p) for p in have if small(p)},
            notebooks=have,
            log=None,
            executed={keys[p]: results[p].output for p in have},
            strict=True,
        )
        error = None
    except book.BookError as exc:  # warnings: test_the_book_builds_without_warnings fails, the pages are there
        pages, error = exc.pages, exc
    print(f"\nbook built in {time.perf_counter() - t0:.0f} s from the shared executions")
    return out, {p.source.resolve(): p for p in pages}, results, error


def _page(built, path: Path):
    out, pages, results, _ = built
    if results[path].output is None:  # the run broke down before writing a notebook
        results[path].check()
    return out, pages[path.resolve()]


@pytest.mark.notebook
@reads_book
def test_the_book_builds_without_warnings(built):
    out, pages, _, error = built
    assert error is None, "Sphinx warned:\n" + "\n".join(error.warnings)
    assert {p.lang for p in pages.values()} <= set(book.EDITIONS)
    for lang in book.EDITIONS:  # every edition is there, with or without chapters
        assert (out / lang / "index.html").is_file() and (out / lang / "glossary.html").is_file()
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="en/index.html"' in landing and 'href="zh/index.html"' in landing


@pytest.mark.notebook
@reads_book
@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_every_notebook_has_a_page_with_its_title_and_no_error(built, path):
    out, page = _page(built, path)
    assert page.errors == [], f"{path.name}: {page.errors}\n{built[2][path].error or ''}"
    text = (out / page.href).read_text(encoding="utf-8")
    assert "Traceback" not in text and 'class="output traceback' not in text, f"{page.href} shows a traceback"
    assert "missing from font" not in text, f"{page.href}: a Chinese label was drawn as boxes"
    executed = nbformat.read(out / "_executed" / f"{book.notebook_key(path, ROOT)}.ipynb", as_version=4)
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == [], f"{path.name}: a cell raised {errors[0].get('ename')}"
    assert page.title == book.notebook_title(nbformat.read(path, as_version=4))
    assert _plain(re.search(r"<title>(.*?)</title>", text, flags=re.S).group(1)).startswith(f"{page.title} —")
    # the page's heading (the article's h1, with its link to itself)
    h1 = re.search(r'<h1>((?:(?!</h1>).)*?)<a class="headerlink"', text, flags=re.S).group(1)
    assert _plain(h1) == page.title
    assert page.parameters == small(path) and page.lang == ("en" if path in NOTEBOOKS else "zh")


@pytest.mark.notebook
@reads_book
@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_pages_show_figures_widget_snapshots_and_folded_solutions_offline(built, path):
    out, page = _page(built, path)
    text = (out / page.href).read_text(encoding="utf-8")
    if _makes_figures(path):
        assert page.figures >= 1, f"{page.href} has no figure"
    for src in re.findall(r'<img[^>]+src="([^"]+)"', text):
        assert src.startswith("data:image/png;base64,") or (out / page.href).parent.joinpath(src).is_file(), src
    if _uses_widgets(path):
        assert page.widgets >= 1 and 'class="widget-snapshot"' in text, f"{page.href}: no widget shown"
    assert page.solutions == _solutions(path) and text.count(SOLUTION_PROMPT[page.lang]) == page.solutions
    # offline: nothing is fetched from elsewhere, no widget manager
    assert not re.search(r'<(?:img|script|iframe)[^>]+src="(?:https?:)?//', text)
    assert not re.search(r'<link[^>]+href="(?:https?:)?//', text)
    assert book.WIDGET_VIEW not in text and "require.min.js" not in text


@pytest.mark.notebook
@reads_book
@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_pages_have_the_sidebar_previous_next_and_glossary_links(built, path):
    out, pages, _, _ = built
    _, page = _page(built, path)
    text = (out / page.href).read_text(encoding="utf-8")
    here = (out / page.href).parent
    edition = [p for p in pages.values() if p.lang == page.lang]
    sidebar = _plain(text[text.index('class="bd-sidebar-primary') : text.index('class="bd-main"')])
    for other in edition:  # the sidebar lists every page of the edition
        assert other.title in sidebar, f"{page.href}: {other.title} is not in the sidebar"
    for side in ("left-prev", "right-next"):  # the edition's first page follows its start page
        target = _nav(text, side)
        assert target and (here / target).is_file(), f"{page.href}: no {side} link"
    switch = re.search(r'class="book-language-link"[^>]*\s+href="([^"]+)"', text).group(1)
    assert (here / switch).is_file(), f"{page.href}: the language switch leads nowhere ({switch})"
    assert page.terms >= 1 and "glossary.html#term-" in text, f"{page.href} links no glossary term"
    glossary = (out / page.lang / "glossary.html").read_text(encoding="utf-8")
    for anchor in set(re.findall(r'glossary\.html#([^"]+)"', text)):
        assert f'id="{anchor}"' in glossary, f"{page.href}: link to a missing glossary entry {anchor}"
    # links between notebooks lead to pages; the download button to the executed notebook itself
    assert not re.search(r'href="(?!https?:)(?![^"]*_sources/)[^"]*\.ipynb[#"]', text), page.href
    [download] = set(re.findall(r'href="([^"]*_sources/[^"]+\.ipynb)"', text))
    assert nbformat.read(here / download, as_version=4).cells[0].source.startswith("#"), download


@pytest.mark.notebook
@reads_book
def test_each_edition_lists_its_pages_in_order_and_the_whole_glossary(built):
    out, pages, _, _ = built
    for lang in book.EDITIONS:
        mine = [p for p in pages.values() if p.lang == lang]
        index = (out / lang / "index.html").read_text(encoding="utf-8")
        main = index[index.index('<article class="bd-article"') :]
        hrefs = [
            h
            for h in re.findall(r'<a class="reference internal" href="([^"#]+)"', main)
            if h.startswith(("notebooks/", "casework/"))
        ]
        assert hrefs == [f"{p.docname}.html" for p in mine], "chapters 00, 01, … first, then the cases, each once"
        labels = [p.label for p in mine]
        assert labels == sorted(labels, key=lambda x: (x.startswith("C"), x))
        glossary = html.unescape((out / lang / "glossary.html").read_text(encoding="utf-8"))
        # Sphinx's smart quotes print Harrah's with a typographic apostrophe
        terms = [
            t.replace("\u2019", "'") for t in re.findall(r'<dt id="term-[^"]*">(.*?)<a class="headerlink"', glossary)
        ]
        assert sorted(terms) == sorted(t for e in book.glossary_entries(lang) for t in e.terms)
    assert {p.docname for p in pages.values() if p.lang == "en"} == {book.docname(p) for p in NOTEBOOKS}


@pytest.mark.notebook
@reads_book
def test_the_chinese_search_index_finds_chinese_glossary_terms(built):
    out, pages, _, _ = built
    zh = search_index(out / "zh")
    for key in ("value_matrix", "pareto"):  # 客户价值矩阵, 二八法则
        word = i18n.label(key, "zh")
        assert "glossary" in pages_found(zh, word), f"{word} not in the Chinese search index"
    loyalty = [w for w in ("忠诚度", "忠诚") if "glossary" in pages_found(zh, w)]
    assert loyalty, "忠诚 not in the Chinese search index"
    # the English edition indexes the Chinese terms beside the English ones: chapter 1 gives 客户价值矩阵
    en = search_index(out / "en")
    assert "notebooks/01_identification" in pages_found(en, i18n.label("value_matrix", "zh"))
    for p in pages.values():  # a Chinese page is found by the Chinese words of its title
        if p.lang == "zh":
            index_of = zh["titles"].index(p.title)
            assert any(index_of in ([v] if isinstance(v, int) else v) for v in zh["titleterms"].values())
