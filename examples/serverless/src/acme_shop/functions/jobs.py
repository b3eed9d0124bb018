"""The jobs function: SQS batches of job ids in, each job run on the terms its row sets.

Each record names one background job (``platform/jobs``); the records of a batch run side by
side. A job's own outcome (succeeded, retrying after a failure, dead-lettered, or continuing in
a next step) is recorded on its row, so a failing job is not a failing record. A record fails
only when its job could not be taken at all (PostgreSQL unreachable, a body that is no job id):
it is reported back as a batch item failure, so SQS delivers only that one again, and after
``maxReceiveCount`` deliveries it lies in the jobs dead-letter queue (``template.yaml``).

While a batch runs, the instance heartbeats its lease; an invocation that dies (its timeout, an
out-of-memory kill) leaves its jobs to the sweeper, which queues them again once the lease has
run out. The function's timeout is above every job's, so a job meets its own timeout first.
"""

import asyncio
import time
import uuid
from contextlib import suppress
from functools import cache
from typing import Any

import structlog
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from mangum.types import LambdaContext

from acme_shop import bootstrap
from acme_shop.functions.instance import LambdaInstance
from acme_shop.platform.jobs import JobRegistry
from acme_shop.platform.jobs.lease import Lease, worker_id
from acme_shop.platform.jobs.runner import JobRunner
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings

logger = structlog.get_logger(__name__)

Outcome = str | None | BaseException


class UnreadableJobError(ValueError):
    """The record does not name a job: parked in the dead-letter queue after its retries."""


class JobsFunction:
    """One instance of the jobs function: its runner and its lease."""

    def __init__(
        self, settings: Settings | None = None, registry: JobRegistry | None = None
    ) -> None:
        self.instance = LambdaInstance(settings)
        settings = self.instance.settings
        self.resources = resources = Resources.create(settings)
        self.lease = Lease(
            resources.session_factory, worker=worker_id(), every=settings.jobs_heartbeat_seconds
        )
        self.runner = JobRunner(
            resources.session_factory,
            registry or bootstrap.job_registry(),
            resources.jobs.metrics,
            resources.telemetry.provider.get_tracer("acme_shop.jobs"),
            worker=self.lease.worker,
            retry_base_seconds=settings.jobs_retry_base_seconds,
            retry_max_seconds=settings.jobs_retry_max_seconds,
            exclusive_wait_seconds=settings.jobs_exclusive_wait_seconds,
            yield_margin_seconds=settings.jobs_yield_margin_seconds,
            on_requeued=resources.jobs.dispatcher.send_now,
            resources=resources,
        )
        self.metrics = Metrics(namespace=settings.service_name, service="jobs")

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        records = [SQSRecord(record) for record in event["Records"]]
        with self.instance.invocation(context):
            outcomes = self.instance.run(self.run_batch(records))
        failures = []
        for record, outcome in zip(records, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                logger.error("job_record_failed", message_id=record.message_id, error=repr(outcome))
                failures.append({"itemIdentifier": record.message_id})
            elif outcome is not None:
                self.metrics.add_metric(f"JobRuns{outcome.title()}", MetricUnit.Count, 1)
        self.metrics.add_metric("JobRecordsFailed", MetricUnit.Count, len(failures))
        self.metrics.flush_metrics()
        return {"batchItemFailures": failures}

    async def run_batch(self, records: list[SQSRecord]) -> list[Outcome]:
        """Run every record's job, heartbeating meanwhile; an exception is that record's."""
        await self.lease.beat()
        heartbeat = asyncio.create_task(self.lease.keep(self.runner.draining))
        try:
            return await asyncio.gather(*map(self._run, records), return_exceptions=True)
        finally:
            heartbeat.cancel()
            with suppress(asyncio.CancelledError):
                await heartbeat

    async def _run(self, record: SQSRecord) -> str | None:
        try:
            job_id = uuid.UUID(record.body.strip())
        except ValueError as error:
            raise UnreadableJobError(f"message {record.message_id} is not a job id") from error
        started = time.monotonic()
        outcome = await self.runner.run(job_id)
        if outcome is not None:
            elapsed_ms = (time.monotonic() - started) * 1000
            self.metrics.add_metric("JobRunDuration", MetricUnit.Milliseconds, elapsed_ms)
        return outcome


@cache
def _function() -> JobsFunction:
    return JobsFunction()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The entry point ``template.yaml`` names."""
    return _function()(event, context)
