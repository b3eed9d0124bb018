"""The in-process event bus: a module publishes a fact after its commit, others react to it.

Each delivery runs in its own transaction that also records (consumer, event id) in
``platform_processed_events``, so an event delivered twice is applied once.
"""

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import String, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Base
from acme_shop.platform.metrics import Metrics

logger = structlog.get_logger(__name__)


class DomainEvent(BaseModel):
    """Something that happened in one module that other modules may care about."""

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
Handler = Callable[[AsyncSession, Any], Awaitable[None]]


@dataclass(frozen=True)
class _Subscription:
    consumer: str
    handler: Handler


class EventBus:
    """Delivers published events to the handlers subscribed to their type."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], metrics: Metrics) -> None:
        self._session_factory = session_factory
        self._metrics = metrics
        self._subscriptions: defaultdict[type[DomainEvent], list[_Subscription]] = defaultdict(list)

    def subscribe(
        self,
        event_type: type[EventT],
        consumer: str,
        handler: Callable[[AsyncSession, EventT], Awaitable[None]],
    ) -> None:
        self._subscriptions[event_type].append(_Subscription(consumer, handler))

    async def publish(self, event: DomainEvent) -> None:
        """Deliver ``event`` to every subscriber; call it after the publisher's commit."""
        for subscription in self._subscriptions[type(event)]:
            await self._deliver(subscription, event)

    async def _deliver(self, subscription: _Subscription, event: DomainEvent) -> None:
        name = type(event).__name__
        try:
            async with self._session_factory() as session, session.begin():
                claimed = await session.execute(
                    insert(ProcessedEvent)
                    .values(
                        consumer=subscription.consumer, event_id=event.event_id, event_name=name
                    )
                    .on_conflict_do_nothing()
                    .returning(ProcessedEvent.event_id)
                )
                if claimed.first() is None:
                    outcome = "duplicate"
                else:
                    await subscription.handler(session, event)
                    outcome = "applied"
        except Exception:
            # The publisher's change is committed; a failed reaction must not undo its response.
            logger.exception("event_handler_failed", event=name, consumer=subscription.consumer)
            outcome = "failed"
        self._metrics.events_handled.labels(name, subscription.consumer, outcome).inc()
