"""Helpers of the browser tests: find Chromium, prepare small notebook copies, run JupyterLab,
and drive an open notebook (imported by tests/ui/conftest.py and the test module).

Nothing here imports Playwright at module level, so collecting the suite (and ``--doctest-modules``)
works even where Playwright is missing; the fixtures then skip or fail with a clear reason.
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from _support import notebook_defaults, small_parameters

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FAILURES = ROOT / "build" / "ui-failures"

# Flags from /work/shared/ENVIRONMENT.md: headless, no sandbox (root in containers), and no
# background traffic (the machines reach package registries only).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
INSTALL_HINT = (
    "install it with `make test-ui` (as root it runs `apt-get install -y chromium`), or "
    "`sudo apt-get install -y chromium` on Debian/Ubuntu; elsewhere point CRMLIB_CHROMIUM at a "
    "Chrome/Chromium executable"
)


# ---------------------------------------------------------------------------------------- browser
def browser_required() -> bool:
    """CI (``CI=true``) and ``CRMLIB_REQUIRE_BROWSER=1`` turn a missing browser into a failure."""

    def truthy(name: str) -> bool:
        return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")

    return truthy("CI") or truthy("CRMLIB_REQUIRE_BROWSER")


def find_chromium() -> tuple[str | None, str]:
    """``(path, "")`` of the Chromium to drive, or ``(None, reason)``.

    ``CRMLIB_CHROMIUM`` wins (other systems: any Chrome/Chromium executable); then Debian's
    ``chromium`` on the PATH, then the usual other names.
    """
    env = os.environ.get("CRMLIB_CHROMIUM", "").strip()
    if env:
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env, ""
        return None, f"CRMLIB_CHROMIUM={env!r} is not an executable file"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path, ""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium", ""
    return None, "no Chromium found (looked for CRMLIB_CHROMIUM, chromium, chromium-browser, google-chrome)"


# ------------------------------------------------------------------------------ notebook copies
def set_parameters(source: str, values: dict) -> str:
    """Rewrite ``name = literal  # comment`` lines of a parameters cell with new values."""
    lines = source.splitlines()
    seen = set()
    for stmt in ast.parse(source).body:
        name = stmt.targets[0].id
        if name in values:
            assert stmt.end_lineno == stmt.lineno, f"{name}: multi-line parameter"
            i = stmt.lineno - 1
            tail = lines[i][stmt.end_col_offset :]
            lines[i] = lines[i][: stmt.col_offset] + f"{name} = {values[name]!r}" + tail
            seen.add(name)
    unknown = set(values) - seen
    assert not unknown, f"parameters not in the notebook's parameters cell: {sorted(unknown)}"
    return "\n".join(lines)


@dataclass
class Chapter:
    stem: str
    path: Path  # the edited copy served by JupyterLab
    params: dict  # the values the copy runs with (defaults + small variant)
    cells: list[str]  # cell sources, in order (index = DOM cell index)
    kinds: list[str]  # cell types, in the same order

    def cell_index(self, needle: str) -> int:
        hits = [i for i, s in enumerate(self.cells) if needle in s]
        assert len(hits) == 1, f"{self.stem}: {len(hits)} cells contain {needle!r}, expected exactly one"
        return hits[0]


def prepare_chapters(root: Path) -> dict[str, Chapter]:
    """Copy every chapter into ``root/notebooks`` with its parameters cell set to the small variant."""
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    out = {}
    for src in CHAPTERS:
        nb = nbformat.read(src, as_version=4)
        variant = small_parameters(src)
        params = {**notebook_defaults(src), **variant}
        cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
        cell.source = set_parameters(cell.source, variant)
        dst = root / "notebooks" / src.name
        nbformat.write(nb, dst)
        out[src.stem] = Chapter(src.stem, dst, params, [c.source for c in nb.cells], [c.cell_type for c in nb.cells])
    return out


# ------------------------------------------------------------------------------------ JupyterLab
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# User settings for this server only: every cell stays in the DOM (no windowing, so cell i of the
# notebook is the i-th .jp-Cell), and no update/news checks (no network here, and their failures
# would show up as console errors).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False, "fetchNews": "false"},
}


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    chapters: dict[str, Chapter]
    log: Path
    proc: subprocess.Popen | None = None
    started_in: float = 0.0
    env: dict = field(default_factory=dict)

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session of this (test-only) server, so kernels do not pile up between tests."""
        for s in self.api("/api/sessions") or []:
            try:
                self.api(f"/api/sessions/{s['id']}", method="DELETE")
            except urllib.error.URLError:
                pass

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"


def start_lab(base: Path, chapters: dict[str, Chapter], timeout: float = 60.0) -> Lab:
    """Start JupyterLab on a free loopback port, serving ``base``; every state dir in ``base/state``."""
    state = base / "state"
    env = dict(os.environ)
    # Keep Jupyter / IPython / matplotlib state out of the user's home. JUPYTER_DATA_DIR only
    # replaces the *user* data dir: the lab extensions (jupyterlab_widgets) live in the venv's
    # share/jupyter, which stays on the search path.
    for var in (
        "JUPYTER_RUNTIME_DIR",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
    ):
        env[var] = str(state / var.lower())
        os.makedirs(env[var], exist_ok=True)
    for rel, value in LAB_SETTINGS.items():
        p = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(value))
    # No announcements feed and no update check: this machine reaches package registries only.
    (Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json").write_text(
        json.dumps({"LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}})
    )
    env["CRMLIB_STRICT_CHECKS"] = "1"  # a self-check that fails its model solution stops Run All
    env.pop("MPLBACKEND", None)  # the test process uses Agg; the kernel must draw inline
    token = os.urandom(16).hex()
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={base}",
        "--ServerApp.port_retries=0",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    log = state / "jupyterlab.log"
    t0 = time.monotonic()
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=base, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, base, chapters, log, proc, env=env)
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode}:\n{lab.log_tail()}")
        try:
            lab.api("/api/status")
            break
        except (urllib.error.URLError, ConnectionError, OSError) as err:
            if time.monotonic() - t0 > timeout:
                stop_lab(lab)
                raise RuntimeError(
                    f"JupyterLab did not answer /api/status within {timeout:.0f} s:\n{lab.log_tail()}"
                ) from err
            time.sleep(0.2)
    lab.started_in = time.monotonic() - t0
    return lab


def stop_lab(lab: Lab) -> None:
    """Stop the server we started: SIGTERM to its own process group (it shuts its kernels down; each
    kernel also exits when its parent is gone), SIGKILL if it is still there after 15 s."""
    proc = lab.proc
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # start_new_session: group id == our server's PID
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


# ------------------------------------------------------------------------------- in the browser
def html_text(fragment: str) -> str:
    """What a browser shows for an HTML fragment of a widget's verdict (tags dropped, entities
    decoded, <br> as a line break), whitespace-normalised like Playwright's ``to_have_text``."""
    text = re.sub(r"<br\s*/?>", "\n", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return " ".join(text.split())


STARTED_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                          .some(p => /[*\\d]/.test(p.textContent))"""
RUN_WAIT_JS = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                    .map(p => p.textContent.trim());
  return prompts.length > 0 && !prompts.some(p => p.includes('*')) && prompts.some(p => /\\d/.test(p));
}"""


class NotebookPage:
    """One chapter opened in JupyterLab in one page."""

    def __init__(self, page, lab: Lab, chapter: Chapter) -> None:
        self.page, self.lab, self.chapter = page, lab, chapter

    def open(self, timeout_ms: float = 60_000) -> None:
        rel = self.chapter.path.relative_to(self.lab.root).as_posix()
        # a workspace of its own, reset: nothing of an earlier test is restored into this page
        url = f"{self.lab.url}/lab/workspaces/ui-{self.chapter.stem}/tree/{rel}?reset&token={self.lab.token}"
        self.page.goto(url)
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=timeout_ms)
        self.page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=timeout_ms)

    def run_all(self, timeout_ms: float = 180_000) -> None:
        """Run > Run All Cells, wait until the kernel has been through them, and fail (naming the cell
        and its error) unless every code cell ran."""
        page = self.page
        cells = page.locator(".jp-Notebook .jp-Cell")
        for attempt in range(4):
            cells.first.click()  # the notebook must be the active widget
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            item = page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text="Run All Cells").first
            try:
                item.click(timeout=5_000)
                # started: some prompt shows [*] or a number (a click can be lost while the kernel connects)
                page.wait_for_function(STARTED_JS, timeout=5_000, polling=100)
                break
            except Exception:
                page.keyboard.press("Escape")
                if attempt == 3:
                    raise AssertionError(
                        f"{self.chapter.stem}: Run > Run All Cells did not start the notebook"
                    ) from None
        page.wait_for_function(RUN_WAIT_JS, timeout=timeout_ms, polling=250)
        assert cells.count() == len(self.chapter.cells), "not every cell is in the DOM (windowing?)"
        # Every code cell ran exactly once iff the last one shows [number of code cells]: Run All stops
        # at the first error. (The prompts of collapsed solution cells are not kept up to date.)
        n_code = sum(1 for k in self.chapter.kinds if k == "code")
        last = max(i for i, k in enumerate(self.chapter.kinds) if k == "code")
        shown = cells.nth(last).locator(".jp-InputPrompt").first.text_content().strip()
        if shown != f"[{n_code}]:":
            errors = [
                t for t in page.locator(".jp-OutputArea-output").all_text_contents() if "Traceback" in t or "Error" in t
            ]
            raise AssertionError(
                f"{self.chapter.stem}: Run All did not get through the {n_code} code cells (the last "
                f"one shows {shown!r}); error output:\n" + ("\n".join(e[-2000:] for e in errors) or "(none found)")
            )

    def cell(self, needle: str):
        """The cell whose source contains ``needle`` (scrolled into view)."""
        loc = self.page.locator(".jp-Notebook .jp-Cell").nth(self.chapter.cell_index(needle))
        loc.scroll_into_view_if_needed()
        return loc

    def widget(self, needle: str, timeout_ms: float = 30_000):
        """The rendered explorer (the widget's outermost box) in the output of that cell."""
        box = self.cell(needle).locator(".jp-OutputArea-output .widget-vbox").first
        box.wait_for(timeout=timeout_ms)
        box.scroll_into_view_if_needed()
        return box
