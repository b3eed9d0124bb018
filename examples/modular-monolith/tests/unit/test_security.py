"""Tokens and roles, without any server."""

import asyncio
import time
import uuid
from typing import Any

import jwt
import pytest

from acme_shop.platform.problems import ProblemError
from acme_shop.platform.security import Principal, Role, TokenService


def tokens(access_ttl: int = 60) -> TokenService:
    return TokenService("x" * 64, issuer="tests", access_ttl=access_ttl, refresh_ttl=120)


async def test_an_access_token_proves_the_principal() -> None:
    principal = Principal(user_id=uuid.uuid4(), role=Role.EDITOR)
    pair = tokens().issue(principal)
    assert await tokens().verify(pair.access_token) == principal


async def test_a_refresh_token_is_not_accepted_as_access() -> None:
    pair = tokens().issue(Principal(user_id=uuid.uuid4(), role=Role.VIEWER))
    with pytest.raises(ProblemError) as raised:
        await tokens().verify(pair.refresh_token)
    assert raised.value.status == 401


async def test_an_expired_token_is_refused() -> None:
    pair = tokens(access_ttl=-1).issue(Principal(user_id=uuid.uuid4(), role=Role.VIEWER))
    with pytest.raises(ProblemError):
        await tokens().verify(pair.access_token)


async def test_a_token_signed_with_another_key_is_refused() -> None:
    forged = TokenService("y" * 64, issuer="tests", access_ttl=60, refresh_ttl=60)
    pair = forged.issue(Principal(user_id=uuid.uuid4(), role=Role.ADMIN))
    with pytest.raises(ProblemError):
        await tokens().verify(pair.access_token)


async def test_a_verified_token_is_not_decoded_again_until_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = tokens(access_ttl=2)
    principal = Principal(user_id=uuid.uuid4(), role=Role.EDITOR)
    token = service.issue(principal).access_token
    assert await service.verify(token) == principal

    decoded = 0
    real_decode = jwt.decode

    def counting_decode(*args: Any, **kwargs: Any) -> Any:
        nonlocal decoded
        decoded += 1
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    assert await service.verify(token) == principal
    assert decoded == 0

    # Once it has expired, the token is decoded again, and refused.
    expires_at = real_decode(token, options={"verify_signature": False})["exp"]
    await asyncio.sleep(max(0.0, expires_at - time.time()) + 0.05)
    with pytest.raises(ProblemError) as raised:
        await service.verify(token)
    assert raised.value.status == 401
    assert decoded == 1


async def test_a_refresh_token_stays_refused_as_access_after_being_refreshed_with() -> None:
    service = tokens()
    principal = Principal(user_id=uuid.uuid4(), role=Role.VIEWER)
    pair = service.issue(principal)
    assert await service.verify(pair.refresh_token, "refresh") == principal
    with pytest.raises(ProblemError):
        await service.verify(pair.refresh_token)


@pytest.mark.parametrize(
    ("role", "required", "allowed"),
    [
        (Role.ADMIN, Role.VIEWER, True),
        (Role.EDITOR, Role.EDITOR, True),
        (Role.VIEWER, Role.EDITOR, False),
        (Role.EDITOR, Role.ADMIN, False),
    ],
)
def test_roles_are_ordered(role: Role, required: Role, allowed: bool) -> None:
    assert role.allows(required) is allowed
