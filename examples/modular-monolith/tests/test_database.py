"""The connection pool under contention: waiting checkouts are served in the order they came.
A request's session: a read runs each statement on its own, a write in one transaction."""

import asyncio
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from acme_shop.platform.database import create_engine
from acme_shop.platform.dependencies import get_resources, get_session
from acme_shop.platform.settings import Settings

pytestmark = pytest.mark.usefixtures("app")


async def test_a_checkout_waits_no_longer_than_the_pool_timeout(settings: Settings) -> None:
    engine = create_engine(
        settings.database_url, pool_size=1, pool_timeout=0.2, command_timeout=5, name="pool-test"
    )
    try:
        async with engine.connect():
            with pytest.raises(PoolTimeoutError):
                await asyncio.wait_for(engine.connect(), timeout=5)
    finally:
        await engine.dispose()


async def test_a_newcomer_does_not_take_the_connection_a_waiting_checkout_is_owed(
    settings: Settings,
) -> None:
    engine = create_engine(
        settings.database_url, pool_size=1, pool_timeout=5, command_timeout=5, name="pool-test"
    )
    served: list[str] = []

    async def waiting() -> None:
        async with engine.connect():
            served.append("waiting")

    try:
        holder = await engine.connect()
        in_line = asyncio.create_task(waiting())
        await asyncio.sleep(0.1)  # it now waits for the only connection
        await holder.close()
        async with engine.connect():  # arrives just as the connection comes back
            served.append("newcomer")
        await in_line
    finally:
        await engine.dispose()
    assert served == ["waiting", "newcomer"]


async def transaction_ids(app: FastAPI, method: str) -> tuple[int | None, int | None]:
    """The ids of the transactions two statements ran in, in the session of a ``method``."""
    request = Request({"type": "http", "method": method, "headers": [], "app": app})
    request_session = asynccontextmanager(get_session)(request, await get_resources(request))
    async with request_session as session:
        first = await session.scalar(text("SELECT txid_current()"))
        second = await session.scalar(text("SELECT txid_current()"))
    return first, second


@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_a_read_runs_each_statement_on_its_own(app: FastAPI, method: str) -> None:
    """No BEGIN and ROLLBACK around a read: one round trip per statement."""
    first, second = await transaction_ids(app, method)
    assert first != second


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_write_runs_in_one_transaction(app: FastAPI, method: str) -> None:
    first, second = await transaction_ids(app, method)
    assert first == second
