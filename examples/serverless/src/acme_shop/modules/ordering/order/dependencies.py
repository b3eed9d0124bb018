"""Wires the order service into requests."""

from typing import Annotated

from fastapi import Depends

from acme_shop.modules.ordering.order.repository import OrderRepository
from acme_shop.modules.ordering.order.service import OrderService
from acme_shop.platform.dependencies import ResourcesDep, SessionDep


async def get_order_service(session: SessionDep, resources: ResourcesDep) -> OrderService:
    return OrderService(
        session,
        OrderRepository(session),
        events=resources.events,
        cache=resources.cache,
    )


OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
