"""Loading and storing customers."""

from acme_shop.modules.ordering.customer.models import Customer
from acme_shop.platform.crud import SqlRepository


class CustomerRepository(SqlRepository[Customer]):
    model = Customer
