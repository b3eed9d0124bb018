"""/api/v1/catalog/categories: categories through the HTTP API, on real PostgreSQL."""

from typing import Any

import httpx

from tests.factories import CATEGORY_URL, category_body
from tests.resource_contract import ResourceContract
from tests.support import Auth, assert_problem


class TestCategoryResource(ResourceContract):
    url = CATEGORY_URL
    changed_field = "name"

    async def body(self, client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
        return await category_body(client, auth, n)

    async def test_a_duplicate_unique_value_is_a_409_problem(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        body = await self.body(client, auth, 1)
        await client.post(self.url, json=body, headers=auth.editor)
        field = "name"
        duplicate = {**(await self.body(client, auth, 2)), field: body[field]}
        assert_problem(await client.post(self.url, json=duplicate, headers=auth.editor), 409)
