"""One invocation of the jobs function with the test jobs, in a process of its own:

    python -m tests.jobs.invoke

It takes one batch from the jobs queue, as the SQS event source would hand it over; a test
kills it mid-job, as Lambda ends an invocation that dies (its timeout, out of memory).
"""

from acme_shop.platform.settings import Settings
from tests.jobs.fixtures import registry
from tools.local import QueuePoller

if __name__ == "__main__":
    QueuePoller.of_jobs(Settings(), wait_seconds=5, registry=registry()).poll_once()
