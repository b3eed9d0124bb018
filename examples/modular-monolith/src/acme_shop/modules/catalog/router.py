"""HTTP routes of the catalog module, mounted under /api/v1/catalog."""

from fastapi import APIRouter

from acme_shop.modules.catalog.category.routes import router as category_router
from acme_shop.modules.catalog.daily_demand.routes import router as daily_demand_router
from acme_shop.modules.catalog.jobs.routes import router as jobs_router
from acme_shop.modules.catalog.product.routes import router as product_router

router = APIRouter(prefix="/catalog")
router.include_router(category_router)
router.include_router(product_router)
router.include_router(daily_demand_router)
router.include_router(jobs_router)
