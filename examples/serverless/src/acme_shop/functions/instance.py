"""What one Lambda instance keeps between invocations: its event loop and its resources.

Lambda runs one invocation at a time per instance and freezes the instance in between, so
the event loop and the connection pools are built once, on the first invocation, and reused
by the next ones: ``asyncio.run`` per invocation would close the loop under the pools.
Nothing here connects at import time; the init phase stays short.
"""

import asyncio
from collections.abc import Coroutine, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import structlog
from mangum.types import LambdaContext

from acme_shop.platform.logs import configure_logging
from acme_shop.platform.settings import Settings

T = TypeVar("T")


class LambdaInstance:
    """An event loop of its own, and the log context of each invocation."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        configure_logging(self.settings.log_level)
        self.loop = asyncio.new_event_loop()
        self._cold = True

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` to completion on this instance's loop."""
        self.make_current()
        return self.loop.run_until_complete(work)

    def make_current(self) -> None:
        """Make this instance's loop the calling thread's, where adapters look for it."""
        asyncio.set_event_loop(self.loop)

    @contextmanager
    def invocation(self, context: LambdaContext, **fields: Any) -> Iterator[None]:
        """Tag every log line of the invocation, as Powertools' logger does."""
        tags: Mapping[str, Any] = {
            "function_name": context.function_name,
            "function_request_id": context.aws_request_id,
            "cold_start": self._cold,
            **fields,
        }
        self._cold = False
        with structlog.contextvars.bound_contextvars(**tags):
            yield
