"""The Jupyter kernels crmlib starts itself (``crmlib book``, ``assign``, ``grade``) talk to it over
Unix sockets, not TCP ports (内核通信用本地套接字文件).

jupyter_client gives a new kernel five TCP ports on localhost by asking the system for free ones,
closing them and writing them into the connection file; the kernel binds them about a second
later, once Python and ipykernel have loaded. A kernel started meanwhile by another process (two
``assign`` workers, a test run beside JupyterLab, a browser's connections) can take one of those
ports, and the new kernel dies with "Address already in use" ("Kernel died before replying to
kernel_info"): a student's copy fails for no fault of theirs. Seen in the test suite, which starts
kernels in five processes at once. A socket file whose name holds a fresh random id cannot be
taken by anyone else, so on POSIX systems the kernels get ``transport = "ipc"`` with their socket
files in a private folder of the system's temporary directory (mode 0700, removed when the
process ends; jupyter_client removes each kernel's files when it shuts down). Windows has no such
sockets for zmq: there the kernels keep TCP.

>>> km = kernel_manager_class()(kernel_name="python3")
>>> km.transport == ("ipc" if os.name == "posix" else "tcp")
True
>>> os.name != "posix" or km.ip.startswith(str(_socket_folder()))
True
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import uuid
from pathlib import Path


@functools.cache
def _socket_folder() -> Path:
    """One private folder per process for the socket files (short: a socket's path must stay under
    ~104 characters on macOS, whose temporary directory is already ~50)."""
    folder = Path(tempfile.mkdtemp(prefix="crmlib-k-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def kernel_manager_class() -> type:
    """The kernel manager class to hand to papermill or nbclient (``kernel_manager_class=``): their
    default, ``AsyncKernelManager`` (a blocking one would keep nbclient's cell timeout from firing),
    with socket files on POSIX."""
    from jupyter_client.manager import AsyncKernelManager

    if os.name != "posix":
        return AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class SocketFileKernelManager(AsyncKernelManager):
        """A kernel reached through Unix socket files named after a random id (see the module)."""

        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _socket_prefix(self) -> str:
            if self.transport != "ipc":
                return super()._ip_default()
            return str(_socket_folder() / uuid.uuid4().hex[:16])

    return SocketFileKernelManager
