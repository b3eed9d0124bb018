"""Starting jobs and reading them: the job table's use cases for the API, the bus and operators.

``start_job`` inserts the row in the caller's transaction, so a job exists if and only if the
change that asked for it committed. After the commit, ``JobDispatcher.dispatch`` rings the
queue's doorbell; when that fails (the broker is away) the row waits, and the scheduler's
sweeper sends it later. A start with a ``dedupe_key`` already used returns the existing job.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from opentelemetry import propagate
from pydantic import BaseModel
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.platform.jobs.models import Job
from acme_shop.platform.jobs.registry import JobSpec
from acme_shop.platform.problems import ProblemError

_STAGED = "staged_jobs"  # ids of the jobs a session started, dispatched after its commit

INSERT_JOB = text(
    "INSERT INTO platform_jobs (id, context, name, status, payload, dedupe_key, exclusive,"
    " max_attempts, timeout_seconds, scheduled_for, created_by, trace_headers)"
    " VALUES (:id, :context, :name, 'queued', CAST(:payload AS jsonb), :dedupe_key, :exclusive,"
    " :max_attempts, :timeout_seconds, :scheduled_for, :created_by, CAST(:trace AS jsonb))"
    " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
)


@dataclass(frozen=True)
class StartedJob:
    """The job a start made, or found already made with the same dedupe key."""

    id: uuid.UUID
    created: bool


def request_dedupe_key(caller: uuid.UUID, idempotency_key: str) -> str:
    """The key of a job started by a request carrying an Idempotency-Key."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()
    return f"request:{caller}:{digest}"


async def start_job(
    session: AsyncSession,
    spec: JobSpec,
    payload: BaseModel,
    *,
    created_by: uuid.UUID | None = None,
    dedupe_key: str | None = None,
    scheduled_for: Any = None,
) -> StartedJob:
    """Add a queued job to ``session``'s transaction; dispatched once it commits.

    A ``dedupe_key`` used before gives back that job, unless its payload differs (422).
    """
    trace: dict[str, str] = {}
    propagate.inject(trace)  # the job's spans join the trace of the change that started it
    data = payload.model_dump_json()
    inserted = await session.scalar(
        INSERT_JOB,
        {
            "id": uuid.uuid4(),
            "context": spec.context,
            "name": spec.name,
            "payload": data,
            "dedupe_key": dedupe_key,
            "exclusive": spec.exclusive,
            "max_attempts": spec.max_attempts,
            "timeout_seconds": spec.timeout_seconds,
            "scheduled_for": scheduled_for,
            "created_by": created_by,
            "trace": json.dumps(trace),
        },
    )
    if inserted is not None:
        session.info.setdefault(_STAGED, []).append(inserted)
        return StartedJob(inserted, created=True)
    existing = (
        await session.execute(
            select(Job.id, Job.name, Job.payload).where(Job.dedupe_key == dedupe_key)
        )
    ).one()
    if existing.name != spec.name or existing.payload != payload.model_dump(mode="json"):
        raise ProblemError(422, "This Idempotency-Key was used with a different request")
    return StartedJob(existing.id, created=False)


def staged_jobs(session: AsyncSession) -> list[uuid.UUID]:
    """The jobs ``session`` started, forgotten once read (call after the commit)."""
    ids: list[uuid.UUID] = session.info.pop(_STAGED, [])
    return ids


async def retry_failed(session: AsyncSession, job_id: uuid.UUID) -> bool:
    """Queue a dead-lettered job again with fresh attempts; False when it is not failed."""
    retried = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "failed")
        .values(
            status="queued",
            attempts=0,
            run_at=text("now()"),
            dispatched_at=None,
            finished_at=None,
            worker=None,
            checkpoint=None,
        )
        .returning(Job.id)
    )
    if retried.first() is None:
        return False
    session.info.setdefault(_STAGED, []).append(job_id)
    return True
