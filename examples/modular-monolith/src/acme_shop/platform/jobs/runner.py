"""Running one job: claim its row, run its handler in a timeout, and record the outcome.

Every transition is one fenced UPDATE (``attempts`` is the fencing token), so two runs of a
job can never both record an outcome, and a run that lost its claim commits nothing:

- queued -> running: the claim, which counts the attempt;
- running -> succeeded: in the handler's own transaction, with everything it wrote;
- running -> retrying: after a failure, with the next run ``run_at`` a growing delay away;
- running -> failed: after the last attempt, or a failure that says not to retry (the dead
  letter an operator sees and retries);
- running -> queued: the next step of a job that continues (``Continue``), or a run the worker
  interrupted to shut down, its attempt given back.

A transition that is the only statement of its transaction runs on its own (autocommit): one
round trip to PostgreSQL instead of three (BEGIN, the statement, COMMIT), which is most of what
a short job costs the worker.
"""

import asyncio
import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import structlog
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from pydantic import ValidationError
from sqlalchemy import CursorResult, Executable, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from acme_shop.platform.jobs.context import (
    Continue,
    JobContext,
    JobFailed,
    JobOutcome,
    JobResult,
    LeaseLostError,
)
from acme_shop.platform.jobs.metrics import JobMetrics
from acme_shop.platform.jobs.registry import JobRegistry, JobSpec

if TYPE_CHECKING:
    from acme_shop.platform.resources import Resources

logger = structlog.get_logger(__name__)

CLAIM = text(
    "UPDATE platform_jobs SET status = 'running', attempts = attempts + 1, worker = :worker,"
    " started_at = clock_timestamp(), progress = NULL, dispatched_at = NULL, updated_at = now()"
    " WHERE id = :id AND status = 'queued' AND run_at <= now()"
    " RETURNING name, payload, attempts, max_attempts, timeout_seconds, checkpoint,"
    " trace_headers, started_at, extract(epoch FROM clock_timestamp() - run_at) AS waited"
)
DEFER = text(
    "UPDATE platform_jobs SET run_at = now() + make_interval(secs => :wait),"
    " dispatched_at = NULL, updated_at = now() WHERE id = :id AND status = 'queued'"
)
RESULT_SIZE = text(
    "SELECT coalesce(sum(length(content)), 0) FROM platform_job_result_parts WHERE job_id = :id"
)
FINISH = text(
    "UPDATE platform_jobs SET status = 'succeeded', finished_at = clock_timestamp(),"
    " progress = 1, result = CAST(:result AS jsonb), checkpoint = NULL, worker = NULL,"
    " error = NULL, updated_at = now()"
    " WHERE id = :id AND status = 'running' AND attempts = :attempt"
)
FAIL = text(
    "UPDATE platform_jobs SET status = CAST(:status AS varchar), worker = NULL,"
    " dispatched_at = NULL, run_at = clock_timestamp() + make_interval(secs => :delay),"
    " error = CAST(:problem AS jsonb),"
    " failures = failures || jsonb_build_array(jsonb_build_object('attempt', attempts,"
    " 'started_at', started_at, 'failed_at', clock_timestamp(),"
    " 'retry_at', CASE WHEN CAST(:status AS varchar) = 'retrying'"
    " THEN clock_timestamp() + make_interval(secs => :delay) END,"
    " 'problem', CAST(:problem AS jsonb))),"
    " finished_at = CASE WHEN CAST(:status AS varchar) = 'failed' THEN clock_timestamp() END,"
    " updated_at = now()"
    " WHERE id = :id AND status = 'running' AND attempts = :attempt"
)
# Back to the queue, the attempt given back: a step that continues, or an interrupted run.
REQUEUE = text(
    "UPDATE platform_jobs SET status = 'queued', attempts = attempts - 1, run_at = now(),"
    " dispatched_at = NULL, worker = NULL,"
    " checkpoint = coalesce(CAST(:checkpoint AS jsonb), checkpoint), updated_at = now()"
    " WHERE id = :id AND status = 'running' AND attempts = :attempt"
)


def retry_delay(attempt: int, *, base: float, cap: float) -> float:
    """The wait before the run after failed ``attempt``: exponential with equal jitter.

    Half of ``base * 2**(attempt-1)`` (capped) plus a random part of the other half, so the
    delays grow and each one's floor is the previous one's ceiling.
    """
    ceiling = min(base * 2.0 ** (attempt - 1), cap)
    return ceiling / 2 + random.random() * ceiling / 2  # noqa: S311 - jitter, not secrecy


def problem(title: str, status: int, detail: str, attempt: int) -> dict[str, Any]:
    """The RFC 9457 problem document a failed run records (no traceback: it is shown to
    callers)."""
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "attempt": attempt,
    }


class JobRunner:
    """Runs jobs by id for one worker, counting and logging each run."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        registry: JobRegistry,
        metrics: JobMetrics,
        tracer: Tracer,
        *,
        worker: str,
        retry_base_seconds: float,
        retry_max_seconds: float,
        exclusive_wait_seconds: float,
        yield_margin_seconds: float,
        on_requeued: Callable[[uuid.UUID], Awaitable[None]],
        resources: "Resources",
    ) -> None:
        self._session_factory = session_factory
        self._autocommit = resources.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._registry = registry
        self._metrics = metrics
        self._tracer = tracer
        self.worker = worker
        self._retry_base = retry_base_seconds
        self._retry_max = retry_max_seconds
        self._exclusive_wait = exclusive_wait_seconds
        self._yield_margin = yield_margin_seconds
        self._on_requeued = on_requeued
        self._resources = resources
        self.draining = asyncio.Event()
        self._running: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def running(self) -> int:
        return len(self._running)

    async def run(self, job_id: uuid.UUID) -> str | None:
        """Claim ``job_id`` and run it; every outcome is recorded on its row, and returned
        ("succeeded", "retried", "failed", "continued", "lost"); None when it was not claimed."""
        task = asyncio.current_task()
        assert task is not None
        self._running.add(task)
        self._idle.clear()
        try:
            return await self._run(job_id)
        finally:
            self._running.discard(task)
            if not self._running:
                self._idle.set()

    async def wait_idle(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the running jobs to end; True if they did."""
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._idle.wait()
        return self._idle.is_set()

    def interrupt(self) -> None:
        """Cancel the running jobs: each puts itself back on the queue."""
        for task in list(self._running):
            task.cancel()

    async def _run(self, job_id: uuid.UUID) -> str | None:
        claimed = await self._claim(job_id)
        if claimed is None:
            return None
        spec = self._registry.get(claimed["name"])
        attempt: int = claimed["attempts"]
        with structlog.contextvars.bound_contextvars(
            job_id=str(job_id), job=claimed["name"], attempt=attempt
        ):
            if spec is None:
                await self._fail(
                    job_id,
                    claimed["name"],
                    attempt,
                    problem("Unknown job", 500, f"no worker knows {claimed['name']!r}", attempt),
                    last=True,
                )
                return "failed"
            self._metrics.queue_wait.labels(spec.name).observe(max(float(claimed["waited"]), 0.0))
            context = propagate.extract(claimed["trace_headers"])
            with self._tracer.start_as_current_span(
                f"job {spec.name}",
                context=context,
                kind=SpanKind.CONSUMER,
                attributes={"job.id": str(job_id), "job.attempt": attempt},
            ) as span:
                outcome = await self._execute(job_id, spec, claimed)
                span.set_attribute("job.outcome", outcome)
                if outcome in ("failed", "retried"):
                    span.set_status(Status(StatusCode.ERROR))
                return outcome

    async def _alone(self, statement: Executable, values: dict[str, Any]) -> CursorResult[Any]:
        """Run ``statement`` as a transaction of its own: one round trip."""
        async with self._autocommit.connect() as connection:
            return await connection.execute(statement, values)

    async def _claim(self, job_id: uuid.UUID) -> dict[str, Any] | None:
        try:
            row = (await self._alone(CLAIM, {"id": job_id, "worker": self.worker})).first()
        except IntegrityError:  # an exclusive job already running elsewhere: wait a little
            await self._alone(DEFER, {"id": job_id, "wait": self._exclusive_wait})
            self._metrics.runs.labels("", "deferred").inc()
            logger.info("job_deferred", job_id=str(job_id))
            return None
        if row is None:  # done, running elsewhere, or not due: a duplicate or early delivery
            self._metrics.runs.labels("", "duplicate").inc()
            logger.debug("job_duplicate_delivery", job_id=str(job_id))
            return None
        return dict(row._mapping)

    async def _execute(self, job_id: uuid.UUID, spec: JobSpec, claimed: dict[str, Any]) -> str:
        attempt: int = claimed["attempts"]
        started = time.monotonic()
        self._metrics.in_flight.labels(spec.name).inc()
        logger.info("job_started", max_attempts=claimed["max_attempts"])
        try:
            outcome = await self._handle(job_id, spec, claimed, started)
        except asyncio.CancelledError:
            await asyncio.shield(self._requeue(job_id, attempt, None))
            self._record(spec, "interrupted", started)
            logger.warning("job_interrupted")
            raise
        except LeaseLostError:
            outcome = "lost"
            logger.warning("job_lease_lost")
        except Exception as error:
            outcome = await self._failed(job_id, spec, claimed, error)
        finally:
            self._metrics.in_flight.labels(spec.name).dec()
        self._record(spec, outcome, started)
        return outcome

    async def _handle(
        self, job_id: uuid.UUID, spec: JobSpec, claimed: dict[str, Any], started: float
    ) -> str:
        attempt: int = claimed["attempts"]
        try:
            payload = spec.payload.model_validate(claimed["payload"])
        except ValidationError as error:
            raise JobFailed(
                f"the payload no longer validates: {error.error_count()} errors", retryable=False
            ) from error
        async with self._session_factory() as session:
            context = JobContext(
                session,
                resources=self._resources,
                job_id=job_id,
                name=spec.name,
                attempt=attempt,
                checkpoint=claimed["checkpoint"],
                started_on=claimed["started_at"].date() if claimed["started_at"] else date.today(),
                deadline=started + claimed["timeout_seconds"],
                yield_margin=self._yield_margin,
                draining=self.draining,
            )
            async with asyncio.timeout(claimed["timeout_seconds"]):
                outcome: JobOutcome = await spec.handler(context, payload)
            if isinstance(outcome, Continue):
                await self._fenced(
                    session, REQUEUE, job_id, attempt, checkpoint=json.dumps(outcome.checkpoint)
                )
                await session.commit()
                await context.run_after_commit()
                await self._on_requeued(job_id)
                logger.info("job_continued")
                return "continued"
            result = await self._result(session, job_id, outcome)
            if session.in_transaction():  # the outcome commits with what the handler wrote
                await self._fenced(session, FINISH, job_id, attempt, result=json.dumps(result))
                await session.commit()
            else:  # the handler touched no table: the outcome is a transaction of its own
                await self._fenced(None, FINISH, job_id, attempt, result=json.dumps(result))
            await context.run_after_commit()
        logger.info("job_succeeded", duration_ms=round((time.monotonic() - started) * 1000, 1))
        return "succeeded"

    async def _result(
        self, session: AsyncSession, job_id: uuid.UUID, outcome: JobResult | None
    ) -> dict[str, Any]:
        result = outcome or JobResult()
        recorded: dict[str, Any] = {"summary": result.summary}
        if result.filename is not None:  # the parts the runs wrote make the file
            size = await session.scalar(RESULT_SIZE, {"id": job_id})
            recorded |= {
                "media_type": result.media_type or "application/octet-stream",
                "filename": result.filename,
                "size": int(size or 0),
            }
        return recorded

    async def _fenced(
        self,
        session: AsyncSession | None,
        statement: Executable,
        job_id: uuid.UUID,
        attempt: int,
        **values: Any,
    ) -> None:
        """Run a transition fenced on ``attempt``: in ``session``'s transaction, or alone."""
        parameters = {"id": job_id, "attempt": attempt, **values}
        if session is None:
            updated = await self._alone(statement, parameters)
        else:
            updated = cast(CursorResult[Any], await session.execute(statement, parameters))
        if updated.rowcount != 1:
            raise LeaseLostError(f"job {job_id} is no longer held by attempt {attempt}")

    async def _failed(
        self, job_id: uuid.UUID, spec: JobSpec, claimed: dict[str, Any], error: Exception
    ) -> str:
        attempt: int = claimed["attempts"]
        if isinstance(error, TimeoutError):
            timeout = claimed["timeout_seconds"]
            found = problem(
                "Job timed out", 504, f"{spec.name} ran over its {timeout} s timeout", attempt
            )
        elif isinstance(error, JobFailed):
            found = problem("Job failed", 500, error.detail, attempt)
        else:
            found = problem("Job failed", 500, f"{type(error).__name__}: {error}", attempt)
        last = attempt >= claimed["max_attempts"] or (
            isinstance(error, JobFailed) and not error.retryable
        )
        return await self._fail(job_id, spec.name, attempt, found, last=last)

    async def _fail(
        self, job_id: uuid.UUID, name: str, attempt: int, found: dict[str, Any], *, last: bool
    ) -> str:
        delay = 0.0 if last else retry_delay(attempt, base=self._retry_base, cap=self._retry_max)
        status = "failed" if last else "retrying"
        try:
            await self._fenced(
                None, FAIL, job_id, attempt, status=status, delay=delay, problem=json.dumps(found)
            )
        except LeaseLostError:
            return "lost"
        if last:
            logger.error("job_dead_lettered", problem=found)
            return "failed"
        logger.warning("job_failed", retry_in_s=round(delay, 3), problem=found)
        return "retried"

    async def _requeue(self, job_id: uuid.UUID, attempt: int, checkpoint: str | None) -> None:
        with suppress(LeaseLostError):
            await self._fenced(None, REQUEUE, job_id, attempt, checkpoint=checkpoint)
        with suppress(Exception):
            await self._on_requeued(job_id)

    def _record(self, spec: JobSpec, outcome: str, started: float) -> None:
        self._metrics.runs.labels(spec.name, outcome).inc()
        self._metrics.duration.labels(spec.name, outcome).observe(time.monotonic() - started)
