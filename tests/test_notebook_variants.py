"""Layer 3 of the suite: papermill runs of each parameterised notebook with other parameter sets
(tests/params/<notebook>.yaml), with strict self-checks, so exercises stay right for any variant an
instructor generates; and a misspelt or out-of-range parameter fails with a clear error."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "tests" / "params"


def _cases():
    for f in sorted(PARAMS.glob("*.yaml")):
        nb = ROOT / "notebooks" / f"{f.stem}.ipynb"
        if not nb.exists():
            nb = ROOT / "casework" / f"{f.stem}.ipynb"
        for i, params in enumerate(yaml.safe_load(f.read_text())):
            yield pytest.param(nb, params, id=f"{f.stem}-{i}")


def _run(nb: Path, params: dict, out: Path):
    import papermill as pm
    os.environ["CRMLIB_STRICT_CHECKS"] = "1"
    return pm.execute_notebook(str(nb), str(out), parameters=params, cwd=str(nb.parent),
                               kernel_name="python3", progress_bar=False)


def test_every_parameter_file_names_a_notebook():
    for f in PARAMS.glob("*.yaml"):
        assert (ROOT / "notebooks" / f"{f.stem}.ipynb").exists() or (ROOT / "casework" / f"{f.stem}.ipynb").exists(), f


@pytest.mark.parametrize("nb, params", list(_cases()))
def test_notebook_runs_with_other_parameters(nb, params, tmp_path):
    out = _run(nb, params, tmp_path / nb.name)
    injected = [c for c in out.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    errors = [o for c in out.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    checks = sum(c.source.count("exercises.check(") for c in out.cells if c.cell_type == "code")
    if checks:
        text = "".join(o.get("text", "") for c in out.cells for o in c.get("outputs", []))
        strict_checks = checks - sum(c.source.count("strict=False") for c in out.cells if c.cell_type == "code")
        assert text.count("✅") >= strict_checks and "✏️" not in text   # every self-check ran and passed


def test_misspelt_parameter_fails_loudly(tmp_path):
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError) as e:
        _run(ROOT / "notebooks" / "00_start_here.ipynb", {"langg": "zh"}, tmp_path / "out.ipynb")
    assert "CRMDataError" in str(e.value) and "langg" in str(e.value)


def test_out_of_range_parameter_fails_loudly(tmp_path):
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError) as e:
        _run(ROOT / "notebooks" / "01_identification.ipynb", {"rfm_bins": 1}, tmp_path / "out.ipynb")
    assert "rfm_bins" in str(e.value)
