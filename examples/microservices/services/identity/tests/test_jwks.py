"""The keys other services verify tokens with: published, current, and kept through a rotation."""

import httpx
import jwt
from fastapi import FastAPI

from acme_shop.platform.security import SigningKey
from tests.conftest import AppFactory, client_for
from tests.support import Auth

JWKS_PATH = "/.well-known/jwks.json"


async def test_tokens_verify_with_the_published_key(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.get(JWKS_PATH)
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    keys = jwt.PyJWKSet.from_dict(response.json())
    token = auth.viewer["Authorization"].removeprefix("Bearer ")
    key = keys[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, key, algorithms=["ES256"], options={"verify_iss": False})
    assert claims["role"] == "viewer"
    assert "d" not in response.json()["keys"][0]  # never the private part


async def test_a_retired_key_stays_published_until_its_tokens_expire(
    make_app: AppFactory,
) -> None:
    retired = SigningKey(SigningKey.generate())
    rotated: FastAPI = await make_app(jwt_retired_public_keys=[retired.public_pem])
    async with client_for(rotated) as client:
        kids = [key["kid"] for key in (await client.get(JWKS_PATH)).json()["keys"]]
    assert len(kids) == 2
    assert kids[1] == retired.jwk["kid"]
