"""The rules that keep every job moving, and starting a cron job for one tick: the part of
scheduling that does not depend on what runs it (a scheduler process, or a scheduled function).

A sweep:

- queues again the jobs held by a worker whose heartbeat is older than
  ``JOBS_WORKER_LEASE_SECONDS`` (or dead-letters them after their last attempt);
- sends the jobs that are due and not on the queue (new ones whose send failed, retries whose
  delay is over, interrupted or deferred ones);
- sends again the jobs queued long ago that no worker took, once the queue holds nothing.

A tick's job is started under the unique key ``cron:<job>:<tick>``, so however many replicas
(or deliveries of a schedule) fire the same tick, one job starts.
"""

import json
from datetime import datetime

import structlog
from sqlalchemy import text

from acme_shop.platform.jobs.registry import JobSpec
from acme_shop.platform.jobs.store import start_job
from acme_shop.platform.resources import Resources

logger = structlog.get_logger(__name__)

WORKER_LOST = json.dumps(
    {
        "type": "about:blank",
        "title": "Worker lost",
        "status": 503,
        "detail": "the worker running this job stopped heartbeating",
    }
)
# Jobs of workers whose lease ran out: back to the queue, or dead after their last attempt.
RECLAIM = text(
    "WITH lost AS (SELECT id FROM platform_jobs WHERE status = 'running' AND (worker IS NULL"
    " OR worker NOT IN (SELECT id FROM platform_job_workers"
    " WHERE heartbeat_at >= now() - make_interval(secs => :lease)))"
    " AND started_at < now() - make_interval(secs => :lease) FOR UPDATE SKIP LOCKED)"
    " UPDATE platform_jobs j SET status = CASE WHEN attempts >= max_attempts"
    " THEN 'failed' ELSE 'queued' END, worker = NULL, dispatched_at = NULL, run_at = now(),"
    " error = CAST(:problem AS jsonb) || jsonb_build_object('attempt', attempts),"
    " failures = failures || jsonb_build_array(jsonb_build_object('attempt', attempts,"
    " 'started_at', started_at, 'failed_at', clock_timestamp(),"
    " 'problem', CAST(:problem AS jsonb) || jsonb_build_object('attempt', attempts))),"
    " finished_at = CASE WHEN attempts >= max_attempts THEN clock_timestamp() END,"
    " updated_at = now() FROM lost WHERE j.id = lost.id RETURNING j.id, j.name, j.status"
)
FORGET_WORKERS = text(
    "DELETE FROM platform_job_workers WHERE heartbeat_at < now() - make_interval(secs => :age)"
)
DEPTH = text(
    "SELECT name, status, count(*) FROM platform_jobs"
    " WHERE status IN ('queued', 'retrying', 'running', 'failed') GROUP BY name, status"
)


class Sweeper:
    """Sweeps, fires ticks and counts the jobs by status, for one scheduler."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self.settings = resources.settings

    async def fire(self, spec: JobSpec, tick: datetime) -> bool:
        """Start ``spec`` for ``tick`` unless a replica already did; True when this one did."""
        async with self.resources.session_factory() as session:
            started = await start_job(
                session,
                spec,
                spec.payload(),
                dedupe_key=f"cron:{spec.name}:{tick.isoformat()}",
                scheduled_for=tick,
            )
            await session.commit()
            await self.resources.jobs.dispatcher.after_commit(session)
        if started.created:
            self.resources.jobs.metrics.started.labels(spec.name, "cron").inc()
            logger.info(
                "job_scheduled", job=spec.name, tick=tick.isoformat(), job_id=str(started.id)
            )
        return started.created

    async def sweep(self) -> int:
        """Apply the rules once; returns how many jobs were sent to the queue."""
        settings = self.settings
        dispatcher = self.resources.jobs.dispatcher
        async with self.resources.session_factory() as session, session.begin():
            reclaimed = (
                await session.execute(
                    RECLAIM, {"lease": settings.jobs_worker_lease_seconds, "problem": WORKER_LOST}
                )
            ).all()
            await session.execute(FORGET_WORKERS, {"age": 10 * settings.jobs_worker_lease_seconds})
        for job_id, name, status in reclaimed:
            self.resources.jobs.metrics.runs.labels(name, "lost").inc()
            logger.warning("jobs_worker_lost", job_id=str(job_id), job=name, status=status)
        sent = await dispatcher.dispatch()
        return sent + await dispatcher.redispatch_lost(settings.jobs_redispatch_after_seconds)

    async def depth(self) -> dict[tuple[str, str], int]:
        """How many jobs wait, run and lie dead, by job name and status."""
        async with self.resources.session_factory() as session:
            counts = (await session.execute(DEPTH)).all()
        return {(name, status): count for name, status, count in counts}
