"""Request and response bodies for categories."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import MISSING, BaseModel, ConfigDict, StringConstraints

from acme_shop.platform.inputs import Text


class CategoryCreate(BaseModel):
    """A new category."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "example name",
                    "description": "example description",
                }
            ]
        },
    )

    name: Annotated[Text, StringConstraints(min_length=1, max_length=100)]
    description: Text | None = None


class CategoryUpdate(BaseModel):
    """Changes to a category: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "changed name",
                }
            ]
        },
    )

    name: Annotated[Text, StringConstraints(min_length=1, max_length=100)] | MISSING = MISSING
    description: Text | MISSING | None = MISSING


class CategoryRead(BaseModel):
    """A stored category."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",
                    "name": "example name",
                    "description": "example description",
                    "created_at": "2026-01-15T10:30:00Z",
                    "updated_at": "2026-01-15T10:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
