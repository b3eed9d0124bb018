"""The catalog_categories table."""

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Entity


class Category(Entity):
    """A shelf of the shop that groups related products."""

    __tablename__ = "catalog_categories"
    # Keyset pagination walks (created_at, id); this index makes every page an index scan.
    __table_args__ = (Index("ix_catalog_categories_created_at_id", "created_at", "id"),)

    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text())
