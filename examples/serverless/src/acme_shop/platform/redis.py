"""The Redis client, with short timeouts: Redis is an accelerator here, never a dependency."""

from redis.asyncio import Redis


def create_redis(url: str, *, timeout: float) -> Redis:
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
    )
