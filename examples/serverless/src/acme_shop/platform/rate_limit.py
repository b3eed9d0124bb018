"""A fixed-window rate limiter per client, stored in Redis through the `limits` library.

Over the limit: 429 with Retry-After. Redis unavailable: the request goes through.
"""

import math
import time
from typing import Any

import structlog
from fastapi import Request
from limits import RateLimitItemPerMinute
from limits.aio.storage import RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import Redis

from acme_shop.platform.metrics import Metrics
from acme_shop.platform.problems import ProblemError

logger = structlog.get_logger(__name__)


class RateLimiter:
    """Allows ``per_minute`` requests per client and minute.

    It counts through the connection pool of the app's ``redis`` client: the same short
    timeouts, no connections of its own, and closed when the app closes its client.
    """

    def __init__(self, redis: Redis, *, per_minute: int, prefix: str, metrics: Metrics) -> None:
        # limits hands the pool on to redis-py; its own signature types options as scalars.
        pool: dict[str, Any] = {"connection_pool": redis.connection_pool}
        self._storage = RedisStorage(
            "async+redis://",
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix=f"{prefix}:ratelimit",
            **pool,
        )
        self._limiter = FixedWindowRateLimiter(self._storage)
        self._limit = RateLimitItemPerMinute(per_minute)
        self._metrics = metrics

    async def check(self, client: str) -> None:
        """Count one request of ``client``; raise a 429 problem when it is over the limit."""
        try:
            if await self._limiter.hit(self._limit, client):
                return
            stats = await self._limiter.get_window_stats(self._limit, client)
        except StorageError as error:
            self._metrics.redis_degraded.labels("rate_limit").inc()
            logger.warning("redis_unavailable", operation="rate_limit", error=str(error))
            return
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise ProblemError(
            429,
            f"More than {self._limit.amount} requests per minute; retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


def client_key(request: Request) -> str:
    """Who a request counts against: its peer address (put a trusted proxy's header here)."""
    return request.client.host if request.client else "unknown"
