"""Helpers for tests that talk to RabbitMQ: the app's connected broker, and waiting on it."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from aio_pika.abc import AbstractIncomingMessage, AbstractQueue
from fastapi import FastAPI
from faststream.rabbit import RabbitBroker

from acme_shop.platform.resources import Resources

TIMEOUT_SECONDS = 15.0


async def connected_broker(app: FastAPI) -> RabbitBroker:
    """The app's broker, once it is connected and consuming."""
    resources: Resources = app.state.resources
    await asyncio.wait_for(resources.messaging.connected.wait(), TIMEOUT_SECONDS)
    return resources.messaging.broker


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until ``check`` holds; fail naming ``what`` when it does not in time."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def next_message(
    queue: AbstractQueue, matching: Callable[[AbstractIncomingMessage], bool]
) -> AbstractIncomingMessage:
    """The next message of ``queue`` that ``matching`` accepts; others are taken and dropped."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        message = await queue.get(no_ack=True, fail=False)
        if message is not None and matching(message):
            return message
        if message is None:
            assert time.monotonic() < deadline, f"no matching message on {queue.name}"
            await asyncio.sleep(0.05)
