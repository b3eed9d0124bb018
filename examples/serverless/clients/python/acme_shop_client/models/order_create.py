from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.order_status import OrderStatus

T = TypeVar("T", bound="OrderCreate")


@_attrs_define
class OrderCreate:
    """A new order.

    Attributes:
        customer_id (UUID):
        placed_on (datetime.date):
        total (str):
        item_count (int):
        status (OrderStatus):
    """

    customer_id: UUID
    placed_on: datetime.date
    total: str
    item_count: int
    status: OrderStatus

    def to_dict(self) -> dict[str, Any]:
        customer_id = str(self.customer_id)

        placed_on = self.placed_on.isoformat()

        total = self.total

        item_count = self.item_count

        status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "placed_on": placed_on,
                "total": total,
                "item_count": item_count,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = UUID(d.pop("customer_id"))

        placed_on = datetime.date.fromisoformat(d.pop("placed_on"))

        total = d.pop("total")

        item_count = d.pop("item_count")

        status = OrderStatus(d.pop("status"))

        order_create = cls(
            customer_id=customer_id,
            placed_on=placed_on,
            total=total,
            item_count=item_count,
            status=status,
        )

        return order_create
