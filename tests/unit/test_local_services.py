"""The exit hook of the local servers kills its own process's servers, and no one else's.

The hook is called for a made-up owner: called for this test process, it would also kill the
session's real PostgreSQL and RabbitMQ, which carry this process's marker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from mirakuru.base import ENV_UUID

from archgen._smoke._services import _kill_servers_started_by

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
OWNER_PID = 5_000_000  # above the largest pid Linux allows (2**22), so no real process


@pytest.fixture
def sleepers() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """Processes marked as mirakuru marks its servers: one of the owner's, one of another
    process whose id merely contains the owner's."""
    markers = {"ours": f"{OWNER_PID}:0f1e2d", "theirs": f"9{OWNER_PID}:0f1e2d"}
    processes = {
        name: subprocess.Popen(SLEEPER, env={**os.environ, ENV_UUID: marker})
        for name, marker in markers.items()
    }
    yield processes
    for process in processes.values():
        process.kill()
        process.wait()


def test_only_the_owner_servers_are_killed(
    sleepers: dict[str, subprocess.Popen[bytes]],
) -> None:
    _kill_servers_started_by(OWNER_PID)
    assert sleepers["ours"].wait(timeout=10) == -9
    assert sleepers["theirs"].poll() is None
