"""Tokens from the identity service, verified with its published keys: fetched once, fetched
again after a rotation, and never trusted for a key it does not publish."""

import json
import time
import uuid
from collections.abc import Iterator

import anyio
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from acme_shop.platform.jwks import RemoteKeys
from acme_shop.platform.problems import ProblemError
from acme_shop.platform.security import (
    LocalKeys,
    Principal,
    Role,
    SigningKey,
    TokenService,
)

JWKS_PATH = "/.well-known/jwks.json"
CALLER = Principal(user_id=uuid.uuid4(), role=Role.EDITOR)


def issuer(key: SigningKey) -> TokenService:
    """Signs as the identity service does with ``key``."""
    return TokenService(
        LocalKeys(key, []), signing_key=key, issuer="tests", access_ttl=60, refresh_ttl=60
    )


@pytest.fixture
def identity() -> Iterator[HTTPServer]:
    """Where the identity service would publish its keys."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    yield server
    server.stop()


async def test_the_keys_are_fetched_once_and_follow_a_rotation(identity: HTTPServer) -> None:
    old, new = SigningKey(SigningKey.generate()), SigningKey(SigningKey.generate())
    identity.expect_request(JWKS_PATH).respond_with_json({"keys": [old.jwk]})
    keys = RemoteKeys(identity.url_for(JWKS_PATH), ttl=300, min_refetch=0)
    verifier = TokenService(keys, issuer="tests", access_ttl=60, refresh_ttl=60)
    try:
        for _ in range(3):
            assert await verifier.verify(issuer(old).issue(CALLER).access_token) == CALLER
        assert len(identity.log) == 1

        # The identity service rotates: it signs with the new key and still publishes the old.
        identity.clear()
        identity.expect_request(JWKS_PATH).respond_with_json({"keys": [new.jwk, old.jwk]})
        assert await verifier.verify(issuer(new).issue(CALLER).access_token) == CALLER
        assert await verifier.verify(issuer(old).issue(CALLER).access_token) == CALLER
        assert len(identity.log) == 1
    finally:
        await keys.aclose()


async def test_a_token_signed_with_an_unpublished_key_is_refused(identity: HTTPServer) -> None:
    published, forged = SigningKey(SigningKey.generate()), SigningKey(SigningKey.generate())
    identity.expect_request(JWKS_PATH).respond_with_json({"keys": [published.jwk]})
    keys = RemoteKeys(identity.url_for(JWKS_PATH), ttl=300, min_refetch=60)
    verifier = TokenService(keys, issuer="tests", access_ttl=60, refresh_ttl=60)
    try:
        for _ in range(3):
            with pytest.raises(ProblemError) as refused:
                await verifier.verify(issuer(forged).issue(CALLER).access_token)
            assert refused.value.status == 401
        assert len(identity.log) == 1  # unknown key ids do not hammer the identity service
    finally:
        await keys.aclose()


async def test_known_keys_stay_trusted_while_the_identity_service_is_away(
    identity: HTTPServer,
) -> None:
    key = SigningKey(SigningKey.generate())
    identity.expect_request(JWKS_PATH).respond_with_json({"keys": [key.jwk]})
    keys = RemoteKeys(identity.url_for(JWKS_PATH), ttl=0, min_refetch=0)
    verifier = TokenService(keys, issuer="tests", access_ttl=60, refresh_ttl=60)
    try:
        assert await verifier.verify(issuer(key).issue(CALLER).access_token) == CALLER
        identity.clear()
        identity.expect_request(JWKS_PATH).respond_with_data("down", status=503)
        assert await verifier.verify(issuer(key).issue(CALLER).access_token) == CALLER
    finally:
        await keys.aclose()


async def test_requests_that_arrive_during_the_first_fetch_wait_for_it(
    identity: HTTPServer,
) -> None:
    key = SigningKey(SigningKey.generate())

    def slowly(_request: Request) -> Response:
        time.sleep(0.3)  # the identity service answers, but not at once
        return Response(json.dumps({"keys": [key.jwk]}), content_type="application/json")

    identity.expect_request(JWKS_PATH).respond_with_handler(slowly)
    keys = RemoteKeys(identity.url_for(JWKS_PATH), ttl=300, min_refetch=60)
    verifier = TokenService(keys, issuer="tests", access_ttl=60, refresh_ttl=60)
    token = issuer(key).issue(CALLER).access_token
    callers: list[Principal] = []

    async def call() -> None:
        callers.append(await verifier.verify(token))

    try:
        async with anyio.create_task_group() as requests:
            requests.start_soon(call)
            await anyio.sleep(0.1)  # the first request's fetch is under way
            for _ in range(4):
                requests.start_soon(call)
        assert callers == [CALLER] * 5
        assert len(identity.log) == 1
    finally:
        await keys.aclose()
