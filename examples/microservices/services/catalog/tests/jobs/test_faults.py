"""A worker killed mid-job loses nothing, SIGTERM lets running jobs finish or hands them on, and
a worker started before its broker waits for it.

Each test holds the test job mid-run with a lock on the table it writes, so the job is
claimed and inside its handler when the worker process is stopped: no sleeps, no seams.
"""

import asyncio
import json
import uuid
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from acme_shop.platform.jobs.broker import broker_url
from acme_shop.platform.settings import Settings
from tests.faults import CuttableProxy
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


async def test_a_worker_started_before_its_broker_waits_for_it_then_runs_the_jobs(
    app: FastAPI, effects: str, job_settings: Settings
) -> None:
    key = uuid.uuid4()
    job_id = await started(app, EFFECT, Keyed(key=key))
    with CuttableProxy(broker_url(job_settings)).running() as broker:
        broker.down()
        through_proxy = job_settings.model_copy(update={"jobs_broker_url": broker.url})
        async with running_worker(through_proxy, listening=False) as worker:

            async def serving() -> bool:
                return worker.health.serving

            await eventually(serving, "the worker's health server")
            base_url = f"http://127.0.0.1:{worker.health.port}"
            async with httpx.AsyncClient(base_url=base_url) as probe:
                assert (await probe.get("/health/live")).status_code == 200
                assert (await probe.get("/health/ready")).status_code == 503
                assert await job_in(app, job_id, "queued") is not None

                broker.up()
                await eventually(worker._ready, "the worker to listen")
                job = await eventually(lambda: job_in(app, job_id, "succeeded"), "the job to run")
    assert job.attempts == 1
    assert await effect_runs(app, key) == 1
