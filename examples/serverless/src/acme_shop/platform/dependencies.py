"""FastAPI dependencies shared by every module: resources, sessions, callers and their roles.

All are ``async def``: a plain ``def`` dependency would cost a thread hop on every request.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, cast

import structlog
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.platform.problems import ProblemError
from acme_shop.platform.rate_limit import client_key
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Principal, Role

logger = structlog.get_logger(__name__)

_SAFE_METHODS = frozenset({"GET", "HEAD"})


async def get_resources(request: Request) -> Resources:
    return cast(Resources, request.app.state.resources)


ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def get_session(request: Request, resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    """One session per request; services commit explicitly.

    A GET or HEAD must not write (RFC 9110 calls them safe), and every read is one statement:
    its session runs each statement on its own, without BEGIN and ROLLBACK around it.

    The session is closed once the response has gone out. If the database dropped the
    connection meanwhile, the request has had its answer (a 503) and the pool discards the
    connection: failing to close it is logged, not raised into a finished response.
    """
    reads_only = request.method in _SAFE_METHODS
    session = (resources.read_session_factory if reads_only else resources.session_factory)()
    try:
        yield session
    finally:
        try:
            await session.close()
        except DBAPIError as error:
            logger.warning("session_close_failed", error=str(error))


SessionDep = Annotated[AsyncSession, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/auth/token")


async def get_principal(
    resources: ResourcesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise ProblemError(401, "Missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    return await resources.tokens.verify(credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets the caller through only if their role allows ``role``."""

    async def check(principal: PrincipalDep) -> Principal:
        if not principal.role.allows(role):
            raise ProblemError(403, f"This needs the {role.value} role")
        return principal

    return check


# Security rather than Depends: each operation's security requirement in the OpenAPI document
# names the role it needs (OpenAPI 3.1 allows role names there for a bearer scheme).
ViewerDep = Annotated[Principal, Security(require(Role.VIEWER), scopes=[Role.VIEWER.value])]
EditorDep = Annotated[Principal, Security(require(Role.EDITOR), scopes=[Role.EDITOR.value])]
AdminDep = Annotated[Principal, Security(require(Role.ADMIN), scopes=[Role.ADMIN.value])]


async def enforce_rate_limit(request: Request, resources: ResourcesDep) -> None:
    await resources.rate_limiter.check(client_key(request))
