"""Ringing the queue for jobs that are due: after a commit, and on every sweep.

The queue only wakes a worker; the row says what to do. So a job is sent by locking its row
(``FOR UPDATE SKIP LOCKED``: the API and every scheduler replica share the work), ringing the
doorbell with its id, and marking it dispatched in the same transaction. A ring that fails
leaves the row undispatched for the next sweep: never lost, sent at least once.
"""

import asyncio
import uuid
from collections.abc import Sequence
from typing import Protocol

import structlog
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from acme_shop.platform.jobs.metrics import JobMetrics
from acme_shop.platform.jobs.store import staged_jobs

logger = structlog.get_logger(__name__)

# Queued or retrying jobs that are due and not on the queue: new, retried, put back.
DUE = text(
    "SELECT id FROM platform_jobs WHERE status IN ('queued', 'retrying')"
    " AND dispatched_at IS NULL AND run_at <= now() AND (CAST(:ids AS uuid[]) IS NULL"
    " OR id = ANY(CAST(:ids AS uuid[]))) ORDER BY run_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
# Queued jobs sent long ago that no worker took: the message was lost (a broker restart).
LOST = text(
    "SELECT id FROM platform_jobs WHERE status = 'queued' AND dispatched_at IS NOT NULL"
    " AND dispatched_at < now() - make_interval(secs => :after)"
    " ORDER BY dispatched_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
MARK_DISPATCHED = text(
    "UPDATE platform_jobs SET status = 'queued', dispatched_at = now(), updated_at = now()"
    " WHERE id = ANY(CAST(:ids AS uuid[]))"
)
BATCH = 100


class Doorbell(Protocol):
    """The job queue, as the dispatcher sees it."""

    async def ring(self, job_id: uuid.UUID) -> None:
        """Put ``job_id`` on the queue; raise when the queue did not take it."""

    async def backlog(self) -> int | None:
        """Messages waiting undelivered on the queue; None when unknown."""


class JobDispatcher:
    """Sends due jobs to the queue: the after-commit fast path and the sweeper's rules."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        doorbell: Doorbell,
        metrics: JobMetrics,
        *,
        timeout: float,
    ) -> None:
        self._session_factory = session_factory
        self._doorbell = doorbell
        self._metrics = metrics
        self._timeout = timeout

    async def after_commit(self, session: AsyncSession) -> None:
        """Send the jobs ``session`` just committed; a failure waits for the sweeper."""
        await self.send_now(staged_jobs(session))

    async def send_now(self, *ids: uuid.UUID | Sequence[uuid.UUID]) -> None:
        """Send these jobs now if the queue takes them in time; else the sweeper will."""
        flat = [i for item in ids for i in ([item] if isinstance(item, uuid.UUID) else item)]
        if not flat:
            return
        try:
            async with asyncio.timeout(self._timeout):
                await self.dispatch(flat)
        except Exception as error:  # the jobs are committed: the sweeper sends them later
            self._metrics.dispatches.labels("failed").inc()
            logger.warning("job_dispatch_failed", error=repr(error), jobs=len(flat))

    async def dispatch(self, ids: Sequence[uuid.UUID] | None = None) -> int:
        """Send the due jobs (of ``ids`` only, when given), a batch at a time."""
        sent = 0
        while True:
            batch = await self._send(DUE, {"ids": list(ids) if ids else None, "limit": BATCH})
            sent += batch
            if batch < BATCH:
                return sent

    async def redispatch_lost(self, after_seconds: float) -> int:
        """Send again the jobs queued more than ``after_seconds`` ago that no worker took,
        once the queue shows it holds nothing undelivered (else they are only waiting)."""
        if await self._doorbell.backlog() != 0:
            return 0
        return await self._send(LOST, {"after": after_seconds, "limit": BATCH})

    async def _send(self, query: TextClause, parameters: dict[str, object]) -> int:
        async with self._session_factory() as session, session.begin():
            ids = list(await session.scalars(query, parameters))
            # Rung together: a batch costs one round trip's wait, not one per job.
            outcomes = await asyncio.gather(
                *(self._doorbell.ring(job_id) for job_id in ids), return_exceptions=True
            )
            rung = [
                job_id for job_id, outcome in zip(ids, outcomes, strict=True) if outcome is None
            ]
            if failed := [outcome for outcome in outcomes if outcome is not None]:
                self._metrics.dispatches.labels("failed").inc(len(failed))
                logger.warning("job_dispatch_failed", jobs=len(failed), error=repr(failed[0]))
            if rung:
                await session.execute(MARK_DISPATCHED, {"ids": rung})
                self._metrics.dispatches.labels("sent").inc(len(rung))
            return len(rung)
