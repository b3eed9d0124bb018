"""Prometheus metrics: RED metrics per route, plus the cache and event counters.

Each app owns its registry, so several apps in one process (tests) never collide.
"""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter
from prometheus_fastapi_instrumentator import Instrumentator


class Metrics:
    """The application's own counters, next to the per-route request metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
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

    def expose(self, app: FastAPI) -> None:
        """Record rate, errors and duration per route and serve them at /metrics."""
        Instrumentator(
            excluded_handlers=["/metrics", "/health/live", "/health/ready"],
            registry=self.registry,
        ).instrument(app).expose(app, include_in_schema=False)
