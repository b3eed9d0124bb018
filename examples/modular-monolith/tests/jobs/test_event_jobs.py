"""An event starts its job in the consumer's inbox transaction: once, however often it arrives."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.modules.ordering.order.schemas import OrderRead
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.resources import Resources
from tests.factories import create_order
from tests.jobs.support import eventually
from tests.support import Auth

pytestmark = pytest.mark.usefixtures("worker", "scheduler")


async def jobs_of(app: FastAPI) -> list[Job]:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        return list(await session.scalars(select(Job).where(Job.name == "catalog.record_demand")))


async def test_an_event_starts_its_job_once(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    created = await create_order(client, auth)

    async def succeeded() -> list[Job] | None:
        jobs = await jobs_of(app)
        return jobs if jobs and all(job.status == "succeeded" for job in jobs) else None

    (job,) = await eventually(succeeded, "catalog.record_demand to succeed")
    assert job.attempts == 1
    assert job.dedupe_key is not None
    assert job.dedupe_key.startswith("event:")
    # The same event delivered again starts nothing new.
    resources: Resources = app.state.resources
    event = OrderPlaced.model_validate(job.payload)
    assert event.order == OrderRead.model_validate(created)
    await resources.events.publish(event)
    assert len(await jobs_of(app)) == 1
    async with resources.engine.connect() as connection:
        tallied = await connection.scalar(text("SELECT sum(orders) FROM catalog_daily_demand"))
    assert tallied == 1  # applied once
