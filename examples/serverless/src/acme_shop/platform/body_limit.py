"""The request body limit: a body over it is refused with 413 before the app has all of it.

A Content-Length over the limit is refused before a byte of the body is read. A body without
one (chunked) is counted as it arrives and refused the moment it passes the limit, so no
request makes the app hold more than the limit in memory.
"""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acme_shop.platform.problems import problem_response

# How much of a refused body is read (and dropped) before answering; beyond it, the
# connection is closed and the client may see it reset instead of the 413.
_DISCARD_LIMIT_BYTES = 16 * 1024 * 1024


class BodyTooLargeError(HTTPException):
    """Raised by ``receive`` once the body passes the limit.

    An HTTPException, so FastAPI passes it on while parsing a body and the problem handlers
    answer it; a middleware that reads the body first has it answered by BodyLimitMiddleware.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes")


class BodyLimitMiddleware:
    """Refuses a request whose body is larger than ``max_bytes`` with a 413 problem."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            await _discard_body(receive)
            await self._refuse(scope, receive, send)
            return
        received = 0
        responding = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max_bytes:
                    if message.get("more_body", False):
                        await _discard_body(receive)
                    raise BodyTooLargeError(self._max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal responding
            responding = responding or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLargeError:
            if responding:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = BodyTooLargeError(self._max_bytes).detail
        response = problem_response(Request(scope), 413, detail, headers={"Connection": "close"})
        await response(scope, receive, send)


async def _discard_body(receive: Receive) -> None:
    """Read the rest of the request body, keeping none of it, up to _DISCARD_LIMIT_BYTES.

    A client that is still sending then gets the answer: closing a socket with unread data
    resets the connection, and the reset can overtake the answer.
    """
    discarded = 0
    while discarded <= _DISCARD_LIMIT_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        discarded += len(message.get("body", b""))
        if not message.get("more_body", False):
            return
