"""The connection pool under contention: waiting checkouts are served in the order they came."""

import asyncio

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from acme_shop.platform.database import create_engine
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
