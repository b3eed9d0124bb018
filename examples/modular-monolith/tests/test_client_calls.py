"""The typed clients drive the running app as a caller would: create categories, read one with
its ETag, list them a page at a time, and get a problem document for one that does not exist.
"""

import json
import os
import uuid
from http import HTTPStatus
from pathlib import Path

import httpx
from acme_shop_client import AuthenticatedClient
from acme_shop_client.api.catalog import create_category, get_category, list_categories
from acme_shop_client.models import CategoryCreate, CategoryRead, PageCategoryRead, Problem

from tests.factories import category_body
from tests.support import Auth
from tests.typescript import needs_node, run_script

ROOT = Path(__file__).resolve().parents[1]


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_python_client(served: str, auth: Auth, client: httpx.AsyncClient) -> None:
    bodies = [await category_body(client, auth, n) for n in range(2)]
    async with AuthenticatedClient(base_url=served, token=_token(auth.editor)) as api:
        created = [
            (
                await create_category.asyncio_detailed(
                    client=api, body=CategoryCreate.from_dict(body)
                )
            ).parsed
            for body in bodies
        ]
        first, second = created
        assert isinstance(first, CategoryRead)
        assert isinstance(second, CategoryRead)

        read = await get_category.asyncio_detailed(first.id, client=api)
        assert read.parsed == first
        unchanged = await get_category.asyncio_detailed(
            first.id, client=api, if_none_match=read.headers["ETag"]
        )
        assert unchanged.status_code == HTTPStatus.NOT_MODIFIED

        listed, cursor = [], None
        while True:
            page = await list_categories.asyncio(client=api, limit=1, cursor=cursor)
            assert isinstance(page, PageCategoryRead)
            assert len(page.items) <= 1
            listed += [row.id for row in page.items]
            if not isinstance(page.next_cursor, str):
                break
            cursor = page.next_cursor
        assert listed == [first.id, second.id]

        missing = await get_category.asyncio_detailed(uuid.uuid4(), client=api)
        assert missing.status_code == HTTPStatus.NOT_FOUND
        assert missing.headers["Content-Type"] == "application/problem+json"
        assert isinstance(missing.parsed, Problem)  # the document says which errors it answers
        assert missing.parsed.status == HTTPStatus.NOT_FOUND


@needs_node
async def test_typescript_client(served: str, auth: Auth, client: httpx.AsyncClient) -> None:
    """clients/typescript/test/exercise.ts does the same through openapi-fetch."""
    bodies = [await category_body(client, auth, n) for n in range(2)]
    api = {"API_URL": served, "API_TOKEN": _token(auth.editor), "API_BODIES": json.dumps(bodies)}
    await run_script(ROOT, "exercise", {**os.environ, **api})
