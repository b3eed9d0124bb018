"""Loading and storing categories."""

from acme_shop.modules.catalog.category.models import Category
from acme_shop.platform.crud import SqlRepository


class CategoryRepository(SqlRepository[Category]):
    model = Category
