"""A standards-conformant OpenID Connect provider on a loopback port, for tests and development.

It serves discovery, its JWKS, the token endpoint (client credentials; authorization code with
PKCE) and the authorize endpoint (for the user a test signs in: no login page), all built on
Authlib's authorization-server classes, in a thread of the test process. Tests can rotate its
keys, skew its clock, make it name another issuer or sign with a key it does not publish, and
take it down and up again on the same port.

For local development (`.env.example` points the app at it):

    uv run python -m tests.identity_provider [--port 9400]
"""

import argparse
import base64
import hashlib
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

import httpx
from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc.jwk import KeySet, RSAKey

HOST = "127.0.0.1"
# Long enough for a whole test session, which signs its callers in once.
TOKEN_LIFETIME_SECONDS = 3600


@dataclass
class Client(ClientMixin):
    """A registered client: confidential with a secret, public (PKCE) without one. It may ask
    for its ``scopes`` (None: any scope, as the development provider allows)."""

    client_id: str
    secret: str | None
    scopes: list[str] | None
    audience: str
    redirect_uris: list[str] = field(default_factory=list)
    claims: dict[str, Any] = field(default_factory=dict)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0] if self.redirect_uris else ""

    def get_allowed_scope(self, scope: Collection[str] | str | None) -> str:
        asked = scope.split() if isinstance(scope, str) else list(scope or [])
        if self.scopes is None:
            return " ".join(asked)
        if not asked:
            return " ".join(self.scopes)
        return " ".join(name for name in asked if name in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return self.secret is not None and secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.secret is None:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and bool(self.redirect_uris)

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials":
            return self.secret is not None
        return grant_type == "authorization_code" and bool(self.redirect_uris)


@dataclass
class User:
    """An account at the provider, with the claims its tokens carry (roles, groups)."""

    subject: str
    claims: dict[str, Any] = field(default_factory=dict)

    def get_user_id(self) -> str:
        return self.subject


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class _S256Only(CodeChallenge):
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]  # noqa: RUF012 - Authlib's own attribute


class _CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"]  # noqa: RUF012

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        provider: IdentityProvider = self.server.provider
        payload, client, user = request.payload, request.client, request.user
        assert payload is not None
        assert client is not None
        assert isinstance(user, User)
        provider.codes[code] = _Code(
            code,
            client.get_client_id(),
            str(payload.redirect_uri),
            str(payload.scope),
            user,
            payload.data.get("code_challenge"),
            payload.data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: ClientMixin) -> _Code | None:
        provider: IdentityProvider = self.server.provider
        found = provider.codes.get(code)
        return found if found is not None and found.client_id == client.get_client_id() else None

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        provider: IdentityProvider = self.server.provider
        provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: _Code) -> User:
        return authorization_code.user


class _AccessTokens(JWTBearerTokenGenerator):
    """RFC 9068 JWT access tokens, signed with the provider's current key."""

    def __init__(self, provider: "IdentityProvider") -> None:
        super().__init__(
            issuer="",  # each token's "iss" is the provider's as it serves (get_extra_claims)
            alg="RS256",
            expires_generator=lambda _client, _grant_type: TOKEN_LIFETIME_SECONDS,
        )
        self.provider = provider

    def get_jwks(self) -> KeySet:
        # One key only: given several, joserfc would sign with one picked at random.
        return KeySet([self.provider.signing_key])

    def get_audiences(self, client: Client, user: User | None, scope: str) -> str:
        return client.audience

    def get_extra_claims(
        self, client: Client, grant_type: str, user: User | None, scope: str
    ) -> dict[str, Any]:
        now = int(time.time()) + self.provider.skew
        claims: dict[str, Any] = {
            "iss": self.provider.issued_as or self.provider.issuer,
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
        }
        return {**claims, **(client.claims if user is None else user.claims)}


class _Request(OAuth2Request):
    """A request as Authlib's server reads it: its form or query, and its headers as sent."""

    def __init__(self, method: str, uri: str, headers: Any, data: dict[str, str]) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def args(self) -> dict[str, str | None]:
        return dict(self._data)

    @property
    def form(self) -> dict[str, str]:
        return self._data


_Response = tuple[int, Any, list[tuple[str, str]]]


class _Server(AuthorizationServer):
    def __init__(self, provider: "IdentityProvider") -> None:
        super().__init__(scopes_supported=["openid", *provider.scopes])
        self.provider = provider

    # None for a client it does not know, as Authlib expects (its stubs say it never is).
    def query_client(self, client_id: str) -> Client | None:  # type: ignore[override]
        return self.provider.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """JWT access tokens carry everything: nothing to store."""

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No one listens."""

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request  # built by the HTTP handler, which has read the body

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("the provider takes no JSON requests")

    def handle_response(self, status: int, body: Any, headers: Any) -> _Response:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return status, body, [(str(name), str(value)) for name, value in pairs]


class IdentityProvider:
    """The provider; a context manager that serves it on a free loopback port (or ``port``)."""

    def __init__(self, scopes: list[str], *, port: int = 0) -> None:
        self.scopes = scopes
        self.keys = [RSAKey.generate_key(2048, auto_kid=True)]
        self.stranger: RSAKey | None = None  # signs without being published, when set
        self.clients: dict[str, Client] = {}
        self.users: dict[str, User] = {}
        self.codes: dict[str, _Code] = {}
        self.signed_in: User | None = None
        self.skew = 0
        self.issued_as: str | None = None
        self.hits: Counter[str] = Counter()
        self._port = port
        self._http: _HTTPServer | None = None
        self.server = _Server(self)
        self.server.register_grant(ClientCredentialsGrant)
        self.server.register_grant(_CodeGrant, [_S256Only(required=True)])
        self.server.register_token_generator("default", _AccessTokens(self))

    @property
    def issuer(self) -> str:
        return f"http://{HOST}:{self._port}"

    @property
    def signing_key(self) -> RSAKey:
        return self.stranger or self.keys[0]

    # -- clients and users ------------------------------------------------------------------

    def register_client(
        self,
        client_id: str,
        *,
        secret: str | None = None,
        scopes: list[str] | None = None,
        audience: str,
        redirect_uris: list[str] | None = None,
        claims: dict[str, Any] | None = None,
        any_scope: bool = False,
    ) -> Client:
        """A client that may ask for ``scopes`` (default: every scope of the provider)."""
        allowed = None if any_scope else (self.scopes if scopes is None else scopes)
        client = Client(client_id, secret, allowed, audience, redirect_uris or [], claims or {})
        self.clients[client_id] = client
        return client

    def add_user(self, subject: str, **claims: Any) -> User:
        self.users[subject] = User(subject, claims)
        return self.users[subject]

    def sign_in(self, subject: str) -> None:
        """Who the authorize endpoint answers for from now on."""
        self.signed_in = self.users[subject]

    # -- the flows, as clients run them -----------------------------------------------------

    async def client_credentials(
        self, client_id: str, scopes: list[str] | None = None
    ) -> str:
        """An access token for a confidential client, from the token endpoint."""
        client = self.clients[client_id]
        data = {"grant_type": "client_credentials"}
        if scopes is not None:
            data["scope"] = " ".join(scopes)
        async with httpx.AsyncClient(base_url=self.issuer) as http:
            response = await http.post("/token", data=data, auth=(client_id, client.secret or ""))
        response.raise_for_status()
        return str(response.json()["access_token"])

    async def authorization_code(
        self, client_id: str, redirect_uri: str, scopes: list[str], subject: str
    ) -> str:
        """An access token for ``subject``, through the authorization code flow with PKCE."""
        self.sign_in(subject)
        verifier = secrets.token_urlsafe(48)
        state = secrets.token_urlsafe(16)
        async with httpx.AsyncClient(base_url=self.issuer) as http:
            authorized = await http.get(
                "/authorize",
                params={
                    "response_type": "code",
                    "client_id": client_id,
                    "redirect_uri": redirect_uri,
                    "scope": " ".join(scopes),
                    "state": state,
                    "code_challenge": pkce_challenge(verifier),
                    "code_challenge_method": "S256",
                },
            )
            redirected = httpx.URL(authorized.headers["location"])
            assert redirected.params["state"] == state, redirected
            issued = await http.post(
                "/token",
                data={
                    "grant_type": "authorization_code",
                    "code": redirected.params["code"],
                    "redirect_uri": redirect_uri,
                    "client_id": client_id,
                    "code_verifier": verifier,
                },
            )
        issued.raise_for_status()
        return str(issued.json()["access_token"])

    # -- what tests do to it ----------------------------------------------------------------

    def rotate_keys(self) -> None:
        """A new key signs from now on; the previous ones stay published."""
        self.keys.insert(0, RSAKey.generate_key(2048, auto_kid=True))

    def retire_previous_keys(self) -> None:
        """Only the current key stays published."""
        del self.keys[1:]

    @contextmanager
    def clock_skew(self, seconds: int) -> Iterator[None]:
        """Tokens issued in the block say they were issued ``seconds`` from now."""
        self.skew = seconds
        try:
            yield
        finally:
            self.skew = 0

    @contextmanager
    def issuing_as(self, issuer: str) -> Iterator[None]:
        """Tokens issued in the block name ``issuer`` as theirs."""
        self.issued_as = issuer
        try:
            yield
        finally:
            self.issued_as = None

    @contextmanager
    def signing_with_unpublished_key(self) -> Iterator[None]:
        """Tokens issued in the block are signed with a key the JWKS never lists."""
        self.stranger = RSAKey.generate_key(2048, auto_kid=True)
        try:
            yield
        finally:
            self.stranger = None

    @contextmanager
    def down(self) -> Iterator[None]:
        """The provider unreachable in the block (connections refused), then back, same port."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    # -- serving ----------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet(list(self.keys)).as_dict(private=False))

    def metadata(self) -> dict[str, Any]:
        metadata = OpenIDProviderMetadata(
            issuer=self.issuer,
            authorization_endpoint=f"{self.issuer}/authorize",
            token_endpoint=f"{self.issuer}/token",
            jwks_uri=f"{self.issuer}/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            grant_types_supported=["authorization_code", "client_credentials"],
            code_challenge_methods_supported=["S256"],
            token_endpoint_auth_methods_supported=[
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            scopes_supported=["openid", *self.scopes],
        )
        metadata.validate()
        return dict(metadata)

    def start(self) -> None:
        self._http = _HTTPServer((HOST, self._port), _Handler, self)
        self._port = self._http.server_address[1]
        threading.Thread(target=self._http.serve_forever, name="identity-provider", daemon=True).start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def __enter__(self) -> "IdentityProvider":
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header that presents ``token``."""
    return {"Authorization": f"Bearer {token}"}


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of a PKCE code verifier (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type["_Handler"], provider: IdentityProvider
    ) -> None:
        super().__init__(address, handler)
        self.provider = provider


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.0: every connection closes, so a stopped provider refuses the next request."""

    server: _HTTPServer

    def do_GET(self) -> None:
        provider = self.server.provider
        url = urlsplit(self.path)
        provider.hits[url.path] += 1
        if url.path == "/.well-known/openid-configuration":
            self._send(200, provider.metadata())
        elif url.path == "/jwks":
            self._send(200, provider.jwks(), [("Cache-Control", "max-age=300")])
        elif url.path == "/authorize":
            self._send(*self._authorize(dict(parse_qsl(url.query))))
        else:
            self._send(404, {"error": "not_found"})

    def do_POST(self) -> None:
        provider = self.server.provider
        provider.hits[self.path] += 1
        length = int(self.headers.get("Content-Length", 0))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if self.path == "/token":
            request = _Request("POST", provider.issuer + self.path, self.headers, form)
            self._send(*provider.server.create_token_response(request))
        else:
            self._send(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> _Response:
        provider = self.server.provider
        request = _Request("GET", provider.issuer + self.path, self.headers, query)
        try:
            grant = provider.server.get_consent_grant(  # type: ignore[no-untyped-call]
                request, end_user=provider.signed_in
            )
        except OAuth2Error as error:
            return cast(_Response, provider.server.handle_error_response(request, error))
        authorized = provider.server.create_authorization_response(
            request, grant_user=provider.signed_in, grant=grant
        )
        return cast(_Response, authorized)

    def _send(self, status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> None:
        content = json.dumps(body).encode() if isinstance(body, dict) else str(body or "").encode()
        self.send_response(status)
        for name, value in headers or []:
            if name.lower() != "content-type":
                self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the tests say what matters."""


def main(argv: list[str] | None = None) -> int:
    """Serve a provider for local development until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m tests.identity_provider")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--audience", required=True, help="the API's audience (OIDC_AUDIENCES)")
    parser.add_argument(
        "--redirect-uri", default="http://127.0.0.1:8000/docs/oauth2-redirect",
        help="where Swagger UI's sign-in returns to",
    )
    args = parser.parse_args(argv)
    with IdentityProvider([], port=args.port) as provider:
        machine_secret = secrets.token_urlsafe(24)
        provider.register_client(
            "machine", secret=machine_secret, audience=args.audience, any_scope=True
        )
        provider.register_client(
            "docs", audience=args.audience, redirect_uris=[args.redirect_uri], any_scope=True
        )
        provider.add_user("developer", realm_access={"roles": ["admin"]})
        provider.sign_in("developer")
        print(f"issuer {provider.issuer}")
        print(f"swagger ui client: docs (PKCE, redirects to {args.redirect_uri})")
        print(f"machine client: machine / {machine_secret} (client credentials)")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
