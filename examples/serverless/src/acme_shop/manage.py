"""Operator commands, for a running deployment:

python -m acme_shop.manage create-user EMAIL --role admin   (password from stdin)
python -m acme_shop.manage jobs list|show|retry|run ...    (background jobs)
"""

import argparse
import asyncio
import getpass
import sys

from acme_shop.identity.schemas import UserCreate
from acme_shop.identity.service import IdentityService
from acme_shop.platform.jobs import commands as job_commands
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Role
from acme_shop.platform.settings import Settings


async def jobs(args: argparse.Namespace) -> int:
    from acme_shop import bootstrap  # the app's modules, only for this command

    resources = Resources.create(Settings())
    try:
        return await job_commands.run_command(args, resources, bootstrap.job_registry())
    finally:
        await resources.aclose()


async def create_user(email: str, password: str, role: Role) -> None:
    resources = Resources.create(Settings())
    try:
        async with resources.session_factory() as session:
            service = IdentityService(session, resources.tokens, resources.passwords)
            user = await service.register(UserCreate(email=email, password=password, role=role))
        print(f"created {user.role.value} {user.email} ({user.id})")
    finally:
        await resources.aclose()


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser(
        "create-user", help="register a user; the password is read from stdin"
    )
    user.add_argument("email")
    user.add_argument("--role", choices=[role.value for role in Role], default=Role.VIEWER.value)
    job_commands.add_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "jobs":
        return asyncio.run(jobs(args))

    asyncio.run(create_user(args.email, _read_password(), Role(args.role)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
