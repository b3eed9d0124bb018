"""Idempotency-Key on POST: a retried request gets the first response again, not a second effect.

A route opts in by taking its caller through ``IdempotentEditorDep`` (or ``IdempotentAdminDep``):
the caller is authenticated and authorized first, and only then is the key claimed in Redis,
in the caller's name. An anonymous or unauthorized request never reads, writes or learns about
a stored response, and costs no Redis call.

The first response (status, body, content type) is kept for a day: ``IdempotencyMiddleware``
stores it as it goes out. A retry while the first is still running gets 409; the same key with
a different body gets 422. If Redis is unavailable the request is served normally, without
replay protection.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, cast

import structlog
from fastapi import Depends, Header, Request, Response, Security
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_shop.platform.dependencies import require
from acme_shop.platform.metrics import Metrics
from acme_shop.platform.problems import ProblemError
from acme_shop.platform.security import Principal, Role

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IN_FLIGHT = b"in-flight"
_IN_FLIGHT_TTL_SECONDS = 60
# The ASGI scope key under which the middleware hands a keyed request's slot to its route.
_SCOPE_KEY = f"{__name__}.slot"

logger = structlog.get_logger(__name__)


class IdempotentReplay(Exception):  # noqa: N818 - not an error: the answer to a retry
    """Raised by the route's dependency to answer with the stored response of the first request."""

    def __init__(self, record: dict[str, Any]) -> None:
        super().__init__("replayed")
        self.record = record


async def replay_stored_response(request: Request, exc: Exception) -> Response:
    """The exception handler that sends an ``IdempotentReplay``'s stored response."""
    assert isinstance(exc, IdempotentReplay)
    record = exc.record
    headers = {"Idempotent-Replayed": "true"}
    if record["location"]:
        headers["Location"] = record["location"]
    return Response(
        record["body"],
        status_code=record["status"],
        media_type=record["content_type"],
        headers=headers,
    )


@dataclass(frozen=True)
class _Claim:
    """A key a request holds, and the fingerprint (path and body) its record will carry."""

    redis_key: str
    fingerprint: str


class _Store:
    """Claims keys and keeps responses in Redis, under ``prefix``, for ``ttl`` seconds."""

    def __init__(self, redis: Redis, *, prefix: str, ttl: int, metrics: Metrics) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:idempotency:"
        self._ttl = ttl
        self._metrics = metrics

    async def claim(self, caller: Principal, key: str, path: str, body: bytes) -> _Claim | None:
        """Claim ``key`` in ``caller``'s name; if an earlier request holds it, answer from its
        record instead (raise). None when Redis is unavailable: the request runs unprotected."""
        fingerprint = hashlib.sha256(path.encode() + b"\n" + body).hexdigest()
        redis_key = f"{self._prefix}{caller.user_id}:{key}"
        try:
            claimed = await self._redis.set(
                redis_key, _IN_FLIGHT, nx=True, ex=_IN_FLIGHT_TTL_SECONDS
            )
            # The client returns bytes: responses are not decoded.
            stored = None if claimed else cast(bytes | None, await self._redis.get(redis_key))
        except (RedisError, OSError) as error:
            self._degraded("idempotency", error)
            return None
        if claimed:
            return _Claim(redis_key, fingerprint)
        if stored == _IN_FLIGHT or stored is None:
            raise ProblemError(409, "A request with this Idempotency-Key is in progress")
        record = json.loads(stored)
        if record["fingerprint"] != fingerprint:
            raise ProblemError(422, "This Idempotency-Key was used with a different request")
        raise IdempotentReplay(record)

    async def keep(self, claim: _Claim, start: Message, body: bytes) -> None:
        """Store the response a claimed request got, or free its key if it got none or a 5xx."""
        try:
            if not start or start["status"] >= 500:
                await self._redis.delete(claim.redis_key)  # let the client retry a failure
                return
            headers = Headers(raw=start.get("headers", []))
            record = {
                "fingerprint": claim.fingerprint,
                "status": start["status"],
                "content_type": headers.get("content-type", "application/json"),
                "location": headers.get("location"),
                "body": body.decode(),
            }
            await self._redis.set(claim.redis_key, json.dumps(record), ex=self._ttl)
        except (RedisError, OSError) as error:
            self._degraded("idempotency_store", error)

    def _degraded(self, operation: str, error: Exception) -> None:
        self._metrics.redis_degraded.labels("idempotency").inc()
        logger.warning("redis_unavailable", operation=operation, error=str(error))


@dataclass
class _Slot:
    """What the middleware hands a keyed POST's route: the store, and the claim once made."""

    store: _Store
    claim: _Claim | None = None


class IdempotencyMiddleware:
    """Keeps the response of each POST whose route claimed its Idempotency-Key.

    It reads no body and calls Redis only for a request its route claimed, which the route
    does once the caller is authorized.
    """

    def __init__(
        self, app: ASGIApp, *, redis: Redis, prefix: str, ttl: int, metrics: Metrics
    ) -> None:
        self.app = app
        self._store = _Store(redis, prefix=prefix, ttl=ttl, metrics=metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        keyed = scope["type"] == "http" and scope["method"] == "POST"
        if not keyed or IDEMPOTENCY_HEADER not in Headers(scope=scope):
            await self.app(scope, receive, send)
            return
        slot = _Slot(self._store)
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if slot.claim is not None:
                if message["type"] == "http.response.start":
                    start = message
                elif message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app({**scope, _SCOPE_KEY: slot}, receive, capture)
        finally:
            if slot.claim is not None:
                await self._store.keep(slot.claim, start, b"".join(chunks))


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        max_length=255,
        description="Makes a retried POST safe: the first response is replayed",
    ),
]


def idempotent(role: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authorizes the caller for ``role``, then claims the request's
    Idempotency-Key in their name: the store is never consulted for a caller it would refuse."""
    authorize = require(role)

    async def claim_key(
        request: Request,
        caller: Annotated[Principal, Depends(authorize)],
        key: IdempotencyKeyHeader = None,
    ) -> Principal:
        if key is not None:
            await _claim(request, caller, key)
        return caller

    return claim_key


# The caller of a POST that takes an Idempotency-Key, authorized for the role it names.
IdempotentEditorDep = Annotated[
    Principal, Security(idempotent(Role.EDITOR), scopes=[Role.EDITOR.value])
]
IdempotentAdminDep = Annotated[
    Principal, Security(idempotent(Role.ADMIN), scopes=[Role.ADMIN.value])
]


async def _claim(request: Request, caller: Principal, key: str) -> None:
    slot = request.scope.get(_SCOPE_KEY)
    assert isinstance(slot, _Slot), "IdempotencyMiddleware is not installed"
    # FastAPI has read the body already: this is its copy, not a second read.
    body = await request.body()
    slot.claim = await slot.store.claim(caller, key, request.url.path, body)
