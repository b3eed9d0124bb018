"""End to end: render each e2e cell, install it, and hold it to what a team would demand.

Each project (the modular monolith's cells and the serverless ones, which share its shape)
must pass its own linters and type checks, migrate a real PostgreSQL with no drift from its
models, pass its own test suite against real PostgreSQL and Redis, and serve real HTTP
requests: from uvicorn, or from the serverless functions under their local Lambda runner.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from archgen._smoke._containers import (
    DEFAULT_POSTGRES_IMAGE,
    DEFAULT_REDIS_IMAGE,
    POSTGRES_IMAGE_VARIABLE,
    REDIS_IMAGE_VARIABLE,
)
from archgen._smoke._runner import ExternalServices, Runtime, run_smoke
from tests.e2e.project import QUIET_PYTEST, GeneratedProject
from tests.matrix import Cell, runnable_here

pytestmark = pytest.mark.e2e


@pytest.fixture(
    scope="module",
    params=runnable_here("modular-monolith") + runnable_here("serverless"),
    ids=lambda cell: cell.name,
)
def project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> GeneratedProject:
    cell: Cell = request.param
    return GeneratedProject.create(cell, tmp_path_factory.mktemp("projects"))


@pytest.fixture
def fresh_database(project: GeneratedProject, postgres_url: str) -> Iterator[str]:
    """An empty database on the test server, dropped afterwards."""
    name = f"e2e_{uuid.uuid4().hex[:10]}"
    project.run("psql", postgres_url, "-qc", f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    project.run("psql", postgres_url, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)')


def test_ruff_finds_nothing_to_fix_or_reformat(project: GeneratedProject) -> None:
    project.uv_run("ruff", "check", ".")
    project.uv_run("ruff", "format", "--check", ".")


def test_mypy_strict_is_clean(project: GeneratedProject) -> None:
    project.uv_run("mypy")


def test_module_boundaries_hold(project: GeneratedProject) -> None:
    output = project.uv_run("lint-imports")
    assert "0 broken" in output


def test_bandit_finds_nothing_of_medium_or_high_severity(project: GeneratedProject) -> None:
    """The project's own security lint, as its CI runs it (it fails on any finding)."""
    project.uv_run("bandit", "-c", "pyproject.toml", "-r", ".", "--severity-level", "medium")


def test_migrations_apply_reverse_and_match_the_models(
    project: GeneratedProject, fresh_database: str
) -> None:
    env = {"DATABASE_URL": fresh_database}
    project.uv_run("alembic", "upgrade", "head", env=env)
    project.uv_run("alembic", "check", env=env)  # autogenerate finds no difference
    project.uv_run("alembic", "downgrade", "base", env=env)
    project.uv_run("alembic", "upgrade", "head", env=env)


def test_own_test_suite_passes_against_real_services(
    project: GeneratedProject, postgres_url: str, redis_url: str
) -> None:
    """Through `make test`, the README's command for the whole suite."""
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url, **QUIET_PYTEST}
    output = project.run("make", "test", env=env, timeout=1200).stdout
    assert " passed" in output
    assert "skipped" not in output


def test_own_test_suite_passes_with_its_testcontainers_fixtures(project: GeneratedProject) -> None:
    """Without DATABASE_URL and REDIS_URL the project starts its own containers. The tests
    of the database and of health, which use both servers, prove the fixtures; the whole suite
    has passed against the real servers above (running it twice cost CI minutes per cell)."""
    images = {
        "POSTGRES_IMAGE": os.environ.get(POSTGRES_IMAGE_VARIABLE, DEFAULT_POSTGRES_IMAGE),
        "REDIS_IMAGE": os.environ.get(REDIS_IMAGE_VARIABLE, DEFAULT_REDIS_IMAGE),
    }
    selection = ("tests/test_database.py", "tests/test_health.py")
    output = project.uv_run("pytest", "-q", "-p", "no:cacheprovider", *selection, env=images)
    assert " passed" in output
    assert " failed" not in output


def test_smoke_checks_pass_on_the_running_app(
    project: GeneratedProject, postgres_url: str, redis_url: str
) -> None:
    """The whole `archgen smoke` run, against the test servers (the external runtime)."""
    report = run_smoke(
        project.path,
        runtime=Runtime.EXTERNAL,
        external=ExternalServices(postgres_url, redis_url),
    )
    assert report.ok, report.to_json()
    checks = {step.name for step in report.steps if step.kind == "check"}
    for entity in project.domain.entity_list:
        assert f"crud:{entity.context}.{entity.name}" in checks
    for event in project.domain.event_list:
        assert f"event:{event.name}" in checks
    if project.answers.get("realtime"):
        assert f"live:{project.domain.event_list[0].name}" in checks
    assert ("graphql" in checks) == bool(project.answers.get("graphql"))
