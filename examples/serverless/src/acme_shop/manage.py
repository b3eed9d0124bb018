"""Operator commands.

python -m acme_shop.manage create-user EMAIL --role admin   (password from stdin)
python -m acme_shop.manage openapi [--write]                (print or save openapi.json)
"""

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path

from acme_shop.identity.schemas import UserCreate
from acme_shop.identity.service import IdentityService
from acme_shop.main import create_app
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Role
from acme_shop.platform.settings import Settings

OPENAPI_PATH = Path("openapi.json")


def openapi_document() -> str:
    """The app's OpenAPI document, serialized exactly as it is committed."""
    return json.dumps(create_app(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


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
    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("--write", action="store_true", help=f"write it to {OPENAPI_PATH}")
    args = parser.parse_args(argv)

    if args.command == "create-user":
        asyncio.run(create_user(args.email, _read_password(), Role(args.role)))
    elif args.write:
        OPENAPI_PATH.write_text(openapi_document(), encoding="utf-8")
    else:
        sys.stdout.write(openapi_document())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
