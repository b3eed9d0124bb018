"""Cache-aside on reads: a second read is served by Redis, and writes invalidate it."""

import httpx
from fastapi import FastAPI

from acme_shop.platform.resources import Resources
from tests.factories import CATEGORY_URL, category_body, create_category
from tests.support import Auth

URL = CATEGORY_URL


def cache_lookups(app: FastAPI, result: str) -> float:
    resources: Resources = app.state.resources
    value = resources.metrics.registry.get_sample_value("cache_lookups_total", {"result": result})
    return value or 0.0


async def test_second_read_is_a_cache_hit(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    created = await create_category(client, auth, 1)
    hits_before = cache_lookups(app, "hit")
    first = await client.get(f"{URL}/{created['id']}", headers=auth.viewer)
    second = await client.get(f"{URL}/{created['id']}", headers=auth.viewer)
    assert first.json() == second.json() == created
    assert cache_lookups(app, "hit") == hits_before + 1


async def test_an_update_is_visible_on_the_next_read(client: httpx.AsyncClient, auth: Auth) -> None:
    created = await create_category(client, auth, 1)
    await client.get(f"{URL}/{created['id']}", headers=auth.viewer)  # now cached
    change = {"name": (await category_body(client, auth, 2))["name"]}
    await client.patch(f"{URL}/{created['id']}", json=change, headers=auth.editor)
    fetched = await client.get(f"{URL}/{created['id']}", headers=auth.viewer)
    assert fetched.json()["name"] == change["name"]
