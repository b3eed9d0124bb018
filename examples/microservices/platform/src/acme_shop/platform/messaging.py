"""Events between services over RabbitMQ, through FastStream.

Each publishing service owns a durable topic exchange. Each consuming service owns, per event,
a durable queue bound to the publisher's exchange, with neighbours:

- ``<queue>.retry.<n>`` holds a delivery whose handler failed for the n-th time, for
  ``retry_delay * 2**(n-1)`` (a message TTL), then dead-letters it back to the queue: bounded
  retries with exponential backoff, no hot loop, and the messages behind it keep flowing;
- ``<queue>.dead`` parks what cannot be applied (malformed, or failing on every attempt) for
  an operator to inspect and replay.

Every delivery is applied through the inbox (``apply_once``), so the redeliveries RabbitMQ
makes after a failure or a reconnect change nothing.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import structlog
from aio_pika.exceptions import AMQPError
from faststream.rabbit import Channel, ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from faststream.specification import AsyncAPI
from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from acme_shop.platform.events import DomainEvent, EventT, Handler, apply_once
from acme_shop.platform.metrics import Metrics
from acme_shop.platform.outbox import Outbox, OutboxMessage
from acme_shop.platform.retrying import retrying_forever

logger = structlog.get_logger(__name__)

# The broker's address in the AsyncAPI document (docker-compose.yml's), whatever the runtime URL.
DOCUMENTED_BROKER_URL = "amqp://rabbitmq:5672/"
# What a lost broker raises: AMQP errors, and a RuntimeError on a channel that is closed.
BROKER_ERRORS = (AMQPError, OSError, RuntimeError, asyncio.TimeoutError)


def create_broker(url: str, *, tracer_provider: TracerProvider, metrics: Metrics) -> RabbitBroker:
    """A broker whose publishes wait for the confirm and fail when no queue takes them."""
    return RabbitBroker(
        url,
        default_channel=Channel(on_return_raises=True),
        specification_url=DOCUMENTED_BROKER_URL,
        middlewares=(
            RabbitTelemetryMiddleware(tracer_provider=tracer_provider),
            RabbitPrometheusMiddleware(registry=metrics.registry),
        ),
        logger=None,  # structlog reports what matters; FastStream would log every message
    )


def event_exchange(event_type: type[DomainEvent]) -> RabbitExchange:
    return RabbitExchange(event_type.exchange, type=ExchangeType.TOPIC, durable=True)


ATTEMPT_HEADER = "x-attempt"  # which attempt a redelivered message is on (the first has none)


class EventConsumer:
    """Subscribes handlers to other services' events, with retries, a DLQ and the inbox."""

    def __init__(
        self,
        broker: RabbitBroker,
        session_factory: async_sessionmaker[AsyncSession],
        metrics: Metrics,
        *,
        max_attempts: int,
        retry_delay_seconds: float,
        prefetch: int,
    ) -> None:
        self.broker = broker
        self._session_factory = session_factory
        self._metrics = metrics
        self._max_attempts = max_attempts
        self._retry_delay_ms = round(retry_delay_seconds * 1000)
        # Deliveries are applied concurrently, at most ``prefetch`` at a time per queue.
        self._channel = Channel(prefetch_count=prefetch)
        self.side_queues: list[RabbitQueue] = []

    def subscribe(self, event_type: type[EventT], consumer: str, handler: Handler[EventT]) -> None:
        """Apply each ``event_type`` published by its service with ``handler``, once."""
        queue = f"{consumer}.{event_type.routing_key}"
        # A rejection this code did not make (a crash mid-delivery) still takes the first delay.
        work_queue = RabbitQueue(
            queue,
            durable=True,
            routing_key=event_type.routing_key,
            arguments={
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": f"{queue}.retry.1",
            },
        )
        self.side_queues += [self._retry_queue(queue, n) for n in range(1, self._max_attempts)]
        self.side_queues.append(RabbitQueue(f"{queue}.dead", durable=True))

        async def consume(message: RabbitMessage) -> None:
            await self._consume(message, queue, consumer, event_type, handler)

        self.broker.subscriber(
            work_queue,
            event_exchange(event_type),
            channel=self._channel,
            title=f"{queue}:consume",
            description=f"{consumer} applies {event_type.__name__}: {event_type.__doc__}",
        )(consume)

    def _retry_queue(self, queue: str, attempt: int) -> RabbitQueue:
        """Where a delivery waits after its ``attempt``-th failure before it comes back."""
        return RabbitQueue(
            f"{queue}.retry.{attempt}",
            durable=True,
            arguments={
                "x-message-ttl": self._retry_delay_ms * 2 ** (attempt - 1),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": queue,
            },
        )

    async def _consume(
        self,
        message: RabbitMessage,
        queue: str,
        consumer: str,
        event_type: type[EventT],
        handler: Handler[EventT],
    ) -> None:
        name = event_type.__name__
        log = logger.bind(event_name=name, consumer=consumer, message_id=message.message_id)
        try:
            event = event_type.model_validate_json(message.body)
        except ValidationError as error:
            log.error("event_malformed", errors=error.error_count())
            await self._park(message, queue, f"not a valid {name}")
            self._count(name, consumer, "dead_lettered")
            return
        try:
            outcome = await apply_once(self._session_factory, consumer, event, handler)
        except Exception as error:
            attempt = int(message.headers.get(ATTEMPT_HEADER, 1))
            if attempt < self._max_attempts:
                log.warning("event_handler_failed", attempt=attempt, error=repr(error))
                await self._retry_later(message, queue, attempt)
                self._count(name, consumer, "retried")
                return
            log.exception("event_dead_lettered", attempt=attempt)
            await self._park(message, queue, repr(error))
            self._count(name, consumer, "dead_lettered")
            return
        self._count(name, consumer, outcome)

    async def _retry_later(self, message: RabbitMessage, queue: str, attempt: int) -> None:
        await self.broker.publish(
            message.body,
            queue=f"{queue}.retry.{attempt}",
            message_id=message.message_id,
            content_type=message.content_type,
            headers={ATTEMPT_HEADER: attempt + 1},
            persist=True,
        )

    async def _park(self, message: RabbitMessage, queue: str, reason: str) -> None:
        await self.broker.publish(
            message.body,
            queue=f"{queue}.dead",
            message_id=message.message_id,
            content_type=message.content_type,
            headers={"x-failure": reason, "x-failed-queue": queue},
            persist=True,
        )

    def _count(self, event: str, consumer: str, outcome: str) -> None:
        self._metrics.events_handled.labels(event, consumer, outcome).inc()


class OutboxRelay:
    """Publishes the outbox's pending rows, a batch at a time, each confirmed by the broker.

    A batch is sent in outbox order on one channel without waiting between messages, then its
    confirms are awaited together. The rows the broker confirmed are marked published in the
    transaction that locked them; the others stay pending and are sent again, after a backoff:
    at least once, never lost. Several replicas share the work: each locks its own batch
    (``SKIP LOCKED``).
    """

    def __init__(
        self,
        broker: RabbitBroker,
        session_factory: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        metrics: Metrics,
        *,
        batch_size: int = 100,
        poll_seconds: float = 1.0,
    ) -> None:
        self.broker = broker
        self._session_factory = session_factory
        self._outbox = outbox
        self._metrics = metrics
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows; returns how many were sent.

        Raises the first failure, once the rows that were confirmed are marked published.
        """
        async with self._session_factory() as session, session.begin():
            rows = await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
            batch = rows.all()
            outcomes = await asyncio.gather(
                *(self._publish(row) for row in batch), return_exceptions=True
            )
            published_at = datetime.now(UTC)
            for row, outcome in zip(batch, outcomes, strict=True):
                if outcome is None:
                    row.published_at = published_at
                    self._metrics.events_published.labels(row.event_name).inc()
        if failures := [outcome for outcome in outcomes if isinstance(outcome, BaseException)]:
            raise failures[0]
        return len(batch)

    async def _publish(self, row: OutboxMessage) -> None:
        """Publish ``row`` in the trace of the change that stored it."""
        token = otel_context.attach(propagate.extract(row.trace_headers))
        try:
            await self.broker.publish(
                row.payload.encode(),
                exchange=row.exchange,
                routing_key=row.routing_key,
                message_id=str(row.event_id),
                message_type=row.event_name,
                content_type="application/json",
                persist=True,
            )
        finally:
            otel_context.detach(token)

    async def run(self) -> None:
        """Relay until cancelled: at once when a commit staged events, else every poll."""
        retrying = retrying_forever("outbox_relay_failed", (*BROKER_ERRORS, SQLAlchemyError))
        while True:
            self._outbox.has_news.clear()
            sent = await retrying(self.publish_pending)
            if sent < self._batch_size:
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._outbox.has_news.wait(), self._poll_seconds)


class Messaging:
    """The service's broker, consumers and outbox relay, run for the app's lifetime.

    The app starts without waiting for RabbitMQ: while the broker is away, writes keep
    succeeding (their events wait in the outbox) and the connection is retried with backoff.
    """

    def __init__(
        self,
        broker: RabbitBroker,
        consumer: EventConsumer,
        relay: OutboxRelay,
        publishes: Sequence[type[DomainEvent]],
    ) -> None:
        self.broker = broker
        self.consumer = consumer
        self.relay = relay
        self.publishes = publishes
        self.connected = asyncio.Event()
        for event_type in publishes:  # the relay sends them; these describe them in AsyncAPI
            broker.publisher(
                exchange=event_exchange(event_type),
                routing_key=event_type.routing_key,
                schema=event_type,
                title=f"{event_type.routing_key}:publish",
                description=event_type.__doc__,
                persist=True,
            )

    def asyncapi(self, *, title: str, version: str) -> dict[str, Any]:
        """The AsyncAPI 3.0 document of what this service publishes and consumes."""
        specification = AsyncAPI(self.broker, title=title, version=version, schema_version="3.0.0")
        document: dict[str, Any] = specification.to_specification().to_jsonable()
        return document

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Connect, consume and relay in the background for the block (a service that neither
        publishes nor consumes events never connects)."""
        if not self.publishes and not self.consumer.side_queues:
            yield
            return
        task = asyncio.create_task(self._run(), name="messaging")
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
            await self.broker.stop()

    async def _run(self) -> None:
        await retrying_forever("broker_unavailable", BROKER_ERRORS)(self._start)
        self.connected.set()
        logger.info("broker_connected")
        await self.relay.run()

    async def _start(self) -> None:
        """Declare what this service owns, then consume: no failed message finds no queue."""
        await self.broker.connect()
        for event_type in self.publishes:
            await self.broker.declare_exchange(event_exchange(event_type))
        for queue in self.consumer.side_queues:
            await self.broker.declare_queue(queue)
        await self.broker.start()
