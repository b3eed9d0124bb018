"""Public facade of the ordering module: the only names the app and other modules import."""

from acme_shop.modules.ordering.jobs.specs import register as register_jobs
from acme_shop.modules.ordering.router import router

__all__ = [
    "register_jobs",
    "router",
]
