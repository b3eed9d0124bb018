"""What the catalog module's jobs do.

Each handler runs in a transaction that commits with the job's success, fenced on the run that
claimed it, so what it writes lands once however often the job runs. Handlers must not block
the event loop (it also runs the worker's heartbeat): run CPU-heavy work with
``asyncio.to_thread``.
"""

import uuid
from functools import partial

from sqlalchemy import text

from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.platform.jobs import JobContext

# Adds the event to its row (made on first use): applied once, since it commits only with the
# job's success.
RECORD_DEMAND = text(
    "INSERT INTO catalog_daily_demand (id, day, orders, items, revenue)"
    " VALUES (:id, :day, :orders, :items, :revenue)"
    " ON CONFLICT (day) DO UPDATE SET"
    " orders = catalog_daily_demand.orders + EXCLUDED.orders,"
    " items = catalog_daily_demand.items + EXCLUDED.items,"
    " revenue = catalog_daily_demand.revenue + EXCLUDED.revenue,"
    " updated_at = now() RETURNING id"
)


async def record_demand(ctx: JobContext, event: OrderPlaced) -> None:
    """Count each placed order into the demand of its day."""
    row_id = await ctx.session.scalar(
        RECORD_DEMAND,
        {
            "id": uuid.uuid4(),
            "day": event.order.placed_on,
            "orders": 1,
            "items": event.order.item_count,
            "revenue": event.order.total,
        },
    )
    ctx.after_commit(partial(ctx.resources.cache.delete, f"daily_demand:{row_id}"))
