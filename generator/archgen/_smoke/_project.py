"""The project under test: its settings, database, migrations, users and server.

``ProjectUnderTest`` owns what every way of running a project shares (the run's own database,
key prefix and secrets, and the commands that use them); ``HostProject`` runs everything with
the project's own environment (``uv``) on this machine, never archgen's. The container variant
lives in ``_app_container``.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO

import httpx
from uv import find_uv_bin

from archgen._smoke._report import SmokeError
from archgen._smoke._services import HOST, free_port
from archgen._smoke._target import SmokeTarget

_HIDDEN = ("VIRTUAL_ENV", "PYTHONPATH", "DATABASE_URL", "REDIS_URL")
_START_TIMEOUT_SECONDS = 60
LOG_LINES_ON_FAILURE = 20

# Run with the project's interpreter: it has asyncpg and redis, archgen does not need them.
_DATABASE_SQL = """
import asyncio, sys
import asyncpg
async def run(url, sql):
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()
asyncio.run(run(sys.argv[1], sys.argv[2]))
"""
_DELETE_REDIS_PREFIX = """
import sys
from redis import Redis
client = Redis.from_url(sys.argv[1])
keys = list(client.scan_iter(sys.argv[2] + "*"))
if keys:
    client.delete(*keys)
"""


class ProjectUnderTest(ABC):
    """One generated project run against given PostgreSQL and Redis servers."""

    install_step = "install"

    def __init__(self, target: SmokeTarget, *, postgres_url: str, redis_url: str) -> None:
        self.target = target
        self.postgres_url = postgres_url
        self.database_name = f"smoke_{secrets.token_hex(5)}"
        self.key_prefix = f"smoke-{secrets.token_hex(4)}"
        self.settings = {
            "ENVIRONMENT": "production",
            "DATABASE_URL": postgres_url.rsplit("/", 1)[0] + f"/{self.database_name}",
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": self.key_prefix,
            "JWT_SECRET": secrets.token_urlsafe(48),
            "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "LOG_LEVEL": "INFO",
        }

    @abstractmethod
    def installed(self) -> AbstractContextManager[None]:
        """The project ready to run its commands, for the block."""

    @abstractmethod
    def run(self, step: str, *command: str, stdin: str | None = None) -> str:
        """Run a command of the installed project; a failure is a SmokeError of ``step``."""

    @abstractmethod
    def serving(self, extra_settings: dict[str, str]) -> AbstractContextManager[str]:
        """The app serving on a free loopback port for the block; yields its base URL."""

    @contextmanager
    def database(self) -> Iterator[None]:
        """A database of the run's own on the server, dropped afterwards with its keys."""
        self.run(
            "database",
            "python",
            "-c",
            _DATABASE_SQL,
            self.postgres_url,
            f'CREATE DATABASE "{self.database_name}"',
        )
        try:
            yield
        finally:
            drop = f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)'
            self.run("teardown", "python", "-c", _DATABASE_SQL, self.postgres_url, drop)
            self.run(
                "teardown",
                "python",
                "-c",
                _DELETE_REDIS_PREFIX,
                self.settings["REDIS_URL"],
                self.key_prefix,
            )

    def migrate(self) -> None:
        self.run("migrate", "alembic", "upgrade", "head")

    def create_user(self, email: str, password: str, role: str) -> None:
        module = f"{self.target.package}.manage"
        self.run(
            "start",
            "python",
            "-m",
            module,
            "create-user",
            email,
            "--role",
            role,
            stdin=password + "\n",
        )


class HostProject(ProjectUnderTest):
    """The project installed and run on this machine with its own uv environment."""

    def __init__(self, target: SmokeTarget, *, postgres_url: str, redis_url: str) -> None:
        super().__init__(target, postgres_url=postgres_url, redis_url=redis_url)
        self.environment = {
            **{k: v for k, v in os.environ.items() if k not in _HIDDEN},
            **self.settings,
        }

    def uv(self, step: str, *arguments: str, stdin: str | None = None) -> str:
        """Run uv in the project; a failure is a SmokeError of ``step`` with uv's last lines."""
        command = [find_uv_bin(), *arguments]
        return run_command(step, command, cwd=self.target.path, env=self.environment, stdin=stdin)

    def run(self, step: str, *command: str, stdin: str | None = None) -> str:
        return self.uv(step, "run", "--no-sync", *command, stdin=stdin)

    @contextmanager
    def installed(self) -> Iterator[None]:
        self.uv("install", "sync", "--quiet")
        yield

    @contextmanager
    def serving(self, extra_settings: dict[str, str]) -> Iterator[str]:
        port = free_port()
        uvicorn = self.target.path / ".venv" / "bin" / "uvicorn"
        with tempfile.TemporaryFile("w+") as log:
            server = subprocess.Popen(
                [
                    str(uvicorn),
                    f"{self.target.package}.main:create_app",
                    "--factory",
                    "--host",
                    HOST,
                    "--port",
                    str(port),
                ],
                cwd=self.target.path,
                env={**self.environment, **extra_settings},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                base_url = f"http://{HOST}:{port}"
                wait_until_live(base_url, server.poll, lambda: _tail(log))
                yield base_url
            finally:
                _stop(server)


def run_command(
    step: str, command: list[str], *, cwd: Path, env: dict[str, str], stdin: str | None = None
) -> str:
    """Run ``command``; a failure is a SmokeError of ``step`` with the command's last lines."""
    completed = subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).strip().splitlines()
        raise SmokeError(step, "\n".join(output[-LOG_LINES_ON_FAILURE:]) or "failed")
    return completed.stdout


def wait_until_live(
    base_url: str, exit_code: Callable[[], int | None], last_lines: Callable[[], str]
) -> None:
    """Poll /health/live until it answers; a crash or a timeout fails with the app's last lines."""
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        code = exit_code()
        if code is not None:
            raise SmokeError("start", f"the app exited with {code}:\n{last_lines()}")
        try:
            if httpx.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SmokeError("start", f"the app did not answer /health/live in time:\n{last_lines()}")


def _tail(log: IO[str]) -> str:
    log.seek(0)
    return "\n".join(log.read().splitlines()[-LOG_LINES_ON_FAILURE:])


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM for a graceful shutdown; SIGKILL to the whole group if it hangs."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
