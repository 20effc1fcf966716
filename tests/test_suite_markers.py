"""The markers keep `make test-fast` (-m "not notebook and not ui and not slow") free of kernels.

Three layers hold it: the plugin in tests/_executions.py refuses at collection a reader of the
shared executions without the ``notebook`` marker; while a test without ``notebook``/``ui`` runs,
the kernel ``python3`` is a stand-in that exits at once and fails that test (checked here without
starting it); and the doctests that run papermill are marked by the root conftest.py.
"""

from __future__ import annotations

import pytest

import _executions as ex

ROOT = ex.ROOT


def _python3_argv() -> list[str]:
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().get_kernel_spec("python3").argv


def test_an_unmarked_test_gets_no_real_kernel():
    argv = _python3_argv()
    assert argv[1] == "-c" and "started a Jupyter kernel" in argv[2], argv


@pytest.mark.notebook
def test_a_notebook_test_gets_the_real_kernel():
    argv = _python3_argv()
    assert "ipykernel_launcher" in " ".join(argv) or "ipykernel" in " ".join(argv), argv


def test_readers_of_executions_and_browser_tests_are_marked(request):
    for item in request.session.items:
        if item.get_closest_marker("executions") is not None or "executions" in getattr(item, "fixturenames", ()):
            assert item.get_closest_marker("notebook") is not None, item.nodeid
        if "/tests/ui/" in str(item.path) and item.name.startswith("test_chapter_"):
            assert item.get_closest_marker("ui") is not None, item.nodeid


def test_doctests_that_run_papermill_are_marked(request):
    doctests = {i.name: i for i in request.session.items if isinstance(i, pytest.DoctestItem)}
    for name in ex.NOTEBOOK_DOCTESTS:
        if name in doctests:
            assert doctests[name].get_closest_marker("notebook") is not None, name


def test_every_notebook_has_its_jobs():
    """Each notebook: its defaults, each tests/params set, and a second run of its smallest set;
    job names are stable (they are test ids)."""
    for nb in ex.NOTEBOOKS:
        sets = ex.variant_sets(nb)
        small = ex.small(nb)
        assert small.key in {ex.defaults(nb).key, *(ex.variant(nb, i).key for i in range(len(sets)))}
        assert ex.rerun(nb).key == (small.notebook, small.params_json, 2)
        assert ex.defaults(nb).name == f"{nb.relative_to(ROOT).with_suffix('').as_posix()}[defaults]"
    assert ex.variant(ROOT / "notebooks" / "01_identification.ipynb", 1).name == "notebooks/01_identification[params-1]"


def test_the_queue_runs_the_longest_executions_first(tmp_path):
    """The pool's queue (tests/_executions.Pool.submit) is longest first: chapter 1 (the most code)
    before chapter 0, a run with figures before the same run without, and a run that stops at its
    parameter check last; a job submitted twice is queued once. Nothing is started here."""
    ch0, ch1 = ROOT / "notebooks" / "00_start_here.ipynb", ROOT / "notebooks" / "01_identification.ipynb"
    pool = ex.Pool(tmp_path, workers=2, warm=False)
    stop = ex.bad(ch1, {"seed": -1}, "bad-seed")
    with_figures = ex.Job(ex.defaults(ch0).notebook, '{"seed": 3}', figures=True)
    pool.submit([stop, ex.defaults(ch0), ex.defaults(ch1), with_figures, ex.defaults(ch0)])
    assert [(j.notebook, j.params_json) for j in pool.queue] == [
        ("notebooks/01_identification.ipynb", "{}"),
        ("notebooks/00_start_here.ipynb", '{"seed": 3}'),
        ("notebooks/00_start_here.ipynb", "{}"),
        ("notebooks/01_identification.ipynb", '{"seed": -1}'),
    ]
