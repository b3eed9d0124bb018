"""A worker's lease on the jobs it runs: its row in ``platform_job_workers``, kept fresh.

A worker (a process, or a Lambda instance while it is invoked) beats every
``JOBS_HEARTBEAT_SECONDS``; the sweeper hands the running jobs of a worker silent for
``JOBS_WORKER_LEASE_SECONDS`` to another one.
"""

import asyncio
import os
import secrets
import socket
import time

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

logger = structlog.get_logger(__name__)

HEARTBEAT = text(
    "INSERT INTO platform_job_workers (id, draining) VALUES (:id, :draining)"
    " ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), draining = EXCLUDED.draining"
)
GONE = text("DELETE FROM platform_job_workers WHERE id = :id")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Lease:
    """One worker's heartbeat."""

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, worker: str, every: float
    ) -> None:
        self._session_factory = session_factory
        self.worker = worker
        self.every = every
        self.beat_at = 0.0

    async def beat(self, *, draining: bool = False) -> None:
        async with self._session_factory() as session, session.begin():
            await session.execute(HEARTBEAT, {"id": self.worker, "draining": draining})
        self.beat_at = time.monotonic()

    async def keep(self, draining: asyncio.Event) -> None:
        """Beat every ``every`` seconds until cancelled."""
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.beat(draining=draining.is_set())
            except Exception as error:  # the lease runs out if this keeps failing
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    # Cancelled mid-beat, and the client turned it into an error of its own.
                    raise asyncio.CancelledError from error
                logger.warning("jobs_heartbeat_failed", error=repr(error))

    async def release(self) -> None:
        async with self._session_factory() as session, session.begin():
            await session.execute(GONE, {"id": self.worker})
