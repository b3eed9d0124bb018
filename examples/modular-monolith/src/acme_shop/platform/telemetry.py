"""OpenTelemetry traces for FastAPI, SQLAlchemy and Redis, exported over OTLP/HTTP.

Nothing is instrumented when no OTLP endpoint is configured, so tracing costs nothing there:
the exporter and the instrumentations are not even imported (they are a sizeable part of the
app's import time, which a serverless cold start pays).
"""

from fastapi import FastAPI
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine


class Telemetry:
    """Owns the tracer provider of one app: started with the app, flushed when it stops."""

    def __init__(self, service_name: str, otlp_endpoint: str | None) -> None:
        self.enabled = otlp_endpoint is not None
        self.provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        if otlp_endpoint is not None:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            exporter = OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces")
            self.provider.add_span_processor(BatchSpanProcessor(exporter))

    def instrument(self, app: FastAPI, engine: AsyncEngine, redis: Redis) -> None:
        """One span per request, with a child per SQL statement and per command of ``redis``.

        The ASGI receive and send events would add two spans to every request and tell a
        reader nothing the request span does not; the rate limiter's own Redis client is left
        out too, or every trace would carry its counter. Both cost throughput for no insight.
        """
        if not self.enabled:
            return
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
        from opentelemetry.instrumentation.redis import RedisInstrumentor
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self.provider,
            excluded_urls="health/.*,metrics",
            exclude_spans=["receive", "send"],
        )
        SQLAlchemyInstrumentor().instrument(
            engine=engine.sync_engine, tracer_provider=self.provider
        )
        RedisInstrumentor.instrument_client(redis, tracer_provider=self.provider)

    def shutdown(self) -> None:
        self.provider.shutdown()
