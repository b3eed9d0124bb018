"""Events the ordering service publishes: the contract between it and its consumers.

Change them compatibly (add optional fields); an incompatible change is a new event. Personal
data stays in its service: fields marked ``pii`` are never part of an event.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from acme_shop.platform.events import DomainEvent

EXCHANGE = "acme_shop.ordering"


class Order(BaseModel):
    """An order as the ordering service announces it."""

    model_config = ConfigDict(
        frozen=True,
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
    status: Literal["pending", "paid", "shipped", "cancelled"]
    created_at: datetime
    updated_at: datetime


class OrderPlaced(DomainEvent):
    """A customer placed an order; catalog reacts to the demand."""

    exchange: ClassVar[str] = EXCHANGE
    routing_key: ClassVar[str] = "ordering.order_placed"

    order: Order
