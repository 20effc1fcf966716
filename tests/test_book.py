"""The HTML book (make book): every chapter and case executed once and rendered, with a table of contents.

The book is built once for the module, each notebook with its smallest tested parameter set from
tests/params/*.yaml (fewest customers, accounts, …; its defaults when no set is smaller), so this
is also one more run of every notebook. The class name holds "Notebook", so `make test-fast`
(-k "not notebook") skips it like the other notebook runs.
"""
from __future__ import annotations

import html
import re
import time
from pathlib import Path

import nbformat
import pytest

from _support import small_parameters as small
from crmlib import book

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb"))
PNG = 'src="data:image/png;base64,'


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


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    t0 = time.perf_counter()
    pages = book.build_book(out, root=ROOT, parameters=small_parameters(), log=None)
    seconds = time.perf_counter() - t0
    print(f"\nbook built in {seconds:.0f} s: " + ", ".join(f"{p.label} {p.seconds:.0f}s" for p in pages))
    return out, {p.source.resolve(): p for p in pages}, seconds


class TestBookOfNotebooks:
    def test_every_notebook_has_a_page_without_errors(self, built):
        out, pages, _ = built
        assert set(pages) == {p.resolve() for p in NOTEBOOKS}
        for path in NOTEBOOKS:
            page = pages[path.resolve()]
            assert page.errors == [], f"{path.name}: {page.errors}"
            text = (out / page.href).read_text(encoding="utf-8")
            assert "Traceback" not in text, f"{page.href} shows a traceback"
            assert "missing from font" not in text, f"{page.href}: a Chinese label was drawn as boxes"
            executed = nbformat.read(out / "_executed" / path.parent.name / path.name, as_version=4)
            errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
                      if o.get("output_type") == "error"]
            assert errors == [], f"{path.name}: a cell raised {errors[0].get('ename')}"
            assert html.escape(page.title) in text or page.title in text

    def test_pages_embed_their_figures_and_widget_snapshots(self, built):
        out, pages, _ = built
        for path in NOTEBOOKS:
            page = pages[path.resolve()]
            text = (out / page.href).read_text(encoding="utf-8")
            if _makes_figures(path):
                assert text.count(PNG) >= 1 and page.figures >= 1, f"{page.href} has no embedded figure"
            if _uses_widgets(path):
                assert page.widgets >= 1 and 'class="widget-snapshot"' in text, f"{page.href}: no widget shown"
            # offline: figures are embedded, no widget manager or image is fetched from elsewhere
            assert not re.search(r'<img[^>]+src="https?:', text)
            assert "application/vnd.jupyter.widget-view+json" not in text
            assert "require.min.js" not in text

    def test_index_is_a_table_of_contents_linking_every_page(self, built):
        out, pages, _ = built
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

    def test_pages_link_back_to_the_contents_and_to_each_other(self, built):
        out, pages, _ = built
        first = (out / pages[NOTEBOOKS[0].resolve()].href).read_text(encoding="utf-8")
        assert 'href="../index.html"' in first
        assert f'href="../{book.page_name(NOTEBOOKS[1])}"' in first
        for path in NOTEBOOKS:  # links between notebooks point to their pages
            text = (out / pages[path.resolve()].href).read_text(encoding="utf-8")
            assert not re.search(r'href="(?!https?:)[^"]*\.ipynb[#"]', text), pages[path.resolve()].href
