"""Operator commands.

python -m acme_shop.manage create-user EMAIL --role admin   (password from stdin)
python -m acme_shop.manage openapi [--write]                (print or save openapi.json)
python -m acme_shop.manage docs [--write]                   (refresh docs/architecture.md)
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
from acme_shop.platform import architecture_doc
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Role
from acme_shop.platform.settings import Settings

OPENAPI_PATH = Path("openapi.json")
ARCHITECTURE_PATH = Path("docs/architecture.md")
ALEMBIC_INI = Path("alembic.ini")


def openapi_document() -> str:
    """The app's OpenAPI document, serialized exactly as it is committed."""
    return json.dumps(create_app(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


def architecture_document(root: Path = Path()) -> str:
    """docs/architecture.md with its API and schema sections generated from the code."""
    openapi = create_app(Settings(log_level="ERROR")).openapi()  # no log line on stdout
    sections = architecture_doc.generated_sections(openapi, root / ALEMBIC_INI)
    return architecture_doc.refreshed(root / ARCHITECTURE_PATH, sections)


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
    docs = commands.add_parser(
        "docs", help="print the architecture document, its API and schema regenerated"
    )
    docs.add_argument("--write", action="store_true", help=f"write it to {ARCHITECTURE_PATH}")
    args = parser.parse_args(argv)

    if args.command == "create-user":
        asyncio.run(create_user(args.email, _read_password(), Role(args.role)))
        return 0
    path, document = (
        (OPENAPI_PATH, openapi_document())
        if args.command == "openapi"
        else (ARCHITECTURE_PATH, architecture_document())
    )
    if args.write:
        path.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
