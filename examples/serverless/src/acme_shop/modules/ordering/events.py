"""Events the ordering module publishes for other modules."""

from acme_shop.modules.ordering.order.schemas import OrderRead
from acme_shop.platform.events import DomainEvent


class OrderPlaced(DomainEvent):
    """A customer placed an order; catalog reacts to the demand."""

    order: OrderRead
