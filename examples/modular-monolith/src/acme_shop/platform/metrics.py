"""Prometheus metrics: RED metrics per route, plus the cache and event counters.

Each app owns its registry, so several apps in one process (tests) never collide.

``RequestMetrics`` counts and times each request under its route's path template
(``/api/v1/catalog/products/{product_id}``), read from the route the app matched: it never
matches the request against the routes a second time. A request no route took is counted
under ``none``, so unknown paths cannot multiply the series.
"""

import time
from collections.abc import Iterable

from fastapi import FastAPI, Request, Response
from fastapi.routing import iter_route_contexts
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METRICS_PATH = "/metrics"
UNMATCHED = "none"
# Request durations, in seconds: fine below a second, where latency targets sit.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The application's own counters, next to the per-route request metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests",
            "HTTP requests by route (path template), method and status class (2xx, 4xx, ...)",
            ["handler", "method", "status"],
            registry=self.registry,
        )
        self.request_durations = Histogram(
            "http_request_duration_seconds",
            "HTTP request duration by route (path template) and method",
            ["handler", "method"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.cache_lookups = Counter(
            "cache_lookups",
            "Cache-aside lookups by result (hit, miss, error)",
            ["result"],
            registry=self.registry,
        )
        self.redis_degraded = Counter(
            "redis_degraded_operations",
            "Operations that went on without Redis because it failed or timed out",
            ["operation"],
            registry=self.registry,
        )
        self.events_handled = Counter(
            "domain_events_handled",
            "Domain events by consumer and outcome (applied, duplicate, failed, retried, "
            "dead_lettered)",
            ["event", "consumer", "outcome"],
            registry=self.registry,
        )
        self.events_published = Counter(
            "domain_events_published",
            "Domain events handed to the message broker",
            ["event"],
            registry=self.registry,
        )

    def expose(self, app: FastAPI, *, excluded: Iterable[str] = ()) -> None:
        """Record rate, errors and duration per route and serve them at /metrics; requests to
        /metrics and to the ``excluded`` paths (the probes) are not counted."""
        registry = self.registry

        async def serve_metrics(_: Request) -> Response:
            return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

        app.add_route(METRICS_PATH, serve_metrics, include_in_schema=False)
        app.add_middleware(
            RequestMetrics,
            requests=self.requests,
            durations=self.request_durations,
            excluded=frozenset({METRICS_PATH, *excluded}),
        )


class RequestMetrics:
    """Pure ASGI middleware: counts each request by route, method and status class, and
    observes its duration by route and method."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        requests: Counter,
        durations: Histogram,
        excluded: frozenset[str],
    ) -> None:
        self.app = app
        self._requests = requests
        self._durations = durations
        self._excluded = excluded
        self._templates: dict[int, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self._excluded:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            handler, method = self._handler(scope), scope["method"]
            self._requests.labels(handler, method, f"{status // 100}xx").inc()
            self._durations.labels(handler, method).observe(time.perf_counter() - started)

    def _handler(self, scope: Scope) -> str:
        """The path template of the route that took the request, or ``none``."""
        route = scope.get("route")
        if route is None:
            return UNMATCHED
        if self._templates is None:  # the routes are all in place once requests arrive
            self._templates = _path_templates(scope["app"].routes)
        template = self._templates.get(id(route))
        return template if template is not None else str(getattr(route, "path", UNMATCHED))


def _path_templates(routes: list[BaseRoute]) -> dict[int, str]:
    """Each route's full path template (its routers' prefixes included), by the route's id."""
    return {
        id(context.original_route): path
        for context in iter_route_contexts(routes)
        if (path := context.path) is not None
    }
