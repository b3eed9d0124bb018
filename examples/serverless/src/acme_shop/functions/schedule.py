"""The schedule function: EventBridge Scheduler invokes it at each cron job's tick, and every
minute to sweep.

- ``{"job": "<name>", "tick": "<aws.scheduler.scheduled-time>"}``: start the job for that
  tick. ``template.yaml`` has one schedule per cron job, in the job's time zone. The scheduler
  delivers at least once; the tick's unique key starts one job however often it arrives.
- ``{"sweep": true}``: apply the sweeper's rules (``platform/jobs/sweeper.py``: retries that are
  due, jobs of an invocation that died, jobs whose send to SQS failed), and publish how many
  jobs wait, run and lie dead.
"""

from collections import Counter
from datetime import UTC, datetime
from functools import cache
from typing import Any

import structlog
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from mangum.types import LambdaContext

from acme_shop import bootstrap
from acme_shop.functions.instance import LambdaInstance
from acme_shop.platform.jobs import JobRegistry
from acme_shop.platform.jobs.sweeper import Sweeper
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings

logger = structlog.get_logger(__name__)

# The depth metric of each status the sweep counts.
DEPTH_METRICS = {
    "queued": "JobsQueued",
    "retrying": "JobsRetrying",
    "running": "JobsRunning",
    "failed": "JobsDeadLettered",
}


class ScheduleFunction:
    """One instance of the schedule function."""

    def __init__(
        self, settings: Settings | None = None, registry: JobRegistry | None = None
    ) -> None:
        self.instance = LambdaInstance(settings)
        self.resources = Resources.create(self.instance.settings)
        self.registry = registry or bootstrap.job_registry()
        self.sweeper = Sweeper(self.resources)
        self.metrics = Metrics(namespace=self.instance.settings.service_name, service="schedule")

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        with self.instance.invocation(context, schedule=event.get("job", "sweep")):
            if "job" in event:
                return {"started": self.instance.run(self.fire(event["job"], event["tick"]))}
            return {"sent": self.instance.run(self.sweep())}

    async def fire(self, name: str, tick: str) -> bool:
        """Start job ``name`` for the tick (an ISO 8601 time); True unless it had started."""
        spec = self.registry.get(name)
        if spec is None:
            raise ValueError(f"no job {name!r}; the schedule names a job this app does not have")
        return await self.sweeper.fire(spec, datetime.fromisoformat(tick).astimezone(UTC))

    async def sweep(self) -> int:
        """Sweep once and publish the depth; returns how many jobs were sent."""
        sent = await self.sweeper.sweep()
        depth: Counter[str] = Counter()
        for (_, status), count in (await self.sweeper.depth()).items():
            depth[status] += count
        for status, metric in DEPTH_METRICS.items():
            self.metrics.add_metric(metric, MetricUnit.Count, depth[status])
        self.metrics.add_metric("JobsSent", MetricUnit.Count, sent)
        self.metrics.flush_metrics()
        logger.info("jobs_swept", sent=sent, **depth)
        return sent


@cache
def _function() -> ScheduleFunction:
    return ScheduleFunction()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The entry point ``template.yaml`` names."""
    return _function()(event, context)
