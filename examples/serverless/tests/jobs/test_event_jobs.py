"""An event starts its job in the consumer's inbox transaction: once, however often SQS
delivers it to the worker function."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from acme_shop.functions.worker import WorkerFunction
from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.modules.ordering.order.schemas import OrderRead
from acme_shop.platform.event_queue import EVENT_NAME_ATTRIBUTE
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.factories import create_order
from tests.jobs.support import eventually
from tests.support import Auth
from tools.payloads import LocalContext, sqs_event, sqs_record

pytestmark = pytest.mark.usefixtures("worker", "scheduler")


async def jobs_for(app: FastAPI, event: OrderPlaced) -> list[Job]:
    """The catalog.record_demand jobs this event started."""
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        jobs = await session.scalars(select(Job).where(Job.name == "catalog.record_demand"))
        return [job for job in jobs if job.payload.get("event_id") == str(event.event_id)]


async def test_an_event_starts_its_job_once(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth, settings: Settings
) -> None:
    created = await create_order(client, auth)
    event = OrderPlaced(order=OrderRead.model_validate(created))
    record = sqs_record(event.model_dump_json(), attributes={EVENT_NAME_ATTRIBUTE: "OrderPlaced"})
    worker = WorkerFunction(settings)
    try:
        for _ in range(2):  # SQS delivers at least once
            result = await asyncio.to_thread(worker, sqs_event([record]), LocalContext("worker"))
            assert result == {"batchItemFailures": []}
    finally:
        await asyncio.to_thread(worker.instance.run, worker.resources.aclose())

    async def succeeded() -> list[Job] | None:
        jobs = await jobs_for(app, event)
        return jobs if jobs and all(job.status == "succeeded" for job in jobs) else None

    (job,) = await eventually(succeeded, "catalog.record_demand to succeed")
    assert job.attempts == 1
    assert job.dedupe_key is not None
    assert job.dedupe_key.startswith("event:")
    resources: Resources = app.state.resources
    async with resources.engine.connect() as connection:
        tallied = await connection.scalar(text("SELECT sum(orders) FROM catalog_daily_demand"))
    assert tallied == 1  # applied once
