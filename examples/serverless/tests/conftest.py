"""Fixtures: real PostgreSQL and Redis, a migrated database of its own per session, the app,
and a real SQS API (moto's server on loopback) with the events queue and its dead-letter queue.

Servers come from DATABASE_URL, REDIS_URL and AWS_ENDPOINT_URL when set (CI service
containers, local servers); otherwise testcontainers starts PostgreSQL and Redis, with images
from POSTGRES_IMAGE and REDIS_IMAGE.
"""

import logging
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from acme_shop.identity.schemas import UserCreate
from acme_shop.identity.service import IdentityService
from acme_shop.main import create_app
from acme_shop.platform.database import Base
from acme_shop.platform.event_queue import EventQueue
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Role
from acme_shop.platform.settings import Settings
from tests.support import PASSWORD, Auth, migrate
from tools.local import create_queues

# Tables emptied after every test; users and the migration history stay for the session.
KEPT_TABLES = {"identity_users", "alembic_version"}

AppFactory = Callable[..., Awaitable[FastAPI]]


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    if url := os.environ.get("DATABASE_URL"):
        yield url
        return
    from testcontainers.community.postgres import PostgresContainer

    image = os.environ.get("POSTGRES_IMAGE", "postgres:16-alpine")
    with PostgresContainer(image, driver="asyncpg") as postgres:
        yield postgres.get_connection_url()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    from testcontainers.community.redis import RedisContainer

    with RedisContainer(os.environ.get("REDIS_IMAGE", "redis:7-alpine")) as redis:
        host, port = redis.get_container_host_ip(), redis.get_exposed_port(6379)
        yield f"redis://{host}:{port}/0"


@pytest.fixture(scope="session")
def sqs_endpoint() -> Iterator[str]:
    """A real SQS API: moto's server on loopback, unless AWS_ENDPOINT_URL names one."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "testing")  # an emulator takes any; boto3 signs with some
    if url := os.environ.get("AWS_ENDPOINT_URL"):
        yield url
        return
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def events_queue_url(sqs_endpoint: str) -> str:
    """The session's events queue, with a dead-letter queue after two failed deliveries."""
    queue = EventQueue("", region="us-east-1", endpoint_url=sqs_endpoint, timeout=5.0)
    return create_queues(
        queue.client,
        f"test-events-{uuid.uuid4().hex[:8]}",
        max_receive_count=2,
        visibility_seconds=1,
    )


@pytest.fixture(scope="session")
def jobs_queue_url(sqs_endpoint: str) -> str:
    """The session's jobs queue, with a dead-letter queue after two failed deliveries."""
    queue = EventQueue("", region="us-east-1", endpoint_url=sqs_endpoint, timeout=5.0)
    return create_queues(
        queue.client, f"test-jobs-{uuid.uuid4().hex[:8]}", max_receive_count=2, visibility_seconds=1
    )


@asynccontextmanager
async def _scratch_database(server_url: str) -> AsyncIterator[str]:
    """A database created on the server, empty, and dropped (in use or not) on exit."""
    server = make_url(Settings(database_url=server_url).database_url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(scope="session")
async def database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A database created for this session on the server, migrated, and dropped at the end."""
    async with _scratch_database(postgres_server_url) as url:
        engine = create_async_engine(url, poolclass=NullPool)
        async with engine.begin() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()
        yield url


@pytest.fixture
async def empty_database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A database of the test's own with nothing in it, dropped after the test."""
    async with _scratch_database(postgres_server_url) as url:
        yield url


@pytest.fixture(scope="session")
def settings(
    database_url: str,
    redis_url: str,
    sqs_endpoint: str,
    events_queue_url: str,
    jobs_queue_url: str,
) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        redis_url=redis_url,
        events_queue_url=events_queue_url,
        jobs_queue_url=jobs_queue_url,
        aws_endpoint_url=sqs_endpoint,
        redis_key_prefix=f"test-{uuid.uuid4().hex[:8]}",
        jwt_secret=SecretStr(uuid.uuid4().hex * 2),
        rate_limit_per_minute=1_000_000,
        log_level="WARNING",
    )


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[FastAPI]:
    """Run the app's startup and shutdown around the block, as a server would."""
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    async with running(create_app(settings)) as started:
        yield started


@pytest.fixture
async def make_app(settings: Settings) -> AsyncIterator[AppFactory]:
    """Build extra apps with changed settings (a tiny rate limit, an unreachable Redis)."""
    async with AsyncExitStack() as stack:

        async def build(**changes: Any) -> FastAPI:
            return await stack.enter_async_context(
                running(create_app(settings.model_copy(update=changes)))
            )

        yield build


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """An app built from ``settings`` behind a real uvicorn server on a free loopback port, in
    a thread of its own; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="served-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start serving")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def served(settings: Settings, app: FastAPI) -> Iterator[str]:
    """The app behind a real server; the session ``app`` starts first, as it owns the migrated
    tables every test leaves empty."""
    with serving(settings) as url:
        yield url


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as http:
        yield http


@pytest.fixture(scope="session")
async def auth(app: FastAPI) -> Auth:
    """Bearer headers for one user of each role, obtained through the token endpoint."""
    resources: Resources = app.state.resources
    headers: dict[Role, dict[str, str]] = {}
    async with resources.session_factory() as session, client_for(app) as http:
        service = IdentityService(session, resources.tokens, resources.passwords)
        for role in Role:
            email = f"{role.value}@example.com"
            await service.register(UserCreate(email=email, password=PASSWORD, role=role))
            response = await http.post(
                "/api/v1/auth/token", json={"email": email, "password": PASSWORD}
            )
            token = response.json()["access_token"]
            headers[role] = {"Authorization": f"Bearer {token}"}
    return Auth(admin=headers[Role.ADMIN], editor=headers[Role.EDITOR], viewer=headers[Role.VIEWER])


@pytest.fixture(autouse=True)
async def _isolated(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Each test that uses the database leaves empty domain tables and a clean Redis prefix."""
    if "settings" not in request.fixturenames:
        yield
        return
    app: FastAPI = request.getfixturevalue("app")
    yield
    resources: Resources = app.state.resources
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]
    async with resources.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
    keys = [
        key async for key in resources.redis.scan_iter(f"{resources.settings.redis_key_prefix}*")
    ]
    if keys:
        await resources.redis.delete(*keys)
