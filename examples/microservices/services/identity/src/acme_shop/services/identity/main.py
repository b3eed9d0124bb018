"""The application factory: ``create_app()`` builds one configured app; importing builds nothing.

Run it with ``uvicorn acme_shop.services.identity.main:create_app --factory``.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI

from acme_shop.platform.body_limit import BodyLimitMiddleware
from acme_shop.platform.health import PROBE_PATHS
from acme_shop.platform.health import router as health_router
from acme_shop.platform.idempotency import (
    IdempotencyMiddleware,
    IdempotentReplay,
    replay_stored_response,
)
from acme_shop.platform.logs import configure_logging
from acme_shop.platform.problems import install_problem_handlers
from acme_shop.platform.request_context import (
    REQUEST_ID_HEADER,
    AccessLogMiddleware,
    is_valid_request_id,
    new_request_id,
)
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from acme_shop.services.identity import bootstrap

API_TITLE = "Acme Shop: Identity"
API_DESCRIPTION = "Sell products online and fulfil the orders customers place."
API_VERSION = "1.0.0"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app and its resources; connections open on first use."""
    settings = settings or Settings(service_name=bootstrap.SERVICE_NAME)
    configure_logging(settings.log_level)
    resources = Resources.create(
        settings, publishes=bootstrap.PUBLISHES, issues_tokens=bootstrap.ISSUES_TOKENS
    )
    bootstrap.subscribe_handlers(resources.messaging.consumer)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with resources.messaging.running():
            yield
        await resources.aclose()

    app = FastAPI(
        title=API_TITLE,
        version=API_VERSION,
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.resources = resources
    install_problem_handlers(app)
    app.add_exception_handler(IdempotentReplay, replay_stored_response)
    app.include_router(health_router)
    app.include_router(bootstrap.api_router())
    app.add_middleware(
        IdempotencyMiddleware,
        redis=resources.redis,
        prefix=settings.redis_key_prefix,
        ttl=settings.idempotency_ttl_seconds,
        metrics=resources.metrics,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    app.add_middleware(AccessLogMiddleware)
    # Added last, so it runs first: every log line of the request carries its id.
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name=REQUEST_ID_HEADER,
        generator=new_request_id,
        validator=is_valid_request_id,
    )
    resources.metrics.expose(app, excluded=PROBE_PATHS)
    resources.telemetry.instrument(app, resources.engine, resources.redis)
    return app
