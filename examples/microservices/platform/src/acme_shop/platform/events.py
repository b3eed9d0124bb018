"""Domain events: facts a use case announces, and the inbox that applies each once per consumer.

A use case stages its events in its own transaction and dispatches them after the commit, so
nobody ever reacts to a change that was rolled back. The service's outbox stores them with the
change and relays them to RabbitMQ (``outbox.py``); other services consume them
(``messaging.py``).

Each delivery runs in a transaction that also records (consumer, event id) in
``platform_processed_events``, so an event delivered twice is applied once.
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import ClassVar, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import String, func, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Base


class DomainEvent(BaseModel):
    """Something that happened in one service that others may care about."""

    model_config = ConfigDict(frozen=True)

    # Where the event travels: its publisher's topic exchange, and its routing key there.
    exchange: ClassVar[str]
    routing_key: ClassVar[str]

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
