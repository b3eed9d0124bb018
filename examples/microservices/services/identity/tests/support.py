"""Helpers shared by the tests: callers' credentials, assertions on problem documents, and
running the migrations."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


ROLES = ("viewer", "editor", "admin")  # each may do what the ones before it may


def outranks(role: str, required: str) -> bool:
    """Whether ``role`` may do what ``required``, another role, may."""
    return ROLES.index(role) >= ROLES.index(required)


@dataclass(frozen=True)
class Auth:
    """Authorization headers of one user per role."""

    admin: dict[str, str]
    editor: dict[str, str]
    viewer: dict[str, str]
    # Whether a role may do what an operation's security requirement names: a role by default;
    # with an identity provider, a scope the role grants.
    allows: Callable[[str, str], bool] = field(default=outranks, repr=False)

    def weaker_than(self, required: str) -> dict[str, dict[str, str]]:
        """The headers of every role that may not do what ``required`` names, by role name."""
        return {role: getattr(self, role) for role in ROLES if not self.allows(role, required)}


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
