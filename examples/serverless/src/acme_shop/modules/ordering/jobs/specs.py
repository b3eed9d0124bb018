"""The ordering module's jobs: how each is started and run."""

from acme_shop.modules.ordering.jobs.handlers import cancel_abandoned_orders, export_orders
from acme_shop.modules.ordering.jobs.schemas import (
    CancelAbandonedOrdersPayload,
    ExportOrdersPayload,
)
from acme_shop.platform.jobs import JobRegistry, JobSpec

EXPORT_ORDERS = JobSpec(
    name="ordering.export_orders",
    context="ordering",
    payload=ExportOrdersPayload,
    handler=export_orders,
    trigger="on_demand",
    timeout_seconds=600,
    max_attempts=3,
    exclusive=False,
    description="Orders as a CSV file, filtered by status and placing date.",
)
CANCEL_ABANDONED_ORDERS = JobSpec(
    name="ordering.cancel_abandoned_orders",
    context="ordering",
    payload=CancelAbandonedOrdersPayload,
    handler=cancel_abandoned_orders,
    trigger="cron",
    cron="0 3 * * *",
    timezone="UTC",
    timeout_seconds=600,
    max_attempts=3,
    exclusive=True,
    description="Cancel orders left pending for longer than a month.",
)


def register(registry: JobRegistry) -> None:
    """Add this module's jobs to the app's registry."""
    registry.register(EXPORT_ORDERS, CANCEL_ABANDONED_ORDERS)
