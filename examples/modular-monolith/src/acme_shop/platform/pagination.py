"""Cursor (keyset) pagination over (created_at, id): stable pages, no OFFSET scans."""

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Annotated, Generic, NamedTuple, TypeVar

from fastapi import Query
from pydantic import BaseModel, StringConstraints

from acme_shop.platform.problems import ProblemError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# What a cursor looks like: URL-safe base64 without padding, and never longer than this (one
# is about 100 characters). The document says so, and the server refuses anything else.
CURSOR_PATTERN = "^[A-Za-z0-9_-]+$"
CURSOR_MAX_LENGTH = 128


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
            cursor = cls(datetime.fromisoformat(created_at), uuid.UUID(key))
            if cursor.created_at.tzinfo is None:
                raise ValueError("the cursor's time has no time zone")
            return cursor
        except (binascii.Error, ValueError, TypeError) as error:
            raise ProblemError(
                400, "The cursor is not valid; use next_cursor as returned"
            ) from error


CursorToken = Annotated[
    str, StringConstraints(pattern=CURSOR_PATTERN, max_length=CURSOR_MAX_LENGTH)
]


ItemT = TypeVar("ItemT", bound=BaseModel)


class Page(BaseModel, Generic[ItemT]):
    """One page of results and the cursor of the next one (null on the last page)."""

    items: list[ItemT]
    next_cursor: CursorToken | None


CursorQuery = Annotated[
    str | None,
    Query(
        description="next_cursor of the previous page, as it came (an opaque token); omit for "
        "the first page",
        pattern=CURSOR_PATTERN,
        max_length=CURSOR_MAX_LENGTH,
    ),
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
