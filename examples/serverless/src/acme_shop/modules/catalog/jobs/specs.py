"""The catalog module's jobs: how each is started and run."""

from acme_shop.modules.catalog.jobs.handlers import record_demand
from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.platform.jobs import JobRegistry, JobSpec

RECORD_DEMAND = JobSpec(
    name="catalog.record_demand",
    context="catalog",
    payload=OrderPlaced,
    handler=record_demand,
    trigger="event",
    timeout_seconds=30,
    max_attempts=5,
    exclusive=False,
    description="Count each placed order into the demand of its day.",
)


def register(registry: JobRegistry) -> None:
    """Add this module's jobs to the app's registry."""
    registry.register(RECORD_DEMAND)
