"""Request and response bodies for daily demand."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import MISSING, BaseModel, ConfigDict, Field

from acme_shop.platform.inputs import Date, DecimalString, Integer


class DailyDemandCreate(BaseModel):
    """A new daily demand."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "day": "2026-01-15",
                    "orders": 7,
                    "items": 7,
                    "revenue": "19.90",
                }
            ]
        },
    )

    day: Date
    orders: Integer
    items: Integer
    revenue: Annotated[
        Decimal,
        Field(max_digits=14, decimal_places=2),
        DecimalString(14, 2),
    ]


class DailyDemandUpdate(BaseModel):
    """Changes to a daily demand: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "day": "2026-02-01",
                }
            ]
        },
    )

    day: Date | MISSING = MISSING
    orders: Integer | MISSING = MISSING
    items: Integer | MISSING = MISSING
    revenue: (
        Annotated[
            Decimal,
            Field(max_digits=14, decimal_places=2),
            DecimalString(14, 2),
        ]
        | MISSING
    ) = MISSING


class DailyDemandRead(BaseModel):
    """A stored daily demand."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",
                    "day": "2026-01-15",
                    "orders": 7,
                    "items": 7,
                    "revenue": "19.90",
                    "created_at": "2026-01-15T10:30:00Z",
                    "updated_at": "2026-01-15T10:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    day: date
    orders: int
    items: int
    revenue: Decimal
    created_at: datetime
    updated_at: datetime
