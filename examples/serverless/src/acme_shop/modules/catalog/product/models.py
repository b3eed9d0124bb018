"""The catalog_products table."""

import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Entity, string_enum


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class Product(Entity):
    """Something the shop sells."""

    __tablename__ = "catalog_products"
    # Keyset pagination walks (created_at, id); this index makes every page an index scan.
    __table_args__ = (Index("ix_catalog_products_created_at_id", "created_at", "id"),)

    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    in_stock: Mapped[bool]
    status: Mapped[ProductStatus] = mapped_column(string_enum(ProductStatus))
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="RESTRICT"), index=True
    )
