"""Wires the product service into requests."""

from typing import Annotated

from fastapi import Depends

from acme_shop.modules.catalog.product.repository import ProductRepository
from acme_shop.modules.catalog.product.service import ProductService
from acme_shop.platform.dependencies import ResourcesDep, SessionDep


async def get_product_service(session: SessionDep, resources: ResourcesDep) -> ProductService:
    return ProductService(
        session,
        ProductRepository(session),
        events=resources.events,
        cache=resources.cache,
    )


ProductServiceDep = Annotated[ProductService, Depends(get_product_service)]
