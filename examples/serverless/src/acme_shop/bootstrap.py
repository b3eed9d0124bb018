"""The composition root: which modules make up the app, and how their events connect."""

from fastapi import APIRouter, Depends

from acme_shop.identity.routes import auth_router, users_router
from acme_shop.modules.catalog import api as catalog
from acme_shop.modules.ordering import api as ordering
from acme_shop.platform.dependencies import enforce_rate_limit
from acme_shop.platform.events import EventBus
from acme_shop.platform.jobs import JobRegistry

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Every versioned route, behind the rate limiter."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(enforce_rate_limit)])
    router.include_router(auth_router)
    router.include_router(users_router)
    router.include_router(catalog.router)
    router.include_router(ordering.router)
    return router


def subscribe_handlers(events: EventBus) -> None:
    """Connect each module's event handlers to the bus."""
    catalog.subscribe(events)


def job_registry() -> JobRegistry:
    """Every module's background jobs, by name."""
    registry = JobRegistry()
    catalog.register_jobs(registry)
    ordering.register_jobs(registry)
    return registry
