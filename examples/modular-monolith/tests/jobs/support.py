"""What every job test uses, whatever runs the jobs: quick timing knobs, polling, the test
jobs' effect table, starting a job, reading its row, and a lock that holds a job mid-run."""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, SecretStr
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from acme_shop.platform.jobs import JobSpec, start_job
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.jobs.fixtures import CREATE_EFFECTS, EFFECTS, SELECT_RUNS

T = TypeVar("T")

# Fast enough that a whole retry schedule or a lost worker's recovery takes a second or two.
QUICK: dict[str, Any] = {
    "jobs_heartbeat_seconds": 0.2,
    "jobs_worker_lease_seconds": 1.0,
    "jobs_retry_base_seconds": 0.1,
    "jobs_retry_max_seconds": 2.0,
    "jobs_exclusive_wait_seconds": 0.1,
    "jobs_yield_margin_seconds": 0.2,
    "jobs_redispatch_after_seconds": 0.5,
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


def environment(settings: Settings) -> dict[str, str]:
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
