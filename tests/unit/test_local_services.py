"""The exit hook of the local servers kills this process's own servers, and no one else's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from mirakuru.base import ENV_UUID

from archgen._smoke._services import _kill_own_leftover_servers

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.fixture
def sleepers() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """Processes marked as mirakuru marks its servers: one of ours, one of another process
    whose id merely contains ours."""
    pid = os.getpid()
    markers = {"ours": f"{pid}:0f1e2d", "theirs": f"9{pid}:0f1e2d"}
    processes = {
        name: subprocess.Popen(SLEEPER, env={**os.environ, ENV_UUID: marker})
        for name, marker in markers.items()
    }
    yield processes
    for process in processes.values():
        process.kill()
        process.wait()


def test_only_this_process_servers_are_killed(
    sleepers: dict[str, subprocess.Popen[bytes]],
) -> None:
    _kill_own_leftover_servers()
    assert sleepers["ours"].wait(timeout=10) == -9
    assert sleepers["theirs"].poll() is None
