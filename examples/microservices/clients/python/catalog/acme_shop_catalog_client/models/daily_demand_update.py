from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DailyDemandUpdate")


@_attrs_define
class DailyDemandUpdate:
    """Changes to a daily demand: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.

        Attributes:
            day (datetime.date | Unset):
            orders (int | Unset):
            items (int | Unset):
            revenue (str | Unset):
    """

    day: datetime.date | Unset = UNSET
    orders: int | Unset = UNSET
    items: int | Unset = UNSET
    revenue: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        day: str | Unset = UNSET
        if not isinstance(self.day, Unset):
            day = self.day.isoformat()

        orders = self.orders

        items = self.items

        revenue = self.revenue

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if day is not UNSET:
            field_dict["day"] = day
        if orders is not UNSET:
            field_dict["orders"] = orders
        if items is not UNSET:
            field_dict["items"] = items
        if revenue is not UNSET:
            field_dict["revenue"] = revenue

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _day = d.pop("day", UNSET)
        day: datetime.date | Unset
        if isinstance(_day, Unset):
            day = UNSET
        else:
            day = datetime.date.fromisoformat(_day)

        orders = d.pop("orders", UNSET)

        items = d.pop("items", UNSET)

        revenue = d.pop("revenue", UNSET)

        daily_demand_update = cls(
            day=day,
            orders=orders,
            items=items,
            revenue=revenue,
        )

        return daily_demand_update
