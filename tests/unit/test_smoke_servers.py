"""The project's servers in a smoke run: up when their URL answers, gone when the block ends.

Real processes (Python's own HTTP server) on loopback, started and stopped by mirakuru.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from archgen._smoke._project import running_server
from archgen._smoke._report import SmokeError
from archgen._smoke._services import HOST, free_port

# Serves ``cwd`` on the port given, after writing the environment it sees into env.txt.
SERVER = (
    "import os, sys, http.server; "
    "open('env.txt', 'w').write(repr(sorted(os.environ))); "
    "http.server.test(http.server.SimpleHTTPRequestHandler,"
    " port=int(sys.argv[1]), bind=sys.argv[2])"
)


def serve(port: int) -> list[str]:
    return [sys.executable, "-c", SERVER, str(port), HOST]


def test_the_server_answers_in_the_block_and_is_gone_after_it(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://{HOST}:{port}/"
    with running_server(
        serve(port), url, env={"PATH": os.environ["PATH"]}, cwd=tmp_path, name="web"
    ):
        assert httpx.get(url).status_code == 200
        # Other xdist workers may serve the same script at the same time: only this port counts.
        pids = {p.pid for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == serve(port)}
        assert len(pids) == 1
    assert not any(
        psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie" for pid in pids
    )
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_the_server_sees_only_the_environment_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://the-callers-own/database")
    port = free_port()
    env = {"PATH": os.environ["PATH"], "REDIS_URL": "redis://127.0.0.1:1/0"}
    with running_server(serve(port), f"http://{HOST}:{port}/", env=env, cwd=tmp_path, name="web"):
        seen = (tmp_path / "env.txt").read_text()
    assert "REDIS_URL" in seen
    assert "DATABASE_URL" not in seen


def test_a_server_that_exits_fails_the_start_with_its_last_lines(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "import sys; print('no config for the app'); sys.exit(3)"]
    with (
        pytest.raises(SmokeError) as raised,
        running_server(crash, f"http://{HOST}:{free_port()}/", env={}, cwd=tmp_path, name="app"),
    ):
        pytest.fail("the block ran without a server")
    assert raised.value.step == "start"
    assert "app exited with 3" in raised.value.detail
    assert "no config for the app" in raised.value.detail


def test_a_port_another_process_holds_fails_the_start(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        url = f"http://{HOST}:{port}/"
        with (
            pytest.raises(SmokeError, match="address already in use") as raised,
            running_server(serve(port), url, env={}, cwd=tmp_path, name="app"),
        ):
            pytest.fail("the block ran without a server")
    assert raised.value.step == "start"
