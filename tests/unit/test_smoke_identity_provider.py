"""The OpenID Connect provider `archgen smoke` runs for oidc projects: a real server on loopback
whose tokens verify against the keys it publishes, with the claims the apps check."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from archgen._smoke._identity_provider import (
    ADMIN_CLIENT,
    AUDIENCE,
    ELSEWHERE_CLIENT,
    READER_CLIENT,
    IdentityProvider,
    smoke_provider,
)

SCOPES = ["catalog.products.admin", "catalog.products.read", "catalog.products.write"]


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    with smoke_provider(SCOPES) as provider:
        yield provider


def token_of(
    provider: IdentityProvider, client_id: str, scope: str | None = None
) -> httpx.Response:
    client = provider.clients[client_id]
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return httpx.post(f"{provider.issuer}/token", data=data, auth=(client_id, client.secret))


def test_discovery_names_the_provider_and_its_keys(provider: IdentityProvider) -> None:
    document = httpx.get(f"{provider.issuer}/.well-known/openid-configuration").json()
    assert document["issuer"] == provider.issuer
    keys = httpx.get(document["jwks_uri"]).json()["keys"]
    assert [key["kty"] for key in keys] == ["RSA"]
    assert "d" not in keys[0], "only the public half is published"


def test_client_credentials_give_a_token_the_published_key_verifies(
    provider: IdentityProvider,
) -> None:
    issued = token_of(provider, ADMIN_CLIENT, " ".join(SCOPES))
    assert issued.status_code == 200, issued.text
    keys = KeySet.import_key_set(httpx.get(f"{provider.issuer}/jwks").json())
    token = jwt.decode(issued.json()["access_token"], keys, algorithms=["RS256"])
    assert token.header["kid"] == keys.keys[0].kid
    claims = token.claims
    assert (claims["iss"], claims["aud"], claims["client_id"]) == (
        provider.issuer,
        AUDIENCE,
        ADMIN_CLIENT,
    )
    assert set(claims["scope"].split()) == set(SCOPES)
    assert claims["exp"] > time.time() + 60


def test_each_client_gets_only_its_scopes_and_its_audience(provider: IdentityProvider) -> None:
    reader = token_of(provider, READER_CLIENT, " ".join(SCOPES)).json()["access_token"]
    elsewhere = token_of(provider, ELSEWHERE_CLIENT).json()["access_token"]
    keys = KeySet.import_key_set(provider.jwks())
    assert jwt.decode(reader, keys).claims["scope"] == "catalog.products.read"
    assert jwt.decode(elsewhere, keys).claims["aud"] != AUDIENCE


def test_a_wrong_secret_or_an_unknown_client_gets_no_token(provider: IdentityProvider) -> None:
    wrong = httpx.post(
        f"{provider.issuer}/token",
        data={"grant_type": "client_credentials"},
        auth=(ADMIN_CLIENT, "not-the-secret"),
    )
    unknown = httpx.post(
        f"{provider.issuer}/token", data={"grant_type": "client_credentials"}, auth=("x", "y")
    )
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_client")
