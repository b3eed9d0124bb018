"""Category use cases."""

from acme_shop.modules.catalog.category.models import Category
from acme_shop.modules.catalog.category.schemas import (
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
)
from acme_shop.platform.crud import CrudService


class CategoryService(CrudService[Category, CategoryCreate, CategoryUpdate, CategoryRead]):
    resource = "category"
    read_schema = CategoryRead
