"""What a generated microservices workspace holds: its services, in the order they start."""

from __future__ import annotations

from tests.e2e.project import GeneratedProject


def service_names(project: GeneratedProject) -> list[str]:
    """The identity service (with built-in identity), then one service per bounded context."""
    identity = ["identity"] if project.identity == "builtin" else []
    return [*identity, *(context.name for context in project.domain.context_list)]


def services(project: GeneratedProject) -> list[str]:
    return [f"services/{name}" for name in service_names(project)]
