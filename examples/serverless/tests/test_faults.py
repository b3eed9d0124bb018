"""Faults under load: Redis and then PostgreSQL go away while requests keep coming.

A real server takes reads (GET of one resource) and writes (POST of new ones) from
concurrent clients. Its Redis and PostgreSQL connections pass through a CuttableProxy; each
test takes one down for OUTAGE_SECONDS mid-load, brings it back and checks what the API
promises: Redis only accelerates, so nothing fails without it; without PostgreSQL a request
gets a 503 problem, the app recovers by itself, and no write that got a 201 is lost.
"""

import asyncio
import itertools
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from acme_shop.platform.settings import Settings
from tests.conftest import serving
from tests.factories import CATEGORY_URL, category_body, create_category
from tests.faults import CuttableProxy
from tests.support import Auth

# The session app first: it owns the migrated tables each test leaves empty.
pytestmark = pytest.mark.usefixtures("app")

OUTAGE_SECONDS = 2.0
STEADY_SECONDS = 1.0  # of load before the fault and after recovery
RECOVERY_SECONDS = 15.0
CLIENT_TIMEOUT_SECONDS = 30.0
READERS, WRITERS = 6, 2
TRANSPORT_ERROR = 0  # counted as a status: the client got no answer at all

Phase = Literal["before", "outage", "after"]
READY: dict[str, object] = {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
DEGRADED: dict[str, object] = {
    "status": "degraded",
    "checks": {"database": "ok", "redis": "failing"},
}


class Faulty(NamedTuple):
    """The app behind a real server, its PostgreSQL and Redis behind proxies to take down."""

    url: str
    database: CuttableProxy
    redis: CuttableProxy
    settings: Settings


@pytest.fixture
def faulty(settings: Settings) -> Iterator[Faulty]:
    with (
        CuttableProxy(settings.database_url).running() as database,
        CuttableProxy(settings.redis_url).running() as redis,
    ):
        proxied = settings.model_copy(
            update={
                "database_url": database.url,
                "redis_url": redis.url,
                # A connection for every client: waiting for the pool is not what is tested.
                "database_pool_size": max(settings.database_pool_size, READERS + WRITERS),
            }
        )
        with serving(proxied) as url:
            yield Faulty(url, database, redis, settings)


@dataclass
class Load:
    """Readers and writers in a loop; every answer is counted under the phase it came in."""

    http: httpx.AsyncClient
    auth: Auth
    read_url: str
    phase: Phase = "before"
    statuses: dict[Phase, Counter[int]] = field(
        default_factory=lambda: {"before": Counter(), "outage": Counter(), "after": Counter()}
    )
    created: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    async def _send(self, method: str, url: str, **kwargs: object) -> httpx.Response | None:
        started_in = self.phase
        try:
            response = await self.http.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError:
            self.statuses[self._phase_since(started_in)][TRANSPORT_ERROR] += 1
            return None
        self.statuses[self._phase_since(started_in)][response.status_code] += 1
        if response.status_code >= 400:
            self.problems.append(response.headers.get("content-type", ""))
        return response

    def _phase_since(self, started_in: Phase) -> Phase:
        """A request in flight while the phase changed belongs to the outage."""
        return started_in if started_in == self.phase else "outage"

    async def _read(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._send("GET", self.read_url, headers=self.auth.viewer)

    async def _write(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            body = await category_body(self.http, self.auth, next(self.numbers))
            response = await self._send("POST", CATEGORY_URL, json=body, headers=self.auth.editor)
            if response is not None and response.status_code == 201:
                self.created.append(response.json()["id"])

    @asynccontextmanager
    async def running(self) -> AsyncIterator["Load"]:
        stop = asyncio.Event()
        workers = [self._read(stop) for _ in range(READERS)]
        workers += [self._write(stop) for _ in range(WRITERS)]
        tasks = [asyncio.create_task(worker) for worker in workers]
        try:
            await asyncio.sleep(STEADY_SECONDS)
            yield self
            await asyncio.sleep(STEADY_SECONDS)
        finally:
            stop.set()
            await asyncio.gather(*tasks)

    def total(self, phase: Phase) -> int:
        return sum(self.statuses[phase].values())

    def report(self, fault: str) -> None:
        counts = {phase: dict(sorted(counted.items())) for phase, counted in self.statuses.items()}
        sent = sum(self.total(phase) for phase in self.statuses)
        print(f"{fault}: {sent} requests, {len(self.created)} writes acknowledged; {counts}")


async def _readiness_becomes(http: httpx.AsyncClient, expected: dict[str, object]) -> bool:
    """Whether /health/ready answers ``expected`` within RECOVERY_SECONDS, polling."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline:
        if (await http.get("/health/ready")).json() == expected:
            return True
        await asyncio.sleep(0.1)
    return False


async def _load(http: httpx.AsyncClient, auth: Auth) -> Load:
    """A load whose readers read a resource created for them."""
    category = await create_category(http, auth)
    return Load(http, auth, read_url=f"{CATEGORY_URL}/{category['id']}")


async def _recovered(load: Load) -> float:
    """Seconds until a read succeeds again, polling; fails after RECOVERY_SECONDS."""
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_SECONDS:
        try:
            if (await load.http.get(load.read_url, headers=load.auth.viewer)).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"the app did not recover within {RECOVERY_SECONDS} s")


async def _stored(settings: Settings, ids: list[str]) -> set[str]:
    """Which of ``ids`` the resource's table holds, read past the app."""
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT id FROM catalog_categories WHERE id = ANY(:ids)"),
                {"ids": [uuid.UUID(key) for key in ids]},
            )
            return {str(row.id) for row in rows}
    finally:
        await engine.dispose()


async def test_without_redis_reads_and_writes_keep_succeeding(faulty: Faulty, auth: Auth) -> None:
    async with (
        httpx.AsyncClient(base_url=faulty.url, timeout=CLIENT_TIMEOUT_SECONDS) as http,
        (await _load(http, auth)).running() as load,
    ):
        load.phase = "outage"
        faulty.redis.down()
        degraded = await _readiness_becomes(http, DEGRADED)
        await asyncio.sleep(OUTAGE_SECONDS)
        faulty.redis.up()
        recovered = await _readiness_becomes(http, READY)
        load.phase = "after"
    load.report("Redis down")
    assert load.total("outage") > 0
    for phase, statuses in load.statuses.items():
        assert set(statuses) <= {200, 201}, (phase, statuses)
    assert degraded, "readiness did not report Redis failing"
    assert recovered, "readiness did not recover with Redis"


async def test_without_postgres_requests_get_503_and_the_app_recovers_by_itself(
    faulty: Faulty, auth: Auth
) -> None:
    async with (
        httpx.AsyncClient(base_url=faulty.url, timeout=CLIENT_TIMEOUT_SECONDS) as http,
        (await _load(http, auth)).running() as load,
    ):
        load.phase = "outage"
        faulty.database.down()
        await asyncio.sleep(OUTAGE_SECONDS)
        faulty.database.up()
        recovery = await _recovered(load)
        load.phase = "after"
    load.report("PostgreSQL down")
    print(f"recovered {recovery:.1f} s after PostgreSQL came back")
    assert set(load.statuses["before"]) <= {200, 201}, load.statuses["before"]
    assert set(load.statuses["outage"]) <= {200, 201, 503}, load.statuses["outage"]
    assert load.statuses["outage"][503] > 0, "the outage went unnoticed"
    assert set(load.statuses["after"]) <= {200, 201}, load.statuses["after"]
    assert set(load.problems) == {"application/problem+json"}
    assert await _stored(faulty.settings, load.created) == set(load.created)
