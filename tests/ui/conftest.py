"""Fixtures of the browser tests: one JupyterLab server and one headless Chromium per session, a
fresh browser context per test, console errors collected, a screenshot for every failure.

A missing browser is a failure under CI (``CI=true``) or with ``CRMLIB_REQUIRE_BROWSER=1``; on a
student's machine the tests are skipped with a reason saying how to get Chromium (``make test-ui``).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _lab


def _missing(reason: str, hint: str = _lab.INSTALL_HINT):
    if _lab.browser_required():
        pytest.fail(
            f"browser tests cannot run: {reason}; {hint} (required because CI or CRMLIB_REQUIRE_BROWSER is set)",
            pytrace=False,
        )
    pytest.skip(f"BROWSER TESTS SKIPPED — {reason}; {hint}")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path, reason = _lab.find_chromium()
    if path is None:
        _missing(reason)
    if importlib.util.find_spec("playwright") is None:  # checked before JupyterLab is started
        _missing(
            "the Python package 'playwright' is not installed",
            "it is in the [dev] extra: `make test-ui` installs it, or `pip install -e '.[dev]'`",
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Never `playwright install`: drive the distribution's Chromium.
        b = pw.chromium.launch(executable_path=chromium_path, args=_lab.CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def lab(chromium_path):
    """JupyterLab serving small copies of the chapters from a temp folder; stopped by PID at the end."""
    base = Path(tempfile.mkdtemp(prefix="crmlib-ui-"))
    server = None
    try:
        chapters = _lab.prepare_chapters(base)
        server = _lab.start_lab(base, chapters)
        print(f"\nJupyterLab {server.url} (pid {server.proc.pid}) up in {server.started_in:.1f} s; log {server.log}")
        yield server
    finally:
        if server is not None:
            _lab.stop_lab(server)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def context(browser, lab):
    """One browser context for the session: it keeps JupyterLab's assets in its cache, which makes
    opening a chapter ~2 s faster; every test still gets its own page and a reset workspace."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context, lab):
    """A fresh page; ``page.js_errors`` collects console errors and uncaught exceptions."""
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on(
        "console",
        lambda m: (
            errors.append(f"console.error: {m.text} ({m.location.get('url', '')})") if m.type == "error" else None
        ),
    )
    pg.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    pg.js_errors = errors
    try:
        yield pg
    finally:
        pg.close()
        try:
            lab.shutdown_kernels()
        except Exception:  # the server may already be gone; its teardown reports that
            pass


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save a PNG of the page to build/ui-failures/<test>.png and print its path."""
    rep = yield
    pg = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if rep.failed and rep.when in ("setup", "call") and pg is not None and not pg.is_closed():
        _lab.FAILURES.mkdir(parents=True, exist_ok=True)
        path = _lab.FAILURES / (re.sub(r"[^\w.-]+", "_", item.name).strip("_") + ".png")
        try:
            pg.screenshot(path=str(path))
            note = f"screenshot of the failing page: {path}"
        except Exception as exc:  # a crashed page cannot be photographed; say so instead
            note = f"no screenshot ({exc})"
        rep.sections.append(("ui failure", note))
        tr = item.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line(f"\n{item.nodeid}: {note}", red=True)
    return rep


def pytest_terminal_summary(terminalreporter):
    """Say loudly when the browser tests were skipped (pytest -q hides skip reasons), and show how
    long each chapter took in the browser."""
    tr = terminalreporter
    skipped = [r for r in tr.stats.get("skipped", []) if "tests/ui/" in r.nodeid]
    reasons = {str(r.longrepr[2]) if isinstance(r.longrepr, tuple) else str(r.longrepr) for r in skipped}
    for reason in sorted(reasons):
        if "BROWSER TESTS SKIPPED" in reason:
            tr.write_sep("!", f"{len(skipped)} browser tests skipped", yellow=True, bold=True)
            tr.write_line(reason.replace("Skipped: ", ""), yellow=True, bold=True)
    timed = [
        r
        for r in tr.stats.get("passed", []) + tr.stats.get("failed", [])
        if "tests/ui/" in r.nodeid and r.when == "call" and dict(r.user_properties).get("phases")
    ]
    if timed:
        tr.write_sep("-", "browser tests: seconds per chapter")
        for r in timed:
            phases = dict(r.user_properties)["phases"]
            tr.write_line(
                f"{r.nodeid.split('[')[-1].rstrip(']'):<22} "
                + "  ".join(f"{k} {v:5.1f}" for k, v in phases.items())
                + f"  total {r.duration:5.1f}"
            )
        tr.write_line(f"all chapters: {sum(r.duration for r in timed):.1f} s")
