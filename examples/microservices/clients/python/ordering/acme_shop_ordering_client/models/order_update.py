from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.order_status import OrderStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderUpdate")


@_attrs_define
class OrderUpdate:
    """Changes to an order: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.

        Attributes:
            customer_id (UUID | Unset):
            placed_on (datetime.date | Unset):
            total (str | Unset):
            item_count (int | Unset):
            status (OrderStatus | Unset):
    """

    customer_id: UUID | Unset = UNSET
    placed_on: datetime.date | Unset = UNSET
    total: str | Unset = UNSET
    item_count: int | Unset = UNSET
    status: OrderStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_id: str | Unset = UNSET
        if not isinstance(self.customer_id, Unset):
            customer_id = str(self.customer_id)

        placed_on: str | Unset = UNSET
        if not isinstance(self.placed_on, Unset):
            placed_on = self.placed_on.isoformat()

        total = self.total

        item_count = self.item_count

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if placed_on is not UNSET:
            field_dict["placed_on"] = placed_on
        if total is not UNSET:
            field_dict["total"] = total
        if item_count is not UNSET:
            field_dict["item_count"] = item_count
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _customer_id = d.pop("customer_id", UNSET)
        customer_id: UUID | Unset
        if isinstance(_customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = UUID(_customer_id)

        _placed_on = d.pop("placed_on", UNSET)
        placed_on: datetime.date | Unset
        if isinstance(_placed_on, Unset):
            placed_on = UNSET
        else:
            placed_on = datetime.date.fromisoformat(_placed_on)

        total = d.pop("total", UNSET)

        item_count = d.pop("item_count", UNSET)

        _status = d.pop("status", UNSET)
        status: OrderStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = OrderStatus(_status)

        order_update = cls(
            customer_id=customer_id,
            placed_on=placed_on,
            total=total,
            item_count=item_count,
            status=status,
        )

        return order_update
