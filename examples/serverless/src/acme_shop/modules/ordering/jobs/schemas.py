"""The payloads the ordering module's jobs take (an event job's is its event)."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict


class ExportOrdersPayload(BaseModel):
    """What ordering.export_orders works on: every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    status: Literal["pending", "paid", "shipped", "cancelled"] | None = None
    placed_on_from: date | None = None
    placed_on_to: date | None = None


class CancelAbandonedOrdersPayload(BaseModel):
    """What ordering.cancel_abandoned_orders works on: every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    older_than_days: int = 30
