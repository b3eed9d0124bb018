"""What a job's handler is given and may return: its context, a result, or the next step.

A handler runs inside a transaction that commits only with the job's ``succeeded`` mark, fenced
on the attempt that claimed the job: if another worker took the job over meanwhile (this one
was presumed dead), the commit is refused and nothing the handler wrote lands. That is what
makes a job's effect happen once, however often it runs.
"""

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from acme_shop.platform.resources import Resources

FENCED_STEP = text(
    "UPDATE platform_jobs SET checkpoint = CAST(:checkpoint AS jsonb), progress = :progress,"
    " updated_at = now() WHERE id = :id AND status = 'running' AND attempts = :attempt"
)
FENCED_PROGRESS = text(
    "UPDATE platform_jobs SET progress = :progress, updated_at = now()"
    " WHERE id = :id AND status = 'running' AND attempts = :attempt"
)
WRITE_PART = text(
    "INSERT INTO platform_job_result_parts (job_id, part, content) VALUES (:id, :part, :content)"
    " ON CONFLICT (job_id, part) DO UPDATE SET content = EXCLUDED.content"
)
_PROGRESS_EVERY_SECONDS = 1.0


class LeaseLostError(Exception):
    """Another run holds the job now: this run's work must not be committed."""


class JobFailed(Exception):  # noqa: N818 - reads as what happened: raise JobFailed(...)
    """Raise from a handler to fail the run with ``detail``; ``retryable=False`` skips the
    remaining attempts and sends the job straight to the dead letters."""

    def __init__(self, detail: str, *, retryable: bool = True) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retryable = retryable


@dataclass(frozen=True)
class JobResult:
    """What a succeeded job made: a summary, and a file when it wrote result parts."""

    summary: dict[str, Any] = field(default_factory=dict)
    media_type: str | None = None
    filename: str | None = None


@dataclass(frozen=True)
class Continue:
    """Return to stop here and go on later from ``checkpoint``: the job is queued again."""

    checkpoint: dict[str, Any]


JobOutcome = JobResult | Continue | None


class JobContext:
    """A handler's view of its run: the session to write in, the app's resources (its cache,
    say), the inputs, and the controls."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        resources: "Resources",
        job_id: uuid.UUID,
        name: str,
        attempt: int,
        checkpoint: dict[str, Any] | None,
        started_on: date,
        deadline: float,
        yield_margin: float,
        draining: asyncio.Event,
    ) -> None:
        self.session = session
        self.resources = resources
        self.job_id = job_id
        self.name = name
        self.attempt = attempt
        self.checkpoint = checkpoint
        self.started_on = started_on
        self.log = structlog.get_logger(name)
        self._deadline = deadline
        self._yield_margin = yield_margin
        self._draining = draining
        self._after_commit: list[Callable[[], Awaitable[object]]] = []
        self._progress_at = 0.0

    @property
    def _fence(self) -> dict[str, Any]:
        return {"id": self.job_id, "attempt": self.attempt}

    async def commit_step(
        self, checkpoint: dict[str, Any], *, progress: float | None = None
    ) -> None:
        """Commit the work so far with ``checkpoint``: a later run resumes from there."""
        updated = await self.session.execute(
            FENCED_STEP, {**self._fence, "checkpoint": json.dumps(checkpoint), "progress": progress}
        )
        if updated.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLostError(f"job {self.job_id} is no longer held by attempt {self.attempt}")
        await self.session.commit()
        self.checkpoint = checkpoint
        await self.run_after_commit()

    async def progress(self, done: int, total: int) -> None:
        """Report how far the run is (at most once a second; visible on the job resource)."""
        now = time.monotonic()
        if now - self._progress_at < _PROGRESS_EVERY_SECONDS:
            return
        self._progress_at = now
        await self.session.execute(
            FENCED_PROGRESS, {**self._fence, "progress": done / max(total, 1)}
        )

    async def write_part(self, part: int, content: bytes) -> None:
        """Store part ``part`` of the result file; writing a part again replaces it."""
        await self.session.execute(
            WRITE_PART, {"id": self.job_id, "part": part, "content": content}
        )

    def should_yield(self) -> bool:
        """Whether to commit a step and return ``Continue`` now: the worker is shutting down,
        or the run is close to its timeout."""
        return self._draining.is_set() or time.monotonic() > self._deadline - self._yield_margin

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        """Run ``callback`` once the work is committed (to forget cached copies, say)."""
        self._after_commit.append(callback)

    async def run_after_commit(self) -> None:
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()
