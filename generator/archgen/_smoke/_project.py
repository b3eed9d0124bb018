"""The project under test: its settings, databases, migrations, callers and servers.

``ProjectUnderTest`` owns what every way of running a project shares (the run's own databases,
key prefix and secrets, and the commands that use them), for each of its apps: the monolith,
or every service. ``HostProject`` runs everything with the project's own environment (``uv``)
on this machine, never archgen's. The container variant lives in ``_app_container``.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
from mirakuru import HTTPExecutor
from mirakuru.base import ENV_UUID
from mirakuru.exceptions import (
    AlreadyRunning,
    ProcessExitedWithError,
    ProcessFinishedWithError,
    TimeoutExpired,
)
from uv import find_uv_bin

from archgen._smoke._report import SmokeError
from archgen._smoke._services import HOST, free_port
from archgen._smoke._target import AppUnderTest, SmokeTarget

_HIDDEN = ("VIRTUAL_ENV", "PYTHONPATH", "DATABASE_URL", "REDIS_URL", "RABBITMQ_URL")
_START_TIMEOUT_SECONDS = 60
LOG_LINES_ON_FAILURE = 20

# Run with the project's interpreter: it has asyncpg and redis, archgen does not need them.
_COUNT_PROCESSED = """
import asyncio, sys
import asyncpg
async def run(url, consumer, event):
    connection = await asyncpg.connect(url)
    try:
        print(await connection.fetchval(
            "SELECT count(*) FROM platform_processed_events"
            " WHERE consumer = $1 AND event_name = $2",
            consumer, event,
        ))
    finally:
        await connection.close()
asyncio.run(run(*sys.argv[1:]))
"""
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


@dataclass(frozen=True)
class ServiceUrls:
    """The servers a run uses: PostgreSQL (its maintenance database), Redis, RabbitMQ."""

    postgres: str
    redis: str
    rabbitmq: str | None = None


class ProjectUnderTest(ABC):
    """One generated project run against given servers: a database per app, one key prefix."""

    install_step = "install"

    def __init__(self, target: SmokeTarget, services: ServiceUrls) -> None:
        self.target = target
        self.postgres_url = services.postgres
        run_id = secrets.token_hex(5)
        self.key_prefix = f"smoke-{run_id}"
        self.databases = {app.key: f"smoke_{run_id}_{app.key}" for app in target.apps}
        self.settings = {
            "ENVIRONMENT": "production",
            "REDIS_URL": services.redis,
            "JWT_SECRET": secrets.token_urlsafe(48),
            "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "LOG_LEVEL": "INFO",
            **({"RABBITMQ_URL": services.rabbitmq} if services.rabbitmq else {}),
        }

        # Settings of one app only, by its key (the identity service's signing key).
        self.own_settings: dict[str, dict[str, str]] = {app.key: {} for app in target.apps}

    def app_settings(self, app: AppUnderTest) -> dict[str, str]:
        """The run's settings as ``app`` sees them: its own database and key prefix."""
        database = self.postgres_url.rsplit("/", 1)[0] + f"/{self.databases[app.key]}"
        prefix = f"{self.key_prefix}-{app.key}"
        return {
            **self.settings,
            "DATABASE_URL": database,
            "REDIS_KEY_PREFIX": prefix,
            **self.own_settings[app.key],
        }

    @property
    def first_app(self) -> AppUnderTest:
        return self.target.apps[0]

    @abstractmethod
    def installed(self) -> AbstractContextManager[None]:
        """The project ready to run its commands, for the block."""

    @abstractmethod
    def run(self, step: str, app: AppUnderTest, *command: str, stdin: str | None = None) -> str:
        """Run a command of ``app``; a failure is a SmokeError of ``step``."""

    @abstractmethod
    def serving(
        self, app: AppUnderTest, extra_settings: dict[str, str]
    ) -> AbstractContextManager[str]:
        """``app`` serving on a free loopback port for the block; yields its base URL."""

    @abstractmethod
    def running_jobs(
        self, app: AppUnderTest, role: str, extra_settings: dict[str, str]
    ) -> AbstractContextManager[None]:
        """``app``'s job ``role`` (worker or scheduler) running for the block, live."""

    def _sql(self, step: str, sql: str) -> None:
        self.run(step, self.first_app, "python", "-c", _DATABASE_SQL, self.postgres_url, sql)

    @contextmanager
    def database(self) -> Iterator[None]:
        """Databases of the run's own on the server, dropped afterwards with its keys."""
        created: list[str] = []
        try:
            for name in self.databases.values():
                self._sql("database", f'CREATE DATABASE "{name}"')
                created.append(name)
            yield
        finally:
            for name in created:
                self._sql("teardown", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.run(
                "teardown",
                self.first_app,
                "python",
                "-c",
                _DELETE_REDIS_PREFIX,
                self.settings["REDIS_URL"],
                self.key_prefix,
            )

    def migrate(self) -> None:
        for app in self.target.apps:
            self.run("migrate", app, "alembic", "upgrade", "head")

    def create_user(self, email: str, password: str, role: str) -> None:
        """A user, created with the operator command of the app that owns the users."""
        app = self.target.identity_app
        assert app is not None, "no app holds users when an identity provider signs callers in"
        command = ["python", "-m", f"{app.module}.manage", "create-user", email, "--role", role]
        self.run("start", app, *command, stdin=password + "\n")

    def processed_events(self, app: AppUnderTest, consumer: str, event: str) -> int:
        """How many ``event`` events ``consumer`` applied, from the inbox in ``app``'s database."""
        database = self.app_settings(app)["DATABASE_URL"]
        count = self.run("check", app, "python", "-c", _COUNT_PROCESSED, database, consumer, event)
        return int(count.strip())

    def give_signing_key(self) -> None:
        """A fresh private key for the identity service, made by its own operator command."""
        app = self.target.identity_app
        assert app is not None, "no identity service when an identity provider signs callers in"
        key = self.run("start", app, "python", "-m", f"{app.module}.manage", "signing-key")
        self.own_settings[app.key]["JWT_PRIVATE_KEY"] = key


class HostProject(ProjectUnderTest):
    """The project installed and run on this machine with its own uv environment."""

    def __init__(self, target: SmokeTarget, services: ServiceUrls) -> None:
        super().__init__(target, services)
        self.environment = {k: v for k, v in os.environ.items() if k not in _HIDDEN}

    def uv(
        self,
        step: str,
        *arguments: str,
        folder: str = ".",
        settings: dict[str, str] | None = None,
        stdin: str | None = None,
    ) -> str:
        """Run uv in ``folder``; a failure is a SmokeError of ``step`` with uv's last lines."""
        return run_command(
            step,
            [find_uv_bin(), *arguments],
            cwd=self.target.path / folder,
            env={**self.environment, **(settings or {})},
            stdin=stdin,
        )

    def run(self, step: str, app: AppUnderTest, *command: str, stdin: str | None = None) -> str:
        settings = self.app_settings(app)
        return self.uv(
            step, "run", "--no-sync", *command, folder=app.folder, settings=settings, stdin=stdin
        )

    @contextmanager
    def installed(self) -> Iterator[None]:
        workspace = ["--all-packages"] if len(self.target.apps) > 1 else []
        self.uv("install", "sync", "--quiet", *workspace)
        yield

    @contextmanager
    def sqs_emulator(self) -> Iterator[str]:
        """moto's SQS server from the project's environment, for the block; the run's settings
        then point the functions at it and at a queue of the run's own."""
        port = free_port()
        moto = self.target.path / ".venv" / "bin" / "moto_server"
        endpoint = f"http://{HOST}:{port}"
        command = [str(moto), "-H", HOST, "-p", str(port)]
        with self._serving(command, f"{endpoint}/moto-api/", {}, ".", "moto"):
            self.settings.update(
                AWS_ENDPOINT_URL=endpoint,
                AWS_ACCESS_KEY_ID="smoke",
                AWS_SECRET_ACCESS_KEY="smoke",  # an emulator takes any credentials
                EVENTS_QUEUE_URL=f"{endpoint}/123456789012/{self.key_prefix}-events",
            )
            if self.target.runs_jobs:
                self.settings["JOBS_QUEUE_URL"] = f"{endpoint}/123456789012/{self.key_prefix}-jobs"
            yield endpoint

    @contextmanager
    def serving(self, app: AppUnderTest, extra_settings: dict[str, str]) -> Iterator[str]:
        port = free_port()
        address = ["--host", HOST, "--port", str(port)]
        if self.target.uses_queue:
            # One API instance, so /metrics shows every request; the relay runs every second.
            python = self.target.path / ".venv" / "bin" / "python"
            runner = ["-m", self.target.local_runner, "--create-queues"]
            command = [str(python), *runner, "--api-instances", "1", "--relay-every", "1"]
        else:
            uvicorn = self.target.path / ".venv" / "bin" / "uvicorn"
            command = [str(uvicorn), f"{app.module}.main:create_app", "--factory"]
        settings = {**self.app_settings(app), **extra_settings}
        base_url = f"http://{HOST}:{port}"
        live = f"{base_url}/health/live"
        with self._serving([*command, *address], live, settings, app.folder, app.name):
            yield base_url

    @contextmanager
    def running_jobs(
        self, app: AppUnderTest, role: str, extra_settings: dict[str, str]
    ) -> Iterator[None]:
        port = free_port()
        python = self.target.path / ".venv" / "bin" / "python"
        command = [str(python), "-m", f"{app.module}.jobs", role]
        health = {"JOBS_HEALTH_HOST": HOST, "JOBS_HEALTH_PORT": str(port)}
        settings = {**self.app_settings(app), **extra_settings, **health}
        live = f"http://{HOST}:{port}/health/live"
        with self._serving(command, live, settings, app.folder, f"{app.name} {role}"):
            yield

    @contextmanager
    def _serving(
        self, command: list[str], url: str, settings: dict[str, str], folder: str, name: str
    ) -> Iterator[None]:
        env = {**self.environment, **settings}
        with running_server(command, url, env=env, cwd=self.target.path / folder, name=name):
            yield


@contextmanager
def running_server(
    command: list[str], url: str, *, env: dict[str, str], cwd: Path, name: str
) -> Iterator[None]:
    """``command`` running in ``cwd`` with exactly ``env``, from when ``url`` answers 200 to
    the end of the block; a start that fails is a SmokeError of the start step with the
    server's last log lines."""
    with tempfile.TemporaryFile("w+") as log:
        server = _Server(command, url, env=env, cwd=str(cwd), stdout=log)
        try:
            _start(server, name, url, log)
            yield
        finally:
            # How a server ends after SIGTERM is its own business: the checks are the result.
            with suppress(ProcessFinishedWithError):
                server.stop()


def _start(server: HTTPExecutor, name: str, url: str, log: IO[str]) -> None:
    try:
        server.start()
    except AlreadyRunning:
        raise SmokeError("start", f"{name} cannot take {url}: address already in use") from None
    except ProcessExitedWithError as error:
        detail = f"{name} exited with {error.exit_code}:\n{_tail(log)}"
        raise SmokeError("start", detail) from None
    except TimeoutExpired:
        raise SmokeError("start", f"{name} did not answer {url} in time:\n{_tail(log)}") from None


class _Server(HTTPExecutor):
    """A server the run starts, up once a GET of its URL answers 200; SIGTERM stops it (its
    whole process group), SIGKILL if it has not exited in time.

    Its environment is ``env`` alone: mirakuru would add the caller's whole environment, whose
    service URLs and virtualenv the project must not see.
    """

    def __init__(self, command: list[str], url: str, *, env: dict[str, str], **kwargs: Any):
        super().__init__(
            command,
            url,
            status=200,
            method="GET",
            timeout=_START_TIMEOUT_SECONDS,
            envvars=env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            **kwargs,
        )
        self._env = env

    @property
    def envvars(self) -> dict[str, str]:
        marked = super().envvars  # the caller's environment, ``env`` and mirakuru's marker
        return {**self._env, ENV_UUID: marked[ENV_UUID]}


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
    base_url: str,
    exit_code: Callable[[], int | None],
    last_lines: Callable[[], str],
    name: str = "the app",
) -> None:
    """Poll /health/live until it answers; a crash or a timeout fails with the app's last lines."""
    url = f"{base_url}/health/live"
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        code = exit_code()
        if code is not None:
            raise SmokeError("start", f"{name} exited with {code}:\n{last_lines()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SmokeError("start", f"{name} did not answer {url} in time:\n{last_lines()}")


def _tail(log: IO[str]) -> str:
    log.seek(0)
    return "\n".join(log.read().splitlines()[-LOG_LINES_ON_FAILURE:])
