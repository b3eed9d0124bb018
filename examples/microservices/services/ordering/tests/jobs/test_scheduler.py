"""The scheduler: each cron tick starts its job once, however many replicas run."""

import asyncio

from fastapi import FastAPI
from sqlalchemy import func, select

from acme_shop.platform.jobs.models import Job
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.jobs.conftest import running_scheduler
from tests.jobs.fixtures import TICKS


async def test_two_scheduler_replicas_fire_each_tick_once(
    app: FastAPI, job_settings: Settings
) -> None:
    replicas = (running_scheduler(job_settings, ticking=True) for _ in range(2))
    async with next(replicas), next(replicas):
        await asyncio.sleep(2.5)  # the test job ticks every second
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        per_tick = (
            await session.execute(
                select(Job.scheduled_for, func.count())
                .where(Job.name == TICKS.name)
                .group_by(Job.scheduled_for)
            )
        ).all()
    assert len(per_tick) >= 2
    assert all(count == 1 for _, count in per_tick), per_tick


async def test_the_scheduler_stops_when_a_client_turns_the_cancellation_into_its_own_error(
    app: FastAPI, job_settings: Settings
) -> None:
    """What a database or Redis client may do with a cancellation mid-call."""

    async def sweep_swallowing_cancellation() -> int:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError as cancelled:
            raise ConnectionError("connection lost mid-call") from cancelled
        return 0

    async with running_scheduler(job_settings, ticking=True) as scheduler:
        scheduler.sweeper.sweep = sweep_swallowing_cancellation  # type: ignore[method-assign]
        await asyncio.sleep(0.3)  # the next sweep is under way
        stopping = asyncio.get_running_loop().time()
    assert asyncio.get_running_loop().time() - stopping < 5
