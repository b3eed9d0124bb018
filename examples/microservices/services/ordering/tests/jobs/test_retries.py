"""A failing job is retried with growing delays, then waits among the dead letters."""

import argparse
from datetime import datetime
from functools import partial
from itertools import pairwise

import pytest
from fastapi import FastAPI

from acme_shop.platform.jobs import commands as job_commands
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.jobs.worker import Worker
from tests.jobs.conftest import QUICK
from tests.jobs.fixtures import FAILS, FAILS_FOR_GOOD, NAPS, NAPS_ALONE, Empty, Nap, registry
from tests.jobs.support import eventually, job_in, started

BASE: float = QUICK["jobs_retry_base_seconds"]

# The scheduler's sweeper sends each retry when its delay is over.
pytestmark = pytest.mark.usefixtures("scheduler")


def seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


async def test_a_failing_job_is_retried_with_growing_delays_then_dead_lettered(
    app: FastAPI, worker: Worker
) -> None:
    job_id = await started(app, FAILS, Empty())
    job = await eventually(lambda: job_in(app, job_id, "failed"), "the job to be dead-lettered")
    assert job.attempts == FAILS.max_attempts
    assert len(job.failures) == FAILS.max_attempts
    assert job.error is not None
    assert (job.error["title"], job.error["status"]) == ("Job failed", 500)
    assert "RuntimeError: this job always fails" in job.error["detail"]
    # Equal jitter: the delay after attempt n is between half and all of BASE * 2**(n-1), so
    # each delay is at least the one before could be; the next run never starts earlier.
    failures = job.failures
    delays = [seconds(f["failed_at"], f["retry_at"]) for f in failures[:-1]]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = BASE * 2 ** (attempt - 1)
        assert ceiling / 2 - 0.005 <= delay <= ceiling + 0.005, (attempt, delays)
    for before, after in pairwise(failures):
        assert seconds(before["failed_at"], after["started_at"]) >= seconds(
            before["failed_at"], before["retry_at"]
        )
    assert failures[-1]["retry_at"] is None  # the last one was not retried
    runs = worker.resources.jobs.metrics.runs
    assert runs.labels(FAILS.name, "retried")._value.get() == FAILS.max_attempts - 1
    assert runs.labels(FAILS.name, "failed")._value.get() == 1


async def test_a_permanent_failure_skips_the_retries(app: FastAPI, worker: Worker) -> None:
    job_id = await started(app, FAILS_FOR_GOOD, Empty())
    job = await eventually(lambda: job_in(app, job_id, "failed"), "the job to fail")
    assert job.attempts == 1
    assert job.error is not None
    assert job.error["detail"] == "nothing to retry"


async def test_a_job_over_its_timeout_fails_with_a_timeout_problem(
    app: FastAPI, worker: Worker
) -> None:
    job_id = await started(app, NAPS, Nap(seconds=5))
    job = await eventually(lambda: job_in(app, job_id, "failed"), "the job to time out")
    assert job.error is not None
    assert (job.error["title"], job.error["status"]) == ("Job timed out", 504)


async def test_an_operator_retries_a_dead_letter(app: FastAPI, worker: Worker) -> None:
    job_id = await started(app, FAILS_FOR_GOOD, Empty())
    await eventually(lambda: job_in(app, job_id, "failed"), "the job to fail")
    retry = argparse.Namespace(action="retry", job_ids=[job_id], all_failed=False, name=None)
    assert await job_commands.run_command(retry, app.state.resources, registry()) == 0

    async def failed_again() -> Job | None:
        job = await job_in(app, job_id, "failed")
        return job if job is not None and len(job.failures) == 2 else None

    job = await eventually(failed_again, "the retried job to run and fail again")
    assert job.attempts == 1  # fresh attempts; the history of the first ones is kept


async def test_an_exclusive_job_never_runs_twice_at_once(app: FastAPI, worker: Worker) -> None:
    ids = [await started(app, NAPS_ALONE, Nap(seconds=0.2)) for _ in range(3)]
    jobs = [await eventually(partial(job_in, app, i, "succeeded"), "the naps") for i in ids]
    spans = sorted((job.started_at, job.finished_at) for job in jobs)
    for (_, first_end), (second_start, _) in pairwise(spans):
        assert first_end is not None
        assert second_start is not None
        assert second_start >= first_end
    assert all(job.attempts == 1 for job in jobs)
