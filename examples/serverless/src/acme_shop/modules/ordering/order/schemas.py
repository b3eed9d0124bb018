"""Request and response bodies for orders."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from acme_shop.modules.ordering.order.models import OrderStatus
from acme_shop.platform.crud import PartialUpdate


class OrderCreate(BaseModel):
    """A new order."""

    model_config = ConfigDict(extra="forbid")

    customer_id: uuid.UUID
    placed_on: date
    total: Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
    item_count: int
    status: OrderStatus


class OrderUpdate(PartialUpdate):
    """Changes to a order: only the fields present are applied."""

    model_config = ConfigDict(extra="forbid")
    required_fields: ClassVar[frozenset[str]] = frozenset(
        {"customer_id", "placed_on", "total", "item_count", "status"}
    )

    customer_id: uuid.UUID | None = None
    placed_on: date | None = None
    total: Annotated[Decimal, Field(max_digits=12, decimal_places=2)] | None = None
    item_count: int | None = None
    status: OrderStatus | None = None


class OrderRead(BaseModel):
    """A stored order."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_id: uuid.UUID
    placed_on: date
    total: Decimal
    item_count: int
    status: OrderStatus
    created_at: datetime
    updated_at: datetime
