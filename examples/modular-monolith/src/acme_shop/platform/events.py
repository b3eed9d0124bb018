"""Domain events: facts a use case announces, and the inbox that applies each once per consumer.

A use case stages its events in its own transaction and dispatches them after the commit, so
nobody ever reacts to a change that was rolled back. The in-process ``EventBus`` delivers them to
the other modules' handlers.

Each delivery runs in a transaction that also records (consumer, event id) in
``platform_processed_events``, so an event delivered twice is applied once.
"""

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TypeVar

import structlog
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import String, func, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Base
from acme_shop.platform.metrics import Metrics

logger = structlog.get_logger(__name__)


class DomainEvent(BaseModel):
    """Something that happened in one module that others may care about."""

    model_config = ConfigDict(frozen=True)

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class ProcessedEvent(Base):
    """The inbox: which consumer has applied which event."""

    __tablename__ = "platform_processed_events"

    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_name: Mapped[str] = mapped_column(String(128))
    processed_at: Mapped[datetime] = mapped_column(server_default=func.now())


EventT = TypeVar("EventT", bound=DomainEvent)
Handler = Callable[[AsyncSession, EventT], Awaitable[None]]
Outcome = Literal["applied", "duplicate"]


class EventPublisher(Protocol):
    """How a use case hands over the events of its transaction."""

    def stage(self, session: AsyncSession, events: Sequence[DomainEvent]) -> None:
        """Keep ``events`` to be published if, and only if, ``session`` commits."""

    async def dispatch(self, session: AsyncSession) -> None:
        """Publish what was staged on ``session``; called right after its commit."""


# Records a delivery in the inbox; returns no row when it is there already. Plain SQL because
# SQLAlchemy 2.0 compiles a PostgreSQL INSERT ... ON CONFLICT again on every execution (its
# issue 10445), a cost every delivery would pay.
CLAIM = text(
    "INSERT INTO platform_processed_events (consumer, event_id, event_name)"
    " VALUES (:consumer, :event_id, :event_name) ON CONFLICT DO NOTHING RETURNING event_id"
)


async def apply_once(
    session_factory: async_sessionmaker[AsyncSession],
    consumer: str,
    event: EventT,
    handler: Handler[EventT],
) -> Outcome:
    """Run ``handler`` in a transaction that marks ``event`` processed by ``consumer``.

    Returns "duplicate" without calling the handler when the consumer applied it before.
    """
    async with session_factory() as session, session.begin():
        claimed = await session.execute(
            CLAIM,
            {"consumer": consumer, "event_id": event.event_id, "event_name": type(event).__name__},
        )
        if claimed.first() is None:
            return "duplicate"
        await handler(session, event)
        return "applied"


@dataclass(frozen=True)
class _Subscription:
    consumer: str
    handler: Handler[Any]


class EventBus:
    """Delivers events, after their publisher's commit, to the handlers subscribed to them."""

    _STAGED = "staged_events"  # where staged events wait in ``session.info``

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], metrics: Metrics) -> None:
        self._session_factory = session_factory
        self._metrics = metrics
        self._subscriptions: defaultdict[type[DomainEvent], list[_Subscription]] = defaultdict(list)

    def subscribe(self, event_type: type[EventT], consumer: str, handler: Handler[EventT]) -> None:
        self._subscriptions[event_type].append(_Subscription(consumer, handler))

    def stage(self, session: AsyncSession, events: Sequence[DomainEvent]) -> None:
        session.info.setdefault(self._STAGED, []).extend(events)

    async def dispatch(self, session: AsyncSession) -> None:
        for event in session.info.pop(self._STAGED, []):
            await self.publish(event)

    async def publish(self, event: DomainEvent) -> None:
        """Deliver ``event`` to every subscriber now."""
        for subscription in self._subscriptions[type(event)]:
            await self._deliver(subscription, event)

    async def _deliver(self, subscription: _Subscription, event: DomainEvent) -> None:
        name = type(event).__name__
        outcome: str
        try:
            outcome = await apply_once(
                self._session_factory, subscription.consumer, event, subscription.handler
            )
        except Exception:
            # The publisher's change is committed; a failed reaction must not undo its response.
            logger.exception(
                "event_handler_failed", event_name=name, consumer=subscription.consumer
            )
            outcome = "failed"
        self._metrics.events_handled.labels(name, subscription.consumer, outcome).inc()
