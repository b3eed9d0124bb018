"""The catalog_daily_demand table."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, Numeric
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Entity


class DailyDemand(Entity):
    """Orders placed per day, as the catalog sees the demand."""

    __tablename__ = "catalog_daily_demand"
    # Keyset pagination walks (created_at, id); this index makes every page an index scan.
    __table_args__ = (Index("ix_catalog_daily_demand_created_at_id", "created_at", "id"),)

    day: Mapped[date] = mapped_column(unique=True)
    orders: Mapped[int]
    items: Mapped[int]
    revenue: Mapped[Decimal] = mapped_column(Numeric(14, 2))
