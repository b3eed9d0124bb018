"""Helpers shared by the tests: callers' credentials, assertions on problem documents, and
running the migrations."""

from dataclasses import dataclass
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


ROLES = ("viewer", "editor", "admin")  # each may do what the ones before it may


@dataclass(frozen=True)
class Auth:
    """Authorization headers of one user per role."""

    admin: dict[str, str]
    editor: dict[str, str]
    viewer: dict[str, str]

    def weaker_than(self, role: str) -> dict[str, dict[str, str]]:
        """The headers of every role less privileged than ``role``, by role name."""
        return {weaker: getattr(self, weaker) for weaker in ROLES[: ROLES.index(role)]}


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    """The response is an RFC 9457 problem document with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    return body


def migrate(connection: Connection, revision: str = "head", *, downgrade: bool = False) -> None:
    """Run the project's migrations on ``connection``, up (or down) to ``revision``."""
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.attributes["connection"] = connection
    if downgrade:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)
