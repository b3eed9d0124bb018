"""Cache-aside for single-resource reads: Redis first, the database on a miss.

A Redis failure is a miss, never an error: reads go on against the database. Concurrent misses
of one key in a process share one load, so a hot key that expires sends one query to the
database, not one per request waiting for it.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import cast

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from acme_shop.platform.metrics import Metrics

logger = structlog.get_logger(__name__)


class Cache:
    """Stores serialized resources under ``<prefix>:cache:<key>`` for ``ttl`` seconds."""

    def __init__(self, redis: Redis, *, prefix: str, ttl: int, metrics: Metrics) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:cache:"
        self._ttl = ttl
        self._metrics = metrics
        # The loads in progress in this process: key -> their value, or None if one failed.
        self._loading: dict[str, asyncio.Future[bytes | None]] = {}

    async def get_or_load(self, key: str, load: Callable[[], Awaitable[bytes]]) -> bytes:
        """The cached value of ``key``, else ``load()``'s, stored for the next reads."""
        if (cached := await self.get(key)) is not None:
            return cached
        if (pending := self._loading.get(key)) is not None:
            await asyncio.wait([pending])  # cancelling this read leaves the shared load running
            if (shared := pending.result()) is not None:
                return shared
            return await load()  # the shared load failed: this read meets its own outcome
        loaded: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._loading[key] = loaded
        try:
            value = await load()
            await self.set(key, value)
        except BaseException:
            loaded.set_result(None)
            raise
        else:
            loaded.set_result(value)
        finally:
            del self._loading[key]
        return value

    async def get(self, key: str) -> bytes | None:
        try:
            # The client returns bytes: responses are not decoded.
            value = cast(bytes | None, await self._redis.get(self._prefix + key))
        except (RedisError, OSError) as error:
            self._degraded("cache_get", error)
            self._metrics.cache_lookups.labels("error").inc()
            return None
        self._metrics.cache_lookups.labels("miss" if value is None else "hit").inc()
        return value

    async def set(self, key: str, value: bytes) -> None:
        try:
            await self._redis.set(self._prefix + key, value, ex=self._ttl)
        except (RedisError, OSError) as error:
            self._degraded("cache_set", error)

    async def delete(self, key: str) -> None:
        try:
            await self._redis.delete(self._prefix + key)
        except (RedisError, OSError) as error:
            self._degraded("cache_delete", error)

    def _degraded(self, operation: str, error: Exception) -> None:
        self._metrics.redis_degraded.labels(operation).inc()
        logger.warning("redis_unavailable", operation=operation, error=str(error))
