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
                    "id": "3f0c8a52-6d4e-4b8f-a1c2-5e6f7a8b9c0d",
                    "customer_id": "8b2f6a4e-3c1d-4f5e-9a7b-0c1d2e3f4a5b",
                    "placed_on": "2026-01-01",
                    "total": "1.00",
                    "item_count": 1,
                    "status": "pending",
                    "created_at": "2026-01-01T00:00:00Z",
                    "updated_at": "2026-01-01T00:00:00Z",
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
