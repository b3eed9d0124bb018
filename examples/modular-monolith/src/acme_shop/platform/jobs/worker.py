"""The worker process: receives job ids from the queue and runs the jobs, until told to stop.

    python -m <the app's package>.jobs worker

taskiq's ``Receiver`` fetches messages and runs up to ``JOBS_CONCURRENCY`` jobs at once,
acknowledging each message as it arrives. The worker heartbeats its row in
``platform_job_workers``; when it dies, the scheduler hands its jobs to another worker after
``JOBS_WORKER_LEASE_SECONDS``.

SIGTERM drains: no new job is taken, running jobs get ``JOBS_SHUTDOWN_GRACE_SECONDS`` to
finish (a job written in steps sees ``ctx.should_yield()`` and continues elsewhere), and
whatever still runs then is interrupted and put back on the queue, its attempt given back.

A worker started before its broker, or while the broker restarts, waits for it: live, not
ready, logging ``jobs_broker_unavailable`` at each try.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable
from contextlib import suppress

import structlog
from taskiq.acks import AcknowledgeType
from taskiq.receiver import Receiver

from acme_shop.platform.jobs.broker import UNREACHABLE
from acme_shop.platform.jobs.lease import Lease, worker_id
from acme_shop.platform.jobs.registry import JobRegistry
from acme_shop.platform.jobs.runner import JobRunner
from acme_shop.platform.jobs.serve import HealthServer, health_app
from acme_shop.platform.resources import Resources
from acme_shop.platform.retrying import retrying_forever

logger = structlog.get_logger(__name__)

_STOP_BROKER_SECONDS = 2.0


def instrument(resources: Resources) -> None:
    """Trace SQL and Redis under each job's span, as the app does under each request's."""
    if not resources.telemetry.enabled:
        return
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    provider = resources.telemetry.provider
    SQLAlchemyInstrumentor().instrument(
        engine=resources.engine.sync_engine, tracer_provider=provider
    )
    RedisInstrumentor.instrument_client(resources.redis, tracer_provider=provider)


class Worker:
    """One worker process's loop, heartbeat, health server and shutdown."""

    def __init__(self, resources: Resources, registry: JobRegistry) -> None:
        self.resources = resources
        settings = resources.settings
        self.settings = settings
        self.id = worker_id()
        self.runner = JobRunner(
            resources.session_factory,
            registry,
            resources.jobs.metrics,
            resources.telemetry.provider.get_tracer("acme_shop.jobs"),
            worker=self.id,
            retry_base_seconds=settings.jobs_retry_base_seconds,
            retry_max_seconds=settings.jobs_retry_max_seconds,
            exclusive_wait_seconds=settings.jobs_exclusive_wait_seconds,
            yield_margin_seconds=settings.jobs_yield_margin_seconds,
            on_requeued=resources.jobs.dispatcher.send_now,
            resources=resources,
        )
        self.lease = Lease(
            resources.session_factory, worker=self.id, every=settings.jobs_heartbeat_seconds
        )
        self._listening = False
        self.health = HealthServer(
            health_app(resources.metrics.registry, live=self._live, ready=self._ready),
            host=settings.jobs_health_host,
            port=settings.jobs_health_port,
        )

    async def _live(self) -> bool:
        return time.monotonic() - self.lease.beat_at < 3 * self.settings.jobs_heartbeat_seconds

    async def _ready(self) -> bool:
        return self._listening and not self.runner.draining.is_set() and await self._live()

    async def run(self, stopping: asyncio.Event) -> int:
        """Work until ``stopping`` is set (SIGTERM), then drain; returns the exit code."""
        runner = self.runner

        async def run_job(job_id: str) -> None:  # the task taskiq runs for each message
            await runner.run(uuid.UUID(job_id))

        self.resources.jobs.queue.register(run_job)
        await self.lease.beat()
        heartbeat = asyncio.create_task(self.lease.keep(runner.draining), name="jobs-heartbeat")
        await self.health.start()
        try:
            if not await _until(stopping, self._connect()):
                return 0  # told to stop before the broker answered
            return await self._work(stopping)
        finally:
            heartbeat.cancel()
            with suppress(Exception):
                await self.lease.release()
            await self.health.stop()
            logger.info("jobs_worker_stopped", worker=self.id)

    async def _connect(self) -> None:
        """Reach the broker, waiting out its absence: a worker started before the broker, or
        while it restarts, is live but not ready, and logs each wait."""
        retrying = retrying_forever("jobs_broker_unavailable", UNREACHABLE)
        await retrying(self.resources.jobs.queue.start, worker=True)

    async def _work(self, stopping: asyncio.Event) -> int:
        """Receive and run jobs until ``stopping`` is set or the receiver fails, then drain."""
        finish = asyncio.Event()
        # taskiq logs every message it receives at INFO; the runner's lines say more.
        logging.getLogger("taskiq.receiver.receiver").setLevel(logging.WARNING)
        receiver = Receiver(
            self.resources.jobs.queue.broker,
            max_async_tasks=self.settings.jobs_concurrency,
            max_prefetch=0,
            ack_type=AcknowledgeType.WHEN_RECEIVED,
            run_startup=False,
            propagate_exceptions=False,
        )
        listening = asyncio.create_task(receiver.listen(finish), name="jobs-receiver")
        self._listening = True
        logger.info(
            "jobs_worker_started", worker=self.id, concurrency=self.settings.jobs_concurrency
        )
        stop = asyncio.create_task(stopping.wait())
        await asyncio.wait([stop, listening], return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        failed = listening.done() and not stopping.is_set()
        if failed:
            logger.error("jobs_receiver_stopped", error=repr(listening.exception()))
        await self._drain(finish, listening)
        return 1 if failed else 0

    async def _drain(self, finish: asyncio.Event, listening: asyncio.Task[None]) -> None:
        """Stop taking jobs, give the running ones the grace period, put the rest back."""
        self.runner.draining.set()
        finish.set()
        with suppress(Exception):
            await self.lease.beat(draining=True)  # readiness and the worker row say "draining"
        grace = self.settings.jobs_shutdown_grace_seconds
        logger.info("jobs_worker_draining", running=self.runner.running, grace_s=grace)
        if not await self.runner.wait_idle(grace):
            self.runner.interrupt()
            await self.runner.wait_idle(_STOP_BROKER_SECONDS)
        # The broker libraries may hang on a cancelled read: bound every wait.
        await asyncio.wait([listening], timeout=_STOP_BROKER_SECONDS)
        listening.cancel()
        with suppress(Exception, asyncio.CancelledError):
            async with asyncio.timeout(_STOP_BROKER_SECONDS):
                await self.resources.jobs.queue.broker.shutdown()


async def _until(stopping: asyncio.Event, work: Awaitable[None]) -> bool:
    """Await ``work`` unless ``stopping`` is set first (then ``work`` is cancelled); whether
    it finished."""
    task = asyncio.ensure_future(work)
    stop = asyncio.create_task(stopping.wait())
    try:
        await asyncio.wait([task, stop], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not task.done():
        task.cancel()
        with suppress(Exception, asyncio.CancelledError):
            await task
        return False
    task.result()
    return True
