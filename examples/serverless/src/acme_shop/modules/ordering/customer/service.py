"""Customer use cases."""

from acme_shop.modules.ordering.customer.models import Customer
from acme_shop.modules.ordering.customer.schemas import (
    CustomerCreate,
    CustomerRead,
    CustomerUpdate,
)
from acme_shop.platform.crud import CrudService


class CustomerService(CrudService[Customer, CustomerCreate, CustomerUpdate, CustomerRead]):
    resource = "customer"
    read_schema = CustomerRead
