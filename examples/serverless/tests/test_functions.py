"""The API function, invoked with API Gateway HTTP API events, against real PostgreSQL and Redis."""

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from acme_shop.functions.api import ApiFunction
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.api_gateway import ApiGatewayTransport
from tests.factories import CATEGORY_URL, category_body, create_category
from tests.support import PASSWORD, Auth, assert_problem


@pytest.fixture(scope="module")
def api_function(settings: Settings, app: FastAPI) -> Iterator[ApiFunction]:
    """One instance of the API function (``app`` has migrated the database and added users)."""
    function = ApiFunction(settings)
    yield function
    function.instance.run(function.app.state.resources.aclose())


@pytest.fixture
async def gateway(api_function: ApiFunction) -> AsyncIterator[httpx.AsyncClient]:
    transport = ApiGatewayTransport(api_function)
    async with httpx.AsyncClient(transport=transport, base_url="https://api.example.com") as client:
        yield client


async def test_readiness_checks_the_real_dependencies(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


async def test_a_token_from_the_token_endpoint_opens_the_api(
    gateway: httpx.AsyncClient, auth: Auth
) -> None:
    login = await gateway.post(
        "/api/v1/auth/token", json={"email": "viewer@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await gateway.get(CATEGORY_URL, headers=bearer)).status_code == 200
    assert_problem(await gateway.get(CATEGORY_URL), 401)


async def test_create_read_list_and_delete(gateway: httpx.AsyncClient, auth: Auth) -> None:
    created = await create_category(gateway, auth, 1)
    url = f"{CATEGORY_URL}/{created['id']}"

    read = await gateway.get(url, headers=auth.viewer)
    assert read.status_code == 200
    assert read.json() == created
    revalidated = {**auth.viewer, "If-None-Match": read.headers["etag"]}
    assert (await gateway.get(url, headers=revalidated)).status_code == 304

    page = await gateway.get(CATEGORY_URL, params={"limit": 1}, headers=auth.viewer)
    assert [item["id"] for item in page.json()["items"]] == [created["id"]]

    assert (await gateway.delete(url, headers=auth.admin)).status_code == 204
    assert_problem(await gateway.get(url, headers=auth.viewer), 404)


async def test_an_idempotency_key_replays_the_first_response(
    gateway: httpx.AsyncClient, auth: Auth
) -> None:
    body = await category_body(gateway, auth, 2)
    headers = {**auth.editor, "Idempotency-Key": "lambda-retry-1"}
    first = await gateway.post(CATEGORY_URL, json=body, headers=headers)
    again = await gateway.post(CATEGORY_URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_refused_caller_never_reaches_the_idempotency_store(
    gateway: httpx.AsyncClient, auth: Auth
) -> None:
    """However often an anonymous caller or a viewer reuses a key, they get 401 or 403."""
    for status, headers in ((401, {}), (403, auth.viewer)):
        for body in ({"a": "body"}, {"another": "body"}):
            keyed = {**headers, "Idempotency-Key": "lambda-retry-2"}
            response = await gateway.post(CATEGORY_URL, json=body, headers=keyed)
            assert_problem(response, status)


async def test_a_method_a_path_does_not_serve_is_a_405_listing_the_ones_it_does(
    gateway: httpx.AsyncClient,
) -> None:
    one = f"{CATEGORY_URL}/{uuid.uuid4()}"
    for url, allowed in ((CATEGORY_URL, "GET, POST"), (one, "GET, PATCH, DELETE")):
        response = await gateway.request("OPTIONS", url)
        assert_problem(response, 405)
        assert response.headers["allow"] == allowed


async def test_an_invalid_body_is_a_problem_document(
    gateway: httpx.AsyncClient, auth: Auth
) -> None:
    response = await gateway.post(
        CATEGORY_URL,
        content=b"{not json",
        headers={**auth.editor, "Content-Type": "application/json"},
    )
    assert_problem(response, 422)


async def test_connections_are_reused_across_invocations(
    gateway: httpx.AsyncClient, api_function: ApiFunction, settings: Settings, auth: Auth
) -> None:
    resources: Resources = api_function.app.state.resources
    connects: list[object] = []
    event.listen(resources.engine.sync_engine, "connect", lambda *_: connects.append(None))
    for _ in range(20):
        response = await gateway.get(CATEGORY_URL, headers=auth.viewer)
        assert response.status_code == 200
    # The instance's pool stays open between invocations: no new connection per request.
    assert len(connects) <= settings.database_pool_size
