"""Request correlation: an X-Request-ID on every request and response, in every log line.

asgi-correlation-id's middleware takes the caller's id when it is a plain one (anything else
could smuggle text into the logs) or makes one, holds it for the request and echoes it in the
response; ``logs.py`` adds it to every log line. ``AccessLogMiddleware`` writes the one line
each request gets.
"""

import re
import time
import uuid

import structlog
from asgi_correlation_id import correlation_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

logger = structlog.get_logger("access")


def new_request_id() -> str:
    return uuid.uuid4().hex


def is_valid_request_id(candidate: str) -> bool:
    """Whether a caller's id is kept: 1 to 128 letters, digits, dots, dashes, underscores."""
    return _VALID_REQUEST_ID.match(candidate) is not None


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    return correlation_id.get()


class AccessLogMiddleware:
    """Writes one access-log line per request: method, path, status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            logger.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
