"""Idempotency-Key on POST: a retried request gets the first response again, not a second effect.

The first response (status, body, content type) is kept in Redis for a day. A retry while the
first is still running gets 409; the same key with a different body gets 422. If Redis is
unavailable the request is served normally, without replay protection.
"""

import hashlib
import json
from http import HTTPStatus
from typing import Annotated, cast

import structlog
from fastapi import Header
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_shop.platform.metrics import Metrics

IDEMPOTENCY_HEADER = "idempotency-key"
_IN_FLIGHT = b"in-flight"
_IN_FLIGHT_TTL_SECONDS = 60

logger = structlog.get_logger(__name__)


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=255,
            description="Makes a retried POST safe: the first response is replayed",
        ),
    ] = None,
) -> str | None:
    """Declares the header in the OpenAPI document; the middleware does the work."""
    return key


class IdempotencyMiddleware:
    """Replays the stored response of a POST whose Idempotency-Key was seen before."""

    def __init__(
        self, app: ASGIApp, *, redis: Redis, prefix: str, ttl: int, metrics: Metrics
    ) -> None:
        self.app = app
        self._redis = redis
        self._prefix = f"{prefix}:idempotency:"
        self._ttl = ttl
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        fingerprint = hashlib.sha256(scope["path"].encode() + b"\n" + body).hexdigest()
        # Keys are scoped to the caller: one client can never replay another's response.
        caller = headers.get("authorization", "")
        redis_key = self._prefix + hashlib.sha256(f"{caller}\n{key}".encode()).hexdigest()
        try:
            claimed = await self._redis.set(
                redis_key, _IN_FLIGHT, nx=True, ex=_IN_FLIGHT_TTL_SECONDS
            )
            # The client returns bytes: responses are not decoded.
            stored = None if claimed else cast(bytes | None, await self._redis.get(redis_key))
        except (RedisError, OSError) as error:
            self._metrics.redis_degraded.labels("idempotency").inc()
            logger.warning("redis_unavailable", operation="idempotency", error=str(error))
            await self.app(scope, _replay_body(body), send)
            return
        if claimed:
            await self._run_and_store(scope, body, send, redis_key, fingerprint)
        elif stored == _IN_FLIGHT or stored is None:
            await _send_problem(send, 409, "A request with this Idempotency-Key is in progress")
        else:
            await self._replay(stored, fingerprint, send)

    async def _run_and_store(
        self, scope: Scope, body: bytes, send: Send, redis_key: str, fingerprint: str
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, _replay_body(body), capture)
        finally:
            await self._store(redis_key, fingerprint, start, b"".join(chunks))

    async def _store(self, redis_key: str, fingerprint: str, start: Message, body: bytes) -> None:
        try:
            if not start or start["status"] >= 500:
                await self._redis.delete(redis_key)  # let the client retry a failure
                return
            headers = Headers(raw=start.get("headers", []))
            record = {
                "fingerprint": fingerprint,
                "status": start["status"],
                "content_type": headers.get("content-type", "application/json"),
                "location": headers.get("location"),
                "body": body.decode(),
            }
            await self._redis.set(redis_key, json.dumps(record), ex=self._ttl)
        except (RedisError, OSError) as error:
            self._metrics.redis_degraded.labels("idempotency").inc()
            logger.warning("redis_unavailable", operation="idempotency_store", error=str(error))

    async def _replay(self, stored: bytes, fingerprint: str, send: Send) -> None:
        record = json.loads(stored)
        if record["fingerprint"] != fingerprint:
            await _send_problem(send, 422, "This Idempotency-Key was used with a different request")
            return
        headers = [
            (b"content-type", record["content_type"].encode()),
            (b"idempotent-replayed", b"true"),
        ]
        if record["location"]:
            headers.append((b"location", record["location"].encode()))
        await send({"type": "http.response.start", "status": record["status"], "headers": headers})
        await send({"type": "http.response.body", "body": record["body"].encode()})


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay_body(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _send_problem(send: Send, status: int, detail: str) -> None:
    problem = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    body = json.dumps({**problem, "detail": detail}).encode()
    headers = [(b"content-type", b"application/problem+json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
