"""Fixtures for the job tests: quick timing knobs, a worker in the test's loop or in a process
of its own, a scheduler, and a table lock that holds a job mid-run."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, SecretStr
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from acme_shop.platform.jobs import JobSpec, start_job
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.jobs.scheduler import Scheduler
from acme_shop.platform.jobs.worker import Worker
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.jobs.fixtures import CREATE_EFFECTS, EFFECTS, SELECT_RUNS, registry
from tests.support import PROJECT_ROOT

T = TypeVar("T")

# Fast enough that a whole retry schedule or a lost worker's recovery takes a second or two.
QUICK: dict[str, Any] = {
    "jobs_concurrency": 4,
    "jobs_poll_seconds": 0.05,
    "jobs_heartbeat_seconds": 0.2,
    "jobs_worker_lease_seconds": 1.0,
    "jobs_retry_base_seconds": 0.1,
    "jobs_retry_max_seconds": 2.0,
    "jobs_shutdown_grace_seconds": 1.0,
    "jobs_exclusive_wait_seconds": 0.1,
    "jobs_yield_margin_seconds": 0.2,
    "jobs_misfire_grace_seconds": 0.0,
    "jobs_redispatch_after_seconds": 0.5,
    "jobs_health_host": "127.0.0.1",
    "jobs_health_port": 0,
}


async def eventually(check: Callable[[], Awaitable[T | None]], what: str, within: float = 15) -> T:
    """The first truthy result of ``check``, polled for up to ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def job_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=QUICK)


@pytest.fixture(scope="session")
async def effects(app: FastAPI) -> str:
    """The test jobs' effect table, outside the schema the migrations own."""
    resources: Resources = app.state.resources
    async with resources.engine.begin() as connection:
        for statement in CREATE_EFFECTS:
            await connection.execute(text(statement))
    return EFFECTS


async def started(app: FastAPI, spec: JobSpec, payload: BaseModel) -> uuid.UUID:
    """Start a job as the scheduler or an operator does, and send it at once."""
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        job = await start_job(session, spec, payload)
        await session.commit()
        await resources.jobs.dispatcher.after_commit(session)
    return job.id


async def effect_runs(app: FastAPI, key: uuid.UUID) -> int:
    resources: Resources = app.state.resources
    async with resources.engine.connect() as connection:
        runs = await connection.scalar(SELECT_RUNS, {"key": key})
    return int(runs or 0)


async def job_row(app: FastAPI, job_id: uuid.UUID | str) -> Job:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        job = await session.scalar(select(Job).where(Job.id == uuid.UUID(str(job_id))))
    assert job is not None
    return job


async def job_in(app: FastAPI, job_id: uuid.UUID | str, *statuses: str) -> Job | None:
    """The job, once its status is one of ``statuses``."""
    job = await job_row(app, job_id)
    return job if job.status in statuses else None


@asynccontextmanager
async def running_worker(settings: Settings) -> AsyncIterator[Worker]:
    """A worker in the test's event loop, with the test jobs; drained on exit."""
    resources = Resources.create(settings)
    worker = Worker(resources, registry())
    stopping = asyncio.Event()
    task = asyncio.create_task(worker.run(stopping))
    try:
        await eventually(worker._ready, "the worker to listen")
        yield worker
    finally:
        stopping.set()
        await task
        await resources.aclose()


@asynccontextmanager
async def running_scheduler(
    settings: Settings, *, ticking: bool = False
) -> AsyncIterator[Scheduler]:
    """A scheduler replica in the test's event loop, with pools of its own (and the test cron
    job when ``ticking``): it sends retries when they are due and takes back lost jobs."""
    resources = Resources.create(settings)
    scheduler = Scheduler(resources, registry(scheduled=ticking))
    stopping = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stopping))
    try:
        yield scheduler
    finally:
        stopping.set()
        await task
        await resources.aclose()


@pytest.fixture
async def worker(job_settings: Settings, app: FastAPI) -> AsyncIterator[Worker]:
    async with running_worker(job_settings) as started:
        yield started


@pytest.fixture
async def scheduler(job_settings: Settings, app: FastAPI) -> AsyncIterator[Scheduler]:
    async with running_scheduler(job_settings) as started:
        yield started


class JobProcess:
    """``python -m tests.jobs.process ROLE`` in a process group of its own."""

    def __init__(self, role: str, settings: Settings, **changes: Any) -> None:
        env = {**os.environ, **_environment(settings.model_copy(update=changes))}
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, a test module
            [sys.executable, "-m", "tests.jobs.process", role],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def term(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> tuple[int, str]:
        """The exit code and everything the process wrote."""
        output, _ = self.process.communicate(timeout=timeout)
        return self.process.returncode, output.decode()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill()


def _environment(settings: Settings) -> dict[str, str]:
    """``settings`` as the variables a process reads, secrets included (a dump masks them)."""
    values: dict[str, Any] = settings.model_dump(mode="json")
    values |= {
        name: value.get_secret_value() for name, value in settings if isinstance(value, SecretStr)
    }
    return {
        name.upper(): value if isinstance(value, str) else json.dumps(value)
        for name, value in values.items()
        if value is not None
    } | {"DATABASE_URL": settings.database_url, "LOG_LEVEL": "INFO"}


@pytest.fixture
def job_process(job_settings: Settings) -> Iterator[Callable[..., JobProcess]]:
    """Start worker or scheduler processes; each is killed after the test if still running."""
    started: list[JobProcess] = []

    def start(role: str, **changes: Any) -> JobProcess:
        process = JobProcess(role, job_settings, **changes)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@asynccontextmanager
async def table_lock(app: FastAPI, table: str) -> AsyncIterator[AsyncConnection]:
    """Hold an exclusive lock on ``table``: a job that writes to it waits, mid-run."""
    resources: Resources = app.state.resources
    async with resources.engine.connect() as connection:
        transaction = await connection.begin()
        await connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        try:
            yield connection
        finally:
            await transaction.rollback()
