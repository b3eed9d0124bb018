"""Jobs that exist only in the tests, to make failures, slowness and effects happen on purpose.

``tests.effect`` counts its runs' committed effect in ``tests.job_effects`` (a schema of the
test database the migrations know nothing of): a test that locks that table holds the job
mid-run, genuinely inside its handler, with no seam in the app's code.
"""

import asyncio
import uuid

from pydantic import BaseModel
from sqlalchemy import text

from acme_shop import bootstrap
from acme_shop.platform.jobs import JobContext, JobFailed, JobRegistry, JobSpec

EFFECTS = "tests.job_effects"
CREATE_EFFECTS = (
    "CREATE SCHEMA IF NOT EXISTS tests",
    "CREATE TABLE IF NOT EXISTS tests.job_effects (key uuid PRIMARY KEY, runs integer NOT NULL)",
)
COUNT_EFFECT = text(
    "INSERT INTO tests.job_effects (key, runs) VALUES (:key, 1)"
    " ON CONFLICT (key) DO UPDATE SET runs = tests.job_effects.runs + 1"
)
SELECT_RUNS = text("SELECT runs FROM tests.job_effects WHERE key = :key")


class Keyed(BaseModel):
    key: uuid.UUID


class Nap(BaseModel):
    seconds: float


class Empty(BaseModel):
    pass


async def count_effect(ctx: JobContext, payload: Keyed) -> None:
    await ctx.session.execute(COUNT_EFFECT, {"key": payload.key})


async def fail(ctx: JobContext, payload: Empty) -> None:
    raise RuntimeError("this job always fails")


async def fail_for_good(ctx: JobContext, payload: Empty) -> None:
    raise JobFailed("nothing to retry", retryable=False)


async def nap(ctx: JobContext, payload: Nap) -> None:
    await asyncio.sleep(payload.seconds)


async def tick(ctx: JobContext, payload: Empty) -> None:
    ctx.log.info("ticked")


EFFECT = JobSpec(
    name="tests.effect", context="tests", payload=Keyed, handler=count_effect, max_attempts=3
)
FAILS = JobSpec(name="tests.fails", context="tests", payload=Empty, handler=fail, max_attempts=4)
FAILS_FOR_GOOD = JobSpec(
    name="tests.fails_for_good", context="tests", payload=Empty, handler=fail_for_good
)
NAPS = JobSpec(
    name="tests.naps",
    context="tests",
    payload=Nap,
    handler=nap,
    timeout_seconds=1,
    max_attempts=1,
)
NAPS_ALONE = JobSpec(
    name="tests.naps_alone", context="tests", payload=Nap, handler=nap, exclusive=True
)
# Every second: a scheduler test watches a few ticks go by.
TICKS = JobSpec(
    name="tests.ticks",
    context="tests",
    payload=Empty,
    handler=tick,
    trigger="cron",
    cron="* * * * * *",
)


def registry(*, scheduled: bool = False) -> JobRegistry:
    """The app's jobs and the test jobs (the cron one only when ``scheduled``)."""
    jobs = bootstrap.job_registry()
    jobs.register(EFFECT, FAILS, FAILS_FOR_GOOD, NAPS, NAPS_ALONE)
    if scheduled:
        jobs.register(TICKS)
    return jobs
