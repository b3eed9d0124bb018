"""Waiting out a server that is away: retries with a growing pause, each wait logged.

What reconnects for as long as it takes (the microservices' broker connection and outbox
relay, a job worker reaching its queue) retries through here, so every such wait backs off
and reads the same in the logs.
"""

import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential_jitter

logger = structlog.get_logger(__name__)


def retrying_forever(event: str, errors: tuple[type[BaseException], ...]) -> AsyncRetrying:
    """Retry on ``errors`` with jittered exponential backoff (up to 10 s), logging each wait."""

    def log(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        logger.warning(event, attempt=state.attempt_number, error=repr(error))

    return AsyncRetrying(
        retry=retry_if_exception_type(errors),
        wait=wait_exponential_jitter(multiplier=0.2, max=10, jitter=0.2),
        before_sleep=log,
    )
