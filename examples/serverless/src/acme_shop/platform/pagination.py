"""Cursor (keyset) pagination over (created_at, id): stable pages, no OFFSET scans."""

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Annotated, Generic, NamedTuple, TypeVar

from fastapi import Query
from pydantic import BaseModel

from acme_shop.platform.problems import ProblemError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Cursor(NamedTuple):
    """The position after which the next page starts."""

    created_at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), str(self.id)]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        try:
            padded = token + "=" * (-len(token) % 4)
            created_at, key = json.loads(base64.urlsafe_b64decode(padded))
            return cls(datetime.fromisoformat(created_at), uuid.UUID(key))
        except (binascii.Error, ValueError, TypeError) as error:
            raise ProblemError(
                400, "The cursor is not valid; use next_cursor as returned"
            ) from error


ItemT = TypeVar("ItemT", bound=BaseModel)


class Page(BaseModel, Generic[ItemT]):
    """One page of results and the cursor of the next one (null on the last page)."""

    items: list[ItemT]
    next_cursor: str | None


CursorQuery = Annotated[
    str | None, Query(description="next_cursor of the previous page; omit for the first page")
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
