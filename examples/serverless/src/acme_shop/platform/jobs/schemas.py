"""The job resource as the API shows it: status, progress, attempts, error and result link."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from acme_shop.platform.jobs.models import Job


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobResultLink(BaseModel):
    """What a succeeded job made, and where to download its file (when it wrote one)."""

    href: str | None = None
    media_type: str | None = None
    filename: str | None = None
    size: int | None = None
    summary: dict[str, Any] = {}


class JobRead(BaseModel):
    """A job: poll it until its status is succeeded or failed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6c1a52-8d5e-4c8a-9a43-7f1f0c2e9d11",
                    "name": "ordering.export_orders",
                    "status": "succeeded",
                    "progress": 1.0,
                    "attempts": 1,
                    "max_attempts": 3,
                    "created_at": "2026-12-03T17:40:02Z",
                    "started_at": "2026-12-03T17:40:03Z",
                    "finished_at": "2026-12-03T17:40:05Z",
                    "next_attempt_at": None,
                    "error": None,
                    "result": {
                        "href": "/api/v1/ordering/jobs/0b6c1a52-8d5e-4c8a-9a43-7f1f0c2e9d11/result",
                        "media_type": "text/csv",
                        "filename": "orders-20261203.csv",
                        "size": 48213,
                        "summary": {"rows": 1204},
                    },
                    "failures": [],
                }
            ]
        }
    )

    id: uuid.UUID
    name: str
    status: JobStatus
    progress: float | None
    attempts: int
    max_attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime | None
    error: dict[str, Any] | None  # an RFC 9457 problem document
    result: JobResultLink | None
    failures: list[dict[str, Any]]  # each failed run: attempt, times and problem

    @classmethod
    def of(cls, job: Job, base_path: str) -> "JobRead":
        """The resource of ``job``, its links under ``base_path`` (``/api/v1/<context>/jobs``)."""
        result = None
        if job.status == JobStatus.SUCCEEDED and job.result is not None:
            href = f"{base_path}/{job.id}/result" if job.result.get("filename") else None
            result = JobResultLink(href=href, **job.result)
        return cls(
            id=job.id,
            name=job.name,
            status=JobStatus(job.status),
            progress=job.progress,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            next_attempt_at=job.run_at if job.status == JobStatus.RETRYING else None,
            error=job.error,
            result=result,
            failures=job.failures,
        )
