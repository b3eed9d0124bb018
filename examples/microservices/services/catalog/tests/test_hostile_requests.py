"""What an attacker tries first: no token, a weaker role, a method a path does not serve, a
body too large to hold.

The operations come from the app's own OpenAPI document, so an operation added later is
checked without a new test.
"""

import re
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import httpx
import pytest
from fastapi import FastAPI

from tests.support import ROLES, Auth, assert_problem

# Operations anyone may call: health probes, signing in, and the keys tokens are checked with.
PUBLIC_PATHS = {
    "/health/live",
    "/health/ready",
    "/api/v1/auth/token",
    "/api/v1/auth/refresh",
    "/.well-known/jwks.json",
}
# The methods sent to a path that serves others; HEAD is left out, as its answer has no body.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class Operation(NamedTuple):
    method: str
    path: str
    security: list[dict[str, list[str]]] | None
    has_body: bool
    idempotent: bool

    @property
    def url(self) -> str:
        """The path with every parameter filled in by an id that names nothing."""
        return url_of(self.path)

    @property
    def role(self) -> str:
        """The one role the operation's security requirement names."""
        assert self.security is not None, f"{self} is public"
        [requirement] = self.security
        [roles] = requirement.values()
        [role] = roles
        return role


def url_of(path: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def operations(app: FastAPI) -> Iterator[Operation]:
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            has_body = "requestBody" in operation
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            idempotent = "Idempotency-Key" in headers
            yield Operation(method.upper(), path, operation.get("security"), has_body, idempotent)


def secured(app: FastAPI) -> list[Operation]:
    found = [operation for operation in operations(app) if operation.security is not None]
    assert found, "the API has no secured operation"
    return found


def test_every_operation_is_public_by_design_or_names_its_role(app: FastAPI) -> None:
    for operation in operations(app):
        if operation.security is None:
            assert operation.path in PUBLIC_PATHS, f"{operation} needs no token"
        else:
            assert operation.role in ROLES, operation


async def test_every_secured_operation_answers_401_without_a_valid_token(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    for operation in secured(app):
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = await client.request(operation.method, operation.url, headers=headers)
            assert_problem(response, 401)
            assert response.headers["www-authenticate"] == "Bearer", operation


async def test_every_secured_operation_answers_403_to_a_weaker_role(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth
) -> None:
    refused = 0
    for operation in secured(app):
        for headers in auth.weaker_than(operation.role).values():
            response = await client.request(operation.method, operation.url, headers=headers)
            assert_problem(response, 403)
            refused += 1
    assert refused, "no operation needs more than the weakest role"


async def test_a_refused_caller_never_reaches_the_idempotency_store(
    app: FastAPI, client: httpx.AsyncClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Authentication, then authorization, come before an Idempotency-Key is looked up: a
    caller who is refused never reads, writes or learns about a stored response, and costs
    no Redis call, however often they reuse a key."""
    redis = app.state.resources.redis
    calls: list[tuple[Any, ...]] = []
    execute = redis.execute_command

    async def counted(*args: Any, **options: Any) -> Any:
        calls.append(args)
        return await execute(*args, **options)

    monkeypatch.setattr(redis, "execute_command", counted)
    keyed = [operation for operation in secured(app) if operation.idempotent]
    assert keyed, "no operation takes an Idempotency-Key"
    for operation in keyed:
        refused = [(401, {}), (401, {"Authorization": "Bearer not-a-token"})]
        refused += [(403, headers) for headers in auth.weaker_than(operation.role).values()]
        for status, headers in refused:
            for body in ({"a": "body"}, {"another": "body"}):
                keyed_headers = {**headers, "Idempotency-Key": "reused-key"}
                response = await client.post(operation.url, json=body, headers=keyed_headers)
                assert_problem(response, status)
    assert calls == []


async def test_a_method_a_path_does_not_serve_is_a_405_listing_the_ones_it_does(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """RFC 9110: a 405 names every method of the path in Allow, whichever one was refused."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    refused = 0
    for path, item in paths.items():
        served = {method.upper() for method in item}
        url = url_of(path)
        for method in sorted(set(METHODS) - served):
            response = await client.request(method, url)
            assert_problem(response, 405)
            assert set(response.headers["allow"].split(", ")) == served, (method, path)
            refused += 1
    assert refused


def _post_with_body(app: FastAPI) -> Operation:
    return next(op for op in secured(app) if op.method == "POST" and op.has_body)


def _json_whitespace(size: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """A JSON array padded to ``size`` bytes, streamed in chunks, so without a Content-Length."""
    yield b"[]"
    for start in range(2, size, chunk):
        yield b" " * min(chunk, size - start)


def test_a_body_over_the_limit_is_refused_with_413(app: FastAPI, served: str, auth: Auth) -> None:
    operation = _post_with_body(app)
    limit: int = app.state.resources.settings.max_request_body_bytes
    headers = {**auth.admin, "Content-Type": "application/json"}
    with httpx.Client(base_url=served, headers=headers, timeout=30) as http:

        def send(content: bytes | Iterator[bytes], **extra: str) -> httpx.Response:
            return http.request(operation.method, operation.url, content=content, headers=extra)

        declared = send(b"[]" + b" " * (limit - 1))
        streamed = send(_json_whitespace(limit + 1))
        # With an Idempotency-Key too: the key is claimed only once the body has been read.
        keyed = send(_json_whitespace(limit + 1), **{"Idempotency-Key": uuid.uuid4().hex})
        at_the_limit = send(b"".join(_json_whitespace(limit)))
    for refused in (declared, streamed, keyed):
        body = assert_problem(refused, 413)
        assert body["detail"] == f"The request body is larger than {limit} bytes"
    # Read in full and validated: a body of exactly the limit is allowed.
    assert_problem(at_the_limit, 422)
