"""RabbitMQ goes away under load: writes keep succeeding and every event they stage follows.

Writers create resources whose creation announces an event, while the app's broker
connection passes through a CuttableProxy. The test takes the broker down for OUTAGE_SECONDS
mid-load and brings it back. An event is part of its write's transaction (the outbox), so no
write may fail for want of the broker, and once it is back the relay publishes every event
that was kept. Delivery is at least once: a publish cut before its confirm is sent again,
with the same message id, which consumers use to apply it once.
"""

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from aio_pika.abc import AbstractQueue

from acme_shop.contracts.ordering import OrderPlaced
from acme_shop.platform.settings import Settings
from tests.broker import TIMEOUT_SECONDS, connected_broker
from tests.conftest import AppFactory, client_for
from tests.factories import ORDER_URL, order_body
from tests.faults import CuttableProxy
from tests.support import Auth

OUTAGE_SECONDS = 3.0
STEADY_SECONDS = 1.0  # of load before the fault and after recovery
WRITERS = 3


@pytest.fixture
def broker(settings: Settings) -> Iterator[CuttableProxy]:
    with CuttableProxy(settings.rabbitmq_url).running() as proxy:
        yield proxy


async def _write_until(
    stop: asyncio.Event, client: httpx.AsyncClient, auth: Auth, numbers: Iterator[int]
) -> tuple[Counter[int], list[str]]:
    """Create resources until ``stop``; the statuses answered and the ids created."""
    statuses: Counter[int] = Counter()
    created: list[str] = []
    while not stop.is_set():
        body = await order_body(client, auth, next(numbers))
        response = await client.post(ORDER_URL, json=body, headers=auth.editor)
        statuses[response.status_code] += 1
        if response.status_code == 201:
            created.append(response.json()["id"])
    return statuses, created


async def _events_for(queue: AbstractQueue, ids: set[str]) -> dict[str, list[str]]:
    """Message ids of the events about ``ids``, by resource id; waits until each has arrived
    or TIMEOUT_SECONDS pass without a new one."""
    received: dict[str, list[str]] = {}
    quiet_since = time.monotonic()
    while set(received) < ids and time.monotonic() - quiet_since < TIMEOUT_SECONDS:
        message = await queue.get(no_ack=True, fail=False)
        if message is None:
            await asyncio.sleep(0.05)
            continue
        key = json.loads(message.body).get("order", {}).get("id")
        if message.routing_key == OrderPlaced.routing_key and key in ids:
            received.setdefault(key, []).append(str(message.message_id))
            quiet_since = time.monotonic()
    return received


@pytest.mark.usefixtures("app")  # the session app: the tables and the queue of events
async def test_while_the_broker_is_away_writes_succeed_and_their_events_follow(
    make_app: AppFactory, auth: Auth, published: AbstractQueue, broker: CuttableProxy
) -> None:
    app = await make_app(rabbitmq_url=broker.url, outbox_poll_seconds=0.5)
    await connected_broker(app)
    numbers = itertools.count(1)
    stop = asyncio.Event()
    async with client_for(app) as client:
        writers = [
            asyncio.create_task(_write_until(stop, client, auth, numbers)) for _ in range(WRITERS)
        ]
        await asyncio.sleep(STEADY_SECONDS)
        broker.down()
        await asyncio.sleep(OUTAGE_SECONDS)
        broker.up()
        await asyncio.sleep(STEADY_SECONDS)
        stop.set()
        results = await asyncio.gather(*writers)
    statuses = sum((counted for counted, _ in results), Counter[int]())
    created = {key for _, keys in results for key in keys}

    received = await _events_for(published, created)
    resent = {key: ids for key, ids in received.items() if len(ids) > 1}
    print(
        f"RabbitMQ down {OUTAGE_SECONDS} s: {sum(statuses.values())} writes {dict(statuses)}, "
        f"{len(received)} of {len(created)} events arrived, {len(resent)} sent again"
    )
    assert set(statuses) == {201}, statuses
    assert set(received) == created, f"{len(created - set(received))} events lost"
    assert all(len(set(ids)) == 1 for ids in resent.values()), "a resent event changed its id"
