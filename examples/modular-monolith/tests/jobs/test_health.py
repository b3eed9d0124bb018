"""The worker's and the scheduler's own port: liveness, readiness and the job metrics."""

import uuid

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from acme_shop.platform.settings import Settings
from tests.jobs.conftest import running_scheduler, running_worker
from tests.jobs.fixtures import EFFECT, Keyed
from tests.jobs.support import eventually, job_in, started


async def scraped(probe: httpx.AsyncClient, name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` with ``labels`` on ``/metrics``, if it is there."""
    text = (await probe.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


async def test_the_worker_is_live_and_ready_and_counts_its_runs(
    app: FastAPI, effects: str, job_settings: Settings
) -> None:
    async with running_worker(job_settings) as worker:
        base_url = f"http://127.0.0.1:{worker.health.port}"
        async with httpx.AsyncClient(base_url=base_url) as probe:
            assert (await probe.get("/health/live")).status_code == 200
            assert (await probe.get("/health/ready")).status_code == 200

            job_id = await started(app, EFFECT, Keyed(key=uuid.uuid4()))
            await eventually(lambda: job_in(app, job_id, "succeeded"), "the job to succeed")
            succeeded = {"job": EFFECT.name, "outcome": "succeeded"}
            assert await scraped(probe, "job_runs_total", **succeeded) == 1
            assert await scraped(probe, "job_duration_seconds_count", **succeeded) == 1

            worker.runner.draining.set()  # as SIGTERM does: no new work for this worker
            assert (await probe.get("/health/ready")).status_code == 503
            assert (await probe.get("/health/live")).status_code == 200


async def test_the_scheduler_is_live_and_measures_the_queue(
    app: FastAPI, job_settings: Settings
) -> None:
    job_id = await started(app, EFFECT, Keyed(key=uuid.uuid4()))  # no worker: it stays queued
    async with running_scheduler(job_settings) as scheduler:
        await eventually(scheduler._live, "the scheduler's first sweep")
        base_url = f"http://127.0.0.1:{scheduler.health.port}"
        async with httpx.AsyncClient(base_url=base_url) as probe:
            assert (await probe.get("/health/live")).status_code == 200
            assert (await probe.get("/health/ready")).status_code == 200

            async def queued() -> float | None:
                return await scraped(probe, "jobs", job=EFFECT.name, status="queued")

            assert await eventually(queued, "the queue depth") >= 1
    assert await job_in(app, job_id, "queued") is not None
