"""The transactional outbox: the app's events are stored in the transaction of their change.

The relay (``event_queue.OutboxRelay``) sends the stored rows to SQS right after the commit,
and the scheduled relay function sends whatever a failed attempt left behind, so an event is
never lost to a queue outage, and never sent for a change that was rolled back. Each
row keeps the trace context of the change, so the consumer's work joins the same trace.
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from opentelemetry import propagate
from sqlalchemy import BigInteger, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Base
from acme_shop.platform.events import DomainEvent


class OutboxMessage(Base):
    """An event waiting to be published (``published_at`` is null), or a record of one."""

    __tablename__ = "platform_outbox"
    __table_args__ = (
        Index(
            "ix_platform_outbox_pending",
            "id",
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    event_name: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    trace_headers: Mapped[dict[str, str]] = mapped_column(JSONB)  # W3C traceparent, tracestate
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    published_at: Mapped[datetime | None]

    @classmethod
    def of(cls, event: DomainEvent) -> "OutboxMessage":
        """The row of ``event``, with the trace context it happened in."""
        trace_headers: dict[str, str] = {}
        propagate.inject(trace_headers)
        return cls(
            event_id=event.event_id,
            event_name=type(event).__name__,
            payload=event.model_dump_json(),
            trace_headers=trace_headers,
        )


class Outbox:
    """The app's event publisher: stages events as outbox rows, relays them after the commit."""

    def __init__(self, relay: Callable[[], Awaitable[object]]) -> None:
        self._relay = relay

    _STAGED = "outbox_staged"  # set in ``session.info`` when the transaction holds events

    def stage(self, session: AsyncSession, events: Sequence[DomainEvent]) -> None:
        if events:
            session.add_all([OutboxMessage.of(event) for event in events])
            session.info[self._STAGED] = True

    async def dispatch(self, session: AsyncSession) -> None:
        if session.info.pop(self._STAGED, False):
            await self._relay()
