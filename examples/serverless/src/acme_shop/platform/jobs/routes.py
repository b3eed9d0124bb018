"""The job resource routes of a context: read a job, download its result, list, retry.

Every context that runs jobs mounts the router of ``job_router`` under ``/api/v1/<context>/jobs``;
its own modules add the routes that start each on-demand job (``accepted``). A job is visible
to the caller who started it and to admins; anyone else gets 404, so a job's existence does not
leak. Jobs started by the scheduler or by events belong to admins.
"""

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel
from sqlalchemy import DateTime, Uuid, literal, select, tuple_

from acme_shop.platform.dependencies import AdminDep, ResourcesDep, SessionDep, ViewerDep
from acme_shop.platform.jobs.models import Job, JobResultPart
from acme_shop.platform.jobs.registry import JobSpec
from acme_shop.platform.jobs.schemas import JobRead, JobStatus
from acme_shop.platform.jobs.store import request_dedupe_key, retry_failed, start_job
from acme_shop.platform.pagination import (
    DEFAULT_PAGE_SIZE,
    Cursor,
    CursorQuery,
    LimitQuery,
    Page,
)
from acme_shop.platform.problems import (
    SECURED_RESPONSES,
    NotFoundError,
    ProblemError,
    Responses,
    problem_responses,
)
from acme_shop.platform.security import Principal, Role

RETRY_AFTER_SECONDS = 2
_ACCEPTED: Responses = {
    202: {
        "description": "Accepted: poll the job at the Location header",
        "headers": {
            "Location": {"schema": {"type": "string"}, "description": "The job resource"},
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"},
        },
    }
}
# The answers of a start (each context's on-demand routes), besides SECURED_RESPONSES.
START_RESPONSES: Responses = _ACCEPTED | problem_responses(
    400,
    413,
    described={
        409: "A request with this Idempotency-Key is still in progress",
        422: "The payload does not validate, or reuses an Idempotency-Key that came with "
        "another request",
    },
)
_LIST_RESPONSES = problem_responses(
    described={
        400: "The cursor is not one this list returned",
        422: "The status, name or limit is out of range, or the cursor is not of the "
        "documented shape",
    }
)
# A job's paths take a UUID only (``{job_id:uuid}``): a start's path beside them, such as
# ``/jobs/export-orders``, is not taken for a job id, so its 405 names its own methods.
_NOT_FOUND = "No such job, or not one the caller may see"
_READ_RESPONSES = problem_responses(described={404: _NOT_FOUND})
_RESULT_RESPONSES = problem_responses(
    described={404: _NOT_FOUND, 409: "The job has not succeeded yet, or made no file"}
)
_RETRY_RESPONSES = _ACCEPTED | problem_responses(
    described={404: _NOT_FOUND, 409: "Only a failed job can be retried"}
)


def jobs_path(request: Request) -> str:
    """``/api/v1/<context>/jobs`` from the path of any route under it."""
    return request.url.path.split("/jobs", 1)[0] + "/jobs"


def accepted(request: Request, job: Job) -> JSONResponse:
    """202 Accepted with the job, and where to poll it."""
    base = jobs_path(request)
    body = JobRead.of(job, base).model_dump(mode="json")
    headers = {"Location": f"{base}/{job.id}", "Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED, headers=headers)


async def start_from_request(
    request: Request,
    resources: ResourcesDep,
    session: SessionDep,
    principal: Principal,
    spec: JobSpec,
    payload: BaseModel,
) -> JSONResponse:
    """Start ``spec`` for the caller and answer 202; an Idempotency-Key gives the same job."""
    key = request.headers.get("idempotency-key")
    dedupe_key = request_dedupe_key(principal.user_id, key) if key else None
    started = await start_job(
        session, spec, payload, created_by=principal.user_id, dedupe_key=dedupe_key
    )
    await session.commit()
    await resources.jobs.dispatcher.after_commit(session)
    if started.created:
        resources.jobs.metrics.started.labels(spec.name, "on_demand").inc()
    job = await session.get(Job, started.id, populate_existing=True)
    assert job is not None
    return accepted(request, job)


def job_router(context: str) -> APIRouter:
    """The routes of ``context``'s job resource."""
    router = APIRouter(prefix="/jobs", tags=[f"{context} jobs"], responses=SECURED_RESPONSES)

    async def load(session: SessionDep, job_id: uuid.UUID, principal: Principal) -> Job:
        """The job, if it is this context's and the caller may see it; a 404 otherwise."""
        job = await session.get(Job, job_id)
        if job is None or job.context != context:
            raise NotFoundError("job", job_id)
        if not (principal.role is Role.ADMIN or job.created_by == principal.user_id):
            raise NotFoundError("job", job_id)
        return job

    @router.get("", operation_id=f"list_{context}_jobs", responses=_LIST_RESPONSES)
    async def list_jobs(
        request: Request,
        session: SessionDep,
        principal: ViewerDep,
        job_status: Annotated[JobStatus | None, Query(alias="status")] = None,
        # A job's name is <context>.<job>, both snake_case: other text (a NUL byte, which
        # PostgreSQL refuses in a query) is a 422.
        name: Annotated[
            str | None, Query(max_length=128, pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
        ] = None,
        cursor: CursorQuery = None,
        limit: LimitQuery = DEFAULT_PAGE_SIZE,
    ) -> Page[JobRead]:
        """The context's jobs, oldest first: all of them for admins (``status=failed`` lists
        the dead letters), the caller's own for everyone else."""
        query = select(Job).where(Job.context == context).order_by(Job.created_at, Job.id)
        if principal.role is not Role.ADMIN:
            query = query.where(Job.created_by == principal.user_id)
        if job_status is not None:
            query = query.where(Job.status == job_status.value)
        if name is not None:
            query = query.where(Job.name == name)
        if cursor:
            after = Cursor.decode(cursor)
            position = (
                literal(after.created_at, DateTime(timezone=True)),
                literal(after.id, Uuid()),
            )
            query = query.where(tuple_(Job.created_at, Job.id) > tuple_(*position))
        rows = list(await session.scalars(query.limit(limit + 1)))
        base = jobs_path(request)
        last = rows[limit - 1] if len(rows) > limit else None
        return Page(
            items=[JobRead.of(job, base) for job in rows[:limit]],
            next_cursor=Cursor(last.created_at, last.id).encode() if last else None,
        )

    @router.get("/{job_id:uuid}", operation_id=f"get_{context}_job", responses=_READ_RESPONSES)
    async def get_job(
        job_id: uuid.UUID, request: Request, session: SessionDep, principal: ViewerDep
    ) -> JobRead:
        """A job: its status, progress, attempts, last error and result."""
        return JobRead.of(await load(session, job_id, principal), jobs_path(request))

    @router.get(
        "/{job_id:uuid}/result",
        operation_id=f"get_{context}_job_result",
        response_class=StreamingResponse,
        responses={
            200: {"content": {"application/octet-stream": {}}, "description": "The file"},
            **_RESULT_RESPONSES,
        },
    )
    async def get_job_result(
        job_id: uuid.UUID, resources: ResourcesDep, session: SessionDep, principal: ViewerDep
    ) -> Response:
        """The file a succeeded job made (409 until it succeeded)."""
        job = await load(session, job_id, principal)
        if job.status != JobStatus.SUCCEEDED or not (job.result or {}).get("filename"):
            raise ProblemError(409, "The job has no result file (yet)")
        result = job.result or {}

        async def parts() -> AsyncIterator[bytes]:
            async with resources.session_factory() as reader:
                stream = await reader.stream_scalars(
                    select(JobResultPart.content)
                    .where(JobResultPart.job_id == job_id)
                    .order_by(JobResultPart.part)
                )
                async for content in stream:
                    yield content

        disposition = f'attachment; filename="{result["filename"]}"'
        return StreamingResponse(
            parts(),
            media_type=result["media_type"],
            headers={"Content-Disposition": disposition, "Content-Length": str(result["size"])},
        )

    @router.post(
        "/{job_id:uuid}/retry",
        operation_id=f"retry_{context}_job",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=JobRead,
        responses=_RETRY_RESPONSES,
    )
    async def retry_job(
        job_id: uuid.UUID,
        request: Request,
        resources: ResourcesDep,
        session: SessionDep,
        principal: AdminDep,
    ) -> JSONResponse:
        """Run a failed job (a dead letter) again, with fresh attempts (admins only)."""
        await load(session, job_id, principal)
        if not await retry_failed(session, job_id):
            raise ProblemError(409, "Only a failed job can be retried")
        await session.commit()
        await resources.jobs.dispatcher.after_commit(session)
        job = await session.get(Job, job_id, populate_existing=True)
        assert job is not None
        return accepted(request, job)

    return router
