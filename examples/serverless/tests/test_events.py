"""Events through SQS: the outbox relayed after the commit and on schedule, the worker applying
each record once per consumer, partial batch failures, and the dead-letter queue.

The queues are real SQS APIs (moto's server); each test that reads a queue gets its own.
"""

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.functions.relay import RelayFunction
from acme_shop.functions.worker import WorkerFunction
from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.modules.ordering.order.schemas import OrderRead
from acme_shop.platform.event_queue import EVENT_NAME_ATTRIBUTE, EventQueue
from acme_shop.platform.events import ProcessedEvent
from acme_shop.platform.outbox import OutboxMessage
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.api_gateway import api_gateway
from tests.factories import create_order
from tests.support import Auth
from tools.local import QueuePoller, create_queues
from tools.payloads import LocalContext, schedule_event, sqs_event, sqs_record

EVENT_NAME = "OrderPlaced"


@pytest.fixture
def queue_settings(settings: Settings) -> Settings:
    """Settings with a queue (and dead-letter queue) of this test's own."""
    client = EventQueue.of(settings).client
    url = create_queues(
        client, f"test-{uuid.uuid4().hex[:8]}", max_receive_count=2, visibility_seconds=1
    )
    return settings.model_copy(update={"events_queue_url": url})


@pytest.fixture
def worker(settings: Settings, app: FastAPI) -> Iterator[WorkerFunction]:
    function = WorkerFunction(settings)
    yield function
    function.instance.run(function.resources.aclose())


async def invoke_worker(worker: WorkerFunction, records: list[dict[str, Any]]) -> dict[str, Any]:
    return await asyncio.to_thread(worker, sqs_event(records), LocalContext("worker"))


async def announce(client: httpx.AsyncClient, auth: Auth) -> dict[str, Any]:
    """Make the change that announces OrderPlaced; returns the order."""
    order = await create_order(client, auth, 1)
    return order


async def an_event(client: httpx.AsyncClient, auth: Auth) -> OrderPlaced:
    order = await create_order(client, auth, 1)
    return OrderPlaced(order=OrderRead.model_validate(order))


def record_of(event: OrderPlaced) -> dict[str, Any]:
    return sqs_record(event.model_dump_json(), attributes={EVENT_NAME_ATTRIBUTE: EVENT_NAME})


async def processed(app: FastAPI) -> list[tuple[Any, ...]]:
    """How many OrderPlaced events each consumer applied."""
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        rows = await session.execute(
            select(ProcessedEvent.consumer, func.count())
            .where(ProcessedEvent.event_name == EVENT_NAME)
            .group_by(ProcessedEvent.consumer)
            .order_by(ProcessedEvent.consumer)
        )
        return [tuple(row) for row in rows]


async def pending_rows(app: FastAPI) -> int:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        query = select(func.count()).where(OutboxMessage.published_at.is_(None))
        return (await session.scalar(query)) or 0


def receive_all(settings: Settings, url: str | None = None) -> list[dict[str, Any]]:
    """Every message waiting in the queue (received, so hidden for its visibility timeout)."""
    client = EventQueue.of(settings).client
    messages: list[dict[str, Any]] = []
    while batch := client.receive_message(
        QueueUrl=url or settings.events_queue_url,
        MaxNumberOfMessages=10,
        MessageAttributeNames=["All"],
    ).get("Messages", []):
        messages.extend(dict(message) for message in batch)
    return messages


async def test_the_worker_applies_an_event_once_per_consumer_however_often_delivered(
    worker: WorkerFunction, client: httpx.AsyncClient, auth: Auth, app: FastAPI
) -> None:
    event = await an_event(client, auth)
    result = await invoke_worker(worker, [record_of(event), record_of(event)])
    assert result == {"batchItemFailures": []}
    assert await invoke_worker(worker, [record_of(event)]) == {"batchItemFailures": []}
    assert await processed(app) == [("catalog", 1)]


async def test_records_that_cannot_be_read_fail_alone(
    worker: WorkerFunction, client: httpx.AsyncClient, auth: Auth, app: FastAPI
) -> None:
    event = await an_event(client, auth)
    malformed = sqs_record("{not json", attributes={EVENT_NAME_ATTRIBUTE: EVENT_NAME})
    unnamed = sqs_record(event.model_dump_json())
    result = await invoke_worker(worker, [malformed, record_of(event), unnamed])
    assert result == {
        "batchItemFailures": [
            {"itemIdentifier": malformed["messageId"]},
            {"itemIdentifier": unnamed["messageId"]},
        ]
    }
    assert await processed(app) == [("catalog", 1)]


async def test_a_failing_handler_fails_its_record_and_the_retry_completes_only_it(
    worker: WorkerFunction, client: httpx.AsyncClient, auth: Auth, app: FastAPI
) -> None:
    attempts: list[uuid.UUID] = []

    async def flaky(session: AsyncSession, event: OrderPlaced) -> None:
        attempts.append(event.event_id)
        if len(attempts) == 1:
            raise RuntimeError("the first attempt fails")

    worker.resources.subscribers.subscribe(OrderPlaced, "flaky", flaky)
    event = await an_event(client, auth)
    record = record_of(event)
    first = await invoke_worker(worker, [record])
    assert first == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    assert await invoke_worker(worker, [record]) == {"batchItemFailures": []}
    assert attempts == [event.event_id, event.event_id]
    expected = sorted([("flaky", 1), ("catalog", 1)])
    assert await processed(app) == expected


async def test_a_write_relays_its_event_to_the_queue_after_the_commit(
    queue_settings: Settings, auth: Auth, app: FastAPI
) -> None:
    async with api_gateway(queue_settings) as gateway:
        order = await announce(gateway, auth)
    messages = await asyncio.to_thread(receive_all, queue_settings)
    named = [
        m
        for m in messages
        if m["MessageAttributes"][EVENT_NAME_ATTRIBUTE]["StringValue"] == EVENT_NAME
    ]
    assert len(named) == 1
    assert json.loads(named[0]["Body"])["order"]["id"] == order["id"]
    assert await pending_rows(app) == 0


async def test_events_wait_in_the_outbox_while_sqs_is_down_and_the_schedule_sends_them(
    queue_settings: Settings, auth: Auth, app: FastAPI
) -> None:
    unreachable = queue_settings.model_copy(
        update={"aws_endpoint_url": "http://127.0.0.1:9", "aws_timeout_seconds": 0.5}
    )
    async with api_gateway(unreachable) as gateway:
        await announce(gateway, auth)  # the write succeeds without the queue
    assert await pending_rows(app) >= 1

    relay = RelayFunction(queue_settings)
    try:
        result = await asyncio.to_thread(relay, schedule_event("relay"), LocalContext("relay"))
    finally:
        await asyncio.to_thread(relay.instance.run, relay.resources.aclose())
    assert result["sent"] >= 1
    assert await pending_rows(app) == 0
    messages = await asyncio.to_thread(receive_all, queue_settings)
    names = [m["MessageAttributes"][EVENT_NAME_ATTRIBUTE]["StringValue"] for m in messages]
    assert EVENT_NAME in names


async def test_the_event_source_deletes_handled_records_and_dead_letters_failing_ones(
    queue_settings: Settings, client: httpx.AsyncClient, auth: Auth, app: FastAPI
) -> None:
    sqs = EventQueue.of(queue_settings).client
    event = await an_event(client, auth)
    attributes: Any = {EVENT_NAME_ATTRIBUTE: {"DataType": "String", "StringValue": EVENT_NAME}}
    for body in (event.model_dump_json(), "{not json"):
        sqs.send_message(
            QueueUrl=queue_settings.events_queue_url, MessageBody=body, MessageAttributes=attributes
        )
    dead_letters = queue_settings.events_queue_url + "-dead"
    poller = QueuePoller.of_events(queue_settings, wait_seconds=0)
    try:
        deadline = time.monotonic() + 30
        while not (dead := await asyncio.to_thread(receive_all, queue_settings, dead_letters)):
            assert time.monotonic() < deadline, "the failing record never reached the DLQ"
            await asyncio.to_thread(poller.poll_once)
            await asyncio.sleep(0.5)
    finally:
        await asyncio.to_thread(poller.close)
    assert [message["Body"] for message in dead] == ["{not json"]
    assert await asyncio.to_thread(receive_all, queue_settings) == []
    assert await processed(app) == [("catalog", 1)]
