"""Order use cases."""

from acme_shop.modules.ordering.events import OrderPlaced
from acme_shop.modules.ordering.order.models import Order
from acme_shop.modules.ordering.order.schemas import (
    OrderCreate,
    OrderRead,
    OrderUpdate,
)
from acme_shop.platform.crud import CrudService
from acme_shop.platform.events import DomainEvent


class OrderService(CrudService[Order, OrderCreate, OrderUpdate, OrderRead]):
    resource = "order"
    read_schema = OrderRead

    def created_events(self, created: OrderRead) -> list[DomainEvent]:
        return [OrderPlaced(order=created)]
