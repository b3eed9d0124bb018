"""The composition root: which modules make up the app, and how their events connect."""

from fastapi import APIRouter, Depends, FastAPI

from acme_shop.identity.routes import auth_router, users_router
from acme_shop.modules.catalog import api as catalog
from acme_shop.modules.ordering import api as ordering
from acme_shop.platform.dependencies import enforce_rate_limit
from acme_shop.platform.events import EventBus
from acme_shop.platform.jobs import JobRegistry

API_PREFIX = "/api/v1"


def include_api(app: FastAPI) -> None:
    """Every versioned route, behind the rate limiter.

    Each module's routers are included in the app itself, under their full prefix: a router of
    routers would cost every request a deeper walk through them (``modules/*/router.py``).
    """
    modules: dict[str, tuple[APIRouter, ...]] = {
        "": (auth_router, users_router),
        catalog.PREFIX: catalog.ROUTERS,
        ordering.PREFIX: ordering.ROUTERS,
    }
    rate_limited = [Depends(enforce_rate_limit)]
    for prefix, routers in modules.items():
        for router in routers:
            app.include_router(router, prefix=API_PREFIX + prefix, dependencies=rate_limited)


def subscribe_handlers(events: EventBus) -> None:
    """Connect each module's event handlers to the bus."""
    catalog.subscribe(events)


def job_registry() -> JobRegistry:
    """Every module's background jobs, by name."""
    registry = JobRegistry()
    catalog.register_jobs(registry)
    ordering.register_jobs(registry)
    return registry
