"""Everything the app holds for its lifetime, built once per app (never at import time)."""

from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from acme_shop.platform.cache import Cache
from acme_shop.platform.database import create_engine, create_session_factory
from acme_shop.platform.event_queue import EventQueue, OutboxRelay
from acme_shop.platform.events import EventBus
from acme_shop.platform.jobs.service import Jobs
from acme_shop.platform.metrics import Metrics
from acme_shop.platform.outbox import Outbox
from acme_shop.platform.rate_limit import RateLimiter
from acme_shop.platform.redis import create_redis
from acme_shop.platform.security import Passwords, TokenService
from acme_shop.platform.settings import Settings
from acme_shop.platform.telemetry import Telemetry


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
    relay: OutboxRelay
    subscribers: EventBus
    jobs: Jobs
    telemetry: Telemetry

    @classmethod
    def create(cls, settings: Settings) -> "Resources":
        """Build the resources; connections are opened lazily, on first use."""
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
        relay = OutboxRelay(EventQueue.of(settings), session_factory, metrics)
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
            tokens=TokenService(
                settings.jwt_secret.get_secret_value(),
                issuer=settings.jwt_issuer,
                access_ttl=settings.jwt_access_ttl_seconds,
                refresh_ttl=settings.jwt_refresh_ttl_seconds,
            ),
            passwords=Passwords(),
            events=Outbox(relay.relay_after_commit),
            relay=relay,
            subscribers=EventBus(session_factory, metrics),
            jobs=Jobs.create(settings, session_factory, metrics.registry),
            telemetry=telemetry,
        )

    async def aclose(self) -> None:
        """Close pools and flush telemetry; called when the app shuts down."""
        await self.engine.dispose()
        await self.redis.aclose()
        await self.jobs.aclose()
        self.telemetry.shutdown()
