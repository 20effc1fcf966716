"""The notebook executions of the test suite, each run once per session and shared (issue 11).

Every (notebook, parameter set) that a selected test needs is a :class:`Job`. Right after
collection the plugin below gathers the jobs of the tests that will run (from their
``@pytest.mark.executions(job, ...)`` marks), starts two worker processes and feeds them the jobs;
each worker runs one job at a time with papermill (``CRMLIB_STRICT_CHECKS=1``, the notebook's
folder as working directory, kernel ``python3``; figures as PNG outputs through the inline backend
when a reader needs them, see :class:`Job`). While the kernels run, pytest goes on with the library
tests; the tests that read executions are moved to the end of the run and get the executed copy
from the ``executions`` fixture (``executions.result(job)`` waits for it).

The jobs of a notebook ``nb`` (``notebooks/01_identification.ipynb``):

* ``defaults(nb)`` — its own ``parameters`` cell (what nbval used to run);
* ``variant(nb, i)`` — set ``i`` of ``tests/params/<stem>.yaml``;
* ``small(nb)`` — the set with the least data (``_support.small_parameters``), which *is* one of
  the two above, so the book and the determinism test reuse that run;
* ``rerun(nb)`` — ``small(nb)`` once more: the second run the determinism test compares with;
* ``bad(nb, params)`` — a run that must fail (a misspelt or out-of-range parameter).

A job that fails (a cell raised, the kernel died, a timeout) fails only the tests that read it,
with the failing cell and its traceback in the message. Job names are stable
(``notebooks/01_identification[params-1]``): they are the ids of the tests that read them.

Only the tests carrying the ``notebook`` marker may read executions (checked at collection), so
``-m "not notebook"`` runs no job and starts no worker; and a test without that marker that starts
a Jupyter kernel fails (:func:`guard_kernels`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "tests" / "params"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "casework").glob("*.ipynb"))
WORKERS = int(os.environ.get("CRMLIB_TEST_WORKERS", "2"))
#: fork the kernels from warm zygotes (tests/_warm_kernel.py); CRMLIB_WARM_KERNELS=0: cold kernels
WARM = os.environ.get("CRMLIB_WARM_KERNELS", "1") not in ("", "0")
TIMEOUT = 900  # seconds per cell, as `crmlib book`
INLINE = "module://matplotlib_inline.backend_inline"  # figures become PNG outputs, as in JupyterLab


# ------------------------------------------------------------------------------------------- jobs
@dataclass(frozen=True, order=True)
class Job:
    """One execution: a notebook (path relative to the workbook), papermill parameters (as sorted
    JSON, so equal sets are the same job) and the run number (2 = determinism's second run).

    ``figures``: a reader needs the figures as PNG outputs (the book, the determinism comparison):
    the job then runs with the inline backend, otherwise with Agg (figures are not rendered, as
    under nbval before). When one reader of an execution needs figures, it is run with them."""

    notebook: str
    params_json: str = "{}"
    run: int = 1
    label: str = field(default="defaults", compare=False)  # "defaults", "params-1", "bad-…": names only
    figures: bool = field(default=False, compare=False)

    @property
    def path(self) -> Path:
        return ROOT / self.notebook

    @property
    def parameters(self) -> dict:
        return json.loads(self.params_json)

    @property
    def name(self) -> str:
        return f"{self.notebook.removesuffix('.ipynb')}[{self.label}{'' if self.run == 1 else f' run {self.run}'}]"

    @property
    def key(self) -> tuple[str, str, int]:
        """What makes two jobs the same execution (the label is not part of it)."""
        return (self.notebook, self.params_json, self.run)

    def __repr__(self) -> str:  # shows in pytest ids and failure messages
        return self.name


def _rel(nb) -> str:
    return Path(nb).resolve().relative_to(ROOT).as_posix()


def _json(params: dict) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False)


def notebook_path(stem: str) -> Path:
    """``notebooks/<stem>.ipynb`` or ``casework/<stem>.ipynb``."""
    for folder in ("notebooks", "casework"):
        if (ROOT / folder / f"{stem}.ipynb").exists():
            return ROOT / folder / f"{stem}.ipynb"
    raise FileNotFoundError(f"no notebook {stem}.ipynb in notebooks/ or casework/")


def variant_sets(nb) -> list[dict]:
    """The parameter sets of ``tests/params/<stem>.yaml`` (``[]`` when there is none)."""
    import yaml

    f = PARAMS / f"{Path(nb).stem}.yaml"
    return [dict(p) for p in (yaml.safe_load(f.read_text(encoding="utf-8")) or [])] if f.exists() else []


def defaults(nb) -> Job:
    return Job(_rel(nb))


def variant(nb, i: int) -> Job:
    return Job(_rel(nb), _json(variant_sets(nb)[i]), label=f"params-{i}")


def small(nb, run: int = 1) -> Job:
    """The smallest tested set: the same execution as ``defaults(nb)`` or one ``variant(nb, i)``,
    with figures (the book shows them, the determinism test compares their PNG bytes)."""
    from _support import small_parameters

    params = small_parameters(nb)
    if not params:
        job = defaults(nb)
    else:
        i = variant_sets(nb).index(params)
        job = variant(nb, i)
    return Job(job.notebook, job.params_json, run, job.label, figures=True)


def rerun(nb) -> Job:
    return small(nb, run=2)


def bad(nb, params: dict, label: str) -> Job:
    return Job(_rel(nb), _json(params), label=label)


# ---------------------------------------------------------------------------------------- results
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Result:
    job: Job
    output: Path | None  # the executed notebook (also after a failing cell), None if none
    seconds: float
    error: str | None  # the failing cell and its traceback, or why the run broke down
    ename: str | None = None  # the exception's class name when a cell raised
    kernel_cpu: float = 0.0  # CPU seconds of the kernel process

    @property
    def ok(self) -> bool:
        return self.error is None

    def notebook(self):
        """A fresh copy of the executed notebook (tests may change it)."""
        import nbformat

        if self.output is None or not self.output.exists():
            pytest.fail(f"{self.job.name}: no executed notebook: {self.error}", pytrace=False)
        return nbformat.read(str(self.output), as_version=4)

    def check(self) -> None:
        """Fail the calling test (only it) with the failing cell's traceback when the run failed."""
        if self.error is not None:
            pytest.fail(
                f"{self.job.name} with {self.job.parameters or 'its defaults'} failed "
                f"after {self.seconds:.1f} s:\n{self.error}",
                pytrace=False,
            )


def execute(job: dict) -> dict:
    """Run one job with papermill (in a worker process); never raises."""
    import papermill as pm

    t0 = time.perf_counter()
    import resource

    out = {"key": job["key"], "error": None, "ename": None}
    os.environ["MPLBACKEND"] = job["backend"]  # the kernel inherits it
    cpu_file = Path(job["output"]).with_suffix(".cpu")
    if job.get("jupyter_path"):  # a warm kernel: its zygote notes its CPU time
        os.environ["JUPYTER_PATH"] = job["jupyter_path"]
        os.environ["CRMLIB_KERNEL_CPU_FILE"] = str(cpu_file)
    else:
        os.environ.pop("JUPYTER_PATH", None)
        os.environ.pop("CRMLIB_KERNEL_CPU_FILE", None)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        pm.execute_notebook(
            job["notebook"],
            job["output"],
            parameters=job["parameters"],
            cwd=str(Path(job["notebook"]).parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=TIMEOUT,
        )
    except pm.PapermillExecutionError as exc:
        src = exc.source.splitlines()[0] if exc.source else ""
        out["ename"] = exc.ename
        out["error"] = (
            f"code cell In [{exc.exec_count}] (cell {exc.cell_index}: {src!r}) raised "
            f"{exc.ename}: {exc.evalue}\n" + _ANSI.sub("", "\n".join(exc.traceback))
        )
    except BaseException as exc:  # kernel died, timeout, bad notebook: the job fails, not the worker
        out["ename"] = type(exc).__name__
        out["error"] = "".join(traceback.format_exception(exc))
    out["seconds"] = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["kernel_cpu"] = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    for _ in range(20):  # the zygote notes it when it reaps the kernel
        if not job.get("jupyter_path") or cpu_file.exists():
            break
        time.sleep(0.05)
    if cpu_file.exists():
        out["kernel_cpu"] += sum(float(x) for x in cpu_file.read_text().split())
    return out


def _worker_main() -> None:
    """``python _executions.py --worker``: one JSON job per line in, one JSON result per line out."""
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to the worker's log, not the protocol
    import papermill  # noqa: F401  (imported before the first job arrives)

    proto.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if line.strip():
            proto.write(json.dumps(execute(json.loads(line))) + "\n")


# ------------------------------------------------------------------------------------------- pool
class Pool:
    """Worker processes running the jobs in the order submitted, results kept by job key.

    With warm kernels, two zygotes (tests/_warm_kernel.py) are started with the workers: the kernels
    of first runs fork from one, those of the determinism test's second runs from the other, so
    that the two runs it compares differ in their string-hash seed as two cold kernels would.
    The processes can start before the jobs are known (``start`` then ``submit``)."""

    def __init__(self, workdir: Path, workers: int = WORKERS, warm: bool = WARM):
        self.workdir = workdir
        self.workers = workers
        self.warm = warm
        self.queue: list[Job] = []
        self.results: dict[tuple, Result] = {}
        self.done: dict[tuple, threading.Event] = {}
        self.figures: set[tuple] = set()
        self.lock = threading.Lock()
        self.submitted = threading.Event()
        self.threads: list[threading.Thread] = []
        self.procs: list[subprocess.Popen] = []
        self.zygotes: list[tuple[subprocess.Popen, threading.Event, str]] = []
        self.logs: list[Any] = []
        self.started = self.last = time.perf_counter()

    def submit(self, jobs: list[Job]) -> None:
        """Queue the jobs (once); the workers start on them as soon as they are up."""
        with self.lock:
            for job in jobs:
                if job.figures:
                    self.figures.add(job.key)
                if job.key not in self.done:
                    self.done[job.key] = threading.Event()
                    self.queue.append(job)
        self.submitted.set()

    def _log(self, name: str):
        log = open(self.workdir / f"{name}.log", "w")
        self.logs.append(log)
        return log

    def start(self) -> None:
        env = dict(os.environ, CRMLIB_STRICT_CHECKS="1", MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
        for k in ("PYTEST_CURRENT_TEST", "JUPYTER_PATH", "CRMLIB_KERNEL_GUARD_LOG", "PYTHONHASHSEED"):
            env.pop(k, None)
        if self.warm:
            import _warm_kernel

            for z in ("a", "b"):
                sock = str(self.workdir / f"zygote-{z}.sock")
                proc = subprocess.Popen(
                    [sys.executable, _warm_kernel.__file__, "serve", sock],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=self._log(f"zygote-{z}"),
                    env=env,
                    text=True,
                    cwd=ROOT,
                )
                ready = threading.Event()
                threading.Thread(target=lambda p=proc, e=ready: (p.stdout.readline(), e.set()), daemon=True).start()
                self.zygotes.append((proc, ready, _warm_kernel.kernel_spec(str(self.workdir / f"kernels-{z}"), sock)))
        for i in range(self.workers):
            proc = subprocess.Popen(
                [sys.executable, __file__, "--worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log(f"worker-{i}"),
                env=env,
                text=True,
                cwd=ROOT,
            )
            self.procs.append(proc)
            t = threading.Thread(target=self._feed, args=(i, proc), daemon=True, name=f"executions-{i}")
            t.start()
            self.threads.append(t)

    def _next(self) -> Job | None:
        with self.lock:
            return self.queue.pop(0) if self.queue else None

    def _finish(self, job: Job, result: Result) -> None:
        self.results[job.key] = result
        self.last = time.perf_counter()
        self.done[job.key].set()

    def _jupyter_path(self, job: Job) -> str | None:
        if not self.zygotes:
            return None
        proc, ready, folder = self.zygotes[0 if job.run == 1 else 1]
        while not ready.wait(1):
            if proc.poll() is not None:
                return None  # the zygote failed (its log says why): a cold kernel
        return folder if proc.poll() is None else None

    def _feed(self, i: int, proc: subprocess.Popen) -> None:
        ready = proc.stdout.readline()
        self.submitted.wait()
        while True:
            job = self._next()
            if job is None:
                break
            out = (self.workdir / re.sub(r"[^\w.-]+", "_", job.name).strip("_")).with_suffix(".ipynb")
            if not ready or proc.poll() is not None:
                self._finish(job, Result(job, None, 0.0, f"worker {i} is gone (log {self.workdir}/worker-{i}.log)"))
                continue
            t0 = time.perf_counter()
            try:
                proc.stdin.write(
                    json.dumps(
                        {
                            "key": list(job.key),
                            "notebook": str(job.path),
                            "parameters": job.parameters,
                            "output": str(out),
                            "backend": INLINE if job.key in self.figures else "Agg",
                            "jupyter_path": self._jupyter_path(job),
                        }
                    )
                    + "\n"
                )
                proc.stdin.flush()
                reply = json.loads(proc.stdout.readline())
            except Exception as exc:
                reply = {
                    "error": f"worker {i} broke down: {exc!r} (log {self.workdir}/worker-{i}.log)",
                    "seconds": time.perf_counter() - t0,
                }
            self._finish(
                job,
                Result(
                    job,
                    out if out.exists() else None,
                    reply.get("seconds", 0.0),
                    reply.get("error"),
                    reply.get("ename"),
                    reply.get("kernel_cpu", 0.0),
                ),
            )
        try:
            proc.stdin.close()
        except OSError:
            pass

    def result(self, job: Job, timeout: float | None = None) -> Result:
        if job.key not in self.done:
            raise KeyError(f"{job.name} was not scheduled: add it to the test's @pytest.mark.executions(...)")
        if not self.done[job.key].wait(timeout):
            raise TimeoutError(f"{job.name} did not finish within {timeout} s")
        return self.results[job.key]

    def stop(self) -> None:
        with self.lock:
            self.queue.clear()
        self.submitted.set()
        procs = self.procs + [z[0] for z in self.zygotes]
        for proc in procs:
            try:
                proc.stdin.close()
            except OSError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        for log in self.logs:
            log.close()


# ----------------------------------------------------------------------------------------- plugin
#: doctests that start a Jupyter kernel (papermill): the root conftest.py marks them `notebook`
NOTEBOOK_DOCTESTS = {"crmlib.book.execute", "crmlib.book.build_book"}
#: the test modules that read executions (the workers start before collection when one is selected)
READER_MODULES = ("test_notebook_variants", "test_determinism", "test_book")


def _jobs_of(item) -> list[Job]:
    return [job for mark in item.iter_markers("executions") for job in mark.args]


def _phase(item) -> int:
    """When a test runs once executions are scheduled (on 2 cores, 2 of them kernels):

    0. browser tests, then 1. the other notebook tests (instructor assign/grade): while they wait
       for their own JupyterLab/kernels, the pool's kernels use the CPU anyway;
    2. the library tests and doctests, while the pool finishes;
    3. the readers of executions, which by then find their executions done."""
    if _jobs_of(item):
        return 3
    if item.get_closest_marker("ui") is not None:
        return 0
    if item.get_closest_marker("notebook") is not None:
        return 1
    return 2


class Plugin:
    """Schedules the jobs of the selected tests, runs them early, hands them out."""

    def __init__(self, config):
        self.config = config
        self.pool: Pool | None = None
        self.workdir: Path | None = None
        self.unmarked: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        """Before deselection (-m/-k): every reader of executions must be marked ``notebook``."""
        for item in items:
            if (_jobs_of(item) or "executions" in getattr(item, "fixturenames", ())) and item.get_closest_marker(
                "notebook"
            ) is None:
                self.unmarked.append(item.nodeid)
        if self.unmarked:
            raise pytest.UsageError(
                "tests reading notebook executions without the `notebook` marker "
                "(so `make test-fast` would run kernels): " + ", ".join(self.unmarked)
            )

    def _may_read_executions(self) -> bool:
        """Whether this run can include readers of executions: then the workers and zygotes start
        before collection (~10 s of warming up that overlaps it). Not for ``-m "not notebook"``,
        ``--collect-only`` or paths without any reader module."""
        config = self.config
        if config.option.collectonly or WORKERS < 1:
            return False
        markexpr = config.option.markexpr
        if markexpr:
            try:
                from _pytest.mark.expression import Expression

                marks = {"notebook", "executions", "parametrize"}
                if not Expression.compile(markexpr).evaluate(lambda name, **kw: name in marks):
                    return False
            except Exception:
                pass
        readers = [ROOT / "tests" / f"{m}.py" for m in READER_MODULES]
        for arg in config.args:
            target = Path(str(arg).split("::")[0]).resolve()
            if any(r == target or target in r.parents for r in readers):
                return True
        return False

    def pytest_sessionstart(self, session):
        if self._may_read_executions():
            self._start()

    def _start(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="crmlib-executions-"))
        self.pool = Pool(self.workdir)
        self.pool.start()

    def pytest_collection_finish(self, session):
        jobs = [job for item in session.items for job in _jobs_of(item)]
        if session.config.option.collectonly or not jobs:
            if self.pool is not None:
                self.pool.stop()
                shutil.rmtree(self.workdir, ignore_errors=True)
                self.pool = None
            return
        session.items[:] = sorted(session.items, key=_phase)  # stable: file order within a phase
        if self.pool is None:
            self._start()
        self.pool.submit(jobs)

    def pytest_sessionfinish(self, session):
        if self.pool is None:
            return
        self.pool.stop()
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        failed = [r for r in self.pool.results.values() if not r.ok and not r.job.label.startswith("bad")]
        if tr is not None and self.pool.results:
            res = list(self.pool.results.values())
            tr.write_line(
                f"\nnotebook executions: {len(res)} jobs on {self.pool.workers} workers, "
                f"{sum(r.seconds for r in res):.0f} s of runs, {sum(r.kernel_cpu for r in res):.0f} s "
                f"of kernel CPU, all done {self.pool.last - self.pool.started:.0f} s after collection"
            )
            if os.environ.get("CRMLIB_EXECUTION_TIMES"):
                for r in sorted(res, key=lambda r: -r.seconds):
                    tr.write_line(f"  {r.seconds:6.1f} s  cpu {r.kernel_cpu:5.1f} s  {r.job.name}")
        if failed:
            if tr is not None:
                tr.write_line(f"executed copies kept in {self.workdir}", yellow=True)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


# ------------------------------------------------------------------------------------ kernel guard
_GUARD_KERNEL = """import os, sys
with open(os.environ["CRMLIB_KERNEL_GUARD_LOG"], "a", encoding="utf-8") as f:
    f.write(os.environ.get("PYTEST_CURRENT_TEST", "?") + "\\n")
sys.exit("crmlib test suite: a test without the `notebook` (or `ui`) marker started a Jupyter kernel")
"""


class KernelGuard:
    """While a test without the ``notebook``/``ui`` marker runs, the kernel ``python3`` is one that
    exits at once and notes the test (``JUPYTER_PATH`` points at its spec first); such a test fails,
    even when it expected the notebook to fail. So ``-m "not notebook and not ui"`` starts no kernel."""

    EXEMPT = ("notebook", "ui")

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="crmlib-kernel-guard-"))
        spec = self.dir / "kernels" / "python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [sys.executable, "-c", _GUARD_KERNEL],
                    "display_name": "no kernel here (crmlib tests)",
                    "language": "python",
                }
            )
        )
        self.log = self.dir / "started.log"
        self.saved: dict[str, str | None] = {}

    def _guarded(self, item) -> bool:
        return not any(item.get_closest_marker(m) for m in self.EXEMPT)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        if self._guarded(item):
            self.saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "CRMLIB_KERNEL_GUARD_LOG")}
            old = os.environ.get("JUPYTER_PATH")
            os.environ["JUPYTER_PATH"] = str(self.dir) + (os.pathsep + old if old else "")
            os.environ["CRMLIB_KERNEL_GUARD_LOG"] = str(self.log)

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_teardown(self, item):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        self.saved = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        rep = yield
        if self.log.exists() and self.log.stat().st_size:
            names = self.log.read_text(encoding="utf-8").split()
            self.log.unlink()
            rep.outcome = "failed"
            rep.longrepr = (
                f"{item.nodeid} started a Jupyter kernel ({len(names)}x) but is not marked "
                "`notebook` (or `ui`): add @pytest.mark.notebook, so that `make test-fast` "
                "(-m 'not notebook and not ui and not slow') stays free of kernels"
            )
        return rep


def pytest_configure(config) -> None:
    """Registered by the root conftest.py."""
    config.addinivalue_line(
        "markers",
        "executions(*jobs): the shared notebook executions the test reads "
        "(tests/_executions.py runs each once per session)",
    )
    config.pluginmanager.register(Plugin(config), "crmlib-executions")
    config.pluginmanager.register(KernelGuard(), "crmlib-kernel-guard")


def plugin(config) -> Plugin:
    return config.pluginmanager.get_plugin("crmlib-executions")


if __name__ == "__main__" and "--worker" in sys.argv:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    _worker_main()
