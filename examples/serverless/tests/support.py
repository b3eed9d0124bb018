"""Helpers shared by the tests: callers' credentials and assertions on problem documents."""

from dataclasses import dataclass

import httpx

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Auth:
    """Authorization headers of one user per role."""

    admin: dict[str, str]
    editor: dict[str, str]
    viewer: dict[str, str]


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    """The response is an RFC 9457 problem document with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    return body
