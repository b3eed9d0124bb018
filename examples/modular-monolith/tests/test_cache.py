"""Cache-aside on reads: a second read is served by Redis, writes invalidate it, and
concurrent misses of one key share one load."""

import asyncio
import uuid

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


async def test_concurrent_misses_of_one_key_share_one_load(app: FastAPI) -> None:
    resources: Resources = app.state.resources
    key = f"test:{uuid.uuid4()}"
    loads = 0

    async def load() -> bytes:
        nonlocal loads
        loads += 1
        await asyncio.sleep(0.2)  # a database read, slow enough for the others to miss too
        return b"loaded"

    values = await asyncio.gather(*(resources.cache.get_or_load(key, load) for _ in range(20)))
    assert values == [b"loaded"] * 20
    assert loads == 1
    assert await resources.cache.get(key) == b"loaded"


async def test_when_the_shared_load_fails_each_waiting_read_loads_for_itself(
    app: FastAPI,
) -> None:
    resources: Resources = app.state.resources
    key = f"test:{uuid.uuid4()}"
    attempts = 0

    async def load() -> bytes:
        nonlocal attempts
        attempts += 1
        attempt = attempts
        await asyncio.sleep(0.2)
        if attempt == 1:
            raise ConnectionError("the database went away")
        return b"loaded"

    # Whichever read comes first leads the load; the other two wait for it.
    outcomes = await asyncio.gather(
        *(resources.cache.get_or_load(key, load) for _ in range(3)), return_exceptions=True
    )
    assert sum(isinstance(outcome, ConnectionError) for outcome in outcomes) == 1
    assert [outcome for outcome in outcomes if outcome == b"loaded"] == [b"loaded", b"loaded"]
    assert attempts == 3
