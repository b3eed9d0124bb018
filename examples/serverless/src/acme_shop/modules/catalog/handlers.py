"""How the catalog module reacts to other modules' events.

Each handler runs in the transaction that marks its event processed for this module: whatever
it writes through ``session`` is applied exactly once, however often the event is delivered.
"""

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.modules.catalog.jobs.specs import RECORD_DEMAND
from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.platform.events import EventBus
from acme_shop.platform.jobs import start_job

CONSUMER = "catalog"

logger = structlog.get_logger(__name__)


async def on_order_placed(session: AsyncSession, event: OrderPlaced) -> None:
    """A customer placed an order; catalog reacts to the demand."""
    logger.info(
        "order_placed_received",
        event_id=str(event.event_id),
        order_id=str(event.order.id),
    )
    # In the inbox's transaction: the job exists once the event is applied, and only then.
    await start_job(
        session, RECORD_DEMAND, event, dedupe_key=f"event:catalog.record_demand:{event.event_id}"
    )


def subscribe(events: EventBus) -> None:
    """Register this module's handlers on the application's event bus."""
    events.subscribe(OrderPlaced, CONSUMER, on_order_placed)
