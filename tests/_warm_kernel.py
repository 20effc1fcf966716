"""Warm ``python3`` kernels for the suite's notebook executions: a fork server.

Starting a kernel costs ~2.4 s and the first cell of every notebook (``import crmlib, crmlib.plots,
crmlib.widgets``: pandas, scipy, matplotlib, seaborn, ipywidgets) ~1.6 s more; with ~45 executions
per test run that is most of the suite's CPU time. A *zygote* process imports all of that once;
each kernel is then a ``fork()`` of it that becomes an ordinary ipykernel (``IPKernelApp``) in the
notebook's folder, with the environment of the process that asked for it. Nothing has run in the
zygote but imports: every notebook still gets a fresh kernel with an empty namespace, and its own
random seeds (``random``, numpy's global generator) drawn at the fork.

What a fork cannot renew is Python's string-hash seed, so all warm kernels of one zygote share it;
the determinism test's second run therefore uses a cold kernel (see ``_executions.Pool``), so that
its comparison still sees a set or dict order that depends on the hash seed.

How jupyter_client sees it: the kernel spec ``python3`` (``KERNEL_DIR``, put first on
``JUPYTER_PATH`` by the worker) starts ``python _warm_kernel.py kernel SOCKET -f CONNECTION_FILE …``,
a small stand-in process that hands its arguments, folder, environment and standard streams to the
zygote over a Unix socket, forwards SIGINT/SIGTERM to the forked kernel and exits with its status;
if the stand-in is killed, the zygote kills the kernel.

    python _warm_kernel.py serve SOCKET         the zygote (started by _executions: its pool, WarmKernels)
    python _warm_kernel.py kernel SOCKET ARGS   the stand-in that jupyter_client launches
"""

from __future__ import annotations

import array
import json
import os
import select
import signal
import socket
import sys

#: what every notebook's set-up cell imports (and what ipykernel needs), imported once in the zygote
WARM = [
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "zmq",
    "tornado.ioloop",
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "ipywidgets",
    "nbformat",
    "crmlib",
    "crmlib.plots",
    "crmlib.widgets",
    "crmlib.params",
    "crmlib.exercises",
    "crmlib.datasets",
    "crmlib.records",
    "crmlib.casework",
]


def _send(sock: socket.socket, data: dict, fds: list[int] = ()) -> None:
    payload = (json.dumps(data) + "\n").encode()
    if fds:
        sock.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
    else:
        sock.sendall(payload)


def _recv(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """One JSON line (and any file descriptors sent with it); ``None`` at end of stream."""
    buf, fds = b"", []
    while not buf.endswith(b"\n"):
        data, anc, _, _ = sock.recvmsg(1 << 16, socket.CMSG_LEN(16 * array.array("i").itemsize))
        for level, kind, raw in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                a = array.array("i")
                a.frombytes(raw[: len(raw) - len(raw) % a.itemsize])
                fds += list(a)
        if not data:
            return None, fds
        buf += data
    return json.loads(buf), fds


# ------------------------------------------------------------------------------------- the zygote
def serve(path: str) -> None:
    import importlib

    for name in WARM:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a module that moved: the kernel imports it itself
            print(f"warm kernel: not preloaded {name}: {exc!r}", file=sys.stderr)
    assert "matplotlib_inline.backend_inline" not in sys.modules, "the inline backend must load in the kernel"
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    print(json.dumps({"ready": os.getpid()}), flush=True)
    kernels: dict[int, socket.socket] = {}  # pid of a forked kernel -> its stand-in
    cpu_files: dict[int, str] = {}  # pid -> where to note its CPU seconds
    while True:
        ready, _, _ = select.select([srv, sys.stdin, *kernels.values()], [], [], 0.2)
        if sys.stdin in ready and not sys.stdin.readline():  # the worker is gone: stop
            for pid in kernels:
                _kill(pid)
            return
        for pid, conn in list(kernels.items()):
            if conn in ready:  # the stand-in died (jupyter_client killed it)
                _kill(pid)
        for pid in list(kernels):  # reap kernels that ended, tell their stand-ins
            try:
                done, status, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                done, status, usage = pid, 0, None
            if done:
                conn = kernels.pop(pid)
                cpu_file = cpu_files.pop(pid, None)
                if cpu_file and usage is not None:
                    with open(cpu_file, "a") as f:
                        f.write(f"{usage.ru_utime + usage.ru_stime}\n")
                try:
                    _send(conn, {"exit": os.waitstatus_to_exitcode(status)})
                except OSError:
                    pass
                conn.close()
        if srv in ready:
            conn, _ = srv.accept()
            request, fds = _recv(conn)
            if request is None:
                conn.close()
                continue
            pid = os.fork()
            if pid == 0:  # the kernel
                srv.close()
                for c in kernels.values():
                    c.close()
                conn.close()
                _become_kernel(request, fds)  # never returns
            for fd in fds:
                os.close(fd)
            _send(conn, {"pid": pid})
            kernels[pid] = conn
            if request["env"].get("CRMLIB_KERNEL_CPU_FILE"):
                cpu_files[pid] = request["env"]["CRMLIB_KERNEL_CPU_FILE"]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _become_kernel(request: dict, fds: list[int]) -> None:
    code = 1
    try:
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        sys.stderr = open(2, "w", buffering=1, closefd=False)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        exercises = sys.modules.get("crmlib.exercises")
        if exercises is not None:  # imported by the zygote: what its import does in a grading kernel
            exercises._grading_from_environment()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        import random

        import numpy as np

        random.seed()
        np.random.seed()  # noqa: NPY002 - a forked kernel must not share the parent's legacy global stream
        import pandas as pd

        # pandas picks this default when it is imported: 0 (fit the terminal's width, "..." for the
        # columns beyond it) outside IPython, as in the zygote; 20 inside a Jupyter kernel, as in a
        # cold kernel. Set as a cold kernel has it, or a wide table's text differs (seen: a redone
        # instructor copy differed from the first in every DataFrame's text/plain output)
        pd.set_option("display.max_columns", 20)
        import matplotlib

        # read at import time: set it for this kernel; unset, ipykernel would set the inline backend
        backend = os.environ.get("MPLBACKEND") or "module://matplotlib_inline.backend_inline"
        matplotlib.rcParams["backend"] = backend
        # as for `python -m ipykernel_launcher`: the working directory first on the path, not tests/
        if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
            sys.path[0] = os.getcwd()
        # the kernel's parent is the zygote: ipykernel's orphan check watches it
        argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = [sys.executable, *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


# --------------------------------------------------------------------------------- the stand-in
#: set in a kernel's environment, the stand-in becomes an ordinary kernel (``python -m
#: ipykernel_launcher``) instead of asking the zygote: a run that a test compares with a warm one
#: (another string-hash seed), or one whose process tree matters (a Ctrl-C to a process group)
COLD = "CRMLIB_COLD_KERNEL"


def kernel(path: str, argv: list[str]) -> int:
    if os.environ.get(COLD, "") not in ("", "0"):
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    _send(sock, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}, [0, 1, 2])
    reply, _ = _recv(sock)
    if reply is None or "pid" not in reply:
        return 1
    pid = reply["pid"]

    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(s, forward)
    while True:
        try:
            reply, _ = _recv(sock)
            break
        except InterruptedError:
            continue
    return int(reply.get("exit", 1)) if reply else 1


def kernel_spec(folder: str, sock: str) -> str:
    """Write ``folder/kernels/python3/kernel.json`` starting warm kernels from ``sock``; returns ``folder``."""
    spec = os.path.join(folder, "kernels", "python3")
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump(
            {
                "argv": [sys.executable, os.path.abspath(__file__), "kernel", sock, "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel, warm)",
                "language": "python",
                "interrupt_mode": "signal",
                "metadata": {"debugger": False},
            },
            f,
        )
    return folder


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    elif sys.argv[1] == "kernel":
        sys.exit(kernel(sys.argv[2], sys.argv[3:]))
