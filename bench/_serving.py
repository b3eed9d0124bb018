"""An app under load: what the benchmarks need to serve it, and the CPU time its server spends.

Every app is served the same way: uvicorn from the app's own virtual environment, on a free
loopback port, with ``--workers`` processes; only uvicorn's access log differs, each app as
it ships (see :class:`App`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

import httpx
import psutil

from archgen._smoke._services import HOST, free_port


class App(NamedTuple):
    """One app: how to serve it and where each scenario's requests go."""

    name: str
    project: Path  # its .venv is here, and uvicorn runs from here
    target: str  # uvicorn's APP argument
    env: dict[str, str]
    ready_path: str  # answers 200 once the app serves
    item_path: str  # GET item_path + id reads one row
    list_path: str  # GET reads a page of 50
    create: tuple[str, str]  # the method and path that create a row from {"name": ...}
    ids: list[str]  # the seeded rows' ids
    factory: bool = False
    access_log: bool = False  # uvicorn's own line per request (an app may write its own)
    login: Callable[[str], str] | None = None  # a bearer token from the served app's URL


class Served(NamedTuple):
    url: str
    pid: int


@contextmanager
def serving(app: App, workers: int = 1) -> Iterator[Served]:
    """uvicorn serving ``app`` with ``workers`` processes, until the block ends."""
    port = free_port()
    command = [
        str(app.project / ".venv/bin/uvicorn"), app.target,
        "--host", HOST, "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    if app.factory:
        command.append("--factory")
    if not app.access_log:
        command.append("--no-access-log")
    process = subprocess.Popen(
        command,
        cwd=app.project,
        env=app.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{HOST}:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit(f"{app.name} ({app.target}) exited on start")
            with suppress(httpx.TransportError):
                if httpx.get(url + app.ready_path, timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise SystemExit(f"{app.name} ({app.target}) did not start")
        yield Served(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds spent so far by process ``pid`` and its live descendants
    (uvicorn's worker processes, when there are several)."""
    root = psutil.Process(pid)
    total = 0.0
    for process in (root, *root.children(recursive=True)):
        with suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total
