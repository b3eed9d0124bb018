"""Request and response bodies for categories."""

import uuid
from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, StringConstraints

from acme_shop.platform.crud import PartialUpdate


class CategoryCreate(BaseModel):
    """A new category."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    description: str | None = None


class CategoryUpdate(PartialUpdate):
    """Changes to a category: only the fields present are applied."""

    model_config = ConfigDict(extra="forbid")
    required_fields: ClassVar[frozenset[str]] = frozenset({"name"})

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    description: str | None = None


class CategoryRead(BaseModel):
    """A stored category."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
