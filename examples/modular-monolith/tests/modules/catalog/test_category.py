"""/api/v1/catalog/categories: categories through the HTTP API, on real PostgreSQL."""

import httpx

from tests.factories import CATEGORY_URL, category_body, create_category
from tests.support import Auth, assert_problem

URL = CATEGORY_URL


async def test_create_then_read(client: httpx.AsyncClient, auth: Auth) -> None:
    body = await category_body(client, auth, 1)
    created = await client.post(URL, json=body, headers=auth.editor)
    assert created.status_code == 201, created.text
    stored = created.json()
    assert {key: stored[key] for key in body} == body
    assert created.headers["location"] == f"{URL}/{stored['id']}"
    fetched = await client.get(f"{URL}/{stored['id']}", headers=auth.viewer)
    assert fetched.status_code == 200
    assert fetched.json() == stored


async def test_update_changes_only_the_given_fields(client: httpx.AsyncClient, auth: Auth) -> None:
    stored = await create_category(client, auth, 1)
    change = {"name": (await category_body(client, auth, 2))["name"]}
    response = await client.patch(f"{URL}/{stored['id']}", json=change, headers=auth.editor)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["name"] == change["name"]
    unchanged = {key: value for key, value in updated.items() if key not in ("name", "updated_at")}
    assert unchanged == {
        key: value for key, value in stored.items() if key not in ("name", "updated_at")
    }


async def test_a_required_field_cannot_be_cleared(client: httpx.AsyncClient, auth: Auth) -> None:
    stored = await create_category(client, auth, 1)
    response = await client.patch(f"{URL}/{stored['id']}", json={"name": None}, headers=auth.editor)
    assert_problem(response, 422)


async def test_delete_then_gone(client: httpx.AsyncClient, auth: Auth) -> None:
    stored = await create_category(client, auth, 1)
    deleted = await client.delete(f"{URL}/{stored['id']}", headers=auth.admin)
    assert deleted.status_code == 204
    assert_problem(await client.get(f"{URL}/{stored['id']}", headers=auth.viewer), 404)
    assert_problem(await client.delete(f"{URL}/{stored['id']}", headers=auth.admin), 404)


async def test_list_walks_pages_with_the_cursor(client: httpx.AsyncClient, auth: Auth) -> None:
    created = [await create_category(client, auth, n) for n in range(1, 4)]
    first = (await client.get(URL, params={"limit": 2}, headers=auth.viewer)).json()
    second = (
        await client.get(
            URL, params={"limit": 2, "cursor": first["next_cursor"]}, headers=auth.viewer
        )
    ).json()
    listed = [item["id"] for item in first["items"] + second["items"]]
    assert listed == [item["id"] for item in created]
    assert second["next_cursor"] is None


async def test_a_duplicate_unique_value_is_a_409_problem(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    body = await category_body(client, auth, 1)
    await client.post(URL, json=body, headers=auth.editor)
    duplicate = {**(await category_body(client, auth, 2)), "name": body["name"]}
    assert_problem(await client.post(URL, json=duplicate, headers=auth.editor), 409)


async def test_invalid_body_is_a_422_problem(client: httpx.AsyncClient, auth: Auth) -> None:
    assert_problem(await client.post(URL, json={}, headers=auth.editor), 422)


async def test_roles_are_enforced(client: httpx.AsyncClient, auth: Auth) -> None:
    body = await category_body(client, auth, 1)
    assert_problem(await client.post(URL, json=body), 401)
    assert_problem(await client.post(URL, json=body, headers=auth.viewer), 403)
    stored = await create_category(client, auth, 2)
    assert_problem(await client.delete(f"{URL}/{stored['id']}", headers=auth.editor), 403)
