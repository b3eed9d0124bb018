"""Request and response bodies for orders."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import MISSING, BaseModel, ConfigDict, Field

from acme_shop.modules.ordering.order.models import OrderStatus
from acme_shop.platform.inputs import Date, DecimalString, Integer


class OrderCreate(BaseModel):
    """A new order."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "customer_id": "9b2f6f43-4d6c-4c53-8f65-8f0c1f2b0c11",
                    "placed_on": "2026-01-15",
                    "total": "19.90",
                    "item_count": 7,
                    "status": "pending",
                }
            ]
        },
    )

    customer_id: uuid.UUID
    placed_on: Date
    total: Annotated[
        Decimal,
        Field(max_digits=12, decimal_places=2),
        DecimalString(12, 2),
    ]
    item_count: Integer
    status: OrderStatus


class OrderUpdate(BaseModel):
    """Changes to an order: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "cancelled",
                }
            ]
        },
    )

    customer_id: uuid.UUID | MISSING = MISSING
    placed_on: Date | MISSING = MISSING
    total: (
        Annotated[
            Decimal,
            Field(max_digits=12, decimal_places=2),
            DecimalString(12, 2),
        ]
        | MISSING
    ) = MISSING
    item_count: Integer | MISSING = MISSING
    status: OrderStatus | MISSING = MISSING


class OrderRead(BaseModel):
    """A stored order."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",
                    "customer_id": "9b2f6f43-4d6c-4c53-8f65-8f0c1f2b0c11",
                    "placed_on": "2026-01-15",
                    "total": "19.90",
                    "item_count": 7,
                    "status": "pending",
                    "created_at": "2026-01-15T10:30:00Z",
                    "updated_at": "2026-01-15T10:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    customer_id: uuid.UUID
    placed_on: date
    total: Decimal
    item_count: int
    status: OrderStatus
    created_at: datetime
    updated_at: datetime
