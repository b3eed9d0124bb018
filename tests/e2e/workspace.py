"""What a generated microservices workspace holds: its services, in the order they start; and
the fixture that generates one per microservices cell for a test module."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.project import GeneratedProject
from tests.matrix import Cell, runnable_here


def service_names(project: GeneratedProject) -> list[str]:
    """The identity service (with built-in identity), then one service per bounded context."""
    identity = ["identity"] if project.identity == "builtin" else []
    return [*identity, *(context.name for context in project.domain.context_list)]


def services(project: GeneratedProject) -> list[str]:
    return [f"services/{name}" for name in service_names(project)]


def workspace_fixture() -> Any:
    """A module-scoped ``project`` fixture: one workspace per microservices cell this machine
    runs, generated once and shared by the module's tests. Assign it as ``project`` in the
    module that uses it."""

    @pytest.fixture(scope="module", params=runnable_here("microservices"), ids=lambda c: c.name)
    def project(
        request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
    ) -> GeneratedProject:
        cell: Cell = request.param
        return GeneratedProject.create(cell, tmp_path_factory.mktemp("workspaces"))

    return project
