"""The keys that verify tokens, by key id: an issuer's published JSON Web Key Set, cached.

A verifier asks for the key a token names (its ``kid``); the set is fetched once, kept for a
while, and fetched again early when a token names a key it does not hold (the issuer rotated).
"""

import time
from typing import Protocol

import anyio
import httpx
import jwt

from acme_shop.platform.problems import ProblemError


class KeySet(Protocol):
    """Where verifying keys come from, by key id."""

    async def key_for(self, kid: str) -> jwt.PyJWK | None: ...


class RemoteKeys:
    """An issuer's public keys, fetched from its JWKS URL and cached.

    The cache lasts ``ttl`` seconds; a key id it does not know (after a rotation) triggers an
    early fetch. Fetches happen at most every ``min_refetch`` seconds, so forged key ids cannot
    flood the issuer, and while it is away the keys already known stay trusted: without a
    limit until a fetch succeeds, or for ``max_stale`` seconds past their ``ttl``, after which
    a key the issuer may have withdrawn meanwhile is trusted no longer (503 until it is back).
    """

    def __init__(
        self,
        url: str,
        *,
        ttl: float,
        min_refetch: float = 10.0,
        max_stale: float | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._url = url
        self._ttl = ttl
        self._min_refetch = min_refetch
        self._max_stale = max_stale
        self._client = httpx.AsyncClient(timeout=timeout)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._stale_at = 0.0
        self._next_fetch_at = 0.0
        self._lock = anyio.Lock()

    async def key_for(self, kid: str) -> jwt.PyJWK | None:
        # With no keys yet, wait for the fetch under way instead of refusing beside it.
        if not self._keys or self._fetch_due(kid):
            async with self._lock:
                if self._fetch_due(kid):
                    await self._fetch()
        if self._too_stale():
            self._keys = {}
        if not self._keys:
            raise ProblemError(
                503,
                "The token keys are unavailable: the JWKS cannot be fetched",
                headers={"Retry-After": str(max(1, round(self._min_refetch)))},
            )
        return self._keys.get(kid)

    def _fetch_due(self, kid: str) -> bool:
        now = time.monotonic()
        return now >= self._next_fetch_at and (now >= self._stale_at or kid not in self._keys)

    def _too_stale(self) -> bool:
        return self._max_stale is not None and time.monotonic() > self._stale_at + self._max_stale

    async def _fetch(self) -> None:
        self._next_fetch_at = time.monotonic() + self._min_refetch
        try:
            response = await self._client.get(self._url)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(
                # Encryption keys may share the set; only signing keys verify tokens.
                {"keys": [key for key in response.json()["keys"] if key.get("use") != "enc"]}
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError, jwt.PyJWTError):
            return  # the keys already known stay trusted until the next fetch succeeds
        self._keys = {key.key_id: key for key in keys.keys if key.key_id}
        self._stale_at = time.monotonic() + self._ttl

    async def aclose(self) -> None:
        await self._client.aclose()
