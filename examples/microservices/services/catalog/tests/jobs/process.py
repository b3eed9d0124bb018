"""A worker or scheduler process that also knows the test jobs, as the tests start them:

    python -m tests.jobs.process worker|scheduler

It is ``python -m acme_shop.services.catalog.jobs`` with the test jobs registered.
"""

import asyncio
import sys

from acme_shop.platform.logs import configure_logging
from acme_shop.platform.settings import Settings
from acme_shop.services.catalog import jobs
from tests.jobs.fixtures import registry

if __name__ == "__main__":
    role = sys.argv[1]
    settings = Settings()
    configure_logging(settings.log_level)
    sys.exit(asyncio.run(jobs.run(role, settings, registry(scheduled=role == "scheduler"))))
