"""Wires the category service into requests."""

from typing import Annotated

from fastapi import Depends

from acme_shop.modules.catalog.category.repository import CategoryRepository
from acme_shop.modules.catalog.category.service import CategoryService
from acme_shop.platform.dependencies import ResourcesDep, SessionDep


async def get_category_service(session: SessionDep, resources: ResourcesDep) -> CategoryService:
    return CategoryService(
        session,
        CategoryRepository(session),
        events=resources.events,
        cache=resources.cache,
    )


CategoryServiceDep = Annotated[CategoryService, Depends(get_category_service)]
