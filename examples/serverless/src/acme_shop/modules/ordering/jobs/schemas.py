"""The payloads the ordering module's jobs take (an event job's is its event).

Their fields take exactly the JSON types the document gives, as request bodies do
(``platform/inputs.py``): a number is not a date, ``1`` is not a boolean.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from acme_shop.platform.inputs import Date, Integer


class ExportOrdersPayload(BaseModel):
    """What ordering.export_orders works on: every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    status: Literal["pending", "paid", "shipped", "cancelled"] | None = None
    placed_on_from: Date | None = None
    placed_on_to: Date | None = None


class CancelAbandonedOrdersPayload(BaseModel):
    """What ordering.cancel_abandoned_orders works on: every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    older_than_days: Integer = 30
