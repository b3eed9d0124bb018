"""The API's resources, each after the ones its rows reference, and valid request bodies made
up for them: the seed command and the load test send these.

Unique fields get random values, so runs never collide with each other or with stored rows;
other fields vary with a row number ``n``. A new row's required references name rows created
before it (``references`` maps each such field to the resource it names).
"""

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

Body = dict[str, Any]
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # unique dates and times fall in the century after it


@dataclass(frozen=True)
class Resource:
    """A resource of the API: where it is served and how to make up rows of it."""

    context: str
    name: str
    url: str
    references: Mapping[str, str]
    new: Callable[[int, Mapping[str, str]], Body]
    change: Callable[[int], Body]

    @property
    def item_url(self) -> str:
        """One row's URL, with the id as a placeholder (how the load test names its requests)."""
        return self.url + "/{" + self.name + "_id}"


def unique_text(name: str, length: int) -> str:
    """A random value for a unique text field: the field's name and 48 random bits, or as much
    of them as fits in ``length``."""
    token = secrets.token_hex(6)
    value = f"{name}-{token}"
    return value if len(value) <= length else token[:length]


def new_category(n: int, references: Mapping[str, str]) -> Body:
    """A valid body to create a category."""
    return {
        "name": unique_text("name", 100),
        "description": f"description number {n}",
    }


def change_category(n: int) -> Body:
    """A valid body to change a category."""
    return {"description": f"description number {n}"}


def new_product(n: int, references: Mapping[str, str]) -> Body:
    """A valid body to create a product."""
    return {
        "sku": unique_text("sku", 32),
        "name": f"name {n}"[:200],
        "price": f"{n % 100000000}.00",
        "in_stock": n % 2 == 0,
        "status": ["draft", "active", "retired"][n % 3],
        "category_id": references["category_id"],
    }


def change_product(n: int) -> Body:
    """A valid body to change a product."""
    return {"name": f"name {n}"[:200]}


def new_daily_demand(n: int, references: Mapping[str, str]) -> Body:
    """A valid body to create a daily demand."""
    return {
        "day": (EPOCH + timedelta(days=secrets.randbelow(36_500))).date().isoformat(),
        "orders": n,
        "items": n,
        "revenue": f"{n % 1000000000000}.00",
    }


def change_daily_demand(n: int) -> Body:
    """A valid body to change a daily demand."""
    return {"orders": n}


def new_customer(n: int, references: Mapping[str, str]) -> Body:
    """A valid body to create a customer."""
    return {
        "email": f"user-{secrets.token_hex(6)}@example.com",
        "full_name": f"full name {n}"[:200],
        "phone": f"phone {n}"[:40],
    }


def change_customer(n: int) -> Body:
    """A valid body to change a customer."""
    return {"full_name": f"full name {n}"[:200]}


def new_order(n: int, references: Mapping[str, str]) -> Body:
    """A valid body to create an order."""
    return {
        "customer_id": references["customer_id"],
        "placed_on": f"2026-01-{n % 28 + 1:02d}",
        "total": f"{n % 10000000000}.00",
        "item_count": n,
        "status": ["pending", "paid", "shipped", "cancelled"][n % 4],
    }


def change_order(n: int) -> Body:
    """A valid body to change an order."""
    return {"placed_on": f"2026-01-{n % 28 + 1:02d}"}


RESOURCES = (
    Resource(
        context="catalog",
        name="category",
        url="/api/v1/catalog/categories",
        references={},
        new=new_category,
        change=change_category,
    ),
    Resource(
        context="catalog",
        name="product",
        url="/api/v1/catalog/products",
        references={
            "category_id": "category",
        },
        new=new_product,
        change=change_product,
    ),
    Resource(
        context="catalog",
        name="daily_demand",
        url="/api/v1/catalog/daily-demand",
        references={},
        new=new_daily_demand,
        change=change_daily_demand,
    ),
    Resource(
        context="ordering",
        name="customer",
        url="/api/v1/ordering/customers",
        references={},
        new=new_customer,
        change=change_customer,
    ),
    Resource(
        context="ordering",
        name="order",
        url="/api/v1/ordering/orders",
        references={
            "customer_id": "customer",
        },
        new=new_order,
        change=change_order,
    ),
)
