"""Background jobs: work that runs outside requests, on demand, on a schedule or on an event.

A job is a row in ``platform_jobs`` (the source of truth) and a message on a queue that only
wakes a worker. The names a module needs to declare and write its jobs are exported here.
"""

from acme_shop.platform.jobs.context import Continue, JobContext, JobFailed, JobResult
from acme_shop.platform.jobs.registry import JobRegistry, JobSpec
from acme_shop.platform.jobs.store import start_job

__all__ = [
    "Continue",
    "JobContext",
    "JobFailed",
    "JobRegistry",
    "JobResult",
    "JobSpec",
    "start_job",
]
