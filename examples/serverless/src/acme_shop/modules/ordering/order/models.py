"""The ordering_orders table."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Entity, string_enum


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class Order(Entity):
    """A customer's request to buy products."""

    __tablename__ = "ordering_orders"
    # Keyset pagination walks (created_at, id); this index makes every page an index scan.
    __table_args__ = (Index("ix_ordering_orders_created_at_id", "created_at", "id"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ordering_customers.id", ondelete="RESTRICT"), index=True
    )
    placed_on: Mapped[date]
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    item_count: Mapped[int]
    status: Mapped[OrderStatus] = mapped_column(string_enum(OrderStatus))
