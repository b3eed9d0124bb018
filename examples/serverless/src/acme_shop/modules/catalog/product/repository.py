"""Loading and storing products."""

from acme_shop.modules.catalog.product.models import Product
from acme_shop.platform.crud import SqlRepository


class ProductRepository(SqlRepository[Product]):
    model = Product
