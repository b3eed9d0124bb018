"""The microservices workspace of each matrix cell, checked as its owners' CI would check it.

At the root: ruff and the import-linter contracts that keep services apart. In every service:
strict mypy, migrations that apply, reverse and match the models on a real PostgreSQL, the
committed openapi.json, and the service's own test suite against real PostgreSQL and Redis.
"""

from __future__ import annotations

import json
import uuid

import pytest

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
