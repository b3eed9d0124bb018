"""A generated app served by a real uvicorn process on loopback, and the checks run against it."""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from typing import Any

from port_for import get_port

from archgen import EntitySpec
from tests.e2e.project import GeneratedProject

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "a-long-enough-password"
RATE_LIMIT_PER_MINUTE = 60


def _lower(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def sample_body(entity: EntitySpec, n: int) -> dict[str, Any]:
    """A valid body for an entity without required references."""
    samples: dict[str, Any] = {
        "string": lambda f: f"{f.name}-{n}"[: f.length],
        "text": lambda f: f"{f.name} {n}",
        "integer": lambda f: n,
        "decimal": lambda f: "1" + ("." + "0" * f.scale if f.scale else ""),
        "boolean": lambda f: True,
        "date": lambda f: "2026-02-03",
        "datetime": lambda f: "2026-02-03T04:05:06Z",
        "uuid": lambda f: "0b9d7a6e-1c8e-4a5e-9d55-0fd1f2a3b4c5",
        "enum": lambda f: f.values[0],
    }
    return {f.name: samples[f.type.value](f) for f in entity.field_list if not f.is_reference}


@dataclass
class RunningApp:
    project: GeneratedProject
    base_url: str
    token: str = ""

    @classmethod
    @contextmanager
    def start(
        cls, project: GeneratedProject, *, database_url: str, redis_url: str
    ) -> Iterator[RunningApp]:
        env = {
            "ENVIRONMENT": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": f"e2e-{secrets.token_hex(4)}",
            "JWT_SECRET": secrets.token_urlsafe(48),
            "ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT_PER_MINUTE),
        }
        project.uv_run("alembic", "upgrade", "head", env=env)
        project.uv_run(
            "python",
            "-m",
            f"{project.package}.manage",
            "create-user",
            ADMIN_EMAIL,
            "--role",
            "admin",
            env=env,
            stdin=ADMIN_PASSWORD + "\n",
        )
        port = get_port(None)
        server = subprocess.Popen(
            # uvicorn itself, not through `uv run`, so SIGTERM reaches the server directly.
            [
                str(project.path / ".venv" / "bin" / "uvicorn"),
                f"{project.package}.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=project.path,
            env={**project.environment(), **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        app = cls(project, f"http://127.0.0.1:{port}")
        try:
            app._wait_until_live(server)
            yield app
        finally:
            server.send_signal(signal.SIGTERM)
            output, _ = server.communicate(timeout=30)
        # uvicorn re-raises the signal it handled once shutdown is complete.
        assert server.returncode in (0, -signal.SIGTERM), output[-3000:]
        assert "Application shutdown complete." in output, output[-3000:]

    def _wait_until_live(self, server: subprocess.Popen[str], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise AssertionError(
                    f"the app exited on start:\n{server.stdout.read() if server.stdout else ''}"
                )
            try:
                if self.request("GET", "/health/live").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the app did not answer /health/live in time")

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Response:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Response(response.status, _lower(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, _lower(error.headers), error.read())

    def check_serves_its_api(self) -> None:
        ready = self.request("GET", "/health/ready")
        assert ready.status == 200, ready
        assert ready.json()["status"] == "ok", ready
        docs = self.request("GET", "/docs")
        assert docs.status == 200
        assert b"swagger" in docs.body.lower()
        assert "/api/v1/auth/token" in self.request("GET", "/openapi.json").json()["paths"]
        entity = next(
            e
            for e in self.project.domain.entity_list
            if not any(f.required for f in e.reference_fields)
        )
        url = f"/api/v1/{entity.context.replace('_', '-')}/{entity.url_segment}"
        refused = self.request("GET", url)
        assert refused.status == 401
        assert refused.headers["content-type"] == "application/problem+json"
        self.token = self._sign_in()
        self._check_crud(url, entity)
        self._check_metrics()
        self._check_rate_limit(url)

    def _sign_in(self) -> str:
        issued = self.request(
            "POST", "/api/v1/auth/token", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        assert issued.status == 200, issued
        token: str = issued.json()["access_token"]
        return token

    def _check_crud(self, url: str, entity: EntitySpec) -> None:
        created = [self.request("POST", url, sample_body(entity, n)) for n in range(3)]
        assert [c.status for c in created] == [201, 201, 201], created
        first = created[0].json()
        assert self.request("GET", f"{url}/{first['id']}").json() == first
        page = self.request("GET", f"{url}?limit=2").json()
        rest = self.request("GET", f"{url}?limit=2&cursor={page['next_cursor']}").json()
        assert [i["id"] for i in page["items"] + rest["items"]] == [c.json()["id"] for c in created]
        assert self.request("DELETE", f"{url}/{first['id']}").status == 204
        missing = self.request("GET", f"{url}/{first['id']}")
        assert missing.status == 404
        assert missing.json()["status"] == 404

    def _check_metrics(self) -> None:
        metrics = self.request("GET", "/metrics").body.decode()
        assert "http_requests_total" in metrics
        assert "http_request_duration_seconds" in metrics

    def _check_rate_limit(self, url: str) -> None:
        statuses = [self.request("GET", url).status for _ in range(RATE_LIMIT_PER_MINUTE + 5)]
        assert 429 in statuses, statuses
        limited = self.request("GET", url)
        assert limited.status == 429
        assert int(limited.headers["retry-after"]) >= 1
