"""Everything the app holds for its lifetime, built once per app (never at import time)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import structlog
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from acme_shop.platform.cache import Cache
from acme_shop.platform.database import create_engine, create_session_factory
from acme_shop.platform.events import DomainEvent
from acme_shop.platform.jwks import RemoteKeys
from acme_shop.platform.messaging import EventConsumer, Messaging, OutboxRelay, create_broker
from acme_shop.platform.metrics import Metrics
from acme_shop.platform.outbox import Outbox
from acme_shop.platform.rate_limit import RateLimiter
from acme_shop.platform.redis import create_redis
from acme_shop.platform.security import LocalKeys, Passwords, SigningKey, TokenService
from acme_shop.platform.settings import Settings
from acme_shop.platform.telemetry import Telemetry

if TYPE_CHECKING:
    from acme_shop.platform.jobs.service import Jobs
logger = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Resources:
    """Connection pools, clients and services shared by every request of one app."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    read_session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    metrics: Metrics
    cache: Cache
    rate_limiter: RateLimiter
    tokens: TokenService
    passwords: Passwords
    events: Outbox
    messaging: Messaging
    telemetry: Telemetry

    @classmethod
    def create(
        cls,
        settings: Settings,
        *,
        publishes: Sequence[type[DomainEvent]] = (),
        issues_tokens: bool = False,
    ) -> "Resources":
        """Build the resources; connections are opened lazily, on first use.

        ``publishes`` are the event types the service announces: their exchanges are
        declared when the broker connects. Only the identity service ``issues_tokens``; the
        others verify them with the keys it publishes.
        """
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            pool_timeout=settings.database_pool_timeout_seconds,
            command_timeout=settings.database_command_timeout_seconds,
            name=settings.service_name,
        )
        session_factory = create_session_factory(engine)
        read_session_factory = create_session_factory(engine, autocommit=True)
        redis = create_redis(settings.redis_url, timeout=settings.redis_timeout_seconds)
        metrics = Metrics()
        telemetry = Telemetry(settings.service_name, settings.otlp_endpoint)
        outbox = Outbox()
        broker = create_broker(
            settings.rabbitmq_url, tracer_provider=telemetry.provider, metrics=metrics
        )
        messaging = Messaging(
            broker,
            EventConsumer(
                broker,
                session_factory,
                metrics,
                max_attempts=settings.event_max_attempts,
                retry_delay_seconds=settings.event_retry_delay_seconds,
                # More deliveries in flight than connections would only queue for the pool.
                prefetch=settings.database_pool_size,
            ),
            OutboxRelay(
                broker, session_factory, outbox, metrics, poll_seconds=settings.outbox_poll_seconds
            ),
            publishes,
        )
        return cls(
            settings=settings,
            engine=engine,
            session_factory=session_factory,
            read_session_factory=read_session_factory,
            redis=redis,
            metrics=metrics,
            cache=Cache(
                redis,
                prefix=settings.redis_key_prefix,
                ttl=settings.cache_ttl_seconds,
                metrics=metrics,
            ),
            rate_limiter=RateLimiter(
                redis,
                per_minute=settings.rate_limit_per_minute,
                prefix=settings.redis_key_prefix,
                metrics=metrics,
            ),
            tokens=_token_service(settings, issues_tokens=issues_tokens),
            passwords=Passwords(),
            events=outbox,
            messaging=messaging,
            telemetry=telemetry,
        )

    @cached_property
    def jobs(self) -> "Jobs":
        """The job queue, dispatcher and metrics, made on first use: only a service whose
        context declares jobs uses them. Importing the job package adds the job tables to the
        service's schema (``Base.metadata``), and only such a service's migrations make them."""
        from acme_shop.platform.jobs.service import Jobs

        return Jobs.create(self.settings, self.session_factory, self.metrics.registry)

    async def aclose(self) -> None:
        """Close pools and flush telemetry; called when the app shuts down."""
        await self.engine.dispose()
        await self.redis.aclose()
        if "jobs" in self.__dict__:  # made on first use
            await self.jobs.aclose()
        if isinstance(self.tokens.keys, RemoteKeys):
            await self.tokens.keys.aclose()
        self.telemetry.shutdown()


def _token_service(settings: Settings, *, issues_tokens: bool) -> TokenService:
    """The identity service signs with its private key; the others fetch its public keys."""
    lifetimes = {
        "issuer": settings.jwt_issuer,
        "access_ttl": settings.jwt_access_ttl_seconds,
        "refresh_ttl": settings.jwt_refresh_ttl_seconds,
    }
    if not issues_tokens:
        keys = RemoteKeys(settings.jwks_url, ttl=settings.jwks_cache_seconds)
        return TokenService(keys, **lifetimes)
    if settings.jwt_private_key is not None:
        pem = settings.jwt_private_key.get_secret_value()
    elif settings.environment == "development":
        logger.warning("jwt_private_key_generated", reason="JWT_PRIVATE_KEY is not set")
        pem = SigningKey.generate()
    else:
        raise ValueError("JWT_PRIVATE_KEY must be set outside development")
    signing_key = SigningKey(pem)
    local = LocalKeys(signing_key, settings.jwt_retired_public_keys)
    return TokenService(local, signing_key=signing_key, **lifetimes)
