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
