"""Wires the customer service into requests."""

from typing import Annotated

from fastapi import Depends

from acme_shop.modules.ordering.customer.repository import CustomerRepository
from acme_shop.modules.ordering.customer.service import CustomerService
from acme_shop.platform.dependencies import ResourcesDep, SessionDep


async def get_customer_service(session: SessionDep, resources: ResourcesDep) -> CustomerService:
    return CustomerService(
        session,
        CustomerRepository(session),
        events=resources.events,
        cache=resources.cache,
    )


CustomerServiceDep = Annotated[CustomerService, Depends(get_customer_service)]
