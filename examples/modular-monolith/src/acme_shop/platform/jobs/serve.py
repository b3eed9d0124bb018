"""The worker's and the scheduler's own small HTTP server: liveness, readiness and metrics.

Neither process serves the API, but the orchestrator probes both and Prometheus scrapes both.
It runs in the process's event loop, beside the work.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Check = Callable[[], Awaitable[bool]]


def health_app(registry: CollectorRegistry, *, live: Check, ready: Check) -> Starlette:
    async def liveness(_: Request) -> Response:
        ok = await live()
        return JSONResponse({"status": "ok" if ok else "failing"}, status_code=200 if ok else 503)

    async def readiness(_: Request) -> Response:
        ok = await ready()
        return JSONResponse({"status": "ok" if ok else "failing"}, status_code=200 if ok else 503)

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/health/live", liveness),
            Route("/health/ready", readiness),
            Route("/metrics", metrics),
        ]
    )


class _Server(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the process handles its own signals (SIGTERM drains it)


class HealthServer:
    """Serves ``app`` on ``port`` until ``stop``; port 0 picks a free one (tests)."""

    def __init__(self, app: Starlette, *, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(), name="health-server")
        # uvicorn says it started with a flag, not an event.
        while not self._server.started and not self._task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.01)

    @property
    def serving(self) -> bool:
        return bool(self._server.started)

    @property
    def port(self) -> int:
        return int(self._server.servers[0].sockets[0].getsockname()[1])

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await asyncio.wait([self._task], timeout=2)
