"""Run the service's background jobs: the worker, or the scheduler (cron ticks and the sweeper).

    python -m acme_shop.services.ordering.jobs worker
    python -m acme_shop.services.ordering.jobs scheduler

Both read the same settings as the service (``JOBS_*``, see platform/settings.py) and serve
``/health/live``, ``/health/ready`` and ``/metrics`` on ``JOBS_HEALTH_PORT``.
"""

import argparse
import asyncio
import signal

from acme_shop.platform.jobs import JobRegistry
from acme_shop.platform.jobs.scheduler import Scheduler
from acme_shop.platform.jobs.worker import Worker, instrument
from acme_shop.platform.logs import configure_logging
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from acme_shop.services.ordering import bootstrap


async def run(role: str, settings: Settings, registry: JobRegistry | None = None) -> int:
    """Run ``role`` ("worker" or "scheduler") with the service's jobs (or ``registry``'s) until
    SIGTERM; returns the exit code."""
    resources = Resources.create(settings)
    instrument(resources)
    registry = registry or bootstrap.job_registry()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    try:
        if role == "worker":
            return await Worker(resources, registry).run(stopping)
        return await Scheduler(resources, registry).run(stopping)
    finally:
        await resources.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.services.ordering.jobs")
    parser.add_argument("role", choices=["worker", "scheduler"])
    args = parser.parse_args(argv)
    settings = Settings(service_name=bootstrap.SERVICE_NAME)
    configure_logging(settings.log_level)
    return asyncio.run(run(args.role, settings))


if __name__ == "__main__":
    raise SystemExit(main())
