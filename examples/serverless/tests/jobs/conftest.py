"""Fixtures for the job tests: the jobs function fed from the jobs queue as its SQS event source
feeds it, and the schedule function sweeping as its EventBridge schedule invokes it, each on a
thread of its own like the local runner's (what every job test uses is in
``tests.jobs.support``)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI

from acme_shop.functions.schedule import ScheduleFunction
from acme_shop.platform.jobs import JobRegistry
from acme_shop.platform.settings import Settings
from tests.jobs.fixtures import registry
from tests.jobs.support import QUICK, effects
from tools.local import JobSchedules, QueuePoller

__all__ = ["effects"]  # a fixture the job tests use

SWEEP_EVERY_SECONDS = 0.05


@pytest.fixture(scope="session")
def job_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=QUICK)


@asynccontextmanager
async def polling_jobs(
    settings: Settings, jobs: JobRegistry | None = None
) -> AsyncIterator[QueuePoller]:
    """The jobs function, with the test jobs (or ``jobs``), fed from the jobs queue until the
    block ends."""
    poller = QueuePoller.of_jobs(settings, registry=jobs or registry())
    poller.start()
    try:
        yield poller
    finally:
        poller.stopping.set()
        await asyncio.to_thread(poller.join, 10)
        await asyncio.to_thread(poller.close)


@asynccontextmanager
async def sweeping(settings: Settings) -> AsyncIterator[JobSchedules]:
    """The schedule function sweeping every SWEEP_EVERY_SECONDS until the block ends."""
    schedules = JobSchedules(
        settings, every=SWEEP_EVERY_SECONDS, function=ScheduleFunction(settings, registry())
    )
    schedules.start()
    try:
        yield schedules
    finally:
        schedules.stopping.set()
        await asyncio.to_thread(schedules.join, 10)
        await asyncio.to_thread(schedules.close)


@pytest.fixture
async def worker(job_settings: Settings, app: FastAPI) -> AsyncIterator[QueuePoller]:
    async with polling_jobs(job_settings) as poller:
        yield poller


@pytest.fixture
async def scheduler(job_settings: Settings, app: FastAPI) -> AsyncIterator[JobSchedules]:
    async with sweeping(job_settings) as schedules:
        yield schedules
