"""An OpenID Connect provider on loopback for smoke runs of projects whose identity is oidc.

It serves discovery, its JWKS and the token endpoint's client credentials grant, built on
Authlib's authorization-server classes (the same ones the generated projects' own test
provider uses): enough for the smoke checks to get real tokens the apps verify as they would
the organisation's provider's. It is archgen's own, so the oracle is not the project's test code
and an app run from its image (which has no tests) can use it too.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc.jwk import KeySet, RSAKey

from archgen._smoke._services import HOST

TOKEN_LIFETIME_SECONDS = 3600
# The audience the apps under test accept, and the clients the checks get tokens for.
AUDIENCE = "smoke"
ADMIN_CLIENT = "smoke-admin"  # every scope
READER_CLIENT = "smoke-reader"  # the read scopes only
ELSEWHERE_CLIENT = "smoke-elsewhere"  # every scope, but of another API


@dataclass(frozen=True)
class SmokeClient(ClientMixin):
    """A confidential client: the scopes it may ask for, the audience its tokens name."""

    client_id: str
    secret: str
    scopes: tuple[str, ...]
    audience: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return ""

    def get_allowed_scope(self, scope: Collection[str] | str | None) -> str:
        asked = scope.split() if isinstance(scope, str) else list(scope or [])
        return " ".join(name for name in asked or self.scopes if name in self.scopes)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class _AccessTokens(JWTBearerTokenGenerator):
    """RFC 9068 JWT access tokens signed with the provider's one key."""

    def __init__(self, provider: IdentityProvider) -> None:
        super().__init__(
            issuer="",  # set per token from the provider's address (get_extra_claims)
            alg="RS256",
            expires_generator=lambda _client, _grant_type: TOKEN_LIFETIME_SECONDS,
        )
        self.provider = provider

    def get_jwks(self) -> KeySet:
        return KeySet([self.provider.key])

    def get_audiences(self, client: SmokeClient, user: Any, scope: str) -> str:
        return client.audience

    def get_extra_claims(
        self, client: SmokeClient, grant_type: str, user: Any, scope: str
    ) -> dict[str, Any]:
        return {"iss": self.provider.issuer}


class _Request(OAuth2Request):
    def __init__(self, uri: str, headers: Any, form: dict[str, str]) -> None:
        super().__init__("POST", uri, headers=headers)
        self.payload = BasicOAuth2Payload(form)
        self._form = form

    @property
    def form(self) -> dict[str, str]:
        return self._form


_Response = tuple[int, Any, list[tuple[str, str]]]


class _Server(AuthorizationServer):
    def __init__(self, provider: IdentityProvider) -> None:
        super().__init__(scopes_supported=list(provider.scopes))
        self.provider = provider

    # None for a client it does not know, as Authlib expects (its stubs say it never is).
    def query_client(self, client_id: str) -> SmokeClient | None:  # type: ignore[override]
        return self.provider.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """JWT access tokens carry everything: nothing to store."""

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No one listens."""

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("the provider takes no JSON requests")

    def handle_response(self, status: int, body: Any, headers: Any) -> _Response:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return status, body, [(str(name), str(value)) for name, value in pairs]


class IdentityProvider(ThreadingHTTPServer):
    """Serves on a free loopback port for the ``with`` block; ``token`` asks it for one."""

    daemon_threads = True

    def __init__(self, scopes: Collection[str]) -> None:
        super().__init__((HOST, 0), _Handler)
        self.scopes = tuple(sorted(scopes))
        self.key = RSAKey.generate_key(2048, auto_kid=True)
        self.clients: dict[str, SmokeClient] = {}
        self.oauth = _Server(self)
        self.oauth.register_grant(ClientCredentialsGrant)
        self.oauth.register_token_generator("default", _AccessTokens(self))
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    def register(self, client_id: str, scopes: Collection[str], audience: str) -> SmokeClient:
        client = SmokeClient(client_id, secrets.token_urlsafe(16), tuple(scopes), audience)
        self.clients[client_id] = client
        return client

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": list(self.scopes),
        }

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet([self.key]).as_dict(private=False))

    def __enter__(self) -> IdentityProvider:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: IdentityProvider

    def do_GET(self) -> None:
        if self.path == "/.well-known/openid-configuration":
            self._send(200, self.server.metadata())
        elif self.path == "/jwks":
            self._send(200, self.server.jwks())
        else:
            self._send(404, {"error": "not_found"})

    def do_POST(self) -> None:
        if self.path != "/token":
            self._send(404, {"error": "not_found"})
            return
        length = int(self.headers.get("Content-Length", 0))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        request = _Request(self.server.issuer + self.path, self.headers, form)
        self._send(*self.server.oauth.create_token_response(request))

    def _send(self, status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> None:
        content = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers or []:
            if name.lower() != "content-type":
                self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the smoke report says what matters."""


def smoke_provider(scopes: Collection[str]) -> IdentityProvider:
    """A provider for a smoke run, its clients registered: one with every scope of the API, one
    that only reads, and one whose tokens are meant for another API."""
    provider = IdentityProvider(scopes)
    provider.register(ADMIN_CLIENT, scopes, AUDIENCE)
    provider.register(
        READER_CLIENT, [scope for scope in scopes if scope.endswith(".read")], AUDIENCE
    )
    provider.register(ELSEWHERE_CLIENT, scopes, "https://elsewhere.example.com")
    return provider
