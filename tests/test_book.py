"""The HTML book (make book): every chapter and case executed once and rendered, with a table of contents.

The book is built once for the session from the shared executions (tests/_executions.py) of each
notebook's smallest tested parameter set from tests/params/*.yaml (fewest customers, accounts, …;
its defaults when no set is smaller): ``build_book(executed=...)`` renders those executed copies
instead of running every notebook once more. The page checks are per notebook, so a notebook that
fails fails its own pages only. ``build_book(executed=...)`` itself is checked on a hand-made
executed copy, without a kernel.
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import nbformat
import pytest

import _executions as ex
from _support import expect_error, small_parameters as small
from crmlib import book

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb"))
PNG = 'src="data:image/png;base64,'
JOBS = [ex.small(p) for p in NOTEBOOKS]
IDS = [f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS]
#: the tests reading the book wait for the executions of every notebook's smallest set
reads_book = pytest.mark.executions(*JOBS)


def small_parameters() -> dict[str, dict]:
    """For each notebook, the tested parameter set with the smallest data sizes, if smaller than the defaults."""
    chosen = {path.stem: small(path) for path in NOTEBOOKS}
    return {stem: params for stem, params in chosen.items() if params}


def _makes_figures(path: Path) -> bool:
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    return bool(re.search(r"\bplots\.\w+\(|_explorer\(|plt\.|\.plot\(", code))


def _uses_widgets(path: Path) -> bool:
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    return "widgets." in code


@pytest.fixture(scope="session")
def built(tmp_path_factory, executions):
    out = tmp_path_factory.mktemp("book")
    results = {p: executions.result(job) for p, job in zip(NOTEBOOKS, JOBS)}
    have = [p for p in NOTEBOOKS if results[p].output is not None]  # a run that broke down has no copy
    t0 = time.perf_counter()
    pages = book.build_book(
        out,
        root=ROOT,
        parameters={k: v for k, v in small_parameters().items() if k in {p.stem for p in have}},
        notebooks=have,
        log=None,
        executed={p.stem: results[p].output for p in have},
    )
    seconds = time.perf_counter() - t0
    print(f"\nbook rendered in {seconds:.0f} s from the shared executions")
    return out, {p.source.resolve(): p for p in pages}, results


def _page(built, path: Path):
    out, pages, results = built
    if results[path].output is None:  # the run broke down before writing a notebook
        results[path].check()
    return out, pages[path.resolve()]


@pytest.mark.notebook
@reads_book
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_notebook_has_a_page_without_errors(built, path):
    out, page = _page(built, path)
    assert page.errors == [], f"{path.name}: {page.errors}\n{built[2][path].error or ''}"
    text = (out / page.href).read_text(encoding="utf-8")
    assert "Traceback" not in text, f"{page.href} shows a traceback"
    assert "missing from font" not in text, f"{page.href}: a Chinese label was drawn as boxes"
    executed = nbformat.read(out / "_executed" / path.parent.name / path.name, as_version=4)
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == [], f"{path.name}: a cell raised {errors[0].get('ename')}"
    assert html.escape(page.title) in text or page.title in text
    assert page.parameters == small(path)


@pytest.mark.notebook
@reads_book
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_pages_embed_their_figures_and_widget_snapshots(built, path):
    out, page = _page(built, path)
    text = (out / page.href).read_text(encoding="utf-8")
    if _makes_figures(path):
        assert text.count(PNG) >= 1 and page.figures >= 1, f"{page.href} has no embedded figure"
    if _uses_widgets(path):
        assert page.widgets >= 1 and 'class="widget-snapshot"' in text, f"{page.href}: no widget shown"
    # offline: figures are embedded, no widget manager or image is fetched from elsewhere
    assert not re.search(r'<img[^>]+src="https?:', text)
    assert "application/vnd.jupyter.widget-view+json" not in text
    assert "require.min.js" not in text


@pytest.mark.notebook
@reads_book
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_pages_link_to_their_neighbours_and_to_pages_not_notebooks(built, path):
    out, page = _page(built, path)
    text = (out / page.href).read_text(encoding="utf-8")
    assert 'href="../index.html"' in text
    i = NOTEBOOKS.index(path)
    for j in (i - 1, i + 1):
        if 0 <= j < len(NOTEBOOKS):
            assert f'href="../{book.page_name(NOTEBOOKS[j])}"' in text
    assert not re.search(r'href="(?!https?:)[^"]*\.ipynb[#"]', text), (
        page.href
    )  # links between notebooks point to pages


@pytest.mark.notebook
@reads_book
def test_index_is_a_table_of_contents_linking_every_page(built):
    out, pages, _ = built
    assert set(pages) == {p.resolve() for p in NOTEBOOKS}
    index = (out / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<li><a href="([^"]+)">', index)
    expected = [book.page_name(p) for p in NOTEBOOKS]
    assert hrefs == expected, "chapters 00, 01, … first, then the cases, each once"
    for href in hrefs:
        assert (out / href).is_file()
    for path in NOTEBOOKS:
        page = pages[path.resolve()]
        first_heading = book.notebook_title(nbformat.read(path, as_version=4))
        assert page.title == first_heading and html.escape(first_heading) in index
    labels = [pages[p.resolve()].label for p in NOTEBOOKS]
    cases = [lab for lab in labels if lab.startswith("C")]
    assert labels == [lab for lab in labels if not lab.startswith("C")] + cases
    assert labels[0] == "00" and (not cases or cases[0] == "C1")


# ------------------------------------------------------- build_book(executed=...): no kernel at all
def _executed_copy(tmp_path: Path, params: dict | None = None) -> tuple[Path, Path]:
    """A workbook with one notebook that must not run (it raises), and an executed copy of it."""
    root = tmp_path / "wb"
    (root / "notebooks").mkdir(parents=True)
    cells = [
        nbformat.v4.new_markdown_cell("# Demo (演示)\n[next](01_next.ipynb)"),
        nbformat.v4.new_code_cell("seed = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("raise SystemExit('executed again')"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), root / "notebooks" / "00_demo.ipynb")
    done = nbformat.v4.new_notebook(cells=[c.copy() for c in cells])
    done.cells[2] = nbformat.v4.new_code_cell(
        "print(6 * 7)",
        execution_count=2,
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="42\n"),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
        ],
    )
    done.metadata["papermill"] = {"parameters": dict(params or {}), "duration": 3.5}
    copy = tmp_path / "executed" / "00_demo.ipynb"
    copy.parent.mkdir()
    nbformat.write(done, copy)
    return root, copy


def test_build_book_renders_an_executed_copy_without_running_the_notebook(tmp_path):
    root, copy = _executed_copy(tmp_path, {"seed": 7})
    pages = book.build_book(
        tmp_path / "book", root=root, parameters={"00_demo": {"seed": 7}}, executed={"00_demo": copy}, log=None
    )
    [page] = pages
    assert page.errors == [] and page.parameters == {"seed": 7} and page.seconds == 3.5
    assert page.title == "Demo (演示)" and page.figures == 1
    text = (tmp_path / "book" / page.href).read_text(encoding="utf-8")
    assert "42" in text and "executed again" not in text.replace("raise SystemExit", "")
    assert 'href="01_next.html"' in text
    kept = nbformat.read(tmp_path / "book" / "_executed" / "notebooks" / "00_demo.ipynb", as_version=4)
    assert kept.cells[2].outputs[0]["text"] == "42\n"
    # without parameters for it, the copy's own (from its papermill metadata) are reported
    [page] = book.build_book(tmp_path / "book2", root=root, executed={"00_demo": str(copy)}, log=None)
    assert page.parameters == {"seed": 7}


def test_build_book_reports_the_errors_of_an_executed_copy(tmp_path):
    root, copy = _executed_copy(tmp_path)
    nb = nbformat.read(copy, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="bad cut", traceback=[])]
    nbformat.write(nb, copy)
    [page] = book.build_book(tmp_path / "book", root=root, executed={"00_demo": copy}, log=None)
    assert page.errors == ["ValueError: bad cut"]


@pytest.mark.parametrize(
    "executed, field_text",
    [
        ([("00_demo", "x.ipynb")], "must map"),
        ({"99_nope": "x.ipynb"}, "name no notebook"),
        ({"00_demo": None}, "path"),
        ({"00_demo": "missing.ipynb"}, "is not a file"),
        ({"00_demo": "roster.csv"}, "cannot be read as a notebook"),
        ({"00_demo": "COPY"}, "was executed with {}"),
    ],
    ids=["not a mapping", "unknown notebook", "not a path", "missing file", "not a notebook", "other parameters"],
)
def test_build_book_refuses_bad_executed_copies(tmp_path, executed, field_text):
    root, copy = _executed_copy(tmp_path)
    (tmp_path / "roster.csv").write_text("a,b\n1,2\n")
    if isinstance(executed, dict):
        executed = {
            k: (copy if v == "COPY" else tmp_path / v if isinstance(v, str) else v) for k, v in executed.items()
        }
    err = expect_error(
        lambda: book.build_book(
            tmp_path / "book", root=root, executed=executed, log=None, parameters={"00_demo": {"seed": 2}}
        ),
        "build_book",
        "executed",
        contains=(field_text,),
    )
    assert not (tmp_path / "book").exists(), err
