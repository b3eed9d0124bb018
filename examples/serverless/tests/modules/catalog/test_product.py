"""/api/v1/catalog/products: products through the HTTP API, on real PostgreSQL."""

import uuid
from typing import Any

import httpx

from tests.factories import PRODUCT_URL, product_body
from tests.resource_contract import ResourceContract
from tests.support import Auth, assert_problem


class TestProductResource(ResourceContract):
    url = PRODUCT_URL
    changed_field = "sku"

    async def body(self, client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
        return await product_body(client, auth, n)

    async def test_a_required_field_cannot_be_cleared(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        stored = await self.create(client, auth, 1)
        cleared = {"sku": None}
        response = await client.patch(
            f"{self.url}/{stored['id']}", json=cleared, headers=auth.editor
        )
        assert_problem(response, 422)

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
