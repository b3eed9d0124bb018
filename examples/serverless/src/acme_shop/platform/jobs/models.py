"""The job tables: one row per job (the source of truth), its result, and the live workers.

A job's row is its state (queued, running, retrying, succeeded, failed), its outbox
(``dispatched_at`` is null until the queue took it), its idempotency record (``dedupe_key``),
its retry schedule (``run_at``), its fencing token (``attempts``) and, once failed, its dead
letter. The message on the queue only carries the job's id: the queue is a doorbell.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    REAL,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Base

STATUSES = ("queued", "running", "retrying", "succeeded", "failed")


class Job(Base):
    """One run of work outside a request, from its start to its outcome."""

    __tablename__ = "platform_jobs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'retrying', 'succeeded', 'failed')", name="status"
        ),
        # At most one running instance of an exclusive job, whichever worker runs it.
        Index(
            "uq_platform_jobs_exclusive_running",
            "name",
            unique=True,
            postgresql_where=text("status = 'running' AND exclusive"),
        ),
        # The sweeper's scans: jobs waiting to be sent, and jobs held by a worker.
        Index(
            "ix_platform_jobs_pending",
            "run_at",
            postgresql_where=text("status IN ('queued', 'retrying')"),
        ),
        Index(
            "ix_platform_jobs_running_worker",
            "worker",
            postgresql_where=text("status = 'running'"),
        ),
        # Listings: a context's jobs by status (dead letters), and a caller's own jobs.
        Index(
            "ix_platform_jobs_context_status_created_at_id", "context", "status", "created_at", "id"
        ),
        Index(
            "ix_platform_jobs_created_by_created_at_id",
            "created_by",
            "created_at",
            "id",
            postgresql_where=text("created_by IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    context: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # request:<caller>:<key hash>, cron:<job>:<tick> or event:<job>:<event id>
    dedupe_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    exclusive: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    max_attempts: Mapped[int] = mapped_column(SmallInteger)
    timeout_seconds: Mapped[int] = mapped_column(Integer)
    run_at: Mapped[datetime] = mapped_column(server_default=func.now())
    dispatched_at: Mapped[datetime | None]
    worker: Mapped[str | None] = mapped_column(String(128))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    progress: Mapped[float | None] = mapped_column(REAL)
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    scheduled_for: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None]
    trace_headers: Mapped[dict[str, str]] = mapped_column(JSONB, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class JobResultPart(Base):
    """A piece of a job's result file, written step by step and served in order."""

    __tablename__ = "platform_job_result_parts"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("platform_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class JobWorker(Base):
    """A live worker process; a heartbeat older than the lease means it died."""

    __tablename__ = "platform_job_workers"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)  # host:pid:random
    started_at: Mapped[datetime] = mapped_column(server_default=func.now())
    heartbeat_at: Mapped[datetime] = mapped_column(server_default=func.now())
    draining: Mapped[bool] = mapped_column(Boolean, server_default="false")
