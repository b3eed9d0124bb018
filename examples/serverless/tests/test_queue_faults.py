"""SQS goes away under load: writes keep succeeding, and every event is applied once.

Writers create resources whose creation announces an event, through API function instances
whose SQS endpoint passes through a CuttableProxy. The test takes SQS down for OUTAGE_SECONDS
mid-load: events the API function could not send right after its commit wait in the outbox.
Once SQS is back, the scheduled relay sends them and the worker consumes the queue. SQS
delivers at least once; the inbox makes each event count once per consumer.
"""

import asyncio
import itertools
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from acme_shop.functions.relay import RelayFunction
from acme_shop.platform.event_queue import EventQueue
from acme_shop.platform.events import ProcessedEvent
from acme_shop.platform.outbox import OutboxMessage
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.api_gateway import api_gateway
from tests.factories import ORDER_URL, order_body
from tests.faults import CuttableProxy
from tests.support import Auth
from tools.local import QueuePoller, create_queues
from tools.payloads import LocalContext, schedule_event

OUTAGE_SECONDS = 2.0
STEADY_SECONDS = 1.0  # of load before the fault and after recovery
DRAIN_SECONDS = 30.0
WRITERS = 2  # API function instances, each serving one request at a time as Lambda does
CONSUMERS = ["catalog"]


@pytest.fixture
def queue_settings(settings: Settings) -> Settings:
    """Settings with a queue (and dead-letter queue) of this test's own."""
    url = create_queues(EventQueue.of(settings).client, f"test-{uuid.uuid4().hex[:8]}")
    return settings.model_copy(update={"events_queue_url": url})


@pytest.fixture
def sqs(queue_settings: Settings) -> Iterator[CuttableProxy]:
    assert queue_settings.aws_endpoint_url is not None, "the tests run against a local SQS API"
    with CuttableProxy(queue_settings.aws_endpoint_url).running() as proxy:
        yield proxy


async def _write_until(
    stop: asyncio.Event, settings: Settings, auth: Auth, numbers: Iterator[int]
) -> tuple[Counter[int], int]:
    """Create resources through one API function until ``stop``; statuses and how many."""
    statuses: Counter[int] = Counter()
    async with api_gateway(settings) as client:
        while not stop.is_set():
            body = await order_body(client, auth, next(numbers))
            response = await client.post(ORDER_URL, json=body, headers=auth.editor)
            statuses[response.status_code] += 1
    return statuses, statuses[201]


async def _pending(app: FastAPI) -> int:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        query = select(func.count()).where(OutboxMessage.published_at.is_(None))
        return (await session.scalar(query)) or 0


async def _applied(app: FastAPI) -> dict[str, int]:
    """How many of the announced events each consumer applied."""
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        rows = await session.execute(
            select(ProcessedEvent.consumer, func.count())
            .where(ProcessedEvent.event_name == "OrderPlaced")
            .group_by(ProcessedEvent.consumer)
        )
        return {consumer: count for consumer, count in rows}


async def _relay_on_schedule(settings: Settings) -> int:
    relay = RelayFunction(settings)
    try:
        result = await asyncio.to_thread(relay, schedule_event("relay"), LocalContext("relay"))
    finally:
        await asyncio.to_thread(relay.instance.run, relay.resources.aclose())
    return int(result["sent"])


async def _consume_until(app: FastAPI, settings: Settings, expected: int) -> dict[str, int]:
    """Run the worker over the queue until every consumer applied ``expected`` events, or
    DRAIN_SECONDS pass; what each consumer applied."""
    poller = QueuePoller.of_events(settings, wait_seconds=0)
    deadline = time.monotonic() + DRAIN_SECONDS
    try:
        while (applied := await _applied(app)) != dict.fromkeys(CONSUMERS, expected):
            if time.monotonic() > deadline:
                break
            if not await asyncio.to_thread(poller.poll_once):
                await asyncio.sleep(0.2)  # a record being retried is invisible for a while
    finally:
        await asyncio.to_thread(poller.close)
    return applied


async def test_while_sqs_is_away_writes_succeed_and_every_event_is_applied_once(
    queue_settings: Settings, sqs: CuttableProxy, auth: Auth, app: FastAPI
) -> None:
    proxied = queue_settings.model_copy(update={"aws_endpoint_url": sqs.url})
    numbers = itertools.count(1)
    stop = asyncio.Event()
    writers = [
        asyncio.create_task(_write_until(stop, proxied, auth, numbers)) for _ in range(WRITERS)
    ]
    await asyncio.sleep(STEADY_SECONDS)
    sqs.down()
    await asyncio.sleep(OUTAGE_SECONDS)
    kept = await _pending(app)
    sqs.up()
    await asyncio.sleep(STEADY_SECONDS)
    stop.set()
    results = await asyncio.gather(*writers)
    statuses = sum((counted for counted, _ in results), Counter[int]())
    created = sum(count for _, count in results)

    sent_on_schedule = await _relay_on_schedule(queue_settings)
    applied = await _consume_until(app, queue_settings, created)
    print(
        f"SQS down {OUTAGE_SECONDS} s: {sum(statuses.values())} writes {dict(statuses)}; "
        f"{kept} events waited in the outbox, {sent_on_schedule} sent on schedule; "
        f"applied per consumer: {applied}"
    )
    assert set(statuses) == {201}, statuses
    assert kept > 0, "the outage went unnoticed: no event waited in the outbox"
    assert await _pending(app) == 0
    assert applied == dict.fromkeys(CONSUMERS, created), f"{created} events were created"
