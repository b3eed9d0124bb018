"""Conventions every resource follows, shown on categories."""

import re
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from acme_shop.platform.pagination import CURSOR_MAX_LENGTH, CURSOR_PATTERN
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


def test_every_list_documents_its_cursor_and_the_400_for_a_foreign_one(app: FastAPI) -> None:
    listed = 0
    for item in app.openapi()["paths"].values():
        operation = item.get("get", {})
        cursors = [p for p in operation.get("parameters", []) if p["name"] == "cursor"]
        if not cursors:
            continue
        [cursor] = cursors
        [token, _null] = cursor["schema"]["anyOf"]
        assert (token["pattern"], token["maxLength"]) == (CURSOR_PATTERN, CURSOR_MAX_LENGTH)
        assert "400" in operation["responses"]
        listed += 1
    assert listed


async def test_a_cursor_is_what_the_document_describes(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    """The server gives cursors of the documented shape, refuses any other shape as the
    schema does (422), and one of that shape it did not give with a 400."""
    for n in (1, 2):
        await create_category(client, auth, n)
    first = await client.get(URL, params={"limit": 1}, headers=auth.viewer)
    given = first.json()["next_cursor"]
    assert re.fullmatch(CURSOR_PATTERN, given)
    assert len(given) <= CURSOR_MAX_LENGTH

    async def listed(cursor: str) -> httpx.Response:
        return await client.get(URL, params={"cursor": cursor}, headers=auth.viewer)

    assert (await listed(given)).status_code == 200
    for foreign in ("not-a-cursor", "bm90IGpzb24", given[:-4]):
        assert_problem(await listed(foreign), 400)
    for misshapen in ("not a cursor", given + "=", "A" * (CURSOR_MAX_LENGTH + 1)):
        assert_problem(await listed(misshapen), 422)


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


async def test_an_idempotency_key_is_its_callers_own(client: httpx.AsyncClient, auth: Auth) -> None:
    """Two callers who happen to pick the same key do not see each other's responses."""
    first = await client.post(
        URL,
        json=await category_body(client, auth, 1),
        headers={**auth.editor, "Idempotency-Key": "same-key"},
    )
    second = await client.post(
        URL,
        json=await category_body(client, auth, 2),
        headers={**auth.admin, "Idempotency-Key": "same-key"},
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert "idempotent-replayed" not in second.headers


def test_every_keyed_create_documents_the_answers_about_its_key(app: FastAPI) -> None:
    """A retry while the first request runs is a 409; a key reused with another body, a 422."""
    keyed: list[dict[str, Any]] = [
        item["post"]
        for item in app.openapi()["paths"].values()
        if any(p["name"] == "Idempotency-Key" for p in item.get("post", {}).get("parameters", []))
    ]
    assert keyed
    for operation in keyed:
        for status in ("409", "422"):
            description = operation["responses"][status]["description"]
            assert "Idempotency-Key" in description, (operation["operationId"], status)


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


async def test_metrics_count_and_time_each_request_under_its_route_template(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    registry = app.state.resources.metrics.registry
    template = URL + "/{category_id}"
    missing = {"handler": template, "method": "GET", "status": "4xx"}
    unmatched = {"handler": "none", "method": "GET", "status": "4xx"}
    probes = {"handler": "/health/live", "method": "GET", "status": "2xx"}

    def count(labels: dict[str, str]) -> float:
        return registry.get_sample_value("http_requests_total", labels) or 0.0

    def timed(handler: str) -> float:
        labels = {"handler": handler, "method": "GET"}
        return registry.get_sample_value("http_request_duration_seconds_count", labels) or 0.0

    before = count(missing), count(unmatched), timed(template), count(probes)
    await client.get(f"{URL}/{uuid.uuid4()}", headers=auth.viewer)  # a 404 of the route
    await client.get(f"/no-such-path/{uuid.uuid4()}")  # no route: never its own series
    await client.get("/health/live")  # probes are not counted
    after = count(missing), count(unmatched), timed(template), count(probes)
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1, 0]

    exposed = await client.get("/metrics")
    assert exposed.headers["content-type"].startswith("text/plain")
    assert f'http_requests_total{{handler="{template}",method="GET",status="4xx"}}' in exposed.text
    assert "/no-such-path" not in exposed.text
    bucket = f'http_request_duration_seconds_bucket{{handler="{template}",le="0.2",method="GET"}}'
    assert bucket in exposed.text
