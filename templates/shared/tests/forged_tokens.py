"""Tokens an attacker forges from a real one: the same claims, only the attack differs."""

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _segment(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header = jwt.get_unverified_header(token)
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return header, claims


def unsigned(token: str) -> str:
    """The token with ``alg: none`` and no signature."""
    header, claims = _parts(token)
    return f"{_segment({**header, 'alg': 'none'})}.{_segment(claims)}."


def hmac_signed_with_public_key(token: str, published_jwk: dict[str, Any]) -> str:
    """The token signed HS256 with the provider's published key as the HMAC secret: the
    algorithm confusion a verifier that lets the token choose its algorithm falls for."""
    header, claims = _parts(token)
    public_key = jwt.PyJWK(published_jwk).key
    secret = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_segment({**header, 'alg': 'HS256'})}.{_segment(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def signed_by_stranger(token: str) -> str:
    """The token signed RS256 by a key the provider never published, under a key id of its own."""
    header, claims = _parts(token)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={**header, "kid": "stranger"})
