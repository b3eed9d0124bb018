"""The app's handle on its jobs: the queue, the dispatcher and the job metrics, built once."""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from acme_shop.platform.jobs.broker import JobQueue
from acme_shop.platform.jobs.dispatch import JobDispatcher
from acme_shop.platform.jobs.metrics import JobMetrics
from acme_shop.platform.settings import Settings


@dataclass(frozen=True)
class Jobs:
    """What starting, sending and running jobs needs; nothing connects until it is used."""

    queue: JobQueue
    dispatcher: JobDispatcher
    metrics: JobMetrics

    @classmethod
    def create(
        cls,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        registry: CollectorRegistry,
    ) -> "Jobs":
        queue = JobQueue.of(settings)
        metrics = JobMetrics(registry)
        dispatcher = JobDispatcher(
            session_factory, queue, metrics, timeout=settings.jobs_dispatch_timeout_seconds
        )
        return cls(queue=queue, dispatcher=dispatcher, metrics=metrics)

    async def aclose(self) -> None:
        await self.queue.aclose()
