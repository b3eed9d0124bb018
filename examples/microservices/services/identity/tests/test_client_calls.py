"""The identity service's typed clients drive it as a caller would: an admin registers a user,
the user signs in and reads themself, and a wrong password gets a problem document. (The
service has no collections: no list, no ETag.)
"""

import json
import os
import uuid
from http import HTTPStatus
from pathlib import Path

from acme_shop_identity_client import AuthenticatedClient, Client
from acme_shop_identity_client.api.auth import issue_token
from acme_shop_identity_client.api.users import create_user, get_current_user
from acme_shop_identity_client.models import (
    Credentials,
    Problem,
    Role,
    TokenPair,
    UserCreate,
    UserRead,
)

from tests.support import PASSWORD, Auth
from tests.typescript import needs_node, run_script

ROOT = Path(__file__).resolve().parents[3]


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_python_client(served: str, auth: Auth) -> None:
    email = f"{uuid.uuid4().hex[:12]}@example.com"
    async with AuthenticatedClient(base_url=served, token=_token(auth.admin)) as admin:
        created = await create_user.asyncio_detailed(
            client=admin, body=UserCreate(email=email, password=PASSWORD, role=Role.VIEWER)
        )
        assert created.status_code == HTTPStatus.CREATED
    async with Client(base_url=served) as anonymous:
        tokens = await issue_token.asyncio(
            client=anonymous, body=Credentials(email=email, password=PASSWORD)
        )
        assert isinstance(tokens, TokenPair)
        refused = await issue_token.asyncio_detailed(
            client=anonymous, body=Credentials(email=email, password=PASSWORD + " but wrong")
        )
        assert refused.status_code == HTTPStatus.UNAUTHORIZED
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert isinstance(refused.parsed, Problem)  # the document says which errors it answers
        assert refused.parsed.status == HTTPStatus.UNAUTHORIZED
    async with AuthenticatedClient(base_url=served, token=tokens.access_token) as user:
        me = await get_current_user.asyncio(client=user)
        assert isinstance(me, UserRead)
        assert me.email == email


@needs_node
async def test_typescript_client(served: str, auth: Auth) -> None:
    """clients/typescript/test/identity.ts does the same through openapi-fetch."""
    user = {"email": f"{uuid.uuid4().hex[:12]}@example.com", "password": PASSWORD}
    api = {"API_URL": served, "API_TOKEN": _token(auth.admin), "API_USER": json.dumps(user)}
    await run_script(ROOT, "identity", {**os.environ, **api})
