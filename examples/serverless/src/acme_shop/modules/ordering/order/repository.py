"""Loading and storing orders."""

from acme_shop.modules.ordering.order.models import Order
from acme_shop.platform.crud import SqlRepository


class OrderRepository(SqlRepository[Order]):
    model = Order
