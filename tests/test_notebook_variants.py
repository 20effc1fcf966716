"""Layers 2 and 3 of the suite: every notebook runs with its own parameters and with each other set
of tests/params/<notebook>.yaml (papermill, strict self-checks), without a cell error and with every
self-check passed, so exercises stay right for any variant an instructor generates; and a misspelt
or out-of-range parameter fails with a clear error.

The runs are the session's shared executions (tests/_executions.py): each is made once and also
read by the book and the determinism tests.
"""

from __future__ import annotations

import pytest

import _executions as ex

ROOT = ex.ROOT
PARAMS = ex.PARAMS


def _jobs():
    for nb in ex.NOTEBOOKS:
        job = ex.defaults(nb)
        yield pytest.param(
            job, id=f"{nb.parent.name}/{nb.stem}-defaults", marks=[pytest.mark.notebook, pytest.mark.executions(job)]
        )
    for f in sorted(PARAMS.glob("*.yaml")):
        nb = ex.notebook_path(f.stem)
        for i in range(len(ex.variant_sets(nb))):
            job = ex.variant(nb, i)
            yield pytest.param(job, id=f"{f.stem}-{i}", marks=[pytest.mark.notebook, pytest.mark.executions(job)])


BAD = {
    "misspelt": ex.bad(ROOT / "notebooks" / "00_start_here.ipynb", {"langg": "zh"}, "bad-misspelt"),
    "out of range": ex.bad(ROOT / "notebooks" / "01_identification.ipynb", {"rfm_bins": 1}, "bad-range"),
}


def test_every_parameter_file_names_a_notebook():
    for f in PARAMS.glob("*.yaml"):
        assert (ROOT / "notebooks" / f"{f.stem}.ipynb").exists() or (ROOT / "casework" / f"{f.stem}.ipynb").exists(), f


def _self_checks_passed(out) -> None:
    code = [c for c in out.cells if c.cell_type == "code"]
    checks = sum(c.source.count("exercises.check(") for c in code)
    if checks:
        text = "".join(o.get("text", "") for c in out.cells for o in c.get("outputs", []))
        strict_checks = checks - sum(c.source.count("strict=False") for c in code)
        assert text.count("✅") >= strict_checks and "✏️" not in text, (
            f"{text.count('✅')} of {strict_checks} self-checks passed"
        )  # every self-check ran and passed


@pytest.mark.parametrize("job", list(_jobs()))
def test_notebook_runs_without_errors_and_its_checks_pass(job, executions):
    result = executions.result(job)
    result.check()  # the failing cell's traceback, if any
    out = result.notebook()
    injected = [c for c in out.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == (1 if job.parameters else 0)
    errors = [
        o for c in out.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []
    _self_checks_passed(out)


@pytest.mark.notebook
@pytest.mark.executions(BAD["misspelt"])
def test_misspelt_parameter_fails_loudly(executions):
    result = executions.result(BAD["misspelt"])
    assert result.ename == "CRMDataError" and "langg" in result.error, result.error


@pytest.mark.notebook
@pytest.mark.executions(BAD["out of range"])
def test_out_of_range_parameter_fails_loudly(executions):
    result = executions.result(BAD["out of range"])
    assert result.ename is not None and "rfm_bins" in result.error, result.error
