"""Public facade of the catalog module: the only names the app and other modules import."""

from acme_shop.modules.catalog.handlers import subscribe
from acme_shop.modules.catalog.jobs.specs import register as register_jobs
from acme_shop.modules.catalog.router import router

__all__ = [
    "register_jobs",
    "router",
    "subscribe",
]
