"""Jobs on Lambda, against real PostgreSQL and a real SQS API: the jobs function fed from the
jobs queue, the schedule function, and what AWS does to both (a batch with a bad record, an
invocation that dies mid-job, SQS away, a schedule delivered twice, work longer than one run)."""

import asyncio
import os
import signal
import sys
import uuid
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select

from acme_shop.functions.jobs import JobsFunction
from acme_shop.functions.schedule import ScheduleFunction
from acme_shop.platform.jobs import Continue, JobContext, JobSpec, start_job
from acme_shop.platform.jobs.broker import JobQueue
from acme_shop.platform.jobs.models import Job
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tests.jobs.conftest import polling_jobs, sweeping
from tests.jobs.fixtures import EFFECT, EFFECTS, FAILS, TICKS, Empty, Keyed, registry
from tests.jobs.support import (
    QUICK,
    effect_runs,
    environment,
    eventually,
    job_in,
    job_row,
    started,
    table_lock,
)
from tests.support import PROJECT_ROOT
from tools.payloads import LocalContext, sqs_event, sqs_record_of

BASE: float = QUICK["jobs_retry_base_seconds"]
STEPS = 3


class Counted(BaseModel):
    pass


async def count_in_steps(ctx: JobContext, payload: Counted) -> Continue | None:
    """A job longer than one run: each run does one step and continues from its checkpoint."""
    step = int((ctx.checkpoint or {}).get("step", 0)) + 1
    return Continue({"step": step}) if step < STEPS else None


IN_STEPS = JobSpec(name="tests.in_steps", context="tests", payload=Counted, handler=count_in_steps)


def seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def receive(settings: Settings, url: str, bodies: set[str]) -> list[Any]:
    """The messages with these ``bodies`` from the queue at ``url``, as the event source
    receives them (others received meanwhile come back once their visibility runs out)."""
    client = JobQueue.of(settings).client
    messages: list[Any] = []
    for _ in range(10):
        response = client.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=1,
            MessageSystemAttributeNames=["All"],
        )
        messages += [m for m in response.get("Messages", []) if m["Body"] in bodies]
        if {m["Body"] for m in messages} == bodies:
            break
    return messages


async def test_a_failing_job_is_retried_with_growing_delays_then_dead_lettered(
    app: FastAPI, job_settings: Settings
) -> None:
    async with polling_jobs(job_settings), sweeping(job_settings):
        job_id = await started(app, FAILS, Empty())
        job = await eventually(lambda: job_in(app, job_id, "failed"), "the job to be dead-lettered")
    assert job.attempts == len(job.failures) == FAILS.max_attempts
    assert job.error is not None
    assert "RuntimeError: this job always fails" in job.error["detail"]
    delays = [seconds(f["failed_at"], f["retry_at"]) for f in job.failures[:-1]]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = BASE * 2 ** (attempt - 1)
        assert ceiling / 2 - 0.005 <= delay <= ceiling + 0.005, (attempt, delays)
    for before, after in pairwise(job.failures):
        assert seconds(before["failed_at"], after["started_at"]) >= seconds(
            before["failed_at"], before["retry_at"]
        )


async def test_a_batch_reports_only_its_unreadable_record_and_sqs_dead_letters_it(
    app: FastAPI, effects: str, job_settings: Settings
) -> None:
    url = job_settings.jobs_queue_url
    bad_body = f"not a job id {uuid.uuid4()}"
    JobQueue.of(job_settings).client.send_message(QueueUrl=url, MessageBody=bad_body)
    key = uuid.uuid4()
    job_id = await started(app, EFFECT, Keyed(key=key))
    messages = await asyncio.to_thread(receive, job_settings, url, {bad_body, str(job_id)})
    assert sorted(m["Body"] for m in messages) == sorted([bad_body, str(job_id)])
    function = JobsFunction(job_settings, registry())
    try:
        event = sqs_event(sqs_record_of(m, url.rsplit("/", 1)[-1]) for m in messages)
        result = await asyncio.to_thread(function, event, LocalContext("jobs"))
    finally:
        await asyncio.to_thread(function.instance.run, function.resources.aclose())
    [bad] = [m["MessageId"] for m in messages if m["Body"] == bad_body]
    assert result == {"batchItemFailures": [{"itemIdentifier": bad}]}
    assert (await job_row(app, job_id)).status == "succeeded"
    assert await effect_runs(app, key) == 1
    # Never deleted, the bad record comes back until its receives run out: then the DLQ.
    async with polling_jobs(job_settings):
        dead = await eventually(
            lambda: asyncio.to_thread(receive, job_settings, url + "-dead", {bad_body}),
            "the dead letter",
            within=60,
        )
    assert [m["Body"] for m in dead] == [bad_body]


async def test_an_invocation_killed_mid_job_leaves_it_to_the_next_and_the_effect_happens_once(
    app: FastAPI, effects: str, job_settings: Settings
) -> None:
    key = uuid.uuid4()
    async with table_lock(app, EFFECTS):
        job_id = await started(app, EFFECT, Keyed(key=key))
        doomed = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.jobs.invoke",
            cwd=PROJECT_ROOT,
            env={**os.environ, **environment(job_settings)},
            start_new_session=True,
        )
        try:
            await eventually(lambda: job_in(app, job_id, "running"), "the job to be running")
        finally:
            os.killpg(doomed.pid, signal.SIGKILL)
            await doomed.wait()
    async with polling_jobs(job_settings), sweeping(job_settings):
        job = await eventually(
            lambda: job_in(app, job_id, "succeeded"), "the next invocation to run it", within=30
        )
    assert job.attempts == 2
    assert job.failures[0]["problem"]["title"] == "Worker lost"
    assert await effect_runs(app, key) == 1


async def test_while_sqs_is_away_a_started_job_waits_for_the_sweep(
    app: FastAPI, effects: str, job_settings: Settings
) -> None:
    away = job_settings.model_copy(
        update={"aws_endpoint_url": "http://127.0.0.1:1", "aws_timeout_seconds": 0.2}
    )
    resources = Resources.create(away)
    key = uuid.uuid4()
    try:
        async with resources.session_factory() as session:
            job = await start_job(session, EFFECT, Keyed(key=key))
            await session.commit()
            await resources.jobs.dispatcher.after_commit(session)  # logs, does not raise
    finally:
        await resources.aclose()
    waiting = await job_row(app, job.id)
    assert (waiting.status, waiting.dispatched_at) == ("queued", None)
    async with polling_jobs(job_settings), sweeping(job_settings):
        await eventually(lambda: job_in(app, job.id, "succeeded"), "the swept job to succeed")
    assert await effect_runs(app, key) == 1


async def test_a_tick_delivered_twice_starts_one_job(app: FastAPI, job_settings: Settings) -> None:
    replicas = [ScheduleFunction(job_settings, registry(scheduled=True)) for _ in range(2)]
    tick = datetime.now(UTC).replace(microsecond=0).isoformat()
    event = {"job": TICKS.name, "tick": tick}
    try:
        results = await asyncio.gather(
            *(asyncio.to_thread(r, event, LocalContext("schedule")) for r in replicas)
        )
        later = {"job": TICKS.name, "tick": "2100-01-01T03:00:00Z"}
        again = await asyncio.to_thread(replicas[0], later, LocalContext("schedule"))
    finally:
        for replica in replicas:
            await asyncio.to_thread(replica.instance.run, replica.resources.aclose())
    assert sorted(result["started"] for result in results) == [False, True]
    assert again == {"started": True}
    resources: Resources = app.state.resources
    async with resources.session_factory() as session:
        count = await session.scalar(select(func.count()).where(Job.name == TICKS.name))
    assert count == 2


async def test_a_job_longer_than_one_run_continues_in_steps_through_the_queue(
    app: FastAPI, job_settings: Settings
) -> None:
    jobs = registry()
    jobs.register(IN_STEPS)
    async with polling_jobs(job_settings, jobs):
        job_id = await started(app, IN_STEPS, Counted())
        job = await eventually(lambda: job_in(app, job_id, "succeeded"), "the last step")
    assert job.attempts == 1  # a step that continues gives its attempt back
    assert job.checkpoint is None
