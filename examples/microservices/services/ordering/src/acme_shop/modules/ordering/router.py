"""HTTP routes of the ordering module, mounted under /api/v1/ordering.

The app includes each of ``ROUTERS`` itself, under its full prefix, rather than a router of
these routers: FastAPI matches a request by walking every router an included router includes,
so each level of nesting costs every request time.
"""

from fastapi import APIRouter

from acme_shop.modules.ordering.customer.routes import router as customer_router
from acme_shop.modules.ordering.jobs.routes import router as jobs_router
from acme_shop.modules.ordering.order.routes import router as order_router

PREFIX = "/ordering"
ROUTERS: tuple[APIRouter, ...] = (
    customer_router,
    order_router,
    jobs_router,
)
