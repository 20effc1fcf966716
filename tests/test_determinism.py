"""Determinism: executing a notebook twice with the same parameters gives identical outputs.

Every notebook in notebooks/ and casework/ (found by glob, so new chapters are covered) is run
twice with papermill and the two runs are compared cell by cell: stream text, ``text/plain``,
``text/html``, errors and the PNG bytes of figures. To keep the test quick, each notebook uses the
smallest parameter set at hand — its defaults or one of tests/params/<notebook>.yaml, whichever
has the fewest rows (the sum of its ``n_*`` size parameters). The first run is the session's shared
execution of that set (tests/_executions.py, also read by the variants test and the book); the
second is one extra run made only for this comparison.

A difference means an unseeded draw, a set/dict order, a timestamp or a memory address leaked
into an output: fix the cause in crmlib or the notebook, not this comparison.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import _executions as ex

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("casework/*.ipynb")])
COMPARED = ("text/plain", "text/html", "image/png", "text/markdown", "text/latex")


def _outputs(nb) -> list[list[tuple]]:
    """Per code cell, the comparable outputs (the execution count and timings are left out)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for o in cell.get("outputs", []):
            kind = o.get("output_type")
            if kind == "stream":  # the kernel splits a stream into messages by timing: join them
                if outs and outs[-1][0] == "stream" and outs[-1][1] == o.get("name"):
                    outs[-1] = ("stream", o.get("name"), outs[-1][2] + o.get("text", ""))
                else:
                    outs.append(("stream", o.get("name"), o.get("text", "")))
            elif kind in ("execute_result", "display_data"):
                data = o.get("data", {})
                outs.append((kind, tuple((k, str(data[k])) for k in COMPARED if k in data)))
            elif kind == "error":
                outs.append(("error", o.get("ename"), o.get("evalue"), "\n".join(o.get("traceback", []))))
        cells.append((cell.source, outs))
    return cells


def _first_difference(a: list[tuple], b: list[tuple]) -> str:
    """Which output and which line differ first (for the failure message)."""
    if len(a) != len(b):
        return f"{len(a)} outputs, then {len(b)}: {[x[:2] for x in a]} / {[x[:2] for x in b]}"
    for x, y in zip(a, b):
        if x == y:
            continue
        if x[0] == "stream" or x[0] == "error":
            tx, ty = "\n".join(map(str, x[1:])), "\n".join(map(str, y[1:]))
        else:
            mx, my = dict(x[1]), dict(y[1])
            key = next((k for k in COMPARED if mx.get(k) != my.get(k)), None)
            if key == "image/png":
                return "the PNG bytes of a figure differ"
            tx, ty = str(mx.get(key)), str(my.get(key))
        for lx, ly in zip(tx.splitlines() + [""], ty.splitlines() + [""]):
            if lx != ly:
                return f"{x[0]}: {lx[:200]!r} then {ly[:200]!r}"
    return "?"


def test_every_notebook_is_found():
    names = {p.name for p in NOTEBOOKS}
    assert "01_identification.ipynb" in names and "01_harrahs.ipynb" in names


def _cases():
    for p in NOTEBOOKS:
        yield pytest.param(
            p,
            id=f"{p.parent.name}/{p.stem}",
            marks=[pytest.mark.notebook, pytest.mark.executions(ex.small(p), ex.rerun(p))],
        )


@pytest.mark.parametrize("nb_path", list(_cases()))
def test_notebook_outputs_are_deterministic(nb_path, executions):
    runs = [executions.result(ex.small(nb_path)), executions.result(ex.rerun(nb_path))]
    for r in runs:
        r.check()
    params = runs[0].job.parameters
    first, second = (_outputs(r.notebook()) for r in runs)
    assert len(first) == len(second)
    diffs = []
    for i, ((src, a), (_, b)) in enumerate(zip(first, second)):
        if a != b:
            diffs.append(f"code cell {i} {src.splitlines()[0] if src else ''!r}: {_first_difference(a, b)}")
    assert not diffs, f"{nb_path.name} with {params}: outputs differ between two runs:\n" + "\n".join(diffs)
