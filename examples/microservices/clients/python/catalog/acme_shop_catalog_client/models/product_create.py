from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.product_status import ProductStatus

T = TypeVar("T", bound="ProductCreate")


@_attrs_define
class ProductCreate:
    """A new product.

    Attributes:
        sku (str):
        name (str):
        price (str):
        in_stock (bool):
        status (ProductStatus):
        category_id (UUID):
    """

    sku: str
    name: str
    price: str
    in_stock: bool
    status: ProductStatus
    category_id: UUID

    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        name = self.name

        price = self.price

        in_stock = self.in_stock

        status = self.status.value

        category_id = str(self.category_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sku": sku,
                "name": name,
                "price": price,
                "in_stock": in_stock,
                "status": status,
                "category_id": category_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        name = d.pop("name")

        price = d.pop("price")

        in_stock = d.pop("in_stock")

        status = ProductStatus(d.pop("status"))

        category_id = UUID(d.pop("category_id"))

        product_create = cls(
            sku=sku,
            name=name,
            price=price,
            in_stock=in_stock,
            status=status,
            category_id=category_id,
        )

        return product_create
