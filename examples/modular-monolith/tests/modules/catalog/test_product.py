"""/api/v1/catalog/products: products through the HTTP API, on real PostgreSQL."""

import uuid
from typing import Any

import httpx

from tests.factories import CATEGORY_URL, PRODUCT_URL, product_body
from tests.resource_contract import ResourceContract
from tests.support import Auth, assert_problem


class TestProductResource(ResourceContract):
    url = PRODUCT_URL
    changed_field = "sku"

    async def body(self, client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
        return await product_body(client, auth, n)

    async def test_a_duplicate_unique_value_is_a_409_problem(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        body = await self.body(client, auth, 1)
        await client.post(self.url, json=body, headers=auth.editor)
        field = "sku"
        duplicate = {**(await self.body(client, auth, 2)), field: body[field]}
        assert_problem(await client.post(self.url, json=duplicate, headers=auth.editor), 409)

    async def test_category_id_must_reference_an_existing_category(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        body = {**(await self.body(client, auth, 1)), "category_id": str(uuid.uuid4())}
        assert_problem(await client.post(self.url, json=body, headers=auth.editor), 422)

    async def test_category_it_refers_to_cannot_be_deleted(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        stored = await self.create(client, auth, 1)
        referenced = f"{CATEGORY_URL}/{stored['category_id']}"
        assert_problem(await client.delete(referenced, headers=auth.admin), 409)
        assert (await client.get(referenced, headers=auth.viewer)).status_code == 200
