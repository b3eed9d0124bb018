"""Events over Amazon SQS: the relay that sends outbox rows to the queue the worker consumes.

Every event travels through one standard queue (``EVENTS_QUEUE_URL``, with a dead-letter queue
behind it): the body is the event's JSON, the ``event_name`` attribute names its type, and the
``traceparent``/``tracestate`` attributes carry the trace of the change. SQS delivers at least
once; the inbox (``events.apply_once``) makes each delivery count once.

boto3 is imported on first use (it takes about a second), so a cold start that sends no event
does not pay for it.
"""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Self

import structlog
from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from acme_shop.platform.metrics import Metrics
from acme_shop.platform.outbox import OutboxMessage
from acme_shop.platform.settings import Settings

if TYPE_CHECKING:
    from types_boto3_sqs.client import SQSClient
    from types_boto3_sqs.type_defs import SendMessageBatchRequestEntryTypeDef

logger = structlog.get_logger(__name__)

EVENT_NAME_ATTRIBUTE = "event_name"
BATCH_SIZE = 10  # the most messages one SendMessageBatch call takes


class SqsQueue:
    """An SQS queue, called with bounded timeouts and retries (boto3 is imported on first use)."""

    def __init__(self, url: str, *, region: str, endpoint_url: str | None, timeout: float) -> None:
        self.url = url
        self._region = region
        self._endpoint_url = endpoint_url
        self._timeout = timeout

    @classmethod
    def at(cls, url: str, settings: Settings) -> Self:
        """The queue at ``url``, reached as ``settings`` say."""
        return cls(
            url,
            region=settings.aws_region,
            endpoint_url=settings.aws_endpoint_url,
            timeout=settings.aws_timeout_seconds,
        )

    @cached_property
    def client(self) -> "SQSClient":
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=self._timeout,
            read_timeout=self._timeout,
            retries={"mode": "standard", "max_attempts": 3},
        )
        return boto3.client(
            "sqs", region_name=self._region, endpoint_url=self._endpoint_url, config=config
        )


class EventQueue(SqsQueue):
    """The SQS queue every event travels through."""

    @classmethod
    def of(cls, settings: Settings) -> "EventQueue":
        """The queue ``settings`` name."""
        return cls.at(settings.events_queue_url, settings)

    async def send(self, rows: Sequence[OutboxMessage]) -> set[int]:
        """Send up to ten outbox rows; returns the ids of the rows SQS accepted."""
        entries: list[SendMessageBatchRequestEntryTypeDef] = [
            {
                "Id": str(row.id),
                "MessageBody": row.payload,
                "MessageAttributes": {
                    name: {"DataType": "String", "StringValue": value}
                    for name, value in {
                        EVENT_NAME_ATTRIBUTE: row.event_name,
                        **row.trace_headers,
                    }.items()
                },
            }
            for row in rows
        ]
        response = await asyncio.to_thread(
            self.client.send_message_batch, QueueUrl=self.url, Entries=entries
        )
        for failure in response.get("Failed", []):
            logger.warning("event_not_queued", row=failure["Id"], code=failure["Code"])
        return {int(entry["Id"]) for entry in response.get("Successful", [])}


class OutboxRelay:
    """Sends the outbox's pending rows to the queue, oldest first, marking each one sent.

    A batch stays locked (``FOR UPDATE SKIP LOCKED``) while it is sent, so the API function
    relaying after its commit and the scheduled relay never send a row at the same time. A
    row SQS refused, or a call that failed, stays pending for the next run: at least once,
    never lost.
    """

    def __init__(
        self,
        queue: EventQueue,
        session_factory: async_sessionmaker[AsyncSession],
        metrics: Metrics,
    ) -> None:
        self.queue = queue
        self._session_factory = session_factory
        self._metrics = metrics

    async def relay_pending(self) -> int:
        """Send every pending row, batch by batch; returns how many were sent."""
        sent = 0
        while (batch := await self._relay_batch()) == BATCH_SIZE:
            sent += batch
        return sent + batch

    async def relay_after_commit(self) -> int:
        """Relay now, for a request that just committed; on failure the rows wait their turn.

        The change is committed already, so a queue outage must not fail the request: the
        scheduled relay sends the rows once the queue is back.
        """
        try:
            return await self.relay_pending()
        except (OSError, SQLAlchemyError, BotoCoreError, ClientError) as error:
            logger.warning("outbox_relay_failed", error=repr(error))
            return 0

    async def _relay_batch(self) -> int:
        async with self._session_factory() as session, session.begin():
            rows = list(
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.published_at.is_(None))
                    .order_by(OutboxMessage.id)
                    .limit(BATCH_SIZE)
                    .with_for_update(skip_locked=True)
                )
            )
            if not rows:
                return 0
            accepted = await self.queue.send(rows)
            sent_at = datetime.now(UTC)
            for row in rows:
                if row.id in accepted:
                    row.published_at = sent_at
                    self._metrics.events_published.labels(row.event_name).inc()
            return len(accepted)
