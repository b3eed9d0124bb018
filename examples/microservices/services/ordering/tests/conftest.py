"""Fixtures: real PostgreSQL, Redis and RabbitMQ, a migrated database per session, the app.

Servers come from DATABASE_URL, REDIS_URL and RABBITMQ_URL when set (CI service containers,
local servers); otherwise testcontainers starts them, with images from POSTGRES_IMAGE,
REDIS_IMAGE and RABBITMQ_IMAGE.

Tokens are signed with a key of the session; a local HTTP server publishes its JWKS, which
the service fetches as it would the identity service's.
"""

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
from aio_pika.abc import AbstractQueue
from fastapi import FastAPI
from faststream.rabbit import RabbitBroker, RabbitQueue
from pytest_httpserver import HTTPServer
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from acme_shop.platform.database import Base
from acme_shop.platform.messaging import event_exchange
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import LocalKeys, Principal, Role, SigningKey, TokenService
from acme_shop.platform.settings import Settings
from acme_shop.services.ordering import bootstrap
from acme_shop.services.ordering.main import create_app
from tests.support import Auth, migrate

JWKS_PATH = "/.well-known/jwks.json"
# Tables emptied after every test; the migration history stays for the session.
KEPT_TABLES = {"alembic_version"}

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
def rabbitmq_url() -> Iterator[str]:
    if url := os.environ.get("RABBITMQ_URL"):
        yield url
        return
    from testcontainers.community.rabbitmq import RabbitMqContainer

    with RabbitMqContainer(os.environ.get("RABBITMQ_IMAGE", "rabbitmq:4-alpine")) as rabbitmq:
        host, port = rabbitmq.get_container_host_ip(), rabbitmq.get_exposed_port(rabbitmq.port)
        yield f"amqp://{rabbitmq.username}:{rabbitmq.password}@{host}:{port}/"


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
def signing_key() -> SigningKey:
    """Stands in for the identity service's key."""
    return SigningKey(SigningKey.generate())


@pytest.fixture(scope="session")
def jwks_url(make_httpserver: HTTPServer, signing_key: SigningKey) -> str:
    """A real HTTP endpoint publishing the session key, as the identity service does."""
    make_httpserver.expect_request(JWKS_PATH).respond_with_json({"keys": [signing_key.jwk]})
    return make_httpserver.url_for(JWKS_PATH)


@pytest.fixture(scope="session")
def settings(database_url: str, redis_url: str, rabbitmq_url: str, jwks_url: str) -> Settings:
    return Settings(
        environment="test",
        service_name=bootstrap.SERVICE_NAME,  # as deployed: its job queue is its own
        database_url=database_url,
        redis_url=redis_url,
        rabbitmq_url=rabbitmq_url,
        event_retry_delay_seconds=0.1,
        # The relay wakes on its own app's commits only: a test decides when others' rows go.
        outbox_poll_seconds=3600,
        redis_key_prefix=f"test-{uuid.uuid4().hex[:8]}",
        jwks_url=jwks_url,
        rate_limit_per_minute=1_000_000,
        log_level="WARNING",
    )


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[FastAPI]:
    """Run the app's startup and shutdown around the block, as a server would."""
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="session")
async def published(rabbitmq_url: str) -> AsyncIterator[AbstractQueue]:
    """Stands in for the consumers: a queue bound to every event this service publishes.

    The relay only publishes what some queue takes, so it exists before the app starts.
    """
    async with RabbitBroker(rabbitmq_url, logger=None) as broker:
        queue = await broker.declare_queue(
            RabbitQueue(f"test.published.{uuid.uuid4().hex}", auto_delete=True)
        )
        for event_type in bootstrap.PUBLISHES:
            exchange = await broker.declare_exchange(event_exchange(event_type))
            await queue.bind(exchange, routing_key=event_type.routing_key)
        yield queue


@pytest.fixture(scope="session")
async def app(settings: Settings, published: AbstractQueue) -> AsyncIterator[FastAPI]:
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
def auth(settings: Settings, signing_key: SigningKey) -> Auth:
    """Bearer headers for one caller of each role, signed as the identity service signs them."""
    tokens = TokenService(
        LocalKeys(signing_key, []),
        signing_key=signing_key,
        issuer=settings.jwt_issuer,
        access_ttl=settings.jwt_access_ttl_seconds,
        refresh_ttl=settings.jwt_refresh_ttl_seconds,
    )

    def bearer(role: Role) -> dict[str, str]:
        pair = tokens.issue(Principal(user_id=uuid.uuid4(), role=role))
        return {"Authorization": f"Bearer {pair.access_token}"}

    headers = {role: bearer(role) for role in Role}
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
