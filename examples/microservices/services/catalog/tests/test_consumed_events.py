"""The events this service consumes: applied once, retried when their handler fails, parked
in the dead-letter queue when they cannot be applied, without holding up the next ones."""

import asyncio
import uuid

from fastapi import FastAPI
from faststream.rabbit import RabbitBroker, RabbitQueue
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.contracts.ordering import Order, OrderPlaced
from acme_shop.modules.catalog.handlers import CONSUMER
from acme_shop.platform.events import DomainEvent, ProcessedEvent
from acme_shop.platform.messaging import EventConsumer, Messaging, OutboxRelay, create_broker
from acme_shop.platform.metrics import Metrics
from acme_shop.platform.outbox import Outbox
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.broker import TIMEOUT_SECONDS, connected_broker, eventually, next_message
from tests.conftest import AppFactory
from tests.faults import CuttableProxy

STREAMED_EVENTS = 300
OUTAGE_SECONDS = 2.0


async def send(
    broker: RabbitBroker, event_type: type[DomainEvent], body: bytes, message_id: str
) -> None:
    """Publish as the publisher's relay does."""
    await broker.publish(
        body,
        exchange=event_type.exchange,
        routing_key=event_type.routing_key,
        message_id=message_id,
        content_type="application/json",
        persist=True,
    )


async def times_applied(app: FastAPI, event: DomainEvent) -> int:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.consumer == CONSUMER, ProcessedEvent.event_id == event.event_id)
        )
        return count or 0


async def applied(app: FastAPI, events: list[DomainEvent]) -> list[int]:
    """How many times this service applied each of ``events``."""
    resources: Resources = app.state.resources
    ids = [event.event_id for event in events]
    async with resources.session_factory() as session:
        rows = await session.execute(
            select(ProcessedEvent.event_id, func.count())
            .where(ProcessedEvent.consumer == CONSUMER, ProcessedEvent.event_id.in_(ids))
            .group_by(ProcessedEvent.event_id)
        )
        counts = {event_id: count for event_id, count in rows}
    return [counts.get(event_id, 0) for event_id in ids]


def handled(app: FastAPI, event_type: type[DomainEvent], outcome: str) -> float:
    """How many deliveries of ``event_type`` this service counted with ``outcome``."""
    resources: Resources = app.state.resources
    labels = {"event": event_type.__name__, "consumer": CONSUMER, "outcome": outcome}
    return resources.metrics.registry.get_sample_value("domain_events_handled_total", labels) or 0


def sample_order_placed() -> OrderPlaced:
    example = Order.model_json_schema()["examples"][0]
    return OrderPlaced(order=Order.model_validate({**example, "id": uuid.uuid4()}))


async def test_order_placed_is_applied_once_however_often_it_is_delivered(app: FastAPI) -> None:
    broker = await connected_broker(app)
    duplicates_before = handled(app, OrderPlaced, "duplicate")
    event = sample_order_placed()
    for _ in range(2):
        await send(broker, OrderPlaced, event.model_dump_json().encode(), str(event.event_id))

    async def second_delivery_seen() -> bool:
        return handled(app, OrderPlaced, "duplicate") > duplicates_before

    await eventually(second_delivery_seen, "the second delivery")
    assert await times_applied(app, event) == 1


async def test_a_malformed_order_placed_is_parked_and_the_next_one_applied(app: FastAPI) -> None:
    broker = await connected_broker(app)
    queue = f"{CONSUMER}.{OrderPlaced.routing_key}"
    malformed_id = str(uuid.uuid4())
    await send(broker, OrderPlaced, b'{"not": "an event"}', malformed_id)
    event = sample_order_placed()
    await send(broker, OrderPlaced, event.model_dump_json().encode(), str(event.event_id))

    dead = await broker.declare_queue(RabbitQueue(f"{queue}.dead", durable=True))
    parked = await next_message(dead, lambda message: message.message_id == malformed_id)
    assert parked.headers["x-failed-queue"] == queue

    async def next_one_applied() -> bool:
        return await times_applied(app, event) == 1

    await eventually(next_one_applied, "the event behind the malformed one")


async def test_a_failing_handler_is_retried_then_its_event_parked(
    app: FastAPI, settings: Settings
) -> None:
    resources: Resources = app.state.resources
    attempts: list[uuid.UUID] = []

    async def failing(session: AsyncSession, event: OrderPlaced) -> None:
        attempts.append(event.event_id)
        raise RuntimeError("the handler has a bug")

    metrics = Metrics()
    broker = create_broker(settings.rabbitmq_url, tracer_provider=TracerProvider(), metrics=metrics)
    consumer = EventConsumer(
        broker,
        resources.session_factory,
        metrics,
        max_attempts=3,
        retry_delay_seconds=0.05,
        prefetch=settings.database_pool_size,
    )
    # A consumer of its own, so its queues hold nothing but this test's message.
    name = f"failing_{uuid.uuid4().hex[:8]}"
    consumer.subscribe(OrderPlaced, name, failing)
    relay = OutboxRelay(broker, resources.session_factory, Outbox(), metrics)
    messaging = Messaging(broker, consumer, relay, publishes=())
    event = sample_order_placed()
    async with messaging.running():
        await asyncio.wait_for(messaging.connected.wait(), TIMEOUT_SECONDS)
        await send(broker, OrderPlaced, event.model_dump_json().encode(), str(event.event_id))
        queue = f"{name}.{OrderPlaced.routing_key}"
        dead = await broker.declare_queue(RabbitQueue(f"{queue}.dead", durable=True))
        parked = await next_message(dead, lambda message: message.message_id == str(event.event_id))
        for leftover in consumer.side_queues:
            await dead.channel.queue_delete(leftover.name)
        await dead.channel.queue_delete(queue)

    assert attempts == [event.event_id] * 3
    assert "the handler has a bug" in str(parked.headers["x-failure"])
    # Each retry waits twice as long as the one before.
    delays = [q.arguments["x-message-ttl"] for q in consumer.side_queues if ".retry." in q.name]
    assert delays == [50, 100]


async def test_a_replica_losing_the_broker_mid_stream_leaves_no_event_unapplied_or_doubled(
    app: FastAPI, make_app: AppFactory, settings: Settings
) -> None:
    """Two replicas share the queue while events stream in; one loses RabbitMQ for
    OUTAGE_SECONDS. What it had received but not acknowledged is delivered again, to the other
    replica or to it once it reconnects: every event is applied, and none twice."""
    broker = await connected_broker(app)
    with CuttableProxy(settings.rabbitmq_url).running() as proxy:
        replica = await make_app(rabbitmq_url=proxy.url)
        await connected_broker(replica)
        duplicates_before = handled(app, OrderPlaced, "duplicate")
        events: list[DomainEvent] = [sample_order_placed() for _ in range(STREAMED_EVENTS)]

        async def stream() -> None:
            for event in events:
                await send(
                    broker, OrderPlaced, event.model_dump_json().encode(), str(event.event_id)
                )
                await asyncio.sleep(0.01)

        streaming = asyncio.create_task(stream())
        await asyncio.sleep(1.0)
        proxy.down()
        await asyncio.sleep(OUTAGE_SECONDS)
        proxy.up()
        await streaming

        async def all_applied() -> bool:
            return 0 not in await applied(app, events)

        await eventually(all_applied, "every streamed event applied")
    counts = await applied(app, events)
    redelivered = handled(app, OrderPlaced, "duplicate") - duplicates_before
    redelivered += handled(replica, OrderPlaced, "duplicate")
    print(
        f"RabbitMQ down {OUTAGE_SECONDS} s for one of two replicas: {len(events)} events sent, "
        f"{counts.count(1)} applied once, {redelivered:.0f} deliveries found already applied"
    )
    assert counts == [1] * len(events)
