"""The identity service's composition root: users, their tokens, and the keys that verify them."""

from typing import cast

from fastapi import APIRouter, Depends, Response

from acme_shop.identity.routes import auth_router, users_router
from acme_shop.platform.dependencies import ResourcesDep, enforce_rate_limit
from acme_shop.platform.events import DomainEvent
from acme_shop.platform.messaging import EventConsumer
from acme_shop.platform.security import LocalKeys

SERVICE_NAME = "acme-shop-identity"
API_PREFIX = "/api/v1"
# This service holds the signing key; the others verify its tokens with the published keys.
ISSUES_TOKENS = True
PUBLISHES: tuple[type[DomainEvent], ...] = ()
# How long verifiers may keep the keys without asking again.
JWKS_MAX_AGE_SECONDS = 300

keys_router = APIRouter(tags=["keys"])


@keys_router.get("/.well-known/jwks.json", operation_id="get_jwks")
async def get_jwks(resources: ResourcesDep, response: Response) -> dict[str, list[dict[str, str]]]:
    """The public keys that verify this service's tokens, as a JSON Web Key Set (RFC 7517)."""
    response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE_SECONDS}"
    return cast(LocalKeys, resources.tokens.keys).jwks


def api_router() -> APIRouter:
    """Every route of the service: the versioned API behind the rate limiter, and the keys."""
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(enforce_rate_limit)])
    api.include_router(auth_router)
    api.include_router(users_router)
    router = APIRouter()
    router.include_router(api)
    router.include_router(keys_router)
    return router


def subscribe_handlers(events: EventConsumer) -> None:
    """The identity service reacts to no other service's events."""
    del events
