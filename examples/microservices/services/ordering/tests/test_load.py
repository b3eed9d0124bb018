"""The load test against the app on a real port, as `make seed` and `make load` run it: made-up
rows for every resource through the API, then a few seconds of headless Locust as an editor.
"""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from acme_shop.tools.load.access import Access
from acme_shop.tools.load.resources import RESOURCES
from acme_shop.tools.load.seed import TokenAuth, seed
from tests.support import Auth

ROOT = Path(__file__).resolve().parents[3]
RESOURCES_HERE = [resource for resource in RESOURCES if resource.context == "ordering"]


def _access(auth: Auth) -> Access:
    """An editor's token: this app has no token endpoint, the identity service signs them."""
    return Access(token=auth.editor["Authorization"].removeprefix("Bearer "))


async def test_every_path_the_load_test_calls_is_served(client: httpx.AsyncClient) -> None:
    """The resources' paths are in this app's OpenAPI document: a
    path it lacks would be an error in every run."""
    paths = (await client.get("/openapi.json")).json()["paths"]
    called = [url for resource in RESOURCES_HERE for url in (resource.url, resource.item_url)]
    assert [path for path in called if path not in paths] == []


async def test_made_up_rows_and_changes_are_valid(client: httpx.AsyncClient, auth: Auth) -> None:
    """What the seed and the load test send: a new row of each resource (referencing rows made
    before it) and a change to it."""
    ids: dict[str, str] = {}
    for resource in RESOURCES_HERE:
        references = {field: ids[target] for field, target in resource.references.items()}
        created = await client.post(
            resource.url, json=resource.new(1, references), headers=auth.editor
        )
        assert created.status_code == 201, created.text
        ids[resource.name] = created.json()["id"]
        changed = await client.patch(
            f"{resource.url}/{ids[resource.name]}", json=resource.change(2), headers=auth.editor
        )
        assert changed.status_code == 200, changed.text


async def test_seed_fills_every_resource(
    served: str, auth: Auth, client: httpx.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=served, auth=TokenAuth(_access(auth))) as api:
        made = await seed(api, rows=3, resources=RESOURCES_HERE)
    assert made == {resource.name: 3 for resource in RESOURCES_HERE}
    for resource in RESOURCES_HERE:
        page = (await client.get(resource.url, headers=auth.viewer)).json()
        assert len(page["items"]) == 3, resource.url


def test_load_run_reports_its_figures_and_fails_when_p95_misses_the_target(
    served: str, auth: Auth
) -> None:
    """Three seconds of Locust with the configuration `make load` uses; no request fails, and
    a 1 ms p95 target, which no real request meets, fails the run. The users bring the
    editor's token: four sign-ins (a password hash each) could take those seconds on a busy
    machine, and the seed's test signs in already."""
    token = auth.editor["Authorization"].removeprefix("Bearer ")
    environment = {**os.environ, "LOAD_TOKEN": token}
    completed = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "locust",
            "--host",
            served,
            "--users",
            "4",
            "--spawn-rate",
            "4",
            "--run-time",
            "3s",
            "--p95-target-ms",
            "1",
            "--tags",
            "ordering",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    reports = [line for line in output.splitlines() if line.startswith("requests/s")]
    assert len(reports) == 1, output
    report = reports[0]
    assert " | errors 0 of " in report, output
    assert report.endswith("p95 target 1 ms: missed"), report
