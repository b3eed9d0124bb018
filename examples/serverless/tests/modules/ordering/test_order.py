"""/api/v1/ordering/orders: orders through the HTTP API, on real PostgreSQL."""

import uuid
from typing import Any

import httpx

from tests.factories import CUSTOMER_URL, ORDER_URL, order_body
from tests.resource_contract import ResourceContract
from tests.support import Auth, assert_problem


class TestOrderResource(ResourceContract):
    url = ORDER_URL
    changed_field = "placed_on"
    has_free_text = False

    async def body(self, client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
        return await order_body(client, auth, n)

    async def test_customer_id_must_reference_an_existing_customer(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        body = {**(await self.body(client, auth, 1)), "customer_id": str(uuid.uuid4())}
        assert_problem(await client.post(self.url, json=body, headers=auth.editor), 422)

    async def test_customer_it_refers_to_cannot_be_deleted(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        stored = await self.create(client, auth, 1)
        referenced = f"{CUSTOMER_URL}/{stored['customer_id']}"
        assert_problem(await client.delete(referenced, headers=auth.admin), 409)
        assert (await client.get(referenced, headers=auth.viewer)).status_code == 200
