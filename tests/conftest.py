"""Shared set-up of the library tests: labels in English by default (helpers in _support.py)."""

from __future__ import annotations

import pytest

from crmlib import i18n


@pytest.fixture(autouse=True)
def _english():
    """Labels are compared in English; restore the default whatever a test did."""
    before = i18n.get_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture(autouse=True)
def _no_open_figures():
    """Plots draw on the current Axes when given none (seaborn's habit): each test starts without an
    open figure and leaves none behind, so one test's figure is never another's current Axes."""
    import matplotlib.pyplot as plt

    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def executions(request):
    """The session's shared notebook executions (tests/_executions.py): ``executions.result(job)``
    waits for a job listed in the test's ``@pytest.mark.executions(...)`` and returns its Result."""
    import _executions

    pool = _executions.plugin(request.config).pool
    if pool is None:
        pytest.fail("no notebook execution was scheduled: list the jobs in @pytest.mark.executions(...)", pytrace=False)
    return pool
