"""Writing a table as a CSV file, page by page, in a job that can stop and resume anywhere.

Rows are read in (created_at, id) order, a page at a time; each page becomes one part of the
result, committed with a checkpoint saying where the next page starts. A run that is stopped
resumes after the last committed page, and a part written again replaces itself: the file ends
up with every row once.
"""

import csv
import io
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import DateTime, Select, Uuid, literal, tuple_

EXPORT_PAGE = 1000


class ExportCursor(BaseModel):
    """Where an export is: rows written, parts written, and the last row's key."""

    total: int
    rows: int = 0
    part: int = 0
    after: tuple[datetime, uuid.UUID] | None = None

    def page(self, query: Select[Any], model: Any, size: int = EXPORT_PAGE) -> Select[Any]:
        """The next page of ``query`` over ``model``, in (created_at, id) order."""
        order = (model.created_at, model.id)
        page = query.order_by(*order).limit(size)
        if self.after is not None:
            created_at, key = self.after
            after = (literal(created_at, DateTime(timezone=True)), literal(key, Uuid()))
            page = page.where(tuple_(*order) > tuple_(*after))
        return page

    def advanced(self, rows: Sequence[Any]) -> "ExportCursor":
        last = rows[-1]
        return self.model_copy(
            update={
                "rows": self.rows + len(rows),
                "part": self.part + 1,
                "after": (last.created_at, last.id),
            }
        )

    @property
    def progress(self) -> float:
        return self.rows / max(self.total, 1)


def csv_part(rows: Sequence[Any], columns: Sequence[str], *, header: bool) -> bytes:
    """``rows`` as CSV lines of ``columns`` (with the header line first when asked)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(getattr(row, column)) for column in columns])
    return buffer.getvalue().encode()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return getattr(value, "value", value)  # an enum member as its value
