"""The catalog service's composition root: its name, routes, events and jobs."""

from fastapi import APIRouter, Depends

from acme_shop.modules.catalog import api as catalog
from acme_shop.platform.dependencies import enforce_rate_limit
from acme_shop.platform.events import DomainEvent
from acme_shop.platform.jobs import JobRegistry
from acme_shop.platform.messaging import EventConsumer

SERVICE_NAME = "acme-shop-catalog"
API_PREFIX = "/api/v1"
# Tokens come from the identity service; this one only verifies them.
ISSUES_TOKENS = False
# The events this service announces (see contracts/); their exchanges belong to it.
PUBLISHES: tuple[type[DomainEvent], ...] = ()


def api_router() -> APIRouter:
    """Every versioned route of the service, behind the rate limiter."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(enforce_rate_limit)])
    router.include_router(catalog.router)
    return router


def subscribe_handlers(events: EventConsumer) -> None:
    """Consume the other services' events this one reacts to."""
    catalog.subscribe(events)


def job_registry() -> JobRegistry:
    """The service's background jobs, by name."""
    registry = JobRegistry()
    catalog.register_jobs(registry)
    return registry
