"""RFC 9457 problem details: every error the API returns, validation included, has this shape."""

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

from acme_shop.platform.request_context import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
_UNIQUE_VIOLATION = "23505"
_FOREIGN_KEY_VIOLATION = "23503"
_RETRY_AFTER_SECONDS = 1

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


# Error responses documented on every route, so clients can generate their error types.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": description}
    for status, description in {
        400: "Malformed beyond what the schema describes (such as a cursor from elsewhere)",
        401: "Missing or invalid credentials",
        403: "Authenticated, but the role does not allow it",
        404: "No such resource",
        409: "Conflicts with the current state (duplicate key, request in flight)",
        413: "The request body is larger than the service accepts",
        422: "The request does not validate",
        429: "Too many requests; retry after the Retry-After header",
        503: "The database is unreachable for now; retry after the Retry-After header",
    }.items()
}


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
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(request, exc.status_code, detail, headers=headers)


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
        return problem_response(request, 422, "A referenced resource does not exist, or is in use")
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
    """Route every kind of error to a problem+json response."""
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
