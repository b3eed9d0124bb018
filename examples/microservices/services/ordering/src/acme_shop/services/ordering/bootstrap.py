"""The ordering service's composition root: its name and the routes it serves."""

from fastapi import APIRouter, Depends

from acme_shop.modules.ordering import api as ordering
from acme_shop.platform.dependencies import enforce_rate_limit

SERVICE_NAME = "acme-shop-ordering"
API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Every versioned route of the service, behind the rate limiter."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(enforce_rate_limit)])
    router.include_router(ordering.router)
    return router
