"""The ordering_customers table."""

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Entity


class Customer(Entity):
    """A person who buys from the shop."""

    __tablename__ = "ordering_customers"
    # Keyset pagination walks (created_at, id); this index makes every page an index scan.
    __table_args__ = (Index("ix_ordering_customers_created_at_id", "created_at", "id"),)

    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
