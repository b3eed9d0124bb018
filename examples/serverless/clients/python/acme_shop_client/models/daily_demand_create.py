from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DailyDemandCreate")


@_attrs_define
class DailyDemandCreate:
    """A new daily demand.

    Attributes:
        day (datetime.date):
        orders (int):
        items (int):
        revenue (str):
    """

    day: datetime.date
    orders: int
    items: int
    revenue: str

    def to_dict(self) -> dict[str, Any]:
        day = self.day.isoformat()

        orders = self.orders

        items = self.items

        revenue = self.revenue

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "day": day,
                "orders": orders,
                "items": items,
                "revenue": revenue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = datetime.date.fromisoformat(d.pop("day"))

        orders = d.pop("orders")

        items = d.pop("items")

        revenue = d.pop("revenue")

        daily_demand_create = cls(
            day=day,
            orders=orders,
            items=items,
            revenue=revenue,
        )

        return daily_demand_create
