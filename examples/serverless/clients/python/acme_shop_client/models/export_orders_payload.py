from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.export_orders_payload_status_type_0 import ExportOrdersPayloadStatusType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportOrdersPayload")


@_attrs_define
class ExportOrdersPayload:
    """What ordering.export_orders works on: every field is optional.

    Attributes:
        status (ExportOrdersPayloadStatusType0 | None | Unset):
        placed_on_from (datetime.date | None | Unset):
        placed_on_to (datetime.date | None | Unset):
    """

    status: ExportOrdersPayloadStatusType0 | None | Unset = UNSET
    placed_on_from: datetime.date | None | Unset = UNSET
    placed_on_to: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, ExportOrdersPayloadStatusType0):
            status = self.status.value
        else:
            status = self.status

        placed_on_from: None | str | Unset
        if isinstance(self.placed_on_from, Unset):
            placed_on_from = UNSET
        elif isinstance(self.placed_on_from, datetime.date):
            placed_on_from = self.placed_on_from.isoformat()
        else:
            placed_on_from = self.placed_on_from

        placed_on_to: None | str | Unset
        if isinstance(self.placed_on_to, Unset):
            placed_on_to = UNSET
        elif isinstance(self.placed_on_to, datetime.date):
            placed_on_to = self.placed_on_to.isoformat()
        else:
            placed_on_to = self.placed_on_to

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if placed_on_from is not UNSET:
            field_dict["placed_on_from"] = placed_on_from
        if placed_on_to is not UNSET:
            field_dict["placed_on_to"] = placed_on_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_status(data: object) -> ExportOrdersPayloadStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = ExportOrdersPayloadStatusType0(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExportOrdersPayloadStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_placed_on_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                placed_on_from_type_0 = datetime.date.fromisoformat(data)

                return placed_on_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        placed_on_from = _parse_placed_on_from(d.pop("placed_on_from", UNSET))

        def _parse_placed_on_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                placed_on_to_type_0 = datetime.date.fromisoformat(data)

                return placed_on_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        placed_on_to = _parse_placed_on_to(d.pop("placed_on_to", UNSET))

        export_orders_payload = cls(
            status=status,
            placed_on_from=placed_on_from,
            placed_on_to=placed_on_to,
        )

        return export_orders_payload
