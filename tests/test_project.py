"""Project-level checks: dependency lists in step, notebooks committed clean, CI = README command."""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib  # type: ignore[no-redef]

from crmlib.params import SPECS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb"))


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return re.sub(r"\s+", "", req).lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py_deps = project["dependencies"] + project["optional-dependencies"]["dev"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section, "environment.yml must pip-install crmlib itself in editable mode"
    # packages that conda-forge lacks (e.g. the CJK font) come from PyPI through the pip: section
    from_pypi = [d for d in pip_section if d.strip() != "-e ."]
    assert sorted(map(_spec, conda + from_pypi)) == sorted(map(_spec, py_deps))
    assert not set(map(_name, conda)) & set(map(_name, from_pypi)), "a package listed twice in environment.yml"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert "make test" in commands


def test_makefile_test_target_runs_the_whole_suite():
    make = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^test: .*\n((?:\t.*\n)+)", make, re.M).group(1)
    assert "pytest" in recipe and " -k " not in recipe and "--ignore" not in recipe
    assert not re.search(r"\s-m\s+[\"']", recipe), "make test runs every marker (notebook, ui, slow)"
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in addopts["addopts"]
    assert {"tests", "crmlib"} <= set(addopts["testpaths"])
    # the notebooks are executed by the shared executions of the suite (tests/_executions.py)
    import _executions
    assert _executions.NOTEBOOKS == NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_conventions(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("#"), "first cell: title"
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    cell = nb.cells[tagged[0]]
    # literals only: every statement is `name = <literal>`
    names = []
    for stmt in ast.parse(cell.source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, f"not a plain assignment: {ast.dump(stmt)}"
        ast.literal_eval(stmt.value)
        names.append(stmt.targets[0].id)
    assert path.stem in SPECS, f"{path.stem} needs a parameter spec in crmlib.params.SPECS"
    assert names == list(SPECS[path.stem]), "parameters cell and crmlib.params.SPECS must agree"
    # the next code cell validates them before anything else
    nxt = next(c for c in nb.cells[tagged[0] + 1:] if c.cell_type == "code")
    assert f'notebook_parameters("{path.stem}", globals())' in nxt.source
    # no sys.path hacks: crmlib is installed
    assert not any("sys.path" in c.source for c in nb.cells if c.cell_type == "code")
    # exercises: every check has a model solution tagged 'solution'
    checks = sum(c.source.count("exercises.check(") for c in nb.cells if c.cell_type == "code")
    solutions = [c for c in nb.cells if "solution" in c.get("metadata", {}).get("tags", [])]
    if path.stem != "00_start_here":
        assert checks >= 3 and len(solutions) >= checks
    # the last cell prints the versions used
    assert "__version__" in nb.cells[-1].source


def test_committed_files_are_tracked_sensibly():
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")  # an sdist or exported tree: nothing to check
    files = out.stdout.split()
    assert not any(f.startswith(".venv/") or "__pycache__" in f or f.endswith(".pyc") for f in files)


def test_every_public_function_has_a_doctest():
    """The issue asks for doctests of every public function: an example a student can read and
    the suite runs (classes are documented through the functions that build them)."""
    import importlib
    import inspect
    import pkgutil

    import crmlib
    missing = []
    for info in pkgutil.iter_modules(crmlib.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"crmlib.{info.name}")
        for name, obj in vars(mod).items():
            if (not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == mod.__name__
                    and ">>>" not in (inspect.getdoc(obj) or "")):
                missing.append(f"{mod.__name__}.{name}")
    assert missing == []
