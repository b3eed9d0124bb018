"""An event starts its job in the consumer's inbox transaction: once, however often it arrives."""

import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from acme_shop.contracts.ordering import Order, OrderPlaced
from acme_shop.modules.catalog.handlers import CONSUMER
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.resources import Resources
from tests.broker import connected_broker
from tests.jobs.support import eventually

pytestmark = pytest.mark.usefixtures("worker", "scheduler")


async def jobs_of(app: FastAPI) -> list[Job]:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        return list(await session.scalars(select(Job).where(Job.name == "catalog.record_demand")))


def duplicates(app: FastAPI) -> float:
    """Deliveries of OrderPlaced this service saw again and did not apply."""
    resources: Resources = app.state.resources
    labels = {"event": "OrderPlaced", "consumer": CONSUMER, "outcome": "duplicate"}
    return resources.metrics.registry.get_sample_value("domain_events_handled_total", labels) or 0


async def test_an_event_starts_its_job_once(app: FastAPI) -> None:
    broker = await connected_broker(app)
    example = Order.model_json_schema()["examples"][0]
    event = OrderPlaced(order=Order.model_validate({**example, "id": uuid.uuid4()}))
    seen_again = duplicates(app)
    for _ in range(2):  # at-least-once delivery: the same event may arrive twice
        await broker.publish(
            event.model_dump_json().encode(),
            exchange=OrderPlaced.exchange,
            routing_key=OrderPlaced.routing_key,
            message_id=str(event.event_id),
            content_type="application/json",
            persist=True,
        )

    started = f"event:catalog.record_demand:{event.event_id}"

    async def succeeded() -> list[Job] | None:
        # Every job of the name: a broker shared with earlier runs may deliver their events too.
        jobs = await jobs_of(app)
        settled = all(job.status == "succeeded" for job in jobs) and duplicates(app) > seen_again
        return jobs if settled and started in {job.dedupe_key for job in jobs} else None

    jobs = await eventually(succeeded, "catalog.record_demand to succeed")
    (job,) = [job for job in jobs if job.dedupe_key == started]
    assert job.attempts == 1
    assert OrderPlaced.model_validate(job.payload) == event
    resources: Resources = app.state.resources
    async with resources.engine.connect() as connection:
        tallied = await connection.scalar(text("SELECT sum(orders) FROM catalog_daily_demand"))
    assert tallied == len(jobs)  # each event applied once
