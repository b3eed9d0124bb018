"""Public facade of the ordering module: the only names the app and other modules import."""

from acme_shop.modules.ordering.events import OrderPlaced
from acme_shop.modules.ordering.router import router

__all__ = [
    "OrderPlaced",
    "router",
]
