"""Tokens and roles, without any server."""

import uuid

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
