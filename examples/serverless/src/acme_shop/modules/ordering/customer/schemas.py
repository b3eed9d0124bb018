"""Request and response bodies for customers."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import MISSING, BaseModel, ConfigDict, StringConstraints

from acme_shop.platform.inputs import Text


class CustomerCreate(BaseModel):
    """A new customer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "full_name": "example full name",
                    "phone": "+44 20 7946 0958",
                }
            ]
        },
    )

    email: Annotated[Text, StringConstraints(min_length=1, max_length=320)]
    full_name: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    phone: Annotated[Text, StringConstraints(min_length=1, max_length=40)] | None = None


class CustomerUpdate(BaseModel):
    """Changes to a customer: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "grace@example.com",
                }
            ]
        },
    )

    email: Annotated[Text, StringConstraints(min_length=1, max_length=320)] | MISSING = MISSING
    full_name: Annotated[Text, StringConstraints(min_length=1, max_length=200)] | MISSING = MISSING
    phone: Annotated[Text, StringConstraints(min_length=1, max_length=40)] | MISSING | None = (
        MISSING
    )


class CustomerRead(BaseModel):
    """A stored customer."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",
                    "email": "ada@example.com",
                    "full_name": "example full name",
                    "phone": "+44 20 7946 0958",
                    "created_at": "2026-01-15T10:30:00Z",
                    "updated_at": "2026-01-15T10:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    email: str
    full_name: str
    phone: str | None
    created_at: datetime
    updated_at: datetime
