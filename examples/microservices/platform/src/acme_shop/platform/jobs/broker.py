"""The job queue on RabbitMQ (taskiq-aio-pika): taskiq carries job ids to the workers.

taskiq is the transport and the worker's receive loop, nothing more: a message is one job id,
acknowledged as soon as a worker receives it. Retries, schedules, dead letters and recovery
from a killed worker are rules on the job's row (``runner.py``, ``scheduler.py``), which work
the same whatever the broker does with a message. This module is the only one that knows the
broker, so another one takes only a change here.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from aio_pika import connect_robust
from aio_pika.exceptions import AMQPError
from taskiq import AsyncBroker
from taskiq.kicker import AsyncKicker
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue

from acme_shop.platform.settings import Settings

RUN_JOB = "jobs.run"  # the one task every message names; its argument is the job's id
# What connecting raises while the broker is down, starting or refusing connections.
UNREACHABLE = (AMQPError, OSError)  # OSError: TimeoutError and refused connections too


def broker_url(settings: Settings) -> str:
    return settings.jobs_broker_url or settings.rabbitmq_url


def queue_name(settings: Settings) -> str:
    return f"{settings.service_name}.jobs"


def create_broker(settings: Settings) -> AsyncBroker:
    """A broker on the service's own durable queue, with as many deliveries in flight as the
    worker runs jobs at once."""
    name = queue_name(settings)
    return AioPikaBroker(
        broker_url(settings),
        exchange=Exchange(name=name),
        task_queues=[Queue(name=name, routing_key=name)],
        qos=settings.jobs_concurrency,
    )


class JobQueue:
    """The doorbell: puts job ids on the broker, and says what it holds undelivered."""

    def __init__(self, broker: AsyncBroker, settings: Settings) -> None:
        self.broker = broker
        self._kicker: AsyncKicker[[str], None] = AsyncKicker(RUN_JOB, broker, labels={})
        self._started = False
        self._starting = asyncio.Lock()
        self._url = broker_url(settings)
        self._queue = queue_name(settings)

    @classmethod
    def of(cls, settings: Settings) -> "JobQueue":
        """The queue ``settings`` name."""
        return cls(create_broker(settings), settings)

    def register(self, run: Callable[[str], Awaitable[None]]) -> None:
        """Run ``run(job_id)`` for each message (in the worker)."""
        self.broker.register_task(run, task_name=RUN_JOB)

    async def start(self, *, worker: bool = False) -> None:
        """Connect the broker once; a ``worker`` also reads the queue."""
        async with self._starting:
            if self._started:
                return
            self.broker.is_worker_process = worker
            await self.broker.startup()
            self._started = True

    async def ring(self, job_id: uuid.UUID) -> None:
        await self.start()  # the first ring connects; a failed start is tried again next time
        await self._kicker.kiq(str(job_id))

    async def backlog(self) -> int | None:
        try:
            connection = await connect_robust(self._url, timeout=2)
            async with connection:
                channel = await connection.channel()
                queue = await channel.declare_queue(self._queue, passive=True)
                return queue.declaration_result.message_count
        except Exception:  # an unknown backlog holds the resends back
            return None

    async def aclose(self) -> None:
        await self.broker.shutdown()
