"""Operator commands for the ordering service's jobs, for a running deployment:

python -m acme_shop.services.ordering.manage jobs list|show|retry|run ...    (background jobs)
"""

import argparse
import asyncio

from acme_shop.platform.jobs import commands as job_commands
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings


async def jobs(args: argparse.Namespace) -> int:
    from acme_shop.services.ordering import bootstrap  # the service's module, only for this command

    resources = Resources.create(Settings(service_name=bootstrap.SERVICE_NAME))
    try:
        return await job_commands.run_command(args, resources, bootstrap.job_registry())
    finally:
        await resources.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.services.ordering.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    job_commands.add_commands(commands)
    return asyncio.run(jobs(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
