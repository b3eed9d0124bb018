"""The load test's token flow against the identity service on a real port, as `make load` runs
it through the gateway: each Locust user signs in and reads itself for a few seconds.
"""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from acme_shop.tools.load import access
from tests.support import PASSWORD, Auth

ROOT = Path(__file__).resolve().parents[3]


async def test_every_path_of_the_token_flow_is_served(client: httpx.AsyncClient) -> None:
    """The paths the load test signs in, refreshes and reads itself at are in this service's
    OpenAPI document: a path it lacks would be an error in every run."""
    paths = (await client.get("/openapi.json")).json()["paths"]
    called = [value for name, value in vars(access).items() if name.endswith("_PATH")]
    assert called
    assert [path for path in called if path not in paths] == []


def test_load_run_signs_in_and_fails_when_p95_misses_the_target(served: str, auth: Auth) -> None:
    """A 1 ms p95 target, which no real request meets, fails the run; no request fails."""
    credentials = {"LOAD_EMAIL": "editor@example.com", "LOAD_PASSWORD": PASSWORD, "LOAD_TOKEN": ""}
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
            "identity",
        ],
        cwd=ROOT,
        env={**os.environ, **credentials},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "POST     /api/v1/auth/token" in output, output
    reports = [line for line in output.splitlines() if line.startswith("requests/s")]
    assert len(reports) == 1, output
    assert " | errors 0 of " in reports[0], output
    assert reports[0].endswith("p95 target 1 ms: missed"), reports[0]
