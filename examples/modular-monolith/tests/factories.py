"""Valid request bodies for every resource, and helpers that create them through the API.

``n`` makes values distinct, so unique columns never collide within a test.
"""

from typing import Any

import httpx

from tests.support import Auth


async def create(
    client: httpx.AsyncClient, auth: Auth, url: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=auth.editor)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


CATEGORY_URL = "/api/v1/catalog/categories"


async def category_body(client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
    """A valid body for POST CATEGORY_URL; creates the rows it references."""
    return {
        "name": f"name-{n}"[:100],
        "description": f"description number {n}",
    }


async def create_category(client: httpx.AsyncClient, auth: Auth, n: int = 0) -> dict[str, Any]:
    return await create(client, auth, CATEGORY_URL, await category_body(client, auth, n))


PRODUCT_URL = "/api/v1/catalog/products"


async def product_body(client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
    """A valid body for POST PRODUCT_URL; creates the rows it references."""
    category_id = await create_category(client, auth, n)
    return {
        "sku": f"sku-{n}"[:32],
        "name": f"name-{n}"[:200],
        "price": f"{n % 100000000}.00",
        "in_stock": n % 2 == 0,
        "status": ["draft", "active", "retired"][n % 3],
        "category_id": category_id["id"],
    }


async def create_product(client: httpx.AsyncClient, auth: Auth, n: int = 0) -> dict[str, Any]:
    return await create(client, auth, PRODUCT_URL, await product_body(client, auth, n))


DAILY_DEMAND_URL = "/api/v1/catalog/daily-demand"


async def daily_demand_body(client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
    """A valid body for POST DAILY_DEMAND_URL; creates the rows it references."""
    return {
        "day": f"2026-01-{n % 28 + 1:02d}",
        "orders": n,
        "items": n,
        "revenue": f"{n % 1000000000000}.00",
    }


async def create_daily_demand(client: httpx.AsyncClient, auth: Auth, n: int = 0) -> dict[str, Any]:
    return await create(client, auth, DAILY_DEMAND_URL, await daily_demand_body(client, auth, n))


CUSTOMER_URL = "/api/v1/ordering/customers"


async def customer_body(client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
    """A valid body for POST CUSTOMER_URL; creates the rows it references."""
    return {
        "email": f"email-{n}"[:320],
        "full_name": f"full_name-{n}"[:200],
        "phone": f"phone-{n}"[:40],
    }


async def create_customer(client: httpx.AsyncClient, auth: Auth, n: int = 0) -> dict[str, Any]:
    return await create(client, auth, CUSTOMER_URL, await customer_body(client, auth, n))


ORDER_URL = "/api/v1/ordering/orders"


async def order_body(client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
    """A valid body for POST ORDER_URL; creates the rows it references."""
    customer_id = await create_customer(client, auth, n)
    return {
        "customer_id": customer_id["id"],
        "placed_on": f"2026-01-{n % 28 + 1:02d}",
        "total": f"{n % 10000000000}.00",
        "item_count": n,
        "status": ["pending", "paid", "shipped", "cancelled"][n % 4],
    }


async def create_order(client: httpx.AsyncClient, auth: Auth, n: int = 0) -> dict[str, Any]:
    return await create(client, auth, ORDER_URL, await order_body(client, auth, n))
