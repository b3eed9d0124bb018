"""RFC 9457 problem details: every error the API returns, validation included, has this shape."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import structlog
from asyncpg.exceptions import (
    CannotConnectNowError,
    PostgresConnectionError,
    TooManyConnectionsError,
)
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from acme_shop.platform.request_context import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
_UNIQUE_VIOLATION = "23505"
_FOREIGN_KEY_VIOLATION = "23503"
_RETRY_AFTER_SECONDS = 1
# The methods a 405's Allow header may name, in the order it names them.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

logger = structlog.get_logger(__name__)


class Problem(BaseModel):
    """The body of every error response."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None


class ProblemError(Exception):
    """Raise anywhere to answer with a problem document."""

    def __init__(
        self, status: int, detail: str | None = None, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


class NotFoundError(ProblemError):
    def __init__(self, resource: str, key: object) -> None:
        super().__init__(404, f"{resource} {key} does not exist")


Responses = dict[int | str, dict[str, Any]]

# What an error status means, where the operation that answers it says no more.
_MEANINGS = {
    400: "The body is not UTF-8 text",
    401: "Missing or invalid credentials",
    403: "Authenticated, but the role does not allow it",
    404: "No such resource",
    409: "Conflicts with the current state",
    413: "The request body is larger than the service accepts",
    422: "The request does not validate",
    429: "Too many requests; retry after the Retry-After header",
    503: "A dependency is unreachable for now; retry after the Retry-After header",
}


def problem_responses(*statuses: int, described: Mapping[int, str] | None = None) -> Responses:
    """An operation's ``responses``: a problem document for each of ``statuses``, and for each
    status in ``described`` with the operation's own description of it.

    Each operation lists what it can answer, so that clients generate its error types and the
    suite's fuzzing can hold the server to the list.
    """
    meanings = {status: _MEANINGS[status] for status in statuses} | dict(described or {})
    return {
        status: {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": meaning}
        for status, meaning in sorted(meanings.items())
    }


# What every operation that needs a token can answer, whatever else it does.
SECURED_RESPONSES = problem_responses(401, 403, 429, 503)

# The answers of the operations every resource has (platform/crud.py), besides SECURED_RESPONSES.
LIST_RESPONSES = problem_responses(
    described={
        400: "The cursor is not one this list returned",
        422: "The limit is out of range, or the cursor is not of the documented shape",
    }
)
CREATE_RESPONSES = problem_responses(
    400,
    413,
    described={
        409: "A resource with the same unique value exists, or a request with this "
        "Idempotency-Key is still in progress",
        422: "The body does not validate, names a resource that does not exist, or reuses an "
        "Idempotency-Key that came with another body",
    },
)
READ_RESPONSES = problem_responses(404, described={422: "The id is not a UUID"})
UPDATE_RESPONSES = problem_responses(
    400,
    404,
    413,
    described={
        409: "Another resource has the same unique value",
        422: "The id is not a UUID, or the body does not validate or names a resource that "
        "does not exist",
    },
)
DELETE_RESPONSES = problem_responses(
    404, described={409: "Other resources still refer to this one", 422: "The id is not a UUID"}
)


def problem_response(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=current_request_id(),
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc.status, exc.detail, headers=exc.headers)


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(request, exc.status_code, detail, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method the app serves at the request's path, as RFC 9110 asks of a 405.

    The router names only the methods of the first route whose path matched. The others are
    found by asking the routes whether they take the request with another method: a few
    route matches, paid on a 405 only.
    """
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return problem_response(request, 422, "The request does not validate", errors=errors)


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntegrityError)
    code = getattr(exc.orig, "sqlstate", None)
    if code == _UNIQUE_VIOLATION:
        return problem_response(request, 409, "A resource with the same unique value exists")
    if code == _FOREIGN_KEY_VIOLATION:
        if request.method == "DELETE":
            return problem_response(request, 409, "Other resources still refer to this one")
        return problem_response(request, 422, "A referenced resource does not exist")
    logger.exception("integrity_error")
    return problem_response(request, 409, "The change conflicts with stored data")


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    """A lost database connection is the database being away, not a bug: 503, retry soon."""
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated:
        return await _on_database_unreachable(request, exc)
    return await _on_unhandled(request, exc)


async def _on_database_unreachable(request: Request, exc: Exception) -> JSONResponse:
    # The pool drops the broken connections; the next requests connect afresh.
    logger.warning("database_unreachable", error=str(exc))
    return problem_response(
        request,
        503,
        "The database is unreachable for now",
        headers={"Retry-After": str(_RETRY_AFTER_SECONDS)},
    )


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled_error", exc_info=exc)
    return problem_response(request, 500, "An unexpected error occurred")


def install_problem_handlers(app: FastAPI) -> None:
    """Route every kind of error to a problem+json response, and say so in the document."""
    _document_problems_as_problem_json(app)
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(HTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(DBAPIError, _on_database_error)
    # Opening a connection fails before SQLAlchemy wraps the error: refused, dropped during
    # the handshake, the server starting up or full; or no pooled connection free in time.
    for unreachable in (
        ConnectionError,
        PostgresConnectionError,
        CannotConnectNowError,
        TooManyConnectionsError,
        PoolTimeoutError,
    ):
        app.add_exception_handler(unreachable, _on_database_unreachable)
    app.add_exception_handler(Exception, _on_unhandled)


def _document_problems_as_problem_json(app: FastAPI) -> None:
    """Describe every error body under application/problem+json, the media type it is sent
    with: FastAPI puts a response model's schema under the route's own (application/json, or
    text/event-stream for a stream)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        for item in document["paths"].values():
            for operation in item.values():
                for response in operation["responses"].values():
                    content = response.get("content", {})
                    for media_type in [t for t in content if t != PROBLEM_MEDIA_TYPE]:
                        if PROBLEM_MEDIA_TYPE in content:
                            content[PROBLEM_MEDIA_TYPE] = content.pop(media_type)
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's way to extend the document
