"""Starting ordering.export_orders through the API: 202, then a job resource to poll."""

import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import AppFactory, client_for
from tests.factories import create_order
from tests.jobs.support import eventually
from tests.support import Auth, assert_problem

pytestmark = pytest.mark.usefixtures("worker")

START_URL = "/api/v1/ordering/jobs/export-orders"
JOBS_URL = "/api/v1/ordering/jobs"
# A value of another JSON type than the document gives, for each field of each job's payload.
WRONG_TYPES = [
    ("/api/v1/ordering/jobs/export-orders", "editor", "status", 0),
    ("/api/v1/ordering/jobs/export-orders", "editor", "placed_on_from", 0),
    ("/api/v1/ordering/jobs/export-orders", "editor", "placed_on_to", 0),
]


async def finished(client: httpx.AsyncClient, location: str, headers: dict[str, str]) -> Any:
    async def done() -> Any:
        body = (await client.get(location, headers=headers)).json()
        return body if body["status"] in ("succeeded", "failed") else None

    return await eventually(done, f"{location} to finish")


async def test_a_job_runs_to_succeeded_from_the_api(client: httpx.AsyncClient, auth: Auth) -> None:
    for n in range(3):
        await create_order(client, auth, n)
    response = await client.post(START_URL, json={}, headers=auth.editor)
    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location == f"{JOBS_URL}/{response.json()['id']}"
    assert response.headers["Retry-After"] == "2"
    job = await finished(client, location, auth.editor)
    assert (job["status"], job["attempts"], job["progress"]) == ("succeeded", 1, 1.0), job
    result = await client.get(job["result"]["href"], headers=auth.editor)
    assert result.status_code == 200
    assert result.headers["content-type"].startswith("text/csv")
    lines = result.text.splitlines()
    assert lines[0].startswith("id,")
    assert len(lines) == 1 + 3
    assert job["result"]["summary"] == {"rows": 3}


async def test_an_idempotency_key_starts_one_job(client: httpx.AsyncClient, auth: Auth) -> None:
    headers = {**auth.editor, "Idempotency-Key": uuid.uuid4().hex}
    first = await client.post(START_URL, json={}, headers=headers)
    again = await client.post(START_URL, json={}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.headers["Location"] == again.headers["Location"]


async def test_the_key_holds_without_redis(make_app: AppFactory, auth: Auth) -> None:
    """With Redis away the middleware lets retries through; the job's own key still holds."""
    degraded = await make_app(redis_url="redis://127.0.0.1:1/0")
    headers = {**auth.editor, "Idempotency-Key": uuid.uuid4().hex}
    async with client_for(degraded) as client:
        first = await client.post(START_URL, json={}, headers=headers)
        again = await client.post(START_URL, json={}, headers=headers)
        other = await client.post(START_URL, json={"no_such_field": 1}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert_problem(other, 422)


async def test_a_job_is_visible_to_its_owner_and_admins_only(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    response = await client.post(START_URL, json={}, headers=auth.editor)
    location = response.headers["Location"]
    assert (await client.get(location, headers=auth.editor)).status_code == 200
    assert (await client.get(location, headers=auth.admin)).status_code == 200
    assert_problem(await client.post(START_URL, json={}, headers=auth.viewer), 403)
    assert_problem(await client.get(location, headers=auth.viewer), 404)
    assert (await client.get(JOBS_URL, headers=auth.viewer)).json()["items"] == []
    assert_problem(await client.post(f"{location}/retry", headers=auth.editor), 403)
    assert_problem(await client.post(f"{location}/retry", headers=auth.admin), 409)


@pytest.mark.parametrize(("url", "role", "field", "value"), WRONG_TYPES)
async def test_a_payload_field_of_another_json_type_is_a_422_naming_it(
    client: httpx.AsyncClient, auth: Auth, url: str, role: str, field: str, value: object
) -> None:
    response = await client.post(url, json={field: value}, headers=getattr(auth, role))
    errors = assert_problem(response, 422)["errors"]
    assert isinstance(errors, list)
    assert errors
    assert all(field in error["loc"] for error in errors), errors
