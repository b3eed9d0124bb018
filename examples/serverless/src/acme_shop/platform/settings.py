"""Runtime configuration, read once from the environment (and `.env` during development)."""

from typing import Literal

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-in-production"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    """Every knob the service reads; each maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    service_name: str = "acme-shop"
    log_level: str = "INFO"

    database_url: str = "postgresql+asyncpg://app:app@localhost:5432/acme_shop"
    database_pool_size: int = 2
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
    jwt_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # The "iss" of the tokens this app issues and accepts: one name for every service.
    jwt_issuer: str = "acme-shop"
    jwt_access_ttl_seconds: int = 15 * 60
    jwt_refresh_ttl_seconds: int = 7 * 24 * 60 * 60

    # The SQS queue events travel through (the SAM template creates it, with its DLQ).
    events_queue_url: str = "http://localhost:5000/123456789012/acme-shop-events"
    # Lambda sets AWS_REGION; AWS_ENDPOINT_URL points boto3 at an emulator (moto) instead of AWS.
    aws_region: str = "us-east-1"
    aws_endpoint_url: str | None = None
    aws_timeout_seconds: float = 2.0

    # Background jobs (platform/jobs): the SQS queue that feeds the jobs function, and the
    # knobs of the jobs and scheduler functions.
    jobs_queue_url: str = "http://localhost:5000/123456789012/acme-shop-jobs"
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

    otlp_endpoint: str | None = None

    @field_validator("database_url")
    @classmethod
    def _use_asyncpg(cls, url: str) -> str:
        """Accept plain postgresql:// URLs (as tools print them) and select the async driver."""
        for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url.removeprefix(prefix)
        return url

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        if self.environment == "development":
            return self
        if self.jwt_secret.get_secret_value() == PLACEHOLDER_SECRET:
            raise ValueError("JWT_SECRET must be set outside development")
        return self
