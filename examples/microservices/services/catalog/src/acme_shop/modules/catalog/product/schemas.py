"""Request and response bodies for products."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import MISSING, BaseModel, ConfigDict, Field, StringConstraints

from acme_shop.modules.catalog.product.models import ProductStatus
from acme_shop.platform.inputs import Boolean, DecimalString, Text


class ProductCreate(BaseModel):
    """A new product."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "example sku",
                    "name": "example name",
                    "price": "19.90",
                    "in_stock": True,
                    "status": "draft",
                    "category_id": "9b2f6f43-4d6c-4c53-8f65-8f0c1f2b0c11",
                }
            ]
        },
    )

    sku: Annotated[Text, StringConstraints(min_length=1, max_length=32)]
    name: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    price: Annotated[
        Decimal,
        Field(max_digits=10, decimal_places=2),
        DecimalString(10, 2),
    ]
    in_stock: Boolean
    status: ProductStatus
    category_id: uuid.UUID


class ProductUpdate(BaseModel):
    """Changes to a product: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "retired",
                }
            ]
        },
    )

    sku: Annotated[Text, StringConstraints(min_length=1, max_length=32)] | MISSING = MISSING
    name: Annotated[Text, StringConstraints(min_length=1, max_length=200)] | MISSING = MISSING
    price: (
        Annotated[
            Decimal,
            Field(max_digits=10, decimal_places=2),
            DecimalString(10, 2),
        ]
        | MISSING
    ) = MISSING
    in_stock: Boolean | MISSING = MISSING
    status: ProductStatus | MISSING = MISSING
    category_id: uuid.UUID | MISSING = MISSING


class ProductRead(BaseModel):
    """A stored product."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",
                    "sku": "example sku",
                    "name": "example name",
                    "price": "19.90",
                    "in_stock": True,
                    "status": "draft",
                    "category_id": "9b2f6f43-4d6c-4c53-8f65-8f0c1f2b0c11",
                    "created_at": "2026-01-15T10:30:00Z",
                    "updated_at": "2026-01-15T10:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    sku: str
    name: str
    price: Decimal
    in_stock: bool
    status: ProductStatus
    category_id: uuid.UUID
    created_at: datetime
    updated_at: datetime
