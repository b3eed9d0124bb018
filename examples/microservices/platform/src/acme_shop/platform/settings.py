"""Runtime configuration, read once from the environment (and `.env` during development)."""

from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob the service reads; each maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    service_name: str = "acme-shop"
    log_level: str = "INFO"

    database_url: str = "postgresql+asyncpg://app:app@localhost:5432/acme_shop"
    database_pool_size: int = 8
    database_pool_timeout_seconds: float = 5.0
    database_command_timeout_seconds: float = 10.0

    redis_url: str = "redis://localhost:6379/0"
    redis_timeout_seconds: float = 0.25
    redis_key_prefix: str = "acme_shop"
    cache_ttl_seconds: int = 300
    rate_limit_per_minute: int = 120
    idempotency_ttl_seconds: int = 24 * 60 * 60
    # A request body over this is refused with 413 before it is read in full.
    max_request_body_bytes: int = 1024 * 1024
    # The identity service's EC (P-256) private key in PEM; in development it makes a
    # throwaway one when unset. `python -m acme_shop.services.identity.manage
    # signing-key` makes one. After a rotation, list the previous public keys here until the
    # tokens they signed have expired.
    jwt_private_key: SecretStr | None = None
    jwt_retired_public_keys: list[str] = []
    # Every other service verifies tokens with the identity service's published keys.
    jwks_url: str = "http://localhost:8000/.well-known/jwks.json"
    jwks_cache_seconds: float = 300.0
    # The "iss" of the tokens this app issues and accepts: one name for every service.
    jwt_issuer: str = "acme-shop"
    jwt_access_ttl_seconds: int = 15 * 60
    jwt_refresh_ttl_seconds: int = 7 * 24 * 60 * 60

    rabbitmq_url: str = "amqp://guest:guest@localhost:5672/"
    # A failed event is retried this many times in all, retry_delay apart, then parked.
    event_max_attempts: int = 5
    event_retry_delay_seconds: float = 5.0
    outbox_poll_seconds: float = 1.0

    # Background jobs (platform/jobs): the queue, the worker's and the scheduler's knobs.
    jobs_broker_url: str | None = None  # defaults to RABBITMQ_URL
    jobs_concurrency: int = 10  # jobs one worker runs at once
    jobs_shutdown_grace_seconds: float = 25.0  # SIGTERM: time running jobs get to finish
    jobs_heartbeat_seconds: float = 5.0
    # A worker silent for this long is presumed dead, and its jobs go to another worker.
    jobs_worker_lease_seconds: float = 15.0
    jobs_poll_seconds: float = 1.0  # how often the scheduler sweeps
    jobs_retry_base_seconds: float = 10.0  # a failed run waits about base * 2**(attempt-1)
    jobs_retry_max_seconds: float = 3600.0
    jobs_redispatch_after_seconds: float = 300.0  # a queued job no worker took is sent again
    jobs_dispatch_timeout_seconds: float = 1.0
    jobs_exclusive_wait_seconds: float = 5.0  # an exclusive job waits this long to try again
    jobs_yield_margin_seconds: float = 30.0  # ctx.should_yield() this long before the timeout
    jobs_misfire_grace_seconds: float = 3600.0  # a tick missed by less than this still fires
    # Cron expressions that replace a job's own, by job name (6 fields: seconds first).
    jobs_schedule_overrides: dict[str, str] = {}
    # Probes come from outside the container.
    jobs_health_host: str = "0.0.0.0"  # noqa: S104  # nosec B104
    jobs_health_port: int = 8001

    otlp_endpoint: str | None = None

    @field_validator("database_url")
    @classmethod
    def _use_asyncpg(cls, url: str) -> str:
        """Accept plain postgresql:// URLs (as tools print them) and select the async driver."""
        for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url.removeprefix(prefix)
        return url
