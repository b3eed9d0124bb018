"""The job queue on Redis Streams (taskiq-redis): taskiq carries job ids to the workers.

taskiq is the transport and the worker's receive loop, nothing more: a message is one job id,
acknowledged as soon as a worker receives it. Retries, schedules, dead letters and recovery
from a killed worker are rules on the job's row (``runner.py``, ``scheduler.py``), which work
the same whatever the broker does with a message. This module is the only one that knows the
broker, so another one takes only a change here.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError
from taskiq import AsyncBroker
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisStreamBroker

from acme_shop.platform.settings import Settings

RUN_JOB = "jobs.run"  # the one task every message names; its argument is the job's id
# What connecting raises while the broker is down, starting or refusing connections.
UNREACHABLE = (RedisError, OSError)


def broker_url(settings: Settings) -> str:
    return settings.jobs_broker_url or settings.redis_url


def stream_name(settings: Settings) -> str:
    return f"{settings.redis_key_prefix}:jobs"


def create_broker(settings: Settings) -> AsyncBroker:
    """A broker on the app's jobs stream, read by one consumer group: each message reaches
    one worker, which takes no more than it runs at once."""
    return RedisStreamBroker(
        broker_url(settings),
        queue_name=stream_name(settings),
        consumer_group_name="jobs",
        # A group created after jobs were sent still delivers them.
        consumer_id="0",
        xread_count=settings.jobs_concurrency,
        unacknowledged_lock_timeout=5,
    )


class JobQueue:
    """The doorbell: puts job ids on the broker, and says what it holds undelivered."""

    def __init__(self, broker: AsyncBroker, settings: Settings) -> None:
        self.broker = broker
        self._kicker: AsyncKicker[[str], None] = AsyncKicker(RUN_JOB, broker, labels={})
        self._started = False
        self._starting = asyncio.Lock()
        self._redis = Redis.from_url(broker_url(settings), socket_timeout=2.0)
        self._stream = stream_name(settings)

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
        await self._kicker.kiq(str(job_id))

    async def backlog(self) -> int | None:
        try:
            groups = await self._redis.xinfo_groups(self._stream)
        except RedisError as error:
            return 0 if "no such key" in str(error).lower() else None
        lags: list[int | None] = [group.get("lag") for group in groups]
        known = [lag for lag in lags if lag is not None]
        if not known or len(known) < len(lags):
            return None  # no group yet, or a lag Redis cannot tell
        return sum(known)

    async def aclose(self) -> None:
        await self.broker.shutdown()
        await self._redis.aclose()
