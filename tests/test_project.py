"""Project-level checks: dependency lists in step, every import declared, tested version pins, notebooks
committed clean, CI = README command plus lint and the other Pythons."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
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
# and their editions in other languages (crmlib editions): committed clean, same conventions
NOTEBOOKS += sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")) + sorted((ROOT / "casework" / "zh").glob("*.ipynb"))


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _extras(project: dict) -> list[str]:
    """The [dev] and [book] extras, which `make venv` installs with crmlib (the test suite needs both)."""
    extras = project["optional-dependencies"]
    assert set(extras) == {"dev", "book"}, f"an extra that make venv does not install: {sorted(extras)}"
    return extras["dev"] + extras["book"]


def _spec(req: str) -> str:
    return re.sub(r"\s+", "", req).lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py_deps = project["dependencies"] + _extras(project)
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
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
    # the next code cell (the set-up cell) validates them, through crmlib.start with the notebook's own name
    nxt = next(c for c in nb.cells[tagged[0] + 1 :] if c.cell_type == "code")
    starts = re.findall(r"\bcrmlib\.start\(\s*[\"']([^\"']+)[\"']\s*,\s*globals\(\)\s*\)", nxt.source)
    assert starts == [path.stem], f"the set-up cell must call crmlib.start({path.stem!r}, globals()) once, got {starts}"
    assert "notebook_parameters" not in nxt.source and "set_option" not in nxt.source, (
        "crmlib.start does the parameter check and the display set-up"
    )
    # no sys.path hacks: crmlib is installed
    assert not any("sys.path" in c.source for c in nb.cells if c.cell_type == "code")
    # exercises: every check has a model solution tagged 'solution' (chapter 0's checks of the demo.
    # worked examples are demonstrations, not exercises; its quiz counts)
    own_check = re.compile(r"""exercises\.check\(\s*["'](?!demo\.)""")
    checks = sum(len(own_check.findall(c.source)) for c in nb.cells if c.cell_type == "code")
    solutions = [c for c in nb.cells if "solution" in c.get("metadata", {}).get("tags", [])]
    assert checks >= 3 and len(solutions) >= checks
    # the last cell prints the versions used
    assert "crmlib.show_versions()" in nb.cells[-1].source


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
    for info in pkgutil.walk_packages(crmlib.__path__, "crmlib."):
        if info.name.split(".")[1].startswith("_"):  # the private base modules; a package's modules count
            continue
        mod = importlib.import_module(info.name)
        for name, obj in vars(mod).items():
            if (
                not name.startswith("_")
                and inspect.isfunction(obj)
                and obj.__module__ == mod.__name__
                and ">>>" not in (inspect.getdoc(obj) or "")
            ):
                missing.append(f"{mod.__name__}.{name}")
    assert missing == []


# ------------------------------------------------------------------ dependencies and tested versions
def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _imports(paths) -> dict[str, str]:
    """Top-level modules imported (absolutely) by the given files: module -> first file."""
    found: dict[str, str] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                else []
            )
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _module_owners() -> dict[str, set[str]]:
    """Top-level module -> the distributions installing it (from each one's file list: Python 3.10's
    packages_distributions() reads only top_level.txt, which wheels built by hatchling lack)."""
    owners: dict[str, set[str]] = {}
    for dist in importlib.metadata.distributions():
        name = _name(dist.metadata["Name"])
        record = dist.read_text("RECORD") or dist.read_text("top_level.txt") or ""
        for line in record.splitlines():
            path = line.split(",", 1)[0]
            top = path.split("/", 1)[0].removesuffix(".py")
            if top.isidentifier():
                owners.setdefault(top, set()).add(name)
    return owners


def _undeclared(imports: dict[str, str], declared: set[str], local: set[str]) -> list[str]:
    dists = _module_owners()
    out = []
    for mod, where in sorted(imports.items()):
        if mod in sys.stdlib_module_names or mod in local:
            continue
        provided_by = dists.get(mod, set())
        if not provided_by & declared:
            out.append(f"{mod} (imported in {where}; installed from {sorted(provided_by) or 'nothing'})")
    return out


def test_every_module_crmlib_imports_is_a_declared_dependency():
    """A module crmlib imports at run time must come from [project] dependencies, not from [dev] or
    from whatever happened to be installed beside it (nbconvert came with jupyterlab, until it
    did not)."""
    runtime = {_name(r) for r in _project()["dependencies"]}
    assert _undeclared(_imports(sorted((ROOT / "crmlib").rglob("*.py"))), runtime, {"crmlib"}) == []


def test_every_module_the_tests_import_is_declared():
    project = _project()
    declared = {_name(r) for r in project["dependencies"] + _extras(project)}
    files = sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py")) + [ROOT / "conftest.py"]
    local = {
        "crmlib",
        "_support",
        "_lab",
        "_timing",
        "_executions",  # tests/_executions.py and _warm_kernel.py: the suite's shared notebook runs
        "_warm_kernel",
        "jupyter_client",  # the kernel machinery of ipykernel/nbclient (declared), read by test_suite_markers
        "conftest",
        "pip",  # the tomllib fallback above: pip is in every venv
        "tomllib",  # standard library from 3.11 (tried first, with that fallback on 3.10)
        "lifetimes",
    }  # benchmarks/bench_clv.py compares against it in a venv of its own
    assert _undeclared(_imports(files), declared, local) == []


def _lower_bounds() -> dict[str, str]:
    project = _project()
    bounds = {}
    for req in project["dependencies"] + _extras(project):
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)>=([0-9][0-9A-Za-z.]*)", re.sub(r"\s+", "", req))
        assert m, f"{req!r}: a dependency is written 'name>=lower-bound' (the bound tested on the oldest Python)"
        bounds[_name(m.group(1))] = m.group(2)
    return bounds


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not an exact pin 'name==version'"
            pins[_name(name)] = version.strip()
    return pins


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(re.match(r"\d+", part).group()) for part in v.split(".") if re.match(r"\d+", part))


def test_lower_bounds_are_the_versions_tested_on_the_oldest_python():
    """constraints-oldest.txt (installed on Python 3.10 by .ci/other-pythons) pins each direct
    dependency at exactly its lower bound, and environment.yml states the same bounds."""
    pins, bounds = _pins(ROOT / "constraints-oldest.txt"), _lower_bounds()
    assert {name: pins.get(name) for name in bounds} == bounds
    # beyond the direct dependencies, only the few transitive pins the file explains
    assert set(pins) - set(bounds) <= {"pyparsing"}
    assert _project()["requires-python"] == ">=3.10" and "3.10" in (ROOT / ".ci" / "other-pythons").read_text()
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python>=3.10" in env["dependencies"]


def test_constraints_pin_every_dependency_within_its_bounds():
    """constraints.txt (what make installs, what CI passed with) is a full freeze that satisfies
    pyproject.toml; the pre-commit hooks use the same ruff."""
    pins = _pins(ROOT / "constraints.txt")
    for name, low in _lower_bounds().items():
        assert name in pins, f"constraints.txt lacks {name}: run make constraints"
        assert _version(pins[name]) >= _version(low), f"{name}=={pins[name]} is below the bound {low}"
    assert "crmlib" not in pins and len(pins) > 50
    hooks = (ROOT / ".pre-commit-config.yaml").read_text()
    assert hooks.count(f'"ruff=={pins["ruff"]}"') == 2 and f"rev: v{pins['ruff']}" in hooks


def test_license_is_an_spdx_expression():
    project = _project()
    assert project["license"] == "MIT" and all((ROOT / f).is_file() for f in project["license-files"])
    assert "MIT License" in (ROOT / "LICENSE").read_text()


def test_ci_lints_then_tests_then_tries_the_other_pythons():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    lint, test = commands.index("make lint"), commands.index("make test")
    other = next(i for i, c in enumerate(commands) if ".ci/other-pythons" in c)
    assert lint < test < other
    # every step gates the landing (set -e): nothing may swallow a failure with `|| ...`
    assert "set -euo pipefail" in ci and not [c for c in commands if "||" in c and ("make" in c or ".ci/other" in c)]
    make = (ROOT / "Makefile").read_text()
    for target in ("lint", "format", "constraints"):
        assert re.search(rf"^{target}:", make, re.M), f"make {target} is missing"
    assert "ruff check" in make and "ruff format --check" in make and "-c $(CONSTRAINTS)" in make
