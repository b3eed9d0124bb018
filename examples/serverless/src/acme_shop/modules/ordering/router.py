"""HTTP routes of the ordering module, mounted under /api/v1/ordering."""

from fastapi import APIRouter

from acme_shop.modules.ordering.customer.routes import router as customer_router
from acme_shop.modules.ordering.jobs.routes import router as jobs_router
from acme_shop.modules.ordering.order.routes import router as order_router

router = APIRouter(prefix="/ordering")
router.include_router(customer_router)
router.include_router(order_router)
router.include_router(jobs_router)
