"""The workbook as a static HTML site (工作簿网页版): ``make book`` or ``crmlib book --out DIR``.

Every chapter (``notebooks/``) and case (``casework/``) is executed with papermill — with its default
parameters, or with the ones given — and rendered by nbconvert into one HTML page, with an
``index.html`` holding the table of contents (chapters 00, 01, … then cases C1, C2, …, titled by
each notebook's first heading). Figures are embedded as PNG data, so the site works offline from
any folder. Widgets become static snapshots of their state at the end of the run — their controls
with the values they had, the verdict line and the figure — because live widgets would need a
widget manager fetched from the internet.

>>> [page_name(Path(p)) for p in ("notebooks/01_identification.ipynb", "casework/02_bank_lobby.ipynb")]
['notebooks/01_identification.html', 'casework/02_bank_lobby.html']
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmlib._errors import CRMDataError


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


#: the folders of the book, in the order of its table of contents
SECTIONS = (("notebooks", "Chapters (章节)"), ("casework", "Cases (案例)"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_INLINE = "module://matplotlib_inline.backend_inline"


@dataclass
class Page:
    """One executed and rendered notebook of the book."""

    source: Path
    href: str  # relative to the book's folder
    title: str
    label: str  # "00", "05", "C1", …
    section: str
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0
    figures: int = 0  # embedded PNGs (cell outputs and widget snapshots)
    widgets: int = 0  # widget views turned into snapshots
    errors: list[str] = field(default_factory=list)


def find_notebooks(root: str | os.PathLike[str] = ".") -> list[Path]:
    """The notebooks of the book, chapters first, then cases, each sorted by name.

    >>> import tempfile
    >>> r = Path(tempfile.mkdtemp())
    >>> for p in ("casework/01_a.ipynb", "notebooks/01_b.ipynb", "notebooks/00_c.ipynb"):
    ...     (r / p).parent.mkdir(exist_ok=True); _ = (r / p).write_text("{}")
    >>> [f"{p.parent.name}/{p.name}" for p in find_notebooks(r)]
    ['notebooks/00_c.ipynb', 'notebooks/01_b.ipynb', 'casework/01_a.ipynb']
    """
    root = _check_path(root, "find_notebooks", "root")
    found = [p for folder, _ in SECTIONS for p in sorted((root / folder).glob("*.ipynb"))]
    if not found:
        raise CRMDataError("find_notebooks", "root", f"{str(root)!r} has no notebooks/ or casework/ notebooks")
    return found


def page_name(path: Path) -> str:
    """The page of a notebook, relative to the book's folder (``<folder>/<name>.html``).

    >>> page_name(Path("casework/06_key_account_plan.ipynb"))
    'casework/06_key_account_plan.html'
    """
    path = _check_path(path, "page_name")
    return f"{path.parent.name}/{path.stem}.html"


def page_label(path: Path) -> str:
    """The number shown in the table of contents: ``"03"`` for chapter 3, ``"C3"`` for case 3.

    >>> page_label(Path("notebooks/03_development.ipynb")), page_label(Path("casework/03_gas_station.ipynb"))
    ('03', 'C3')
    """
    path = _check_path(path, "page_label")
    m = re.match(r"(\d+)", path.stem)
    num = m.group(1) if m else path.stem
    return f"C{int(num)}" if path.parent.name == "casework" and m else num


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


def snapshot_widgets(nb: Any) -> int:
    """Replace every widget view in ``nb``'s outputs by a static HTML snapshot; returns how many.

    The saved widget state is dropped afterwards, so the page loads no widget manager.

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
                f'<div class="widget-snapshot" title="a snapshot of the widget: run the '
                f'notebook in JupyterLab to use it">{snap or html.escape(str(data.get("text/plain", "")))}</div>'
            )
            n += 1
    nb.metadata.pop("widgets", None)
    return n


# ----------------------------------------------------------------------------- execution and pages
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
            execution_timeout=timeout,
        )
    except pm.PapermillExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
    finally:
        if old is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = old
    return nbformat.read(str(output), as_version=4), error


_CSS = """
<style>
.book-nav{font:14px/1.5 system-ui,sans-serif;padding:.5em 1em;border-bottom:1px solid #ddd;background:#f7f7f7}
.book-nav a{margin-right:1.2em}
.widget-snapshot{border:1px dashed #bbb;border-radius:4px;padding:.5em;margin:.3em 0;background:#fcfcfc}
.widget-snapshot .snap-hbox{display:flex;flex-wrap:wrap;gap:.4em 1.2em}
.widget-snapshot .snap-control{display:inline-block;padding:.1em .4em;border:1px solid #ddd;border-radius:3px}
.widget-snapshot .snap-desc{color:#555}
.widget-snapshot .snap-value{font-weight:600;white-space:pre-wrap}
.widget-snapshot img{max-width:100%}
</style>
"""


def _nav(page: Page, prev: Page | None, nxt: Page | None) -> str:
    up = "../index.html"
    links = [f'<a href="{up}">↑ Contents (目录)</a>']
    if prev is not None:
        links.append(f'<a href="../{prev.href}">← {html.escape(prev.label)} {html.escape(prev.title)}</a>')
    if nxt is not None:
        links.append(f'<a href="../{nxt.href}">{html.escape(nxt.label)} {html.escape(nxt.title)} →</a>')
    return f'<nav class="book-nav">{"".join(links)}</nav>'


def render(nb: Any, page: Page, prev: Page | None = None, nxt: Page | None = None) -> str:
    """The HTML page of an executed notebook (nbconvert's lab template), with the book's navigation.

    Links between notebooks (``02_selection.ipynb``) point to their pages.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hi\\n[next](02_b.ipynb)")])
    >>> out = render(nb, Page(Path("notebooks/01_a.ipynb"), "notebooks/01_a.html", "Hi", "01", "Chapters"))
    >>> 'href="02_b.html"' in out, "Contents" in out
    (True, True)
    """
    from nbconvert import HTMLExporter

    _check_notebook(nb, "render")
    if not isinstance(page, Page):
        raise CRMDataError("render", "page", f"must be a Page, got {type(page).__name__}")
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page.title}})
    body = re.sub(
        r'href="(?!https?:|//|#)([^"]+?)\.ipynb(#[^"]*)?"',
        lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"',
        body,
    )
    # require.js (from a CDN) only serves live widgets and JavaScript outputs, which the book has not
    body = re.sub(r'<script[^>]+src="[^"]*require(?:\.min)?\.js"[^>]*>\s*</script>\s*', "", body)
    body = body.replace("</head>", _CSS + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _nav(page, prev, nxt), body, count=1)
    return body


def _index(pages: list[Page], seconds: float) -> str:
    import crmlib

    parts = []
    for folder, heading in SECTIONS:
        items = [p for p in pages if p.section == folder]
        if not items:
            continue
        lis = "".join(
            f'<li><a href="{p.href}"><span class="num">{html.escape(p.label)}</span> {html.escape(p.title)}</a>'
            + (' <span class="err">— errors</span>' if p.errors else "")
            + "</li>"
            for p in items
        )
        parts.append(f'<h2>{html.escape(heading)}</h2>\n<ul class="toc">{lis}</ul>')
    rows = "".join(
        f"<tr><td>{html.escape(p.label)}</td><td>{p.seconds:.1f}</td><td>{p.figures}</td>"
        f"<td>{p.widgets}</td>"
        f"<td>{html.escape(json.dumps(p.parameters, ensure_ascii=False)) if p.parameters else 'defaults'}</td></tr>"
        for p in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The CRM workbook (客户关系管理 教学工作簿)</title>
<style>
body{{font:16px/1.6 system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}}
.toc{{list-style:none;padding-left:0}} .toc li{{margin:.3em 0}}
.num{{display:inline-block;min-width:2.5em;font-weight:600;color:#666}} .err{{color:#b00}}
table{{border-collapse:collapse;font-size:13px;color:#555}} td,th{{padding:.1em .6em;border-bottom:1px solid #eee}}
</style></head>
<body>
<h1>The CRM workbook (客户关系管理 教学工作簿)</h1>
<p>Every chapter and case, executed and rendered as a page. Widgets are shown as snapshots of their
state; open the notebooks in JupyterLab (<code>make lab</code>) to use them.</p>
<nav id="contents">
{chr(10).join(parts)}
</nav>
<details><summary>Build</summary>
<p>crmlib {html.escape(crmlib.__version__)}, built in {seconds:.0f} s on {time.strftime("%Y-%m-%d %H:%M")}.</p>
<table><tr><th>page</th><th>seconds</th><th>figures</th><th>widgets</th><th>parameters</th></tr>{rows}</table>
</details>
</body></html>
"""


def build_book(
    out: str | os.PathLike[str] = "build/book",
    root: str | os.PathLike[str] = ".",
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    notebooks: Iterable[str | os.PathLike[str]] | None = None,
    timeout: int = 900,
    log: Callable[[str], Any] | None = print,
    executed: Mapping[str, str | os.PathLike[str]] | None = None,
) -> list[Page]:
    """Execute the notebooks and write the site into ``out``: ``index.html`` and one page per notebook.

    ``parameters`` maps a notebook's stem (``"01_identification"``) to papermill parameters; the
    others run with their defaults. Executed notebooks are kept in ``out/_executed/``. Returns the
    pages; a page whose notebook raised lists the error in ``Page.errors`` (the page is still written).

    ``executed`` maps a notebook's stem to a copy of it already executed (by :func:`execute`, or by
    papermill with the inline matplotlib backend, so that figures are PNG outputs): that copy is
    rendered instead of running the notebook again (the test suite shares its executions this way).
    The parameters it ran with are read from its papermill metadata; when ``parameters`` also names
    the notebook, the two must agree.

    >>> import nbformat, tempfile
    >>> r = Path(tempfile.mkdtemp()); (r / "notebooks").mkdir()
    >>> cells = [nbformat.v4.new_markdown_cell("# Demo (演示)"), nbformat.v4.new_code_cell("1 + 1")]
    >>> nbformat.write(nbformat.v4.new_notebook(cells=cells), r / "notebooks" / "00_demo.ipynb")
    >>> pages = build_book(r / "book", root=r, log=None)
    >>> [(p.label, p.title, p.errors) for p in pages], (r / "book" / "notebooks" / "00_demo.html").is_file()
    ([('00', 'Demo (演示)', [])], True)
    """
    import nbformat

    func = "build_book"
    out, root = _check_path(out, func, "out"), _check_path(root, func, "root")
    _check_timeout(timeout, func)
    if out.exists() and not out.is_dir():
        raise CRMDataError(func, "out", f"{str(out)!r} exists and is not a folder")
    if log is not None and not callable(log):
        raise CRMDataError(func, "log", f"must be a function such as print, or None, got {log!r}")
    if parameters is not None and (
        not isinstance(parameters, Mapping) or not all(isinstance(v, Mapping) for v in parameters.values())
    ):
        raise CRMDataError(
            func,
            "parameters",
            "must map notebook names to dicts of parameters, "
            f"e.g. {{'01_identification': {{'seed': 3}}}}, got {parameters!r}",
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
    else:
        paths = find_notebooks(root)
    if not paths:
        raise CRMDataError(func, "notebooks", "lists no notebook")
    parameters = dict(parameters or {})
    unknown = sorted(set(parameters) - {p.stem for p in paths})
    if unknown:
        raise CRMDataError("build_book", "parameters", f"name no notebook of the book: {unknown}")
    copies = _executed_copies(executed, paths, parameters)
    start = time.perf_counter()
    pages = []
    executed = []
    for path in paths:
        t0 = time.perf_counter()
        params = dict(parameters.get(path.stem, {}))
        (out / "_executed" / path.parent.name).mkdir(parents=True, exist_ok=True)
        target = out / "_executed" / path.parent.name / path.name
        if path.stem in copies:
            nb, params, ran_for = copies[path.stem]
            nbformat.write(nb, str(target))
            error = None
            if log:
                log(f"rendering the executed copy of {path.parent.name}/{path.name}")
        else:
            if log:
                log(f"executing {path.parent.name}/{path.name}" + (f" with {params}" if params else ""))
            nb, error = execute(path, params, target, timeout=timeout)
            ran_for = None
        page = Page(
            source=path,
            href=page_name(path),
            title=notebook_title(nb),
            label=page_label(path),
            section=path.parent.name,
            parameters=params,
        )
        if error:
            page.errors.append(error)
        page.errors += [
            f"{o.get('ename')}: {o.get('evalue')}"
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error" and f"{o.get('ename')}: {o.get('evalue')}" not in page.errors
        ]
        page.widgets = snapshot_widgets(nb)
        page.seconds = time.perf_counter() - t0 if ran_for is None else ran_for
        pages.append(page)
        executed.append(nb)
    for i, (page, nb) in enumerate(zip(pages, executed)):
        text = render(nb, page, pages[i - 1] if i else None, pages[i + 1] if i + 1 < len(pages) else None)
        page.figures = text.count('src="data:image/png;base64,')
        target = out / page.href
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (out / "index.html").write_text(_index(pages, time.perf_counter() - start), encoding="utf-8")
    if log:
        for p in pages:
            log(
                f"{p.label:>3} {p.title[:60]:<60} {p.seconds:6.1f} s {p.figures:3d} figures {p.widgets:2d} widgets"
                + (f"  ERROR {p.errors[0]}" if p.errors else "")
            )
        log(f"wrote {out / 'index.html'} ({len(pages)} pages, {time.perf_counter() - start:.0f} s)")
    return pages


def _executed_copies(
    executed: Any, paths: list[Path], parameters: Mapping[str, Mapping[str, Any]]
) -> dict[str, tuple[Any, dict, float]]:
    """``executed`` of :func:`build_book`, checked and read: stem → (notebook, parameters, seconds)."""
    import nbformat

    func = "build_book"
    if executed is None:
        return {}
    if not isinstance(executed, Mapping):
        raise CRMDataError(
            func,
            "executed",
            "must map notebook names to executed copies, "
            f"e.g. {{'01_identification': 'build/executed/01_identification.ipynb'}}, got {executed!r}",
        )
    unknown = sorted(str(k) for k in set(executed) - {p.stem for p in paths})
    if unknown:
        raise CRMDataError(func, "executed", f"name no notebook of the book: {unknown}")
    copies = {}
    for stem, copy in executed.items():
        copy = _check_path(copy, func, "executed")
        if not copy.is_file():
            raise CRMDataError(func, "executed", f"{str(copy)!r} (for {stem}) is not a file")
        try:
            nb = nbformat.read(str(copy), as_version=4)
        except Exception as exc:
            raise CRMDataError(func, "executed", f"{str(copy)!r} cannot be read as a notebook: {exc}") from None
        meta = nb.metadata.get("papermill", {})
        ran_with = dict(meta.get("parameters") or {})
        if stem in parameters and dict(parameters[stem]) != ran_with:
            raise CRMDataError(
                func,
                "executed",
                f"{str(copy)!r} was executed with {ran_with}, "
                f"not with the parameters given for {stem}: {dict(parameters[stem])}",
            )
        copies[stem] = (nb, ran_with, float(meta.get("duration") or 0.0))
    return copies


def main(argv: list[str] | None = None) -> int:
    """``python -m crmlib.book --out DIR`` (also ``crmlib book``); exit status 1 if a notebook failed.

    >>> main(["--root", "/nonexistent", "--out", "/tmp/x"])
    crmlib book: find_notebooks: field 'root' '/nonexistent' has no notebooks/ or casework/ notebooks
    2
    """
    ap = argparse.ArgumentParser(prog="crmlib book", description="execute every notebook and render the HTML book")
    ap.add_argument("--out", default="build/book", help="folder of the site (default build/book)")
    ap.add_argument("--root", default=".", help="the workbook's folder (with notebooks/ and casework/)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell (default 900)")
    args = ap.parse_args(argv)
    try:
        pages = build_book(args.out, root=args.root, timeout=args.timeout)
    except CRMDataError as exc:
        print(f"crmlib book: {str(exc).splitlines()[0]}")
        return 2
    return 1 if any(p.errors for p in pages) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
