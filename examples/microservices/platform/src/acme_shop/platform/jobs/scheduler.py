"""The scheduler process: starts each cron job once per tick, and keeps every job moving.

    python -m <the app's package>.jobs scheduler

Run two or more replicas: each fires every tick, and the tick's unique key
(``cron:<job>:<tick>``) lets exactly one insert through. The tick comes from cronsim in the
job's time zone, not from the clock a replica woke up at, so clock skew changes when a replica
notices a tick, never which tick it is. A tick missed by less than
``JOBS_MISFIRE_GRACE_SECONDS`` (a deploy across 03:00) still fires, once.

Every ``JOBS_POLL_SECONDS`` it sweeps (``sweeper.py``): the rules that make jobs reliable
whatever happens to a message or a worker.
"""

import asyncio
import time
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import structlog
from cronsim import CronSim

from acme_shop.platform.jobs.registry import JobRegistry, JobSpec
from acme_shop.platform.jobs.serve import HealthServer, health_app
from acme_shop.platform.jobs.sweeper import Sweeper
from acme_shop.platform.resources import Resources

logger = structlog.get_logger(__name__)

_DEPTH_EVERY_SECONDS = 5.0


def next_tick(cron: str, zone: str, after: datetime) -> datetime:
    """The first tick of ``cron`` (5 fields, or 6 with seconds first) after ``after``."""
    local = after.astimezone(ZoneInfo(zone))
    tick: datetime = next(CronSim(cron, local))
    return tick.astimezone(UTC)


def last_tick(cron: str, zone: str, before: datetime) -> datetime:
    local = before.astimezone(ZoneInfo(zone))
    tick: datetime = next(CronSim(cron, local, reverse=True))
    return tick.astimezone(UTC)


class Scheduler:
    """Cron ticks and the sweeper, for one replica."""

    def __init__(self, resources: Resources, registry: JobRegistry) -> None:
        self.resources = resources
        self.settings = resources.settings
        self.registry = registry
        self.sweeper = Sweeper(resources)
        self._swept_at = 0.0
        self._depth_at = 0.0
        self.health = HealthServer(
            health_app(resources.metrics.registry, live=self._live, ready=self._live),
            host=self.settings.jobs_health_host,
            port=self.settings.jobs_health_port,
        )

    def schedule_of(self, spec: JobSpec) -> str | None:
        """The job's cron expression, or the override operators and tests set."""
        return self.settings.jobs_schedule_overrides.get(spec.name, spec.cron)

    async def _live(self) -> bool:
        return time.monotonic() - self._swept_at < max(3 * self.settings.jobs_poll_seconds, 5)

    async def fire(self, spec: JobSpec, tick: datetime) -> bool:
        """Start ``spec`` for ``tick`` unless a replica already did; True when this one did."""
        return await self.sweeper.fire(spec, tick)

    async def _ticks(self, spec: JobSpec, cron: str, stopping: asyncio.Event) -> None:
        now = datetime.now(UTC)
        missed = last_tick(cron, spec.timezone, now)
        if now - missed <= timedelta(seconds=self.settings.jobs_misfire_grace_seconds):
            await self._fire_logged(spec, missed)
        while not stopping.is_set():
            tick = next_tick(cron, spec.timezone, datetime.now(UTC))
            await _sleep_unless(stopping, (tick - datetime.now(UTC)).total_seconds())
            if not stopping.is_set():
                await self._fire_logged(spec, tick)

    async def _fire_logged(self, spec: JobSpec, tick: datetime) -> None:
        try:
            await self.fire(spec, tick)
        except Exception as error:  # the next replica (or tick) fires it
            logger.warning("job_schedule_failed", job=spec.name, error=repr(error))

    async def sweep(self) -> None:
        """Apply the sweeper's rules once."""
        await self.sweeper.sweep()
        if time.monotonic() - self._depth_at > _DEPTH_EVERY_SECONDS:
            await self._measure()
        self._swept_at = time.monotonic()

    async def _measure(self) -> None:
        metrics = self.resources.jobs.metrics
        counts = await self.sweeper.depth()
        metrics.depth.clear()
        for (name, status), count in counts.items():
            metrics.depth.labels(name, status).set(count)
        backlog = await self.resources.jobs.queue.backlog()
        if backlog is not None:
            metrics.backlog.set(backlog)
        self._depth_at = time.monotonic()

    async def _sweeper(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                await self.sweep()
            except Exception as error:
                logger.warning("jobs_sweep_failed", error=repr(error))
            await _sleep_unless(stopping, self.settings.jobs_poll_seconds)

    async def run(self, stopping: asyncio.Event) -> int:
        """Tick and sweep until ``stopping`` is set; returns the exit code."""
        await self.health.start()
        tasks = [asyncio.create_task(self._sweeper(stopping), name="jobs-sweeper")]
        for spec in self.registry:
            if (cron := self.schedule_of(spec)) is not None:
                ticking = self._ticks(spec, cron, stopping)
                tasks.append(asyncio.create_task(ticking, name=f"tick {spec.name}"))
        logger.info("jobs_scheduler_started", scheduled=len(tasks) - 1)
        await stopping.wait()
        # Interrupt a sweep or a start in progress. The loops also end on ``stopping``: a
        # database or Redis client may turn the cancellation into an error of its own, which
        # a loop that only stopped when cancelled would log and carry on from.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.health.stop()
        return 0


async def _sleep_unless(stopping: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, or until ``stopping`` is set."""
    with suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), max(seconds, 0))
