"""The ordering service's composition root: its name, routes, events and jobs."""

from fastapi import APIRouter, Depends

from acme_shop.contracts.ordering import OrderPlaced
from acme_shop.modules.ordering import api as ordering
from acme_shop.platform.dependencies import enforce_rate_limit
from acme_shop.platform.events import DomainEvent
from acme_shop.platform.jobs import JobRegistry
from acme_shop.platform.messaging import EventConsumer

SERVICE_NAME = "acme-shop-ordering"
API_PREFIX = "/api/v1"
# Tokens come from the identity service; this one only verifies them.
ISSUES_TOKENS = False
# The events this service announces (see contracts/); their exchanges belong to it.
PUBLISHES: tuple[type[DomainEvent], ...] = (OrderPlaced,)


def api_router() -> APIRouter:
    """Every versioned route of the service, behind the rate limiter."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(enforce_rate_limit)])
    router.include_router(ordering.router)
    return router


def subscribe_handlers(events: EventConsumer) -> None:
    """Consume the other services' events this one reacts to."""
    del events  # this service reacts to no other service's events


def job_registry() -> JobRegistry:
    """The service's background jobs, by name."""
    registry = JobRegistry()
    ordering.register_jobs(registry)
    return registry
