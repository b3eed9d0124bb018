"""The microservices workspace of each matrix cell, checked as its owners' CI would check it.

At the root: ruff and the import-linter contracts that keep services apart. In every service:
strict mypy, migrations that apply, reverse and match the models on a real PostgreSQL, the
committed openapi.json, the service's own test suite against real PostgreSQL and Redis, and
its Dockerfile: the image migrates and serves a ready service.
"""

from __future__ import annotations

import json
import os
import time
import uuid

import docker
import httpx
import pytest

from archgen._smoke._containers import PYTHON_IMAGE_VARIABLE
from archgen._smoke._services import free_port
from tests.e2e.project import GeneratedProject
from tests.matrix import Cell, runnable_here

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=runnable_here("microservices"), ids=lambda c: c.name)
def project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> GeneratedProject:
    cell: Cell = request.param
    return GeneratedProject.create(cell, tmp_path_factory.mktemp("workspaces"))


def services(project: GeneratedProject) -> list[str]:
    return [f"services/{context.name}" for context in project.domain.context_list]


def test_one_service_per_context_each_with_its_own_openapi_document(
    project: GeneratedProject,
) -> None:
    for context in project.domain.context_list:
        document = json.loads(
            (project.path / "services" / context.name / "openapi.json").read_text()
        )
        paths = set(document["paths"])
        prefix = f"/api/v1/{context.url_segment}/"
        assert paths, context.name
        assert all(p.startswith((prefix, "/health")) for p in paths if p != "/metrics"), paths


def test_ruff_and_the_service_boundaries_hold(project: GeneratedProject) -> None:
    project.uv_run("ruff", "check", ".")
    project.uv_run("ruff", "format", "--check", ".")
    output = project.uv_run("lint-imports")
    assert "0 broken" in output
    assert "Services never import each other KEPT" in output


def test_every_service_passes_strict_mypy(project: GeneratedProject) -> None:
    for service in services(project):
        project.uv_run("mypy", at=service)


def test_every_service_migrates_its_own_database(
    project: GeneratedProject, postgres_url: str
) -> None:
    for service in services(project):
        name = f"e2e_{uuid.uuid4().hex[:10]}"
        project.run("psql", postgres_url, "-qc", f'CREATE DATABASE "{name}"')
        env = {"DATABASE_URL": postgres_url.rsplit("/", 1)[0] + f"/{name}"}
        try:
            project.uv_run("alembic", "upgrade", "head", env=env, at=service)
            project.uv_run("alembic", "check", env=env, at=service)
            project.uv_run("alembic", "downgrade", "base", env=env, at=service)
        finally:
            project.run("psql", postgres_url, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)')


def test_every_service_passes_its_own_suite_against_real_services(
    project: GeneratedProject, postgres_url: str, redis_url: str
) -> None:
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}
    for service in services(project):
        output = project.uv_run("pytest", "-q", "-p", "no:cacheprovider", env=env, at=service)
        assert " passed" in output
        assert "skipped" not in output
        assert " failed" not in output


def build_image(project: GeneratedProject, context: str, tag: str) -> None:
    """The service's image, built from the workspace root with BuildKit."""
    base = os.environ.get(PYTHON_IMAGE_VARIABLE)
    project.run(
        "docker", "build", "--quiet", "--network", "host", "--tag", tag,
        "--file", f"services/{context}/Dockerfile",
        *(["--build-arg", f"PYTHON_IMAGE={base}"] if base else []),
        ".",
        env={"DOCKER_BUILDKIT": "1"},
    )  # fmt: skip


def test_every_service_image_migrates_and_serves(
    project: GeneratedProject, postgres_url: str, redis_url: str
) -> None:
    """Each Dockerfile builds an image that runs its migrations and serves a ready service."""
    engine = docker.from_env()
    for context in project.domain.context_list:
        tag = f"archgen-e2e/{context.name}:{uuid.uuid4().hex[:8]}"
        name = f"e2e_{uuid.uuid4().hex[:10]}"
        port = free_port()
        settings = {
            "DATABASE_URL": postgres_url.rsplit("/", 1)[0] + f"/{name}",
            "REDIS_URL": redis_url,
            "UVICORN_HOST": "127.0.0.1",
            "UVICORN_PORT": str(port),
        }
        build_image(project, context.name, tag)
        project.run("psql", postgres_url, "-qc", f'CREATE DATABASE "{name}"')
        try:
            engine.containers.run(
                tag, ["alembic", "upgrade", "head"], environment=settings,
                network_mode="host", remove=True,
            )  # fmt: skip
            server = engine.containers.run(
                tag, detach=True, environment=settings, network_mode="host"
            )
            try:
                assert wait_for_ready(f"http://127.0.0.1:{port}") == {
                    "status": "ok",
                    "checks": {"database": "ok", "redis": "ok"},
                }, server.logs(tail=20)
            finally:
                server.remove(force=True)
        finally:
            project.run("psql", postgres_url, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)')
            engine.images.remove(tag, force=True)


def wait_for_ready(base_url: str, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(f"{base_url}/health/ready", timeout=2).json()
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
