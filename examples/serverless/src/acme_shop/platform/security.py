"""Authentication and authorization: argon2 password hashes, JWT access and refresh tokens, roles.

Verifying a token is pure computation with a key prepared once: no database round trip per
request just to authenticate.
"""

import time
import uuid
from enum import StrEnum
from typing import Any, Literal, NamedTuple

import anyio.to_thread
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cachetools import TLRUCache
from pydantic import BaseModel, ConfigDict

from acme_shop.platform.problems import ProblemError

TokenKind = Literal["access", "refresh"]
_ALGORITHM = "HS256"


class Role(StrEnum):
    """Roles, from least to most privileged; each role may do what the ones before it may."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def allows(self, required: "Role") -> bool:
        order = list(Role)
        return order.index(self) >= order.index(required)


class Principal(BaseModel):
    """Who is calling, as proven by their access token."""

    user_id: uuid.UUID
    role: Role


class TokenPair(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "<a signed JWT, valid for expires_in seconds>",
                    "refresh_token": "<a signed JWT, valid for longer>",
                    "token_type": "bearer",
                    "expires_in": 900,
                }
            ]
        },
    )

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


_VERIFIED_TOKENS = 10_000


class _Verified(NamedTuple):
    principal: Principal
    expires_at: float


def _until_expiry(_token: str, verified: _Verified, _now: float) -> float:
    return verified.expires_at


class TokenService:
    """Issues and verifies signed tokens."""

    def __init__(self, secret: str, *, issuer: str, access_ttl: int, refresh_ttl: int) -> None:
        self._secret = secret
        self._issuer = issuer
        self._ttl: dict[TokenKind, int] = {"access": access_ttl, "refresh": refresh_ttl}
        # Clients send the same access token with every request until it expires: its
        # verified claims are kept until then (a token is immutable; its signature, issuer and
        # type were checked once), so a request costs a lookup instead of a JWT decode.
        self._verified: TLRUCache[str, _Verified] = TLRUCache(
            maxsize=_VERIFIED_TOKENS, ttu=_until_expiry, timer=time.time
        )

    def issue(self, principal: Principal) -> TokenPair:
        return TokenPair(
            access_token=self._encode(principal, "access"),
            refresh_token=self._encode(principal, "refresh"),
            expires_in=self._ttl["access"],
        )

    async def verify(self, token: str, kind: TokenKind = "access") -> Principal:
        if kind == "access" and (verified := self._verified.get(token)) is not None:
            return verified.principal
        principal, expires_at = await self._decode(token, kind)
        if kind == "access":
            self._verified[token] = _Verified(principal, expires_at)
        return principal

    async def _decode(self, token: str, kind: TokenKind) -> tuple[Principal, float]:
        try:
            key: Any = self._secret
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[_ALGORITHM],
                issuer=self._issuer,
                options={"require": ["exp", "sub", "typ"]},
            )
        except jwt.PyJWTError as error:
            raise ProblemError(401, f"Invalid token: {error}", headers=_CHALLENGE) from error
        if claims["typ"] != kind:
            raise ProblemError(401, f"Expected an {kind} token", headers=_CHALLENGE)
        principal = Principal(user_id=uuid.UUID(claims["sub"]), role=Role(claims["role"]))
        return principal, float(claims["exp"])

    def _encode(self, principal: Principal, kind: TokenKind) -> str:
        now = int(time.time())
        claims = {
            "sub": str(principal.user_id),
            "role": principal.role.value,
            "typ": kind,
            "iss": self._issuer,
            "iat": now,
            "exp": now + self._ttl[kind],
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)


_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class Passwords:
    """argon2id hashing, run off the event loop: it is deliberately slow."""

    def __init__(self) -> None:
        self._hasher = PasswordHasher()

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        try:
            return await anyio.to_thread.run_sync(self._hasher.verify, password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
