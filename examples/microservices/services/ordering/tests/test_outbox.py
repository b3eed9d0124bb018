"""Events leave through the outbox: stored with their change, sent once the broker takes them."""

import json
import uuid
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest
from aio_pika import DeliveryMode
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue
from aio_pika.exceptions import DeliveryError
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import delete, select

from acme_shop.contracts.ordering import Order, OrderPlaced
from acme_shop.platform.outbox import OutboxMessage
from acme_shop.platform.resources import Resources
from tests.broker import connected_broker, eventually, next_message
from tests.conftest import AppFactory, client_for
from tests.factories import create_order
from tests.support import Auth

# Nothing listens there: connecting fails at once, as with a broker that is down.
UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:1/"


async def outbox(app: FastAPI) -> list[tuple[str, bool]]:
    """(event name, published?) of every outbox row, oldest first."""
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        rows = await session.execute(
            select(OutboxMessage.event_name, OutboxMessage.published_at.is_not(None)).order_by(
                OutboxMessage.id
            )
        )
        return [(name, published) for name, published in rows]


async def published_at(app: FastAPI, row: OutboxMessage) -> datetime | None:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        return await session.scalar(
            select(OutboxMessage.published_at).where(OutboxMessage.id == row.id)
        )


def about(routing_key: str, entity: str, key: str) -> Callable[[AbstractIncomingMessage], bool]:
    """Accepts the message of ``routing_key`` whose ``entity`` has id ``key``."""

    def matching(message: AbstractIncomingMessage) -> bool:
        body = json.loads(message.body)
        return bool(message.routing_key == routing_key and body[entity]["id"] == key)

    return matching


def sample_order_placed() -> OrderPlaced:
    example = Order.model_json_schema()["examples"][0]
    order = Order.model_validate({**example, "id": uuid.uuid4()})
    return OrderPlaced(order=order)


async def test_order_placed_is_published_after_the_commit(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth, published: AbstractQueue
) -> None:
    await connected_broker(app)
    order = await create_order(client, auth, 1)

    message = await next_message(published, about(OrderPlaced.routing_key, "order", order["id"]))
    event = OrderPlaced.model_validate_json(message.body)
    assert message.message_id == str(event.event_id)
    assert message.delivery_mode == DeliveryMode.PERSISTENT

    async def marked_published() -> bool:  # the relay marks the row once the broker confirms
        return ("OrderPlaced", True) in await outbox(app)

    await eventually(marked_published, "the outbox row marked published")


async def test_events_wait_in_the_outbox_while_the_broker_is_down(
    app: FastAPI, make_app: AppFactory, auth: Auth, published: AbstractQueue
) -> None:
    broker_down = await make_app(rabbitmq_url=UNREACHABLE_BROKER)
    async with client_for(broker_down) as client:
        order = await create_order(client, auth, 2)
    assert ("OrderPlaced", False) in await outbox(app)

    # The broker is back for another replica: its relay publishes what was kept.
    await connected_broker(app)
    resources: Resources = app.state.resources
    assert await resources.messaging.relay.publish_pending() >= 1
    await next_message(
        published,
        about(OrderPlaced.routing_key, "order", order["id"]),
    )
    assert all(published for _, published in await outbox(app))


async def test_an_event_carries_the_trace_of_its_change(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth, published: AbstractQueue
) -> None:
    """The consumer's work joins the trace of the request that caused the event."""
    await connected_broker(app)
    tracer = TracerProvider().get_tracer(__name__)
    with tracer.start_as_current_span("the change") as change:
        order = await create_order(client, auth, 3)
    message = await next_message(
        published,
        about(OrderPlaced.routing_key, "order", order["id"]),
    )
    trace_id = format(change.get_span_context().trace_id, "032x")
    assert str(message.headers["traceparent"]).split("-")[1] == trace_id


async def test_an_event_no_queue_takes_waits_without_holding_back_the_next(
    app: FastAPI, published: AbstractQueue
) -> None:
    """The relay sends a batch at once: what the broker returns stays pending, the rest goes."""
    await connected_broker(app)
    resources: Resources = app.state.resources
    returned, sent = (
        OutboxMessage.of(sample_order_placed()),
        OutboxMessage.of(sample_order_placed()),
    )
    returned.routing_key = f"nobody.listens.{uuid.uuid4().hex}"
    async with resources.session_factory() as session, session.begin():
        session.add(returned)
        await session.flush()  # the returned one comes first in the outbox
        session.add(sent)
    try:
        with pytest.raises(DeliveryError):  # the broker returned one: the relay backs off
            await resources.messaging.relay.publish_pending()
        assert await published_at(app, sent) is not None
        assert await published_at(app, returned) is None
        message = await next_message(
            published, lambda message: message.message_id == str(sent.event_id)
        )
        assert OrderPlaced.model_validate_json(message.body).event_id == sent.event_id
    finally:
        async with resources.session_factory() as session, session.begin():
            await session.execute(delete(OutboxMessage).where(OutboxMessage.id == returned.id))
