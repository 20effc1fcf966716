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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in _executions.NOTEBOOK_DOCTESTS:
            item.add_marker(pytest.mark.notebook)
        elif item.path.suffix == ".ipynb":  # a cell run by nbval (`pytest --nbval-lax x.ipynb`, .ci/other-pythons)
            item.add_marker(pytest.mark.notebook)
