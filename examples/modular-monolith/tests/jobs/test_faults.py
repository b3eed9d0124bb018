"""A worker killed mid-job loses nothing, and SIGTERM lets running jobs finish or hands them on.

Each test holds the test job mid-run with a lock on the table it writes, so the job is
claimed and inside its handler when the worker process is stopped: no sleeps, no seams.
"""

import asyncio
import json
import uuid
from collections.abc import Callable

from fastapi import FastAPI

from acme_shop.platform.settings import Settings
from tests.jobs.conftest import JobProcess, running_scheduler, running_worker
from tests.jobs.fixtures import EFFECT, EFFECTS, Keyed
from tests.jobs.support import effect_runs, eventually, job_in, started, table_lock


async def test_a_worker_killed_mid_job_leaves_it_to_another_and_the_effect_happens_once(
    app: FastAPI, effects: str, job_settings: Settings, job_process: Callable[..., JobProcess]
) -> None:
    key = uuid.uuid4()
    async with table_lock(app, EFFECTS):
        job_id = await started(app, EFFECT, Keyed(key=key))
        doomed = job_process("worker")
        await eventually(lambda: job_in(app, job_id, "running"), "the job to be running")
        doomed.kill()
    async with running_scheduler(job_settings), running_worker(job_settings):
        job = await eventually(lambda: job_in(app, job_id, "succeeded"), "another worker to run it")
    assert job.attempts == 2
    assert job.failures[0]["problem"]["title"] == "Worker lost"
    assert await effect_runs(app, key) == 1


async def test_sigterm_lets_the_running_job_finish(
    app: FastAPI, effects: str, job_process: Callable[..., JobProcess]
) -> None:
    key = uuid.uuid4()
    async with table_lock(app, EFFECTS):
        job_id = await started(app, EFFECT, Keyed(key=key))
        worker = job_process("worker", jobs_shutdown_grace_seconds=10.0)
        await eventually(lambda: job_in(app, job_id, "running"), "the job to be running")
        worker.term()
        await asyncio.sleep(0.3)  # draining, with the job still held by the lock
    code, output = await asyncio.to_thread(worker.wait, 15)
    assert code == 0, output
    assert "job_interrupted" not in output
    # Every line the job's run logged carries the job's id.
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    run_lines = [line for line in lines if line["event"] in ("job_started", "job_succeeded")]
    assert [line["job_id"] for line in run_lines] == [str(job_id)] * 2
    job = await job_in(app, job_id, "succeeded")
    assert job is not None
    assert job.attempts == 1
    assert await effect_runs(app, key) == 1


async def test_sigterm_puts_back_a_job_that_outlives_the_grace_period(
    app: FastAPI, effects: str, job_settings: Settings, job_process: Callable[..., JobProcess]
) -> None:
    key = uuid.uuid4()
    async with table_lock(app, EFFECTS):
        job_id = await started(app, EFFECT, Keyed(key=key))
        worker = job_process("worker", jobs_shutdown_grace_seconds=0.5)
        await eventually(lambda: job_in(app, job_id, "running"), "the job to be running")
        worker.term()
        code, output = await asyncio.to_thread(worker.wait, 15)
        assert code == 0, output
        assert "job_interrupted" in output
        job = await job_in(app, job_id, "queued")
        assert job is not None
        assert job.attempts == 0  # the interrupted attempt is given back
    async with running_worker(job_settings):
        job = await eventually(lambda: job_in(app, job_id, "succeeded"), "a worker to run it")
    assert job.attempts == 1
    assert await effect_runs(app, key) == 1
