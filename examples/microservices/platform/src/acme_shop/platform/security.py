"""Authentication and authorization across services: argon2 passwords, JWTs, roles.

The identity service signs tokens with its private key (ES256) and publishes the public keys
as a JWKS at /.well-known/jwks.json. Every other service verifies tokens with those keys,
fetched once and cached (``platform.jwks``); a token signed with a key it has not seen yet
(after a rotation) makes it fetch the JWKS again. No shared secret, and no call to the
identity service per request.
"""

import base64
import hashlib
import json
import time
import uuid
from enum import StrEnum
from typing import Any, Literal, NamedTuple

import anyio.to_thread
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cachetools import TLRUCache
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from pydantic import BaseModel, ConfigDict

from acme_shop.platform.jwks import KeySet
from acme_shop.platform.problems import ProblemError

TokenKind = Literal["access", "refresh"]
_ALGORITHM = "ES256"


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


def _thumbprint(jwk: dict[str, str]) -> str:
    """The RFC 7638 thumbprint of an EC public key: a stable key id."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def public_jwk(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """The JWK of a public key, with its thumbprint as ``kid``."""
    jwk: dict[str, str] = json.loads(ECAlgorithm.to_jwk(public_key))
    return {**jwk, "kid": _thumbprint(jwk), "use": "sig", "alg": _ALGORITHM}


class SigningKey:
    """The identity service's private key: it signs tokens, its public half is in the JWKS."""

    def __init__(self, private_pem: str) -> None:
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("JWT_PRIVATE_KEY must be an EC (P-256) private key in PEM")
        self._key = key
        self.jwk = public_jwk(key.public_key())

    @staticmethod
    def generate() -> str:
        """A new P-256 private key, in PEM: what JWT_PRIVATE_KEY holds."""
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return pem.decode()

    @property
    def public_pem(self) -> str:
        """The public key in PEM: what JWT_RETIRED_PUBLIC_KEYS lists after a rotation."""
        pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem.decode()

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._key, algorithm=_ALGORITHM, headers={"kid": self.jwk["kid"]})


class LocalKeys:
    """The identity service's own keys: the signing key and the retired ones still trusted."""

    def __init__(self, signing_key: SigningKey, retired_public_pems: list[str]) -> None:
        retired = [serialization.load_pem_public_key(pem.encode()) for pem in retired_public_pems]
        jwks = [signing_key.jwk]
        jwks += [public_jwk(key) for key in retired if isinstance(key, ec.EllipticCurvePublicKey)]
        self.jwks: dict[str, list[dict[str, str]]] = {"keys": jwks}
        self._keys = {jwk["kid"]: jwt.PyJWK(jwk) for jwk in jwks}

    async def key_for(self, kid: str) -> jwt.PyJWK | None:
        return self._keys.get(kid)


_VERIFIED_TOKENS = 10_000


class _Verified(NamedTuple):
    principal: Principal
    expires_at: float


def _until_expiry(_token: str, verified: _Verified, _now: float) -> float:
    return verified.expires_at


class TokenService:
    """Issues (in the identity service, which holds the signing key) and verifies tokens."""

    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str,
        access_ttl: int,
        refresh_ttl: int,
        signing_key: SigningKey | None = None,
    ) -> None:
        self.keys = keys
        self._signing_key = signing_key
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
            kid = jwt.get_unverified_header(token).get("kid")
            key = await self.keys.key_for(kid) if isinstance(kid, str) else None
            if key is None:
                raise ProblemError(401, "Invalid token: unknown signing key", headers=_CHALLENGE)
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
        if self._signing_key is None:
            raise RuntimeError("only the identity service, which holds the signing key, issues")
        return self._signing_key.sign(claims)


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
