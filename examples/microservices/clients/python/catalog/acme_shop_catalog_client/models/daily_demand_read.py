from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DailyDemandRead")


@_attrs_define
class DailyDemandRead:
    """A stored daily demand.

    Attributes:
        id (UUID):
        day (datetime.date):
        orders (int):
        items (int):
        revenue (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    day: datetime.date
    orders: int
    items: int
    revenue: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        day = self.day.isoformat()

        orders = self.orders

        items = self.items

        revenue = self.revenue

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "day": day,
                "orders": orders,
                "items": items,
                "revenue": revenue,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        day = datetime.date.fromisoformat(d.pop("day"))

        orders = d.pop("orders")

        items = d.pop("items")

        revenue = d.pop("revenue")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        daily_demand_read = cls(
            id=id,
            day=day,
            orders=orders,
            items=items,
            revenue=revenue,
            created_at=created_at,
            updated_at=updated_at,
        )

        daily_demand_read.additional_properties = d
        return daily_demand_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
