"""The microservices workspace of each matrix cell, checked as its owners' CI would check it.

At the root: ruff, bandit and the import-linter contracts that keep services apart. In every
service: strict mypy, migrations that apply, reverse and match the models on a real
PostgreSQL, the committed openapi.json, and the service's own test suite against real
PostgreSQL, Redis and RabbitMQ. (Images, the gateway and `archgen smoke`, which check the
whole machine for leftovers, are in test_microservices.py.)
"""

from __future__ import annotations

import json
import uuid

import pytest

from archgen._smoke._services import local_rabbitmq
from tests.e2e.project import QUIET_PYTEST, GeneratedProject
from tests.e2e.workspace import services, workspace_fixture

pytestmark = pytest.mark.e2e


project = workspace_fixture()


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
    # The project's own security lint, as its CI runs it (it fails on any finding).
    project.uv_run("bandit", "-c", "pyproject.toml", "-r", ".", "--severity-level", "medium")


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
    """Through `make test`, the README's command: every service's suite, one after another.

    On a broker of its own, as a developer's machine or the project's CI gives it: the session's
    broker keeps the durable queues (and any messages left in them) of the tests before this one.
    """
    with local_rabbitmq() as rabbitmq_url:
        env = {
            "DATABASE_URL": postgres_url,
            "REDIS_URL": redis_url,
            "RABBITMQ_URL": rabbitmq_url,
            **QUIET_PYTEST,
        }
        output = project.run("make", "test", env=env, timeout=1800).stdout
    assert output.count(" passed") == len(services(project))
    assert "skipped" not in output
    assert " failed" not in output
