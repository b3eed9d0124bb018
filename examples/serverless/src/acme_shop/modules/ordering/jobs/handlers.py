"""What the ordering module's jobs do.

Each handler runs in a transaction that commits with the job's success, fenced on the run that
claimed it, so what it writes lands once however often the job runs. Handlers must not block
the event loop (it also runs the worker's heartbeat): run CPU-heavy work with
``asyncio.to_thread``.
"""

from datetime import date, timedelta
from functools import partial

from sqlalchemy import func, select, text

from acme_shop.modules.ordering.jobs.schemas import (
    CancelAbandonedOrdersPayload,
    ExportOrdersPayload,
)
from acme_shop.modules.ordering.order.models import Order
from acme_shop.platform.jobs import Continue, JobContext, JobResult
from acme_shop.platform.jobs.export import ExportCursor, csv_part

EXPORT_ORDERS_COLUMNS = (
    "id",
    "customer_id",
    "placed_on",
    "total",
    "item_count",
    "status",
    "created_at",
    "updated_at",
)


async def export_orders(ctx: JobContext, payload: ExportOrdersPayload) -> JobResult | Continue:
    """Orders as a CSV file, filtered by status and placing date."""
    query = select(Order)
    if payload.status is not None:
        query = query.where(Order.status == payload.status)
    if payload.placed_on_from is not None:
        query = query.where(Order.placed_on >= payload.placed_on_from)
    if payload.placed_on_to is not None:
        query = query.where(Order.placed_on <= payload.placed_on_to)
    if ctx.checkpoint:
        cursor = ExportCursor.model_validate(ctx.checkpoint)
    else:
        total = await ctx.session.scalar(select(func.count()).select_from(query.subquery()))
        cursor = ExportCursor(total=total or 0)
        # The header comes first even when no row matches.
        await ctx.write_part(0, csv_part([], EXPORT_ORDERS_COLUMNS, header=True))
    while rows := (await ctx.session.scalars(cursor.page(query, Order))).all():
        await ctx.write_part(cursor.part + 1, csv_part(rows, EXPORT_ORDERS_COLUMNS, header=False))
        cursor = cursor.advanced(rows)
        await ctx.commit_step(cursor.model_dump(mode="json"), progress=cursor.progress)
        if ctx.should_yield():
            return Continue(cursor.model_dump(mode="json"))
    return JobResult(
        summary={"rows": cursor.rows},
        media_type="text/csv",
        filename=f"orders-{ctx.started_on:%Y%m%d}.csv",
    )


# One batch of old rows; SKIP LOCKED leaves rows a request is changing for the next run.
CANCEL_ABANDONED_ORDERS_BATCH = text(
    "UPDATE ordering_orders SET status = :set_status, updated_at = now()"
    " WHERE id IN (SELECT id FROM ordering_orders"
    " WHERE status = :where_status AND placed_on < :cutoff"
    " ORDER BY placed_on, id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING id"
)
CANCEL_ABANDONED_ORDERS_BATCH_SIZE = 500


async def cancel_abandoned_orders(
    ctx: JobContext, payload: CancelAbandonedOrdersPayload
) -> JobResult | Continue:
    """Cancel orders left pending for longer than a month."""
    # The cutoff is fixed by the first run, so a resumed run works on the same rows.
    state = ctx.checkpoint or {
        "cutoff": (ctx.started_on - timedelta(days=payload.older_than_days)).isoformat(),
        "changed": 0,
    }
    cutoff = date.fromisoformat(state["cutoff"])
    parameters = {
        "cutoff": cutoff,
        "limit": CANCEL_ABANDONED_ORDERS_BATCH_SIZE,
        "where_status": "pending",
        "set_status": "cancelled",
    }
    while ids := list((await ctx.session.scalars(CANCEL_ABANDONED_ORDERS_BATCH, parameters)).all()):
        for changed in ids:  # forget the cached copies once the change is committed
            ctx.after_commit(partial(ctx.resources.cache.delete, f"order:{changed}"))
        state = {**state, "changed": state["changed"] + len(ids)}
        await ctx.commit_step(state)
        if ctx.should_yield():
            return Continue(state)
    return JobResult(summary={"changed": state["changed"]})
