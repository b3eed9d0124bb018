from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.product_status import ProductStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProductUpdate")


@_attrs_define
class ProductUpdate:
    """Changes to a product: only the fields present are applied.

    A field left out keeps its value. Only an optional field may be set to null, which clears it.

        Attributes:
            sku (str | Unset):
            name (str | Unset):
            price (str | Unset):
            in_stock (bool | Unset):
            status (ProductStatus | Unset):
            category_id (UUID | Unset):
    """

    sku: str | Unset = UNSET
    name: str | Unset = UNSET
    price: str | Unset = UNSET
    in_stock: bool | Unset = UNSET
    status: ProductStatus | Unset = UNSET
    category_id: UUID | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        name = self.name

        price = self.price

        in_stock = self.in_stock

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        category_id: str | Unset = UNSET
        if not isinstance(self.category_id, Unset):
            category_id = str(self.category_id)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if sku is not UNSET:
            field_dict["sku"] = sku
        if name is not UNSET:
            field_dict["name"] = name
        if price is not UNSET:
            field_dict["price"] = price
        if in_stock is not UNSET:
            field_dict["in_stock"] = in_stock
        if status is not UNSET:
            field_dict["status"] = status
        if category_id is not UNSET:
            field_dict["category_id"] = category_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku", UNSET)

        name = d.pop("name", UNSET)

        price = d.pop("price", UNSET)

        in_stock = d.pop("in_stock", UNSET)

        _status = d.pop("status", UNSET)
        status: ProductStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ProductStatus(_status)

        _category_id = d.pop("category_id", UNSET)
        category_id: UUID | Unset
        if isinstance(_category_id, Unset):
            category_id = UNSET
        else:
            category_id = UUID(_category_id)

        product_update = cls(
            sku=sku,
            name=name,
            price=price,
            in_stock=in_stock,
            status=status,
            category_id=category_id,
        )

        return product_update
