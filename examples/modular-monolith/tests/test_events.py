"""Events between modules: each is applied once per consumer, even when delivered again."""

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from acme_shop.modules.ordering.api import OrderPlaced
from acme_shop.modules.ordering.order.schemas import OrderRead
from acme_shop.platform.events import ProcessedEvent
from acme_shop.platform.resources import Resources
from tests.factories import create_order
from tests.support import Auth


async def processed(app: FastAPI, event_name: str) -> list[tuple[Any, ...]]:
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        rows = await session.execute(
            select(ProcessedEvent.consumer, func.count())
            .where(ProcessedEvent.event_name == event_name)
            .group_by(ProcessedEvent.consumer)
            .order_by(ProcessedEvent.consumer)
        )
        return [tuple(row) for row in rows]


async def test_order_placed_is_applied_once_by_each_consumer(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    await create_order(client, auth, 1)
    expected = [("catalog", 1)]
    assert await processed(app, "OrderPlaced") == expected


async def test_order_placed_delivered_twice_is_applied_once(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    resources: Resources = app.state.resources
    order = await create_order(client, auth, 1)
    event = OrderPlaced(order=OrderRead.model_validate(order))
    await resources.events.publish(event)
    await resources.events.publish(event)
    expected = [("catalog", 2)]
    assert await processed(app, "OrderPlaced") == expected
