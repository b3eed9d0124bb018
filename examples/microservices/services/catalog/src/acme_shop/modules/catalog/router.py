"""HTTP routes of the catalog module, mounted under /api/v1/catalog.

The app includes each of ``ROUTERS`` itself, under its full prefix, rather than a router of
these routers: FastAPI matches a request by walking every router an included router includes,
so each level of nesting costs every request time.
"""

from fastapi import APIRouter

from acme_shop.modules.catalog.category.routes import router as category_router
from acme_shop.modules.catalog.daily_demand.routes import router as daily_demand_router
from acme_shop.modules.catalog.jobs.routes import router as jobs_router
from acme_shop.modules.catalog.product.routes import router as product_router

PREFIX = "/catalog"
ROUTERS: tuple[APIRouter, ...] = (
    category_router,
    product_router,
    daily_demand_router,
    jobs_router,
)
