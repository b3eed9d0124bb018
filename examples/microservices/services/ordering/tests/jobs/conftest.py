"""Fixtures for the job tests: a worker in the test's loop or in a process of its own, and a
scheduler (what every job test uses is in ``tests.jobs.support``)."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI

from acme_shop.platform.jobs.scheduler import Scheduler
from acme_shop.platform.jobs.worker import Worker
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.jobs.fixtures import registry
from tests.jobs.support import QUICK as QUICK_FOR_EVERY_RUNNER
from tests.jobs.support import effects, environment, eventually
from tests.support import PROJECT_ROOT

__all__ = ["effects"]  # a fixture the job tests use

# The processes' own knobs too: a worker takes four jobs at once, the scheduler sweeps often.
QUICK: dict[str, Any] = QUICK_FOR_EVERY_RUNNER | {
    "jobs_concurrency": 4,
    "jobs_poll_seconds": 0.05,
    "jobs_shutdown_grace_seconds": 1.0,
    "jobs_misfire_grace_seconds": 0.0,
    "jobs_health_host": "127.0.0.1",
    "jobs_health_port": 0,
}


@pytest.fixture(scope="session")
def job_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=QUICK)


@asynccontextmanager
async def running_worker(settings: Settings, *, listening: bool = True) -> AsyncIterator[Worker]:
    """A worker in the test's event loop, with the test jobs, once it listens (or at once, unless
    ``listening``); drained on exit."""
    resources = Resources.create(settings)
    worker = Worker(resources, registry())
    stopping = asyncio.Event()
    task = asyncio.create_task(worker.run(stopping))
    try:
        if listening:
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
        env = {**os.environ, **environment(settings.model_copy(update=changes))}
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
