"""Product use cases."""

from acme_shop.modules.catalog.product.models import Product
from acme_shop.modules.catalog.product.schemas import (
    ProductCreate,
    ProductRead,
    ProductUpdate,
)
from acme_shop.platform.crud import CrudService


class ProductService(CrudService[Product, ProductCreate, ProductUpdate, ProductRead]):
    resource = "product"
    read_schema = ProductRead
