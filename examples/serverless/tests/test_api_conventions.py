"""Conventions every resource follows, shown on categories."""

import uuid

import httpx
from fastapi import FastAPI

from tests.conftest import AppFactory, client_for
from tests.factories import CATEGORY_URL, category_body, create_category
from tests.support import Auth, assert_problem

URL = CATEGORY_URL


async def test_unknown_id_is_a_404_problem(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.get(f"{URL}/{uuid.uuid4()}", headers=auth.viewer)
    body = assert_problem(response, 404)
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]


async def test_invalid_body_is_a_422_problem_listing_errors(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    response = await client.post(URL, json={"unexpected": True}, headers=auth.editor)
    body = assert_problem(response, 422)
    assert isinstance(body["errors"], list)
    assert body["errors"]


async def test_malformed_cursor_is_a_400_problem(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.get(URL, params={"cursor": "not-a-cursor"}, headers=auth.viewer)
    assert_problem(response, 400)


async def test_idempotency_key_replays_the_first_response(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    body = await category_body(client, auth, 1)
    headers = {**auth.editor, "Idempotency-Key": "create-once"}
    first = await client.post(URL, json=body, headers=headers)
    retry = await client.post(URL, json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    listed = await client.get(URL, headers=auth.viewer)
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]


async def test_idempotency_key_reused_for_another_body_is_refused(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    headers = {**auth.editor, "Idempotency-Key": "one-key"}
    await client.post(URL, json=await category_body(client, auth, 1), headers=headers)
    other = await client.post(URL, json=await category_body(client, auth, 2), headers=headers)
    assert_problem(other, 422)


async def test_burst_over_the_rate_limit_gets_429(make_app: AppFactory, auth: Auth) -> None:
    limited = await make_app(rate_limit_per_minute=3)
    async with client_for(limited) as client:
        statuses = [(await client.get(URL, headers=auth.viewer)).status_code for _ in range(4)]
        refused = await client.get(URL, headers=auth.viewer)
    assert statuses == [200, 200, 200, 429]
    assert_problem(refused, 429)
    assert int(refused.headers["retry-after"]) >= 1


async def test_without_redis_the_api_degrades_instead_of_failing(
    make_app: AppFactory, auth: Auth
) -> None:
    # Nothing listens on port 1: every Redis call fails fast.
    degraded = await make_app(redis_url="redis://127.0.0.1:1/0", redis_timeout_seconds=0.2)
    async with client_for(degraded) as client:
        ready = await client.get("/health/ready")
        created = await create_category(client, auth, 1)
        fetched = await client.get(f"{URL}/{created['id']}", headers=auth.viewer)
        replayable = await client.post(
            URL,
            json=await category_body(client, auth, 2),
            headers={**auth.editor, "Idempotency-Key": "no-redis"},
        )
    assert ready.json() == {"status": "degraded", "checks": {"database": "ok", "redis": "failing"}}
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert replayable.status_code == 201


async def test_etag_lets_a_client_skip_an_unchanged_body(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    created = await create_category(client, auth, 1)
    first = await client.get(f"{URL}/{created['id']}", headers=auth.viewer)
    again = await client.get(
        f"{URL}/{created['id']}", headers={**auth.viewer, "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


async def test_metrics_expose_request_rate_errors_and_duration(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    await client.get(URL, headers=auth.viewer)
    await client.get(f"{URL}/{uuid.uuid4()}", headers=auth.viewer)
    metrics = (await client.get("/metrics")).text
    assert 'http_requests_total{handler="/api/v1/' in metrics
    assert 'status="4xx"' in metrics
    assert "http_request_duration_seconds_bucket" in metrics
