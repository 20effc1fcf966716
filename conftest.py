"""Test-suite set-up shared by the library tests, the doctests and the notebook executions."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

# Self-checks raise on a wrong answer, so running a notebook verifies every exercise's model solution.
os.environ.setdefault("CRMLIB_STRICT_CHECKS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# Keep Jupyter / IPython / matplotlib state out of the user's home during tests.
_state = tempfile.mkdtemp(prefix="crmlib-test-")
for var, sub in [("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")]:
    os.environ.setdefault(var, os.path.join(_state, sub))

# tests/_site/sitecustomize.py for every Python process the tests start (and this one, in case
# `pytest` was run directly rather than through `make test`, which sets PYTHONPATH itself)
_site = str(Path(__file__).resolve().parent / "tests" / "_site")
if _site not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_site, os.environ.get("PYTHONPATH")) if p)
sys.modules.setdefault("rfc3987_syntax", None)

import matplotlib  # noqa: E402

matplotlib.use("Agg")

# tests/ holds the helpers (_support, _executions) the test modules import by their bare names
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
import _executions  # noqa: E402


def pytest_configure(config):
    _executions.pytest_configure(config)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test or doctest drew, so that they do not pile up over the session
    (matplotlib warns beyond 20 open figures, and warnings are errors)."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


@pytest.fixture(autouse=True)
def _fresh_exercise_state():
    """Every test and doctest starts with no exercise answered, no hint shown and no practice round
    (``crmlib.exercises`` keeps them per kernel, as a student's notebook does): a test that answers
    ``ch3.best_channel`` wrongly must not move the hint ladder another test's example climbs. The
    state is given back afterwards, for a module's doctests that build on each other."""
    ex = sys.modules.get("crmlib.exercises")
    if ex is None:
        yield
        return
    stores = (ex.RECORD, ex.HINTS_SHOWN, ex.PRACTICE)
    saved = [dict(s) for s in stores]
    for s in stores:
        s.clear()
    yield
    for s, kept in zip(stores, saved):
        s.clear()
        s.update(kept)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in _executions.NOTEBOOK_DOCTESTS:
            item.add_marker(pytest.mark.notebook)
        elif item.path.suffix == ".ipynb":  # a cell run by nbval (`pytest --nbval-lax x.ipynb`, .ci/other-pythons)
            item.add_marker(pytest.mark.notebook)
