"""The microservices workspace of each matrix cell, run: every service's Dockerfile builds an
image that migrates and serves a ready service, the gateway routes to each service, and
`archgen smoke` runs them together with RabbitMQ. (Its code checks and the services' own
suites are in test_microservice_code.py: they need no machine to themselves.)

A cell whose identity is an OpenID Connect provider runs what identity changes: images and
brokers do not depend on it, so only the built-in cells build images and meet a given broker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import docker
import httpx
import pytest
from mirakuru import TCPExecutor

from archgen._smoke._containers import PYTHON_IMAGE_VARIABLE
from archgen._smoke._identity_provider import ADMIN_CLIENT, AUDIENCE, smoke_provider
from archgen._smoke._runner import ExternalServices, Runtime, run_smoke
from archgen._smoke._services import free_port, local_rabbitmq
from tests.e2e.leftovers import containers, server_processes
from tests.e2e.project import GeneratedProject
from tests.e2e.workspace import service_names, workspace_fixture
from tests.matrix import Cell, runnable_here

# Its leftover checks look at the whole machine: no other test may start servers meanwhile.
# It builds every service's image: their build cache goes with each test.
pytestmark = [pytest.mark.e2e, pytest.mark.alone, pytest.mark.usefixtures("no_build_cache_kept")]

ARCHGEN = Path(sys.executable).parent / "archgen"
BUILTIN = runnable_here("microservices", identity="builtin")
OIDC = runnable_here("microservices", identity="oidc")


def cells(selected: list[Cell]) -> pytest.MarkDecorator:
    """Run a test on ``selected`` cells only, sharing the module's projects."""
    return pytest.mark.parametrize("project", selected, ids=lambda c: c.name, indirect=True)


project = workspace_fixture()


def build_image(project: GeneratedProject, context: str, tag: str) -> None:
    """The service's image, built from the workspace root with BuildKit."""
    base = os.environ.get(PYTHON_IMAGE_VARIABLE)
    project.run(
        "docker", "build", "--quiet", "--network", "host", "--tag", tag,
        "--file", f"services/{context}/Dockerfile",
        *(["--build-arg", f"PYTHON_IMAGE={base}"] if base else []),
        ".",
        env={"DOCKER_BUILDKIT": "1"},
    )  # fmt: skip


@cells(BUILTIN)
def test_every_service_image_migrates_and_serves(
    project: GeneratedProject, postgres_url: str, redis_url: str, rabbitmq_url: str
) -> None:
    """Each Dockerfile builds an image that runs its migrations and serves a ready service."""
    engine = docker.from_env()
    for service in service_names(project):
        tag = f"archgen-e2e/{service}:{uuid.uuid4().hex[:8]}"
        name = f"e2e_{uuid.uuid4().hex[:10]}"
        port = free_port()
        settings = {
            "DATABASE_URL": postgres_url.rsplit("/", 1)[0] + f"/{name}",
            "REDIS_URL": redis_url,
            "RABBITMQ_URL": rabbitmq_url,
            "UVICORN_HOST": "127.0.0.1",
            "UVICORN_PORT": str(port),
        }
        build_image(project, service, tag)
        project.run("psql", postgres_url, "-qc", f'CREATE DATABASE "{name}"')
        try:
            engine.containers.run(
                tag, ["alembic", "upgrade", "head"], environment=settings,
                network_mode="host", remove=True,
            )  # fmt: skip
            server = engine.containers.run(
                tag, detach=True, environment=settings, network_mode="host"
            )
            try:
                assert wait_for_ready(f"http://127.0.0.1:{port}") == {
                    "status": "ok",
                    "checks": {"database": "ok", "redis": "ok"},
                }, server.logs(tail=20)
            finally:
                server.remove(force=True)
        finally:
            project.run("psql", postgres_url, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)')
            engine.images.remove(tag, force=True)


def wait_for_ready(base_url: str, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(f"{base_url}/health/ready", timeout=2).json()
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


NGINX_MAIN = """\
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{}}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/default.conf;
}}
"""


@contextmanager
def serving_service(project: GeneratedProject, context: str, env: dict[str, str]) -> Iterator[str]:
    """The service under uvicorn on a free loopback port, its database migrated."""
    project.uv_run("alembic", "upgrade", "head", env=env, at=f"services/{context}")
    port = free_port()
    app = f"{project.package}.services.{context}.main:create_app"
    uvicorn = [str(project.path / ".venv/bin/uvicorn"), app, "--factory", "--port", str(port)]
    server = TCPExecutor(
        uvicorn, host="127.0.0.1", port=port, timeout=60, envvars={**project.environment(), **env}
    )
    with server:
        yield f"127.0.0.1:{port}"


@contextmanager
def gateway(template: Path, upstreams: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """nginx with the project's gateway template, rendered as the official image renders it."""
    port = free_port()
    values = {"GATEWAY_LISTEN": f"127.0.0.1:{port}", **upstreams}
    config = re.sub(r"\$\{(\w+)\}", lambda m: values.get(m[1], m[0]), template.read_text())
    (tmp_path / "default.conf").write_text(config)
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(work=tmp_path))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    with TCPExecutor(command, host="127.0.0.1", port=port, timeout=30):
        yield f"http://127.0.0.1:{port}"


@cells(BUILTIN)
def test_the_gateway_routes_each_context_to_its_service_and_keeps_the_request_id(
    project: GeneratedProject, postgres_url: str, redis_url: str, rabbitmq_url: str, tmp_path: Path
) -> None:
    """The identity service issues a token through the gateway; every other service accepts
    it, verified with the keys the identity service publishes."""
    shared = {"REDIS_URL": redis_url, "RABBITMQ_URL": rabbitmq_url}
    with ExitStack() as stack:
        database = stack.enter_context(fresh_database(project, postgres_url))
        identity_env = {**shared, "DATABASE_URL": database}
        identity = stack.enter_context(serving_service(project, "identity", identity_env))
        create_admin = ["python", "-m", f"{project.package}.services.identity.manage"]
        project.uv_run(
            *create_admin, "create-user", "gw@example.com", "--role", "editor",
            env=identity_env, at="services/identity", stdin="gateway-password\n",
        )  # fmt: skip
        upstreams = {"IDENTITY_UPSTREAM": identity}
        for context in project.domain.context_list:
            env = {
                **shared,
                "DATABASE_URL": stack.enter_context(fresh_database(project, postgres_url)),
                "JWKS_URL": f"http://{identity}/.well-known/jwks.json",
            }
            address = stack.enter_context(serving_service(project, context.name, env))
            upstreams[f"{context.name.upper()}_UPSTREAM"] = address
        template = project.path / "deploy" / "gateway" / "default.conf.template"
        base = stack.enter_context(gateway(template, upstreams, tmp_path))
        client = stack.enter_context(httpx.Client(base_url=base, timeout=10))
        credentials = {"email": "gw@example.com", "password": "gateway-password"}
        issued = client.post("/api/v1/auth/token", json=credentials)
        assert issued.status_code == 200, issued.text
        authorized = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        assert client.get("/.well-known/jwks.json").json()["keys"]
        for entity in project.domain.entity_list:
            context = project.domain.contexts[entity.context]
            url = f"/api/v1/{context.url_segment}/{entity.url_segment}"
            listed = client.get(url, headers={**authorized, "X-Request-ID": f"gw-{entity.name}"})
            assert listed.status_code == 200, (url, listed.text)
            assert listed.json()["items"] == []
            assert listed.headers["x-request-id"] == f"gw-{entity.name}"
        generated = client.get(url, headers=authorized)
        assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["x-request-id"])
        unknown = client.get("/api/v1/nowhere/things")
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"
        assert unknown.json()["request_id"] == unknown.headers["x-request-id"]


@cells(OIDC)
def test_the_gateway_passes_the_providers_tokens_on_untouched(
    project: GeneratedProject, postgres_url: str, redis_url: str, rabbitmq_url: str, tmp_path: Path
) -> None:
    """Every service verifies the provider's tokens itself: a token sent through the gateway
    opens every service, and without one each answers 401. A gateway that dropped or changed
    the Authorization header would fail the signature check."""
    with ExitStack() as stack:
        provider = stack.enter_context(smoke_provider(project.domain.scope_descriptions))
        shared = {
            "REDIS_URL": redis_url,
            "RABBITMQ_URL": rabbitmq_url,
            "OIDC_ISSUER": provider.issuer,
            "OIDC_AUDIENCES": json.dumps([AUDIENCE]),
        }
        upstreams = {}
        for context in project.domain.context_list:
            env = {
                **shared,
                "DATABASE_URL": stack.enter_context(fresh_database(project, postgres_url)),
            }
            address = stack.enter_context(serving_service(project, context.name, env))
            upstreams[f"{context.name.upper()}_UPSTREAM"] = address
        template = project.path / "deploy" / "gateway" / "default.conf.template"
        base = stack.enter_context(gateway(template, upstreams, tmp_path))
        client = stack.enter_context(httpx.Client(base_url=base, timeout=10))
        admin = provider.clients[ADMIN_CLIENT]
        issued = httpx.post(
            f"{provider.issuer}/token",
            data={"grant_type": "client_credentials", "scope": " ".join(admin.scopes)},
            auth=(admin.client_id, admin.secret),
        )
        authorized = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        for entity in project.domain.entity_list:
            context = project.domain.contexts[entity.context]
            url = f"/api/v1/{context.url_segment}/{entity.url_segment}"
            listed = client.get(url, headers=authorized)
            assert listed.status_code == 200, (url, listed.text)
            refused = client.get(url)
            assert refused.status_code == 401, (url, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"


@contextmanager
def fresh_database(project: GeneratedProject, postgres_url: str) -> Iterator[str]:
    name = f"e2e_{uuid.uuid4().hex[:10]}"
    project.run("psql", postgres_url, "-qc", f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        project.run("psql", postgres_url, "-qc", f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.mark.parametrize(
    ("project", "runtime"),
    [(cell, runtime) for cell in BUILTIN for runtime in ("local", "docker")]
    + [(cell, "local") for cell in OIDC],
    ids=lambda value: value.name if isinstance(value, Cell) else value,
    indirect=["project"],
)
def test_archgen_smoke_runs_every_service_and_leaves_nothing_behind(
    project: GeneratedProject, runtime: str
) -> None:
    """`archgen smoke` on the workspace: every service against its own database, events
    between them over RabbitMQ; afterwards no server process or container of the run remains."""
    engine = docker.from_env()
    processes, before = server_processes(), containers(engine)
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), "--runtime", runtime, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    checks = {step["name"] for step in report["steps"] if step["kind"] == "check"}
    for entity in project.domain.entity_list:
        assert f"crud:{entity.context}.{entity.name}" in checks
    for event in project.domain.event_list:
        assert f"event:{event.name}" in checks
    if project.answers.get("realtime"):
        assert f"live:{project.domain.event_list[0].name}" in checks
    assert ("graphql" in checks) == bool(project.answers.get("graphql"))
    assert server_processes() <= processes
    assert containers(engine) <= before


@cells(BUILTIN)
def test_archgen_smoke_on_a_given_broker_works_in_a_virtual_host_of_its_own(
    project: GeneratedProject, postgres_url: str, redis_url: str
) -> None:
    """The external runtime never touches the broker's other traffic: its queues live in a
    virtual host it creates, and that host is gone afterwards."""
    management_port = free_port()
    api = f"http://127.0.0.1:{management_port}"
    with local_rabbitmq(management_port=management_port) as broker:
        services = ExternalServices(postgres_url, redis_url, broker, api)
        report = run_smoke(project.path, runtime=Runtime.EXTERNAL, external=services)
        assert report.ok, report.to_json()
        hosts = httpx.get(f"{api}/api/vhosts", auth=("guest", "guest"), timeout=10).json()
        default_queues = httpx.get(f"{api}/api/queues/%2F", auth=("guest", "guest"), timeout=10)
    assert [host["name"] for host in hosts] == ["/"]
    assert default_queues.json() == []
