"""Operator commands of the identity service:

python -m acme_shop.services.identity.manage COMMAND

create-user EMAIL --role admin   register a user (the password is read from stdin)
signing-key                      print a new private key for JWT_PRIVATE_KEY
public-key                       print the public half of JWT_PRIVATE_KEY
openapi [--write]                print (or save) openapi.json
asyncapi [--write]               print (or save) asyncapi.json
docs [--write]                   print (or save) docs/architecture.md, this service's
                                 API and schema sections regenerated
"""

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from acme_shop.identity.schemas import UserCreate
from acme_shop.identity.service import IdentityService
from acme_shop.platform import architecture_doc
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Role, SigningKey
from acme_shop.platform.settings import Settings
from acme_shop.services.identity import bootstrap
from acme_shop.services.identity.main import API_TITLE, API_VERSION, create_app

DOCUMENTS = {
    "openapi": Path("openapi.json"),
    "asyncapi": Path("asyncapi.json"),
    "docs": Path("../../docs/architecture.md"),
}
ALEMBIC_INI = Path("alembic.ini")
SERVICE = "identity"


def _serialized(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _quiet_settings() -> Settings:
    """Settings for printing documents: no log line may mix into them on stdout."""
    return Settings(log_level="ERROR")


def openapi_document() -> str:
    """The service's OpenAPI document (its HTTP API), serialized exactly as it is committed."""
    return _serialized(create_app(_quiet_settings()).openapi())


def asyncapi_document() -> str:
    """The service's AsyncAPI document (its events), serialized exactly as it is committed."""
    resources: Resources = create_app(_quiet_settings()).state.resources
    return _serialized(resources.messaging.asyncapi(title=API_TITLE, version=API_VERSION))


def architecture_document(service_root: Path = Path()) -> str:
    """The system's docs/architecture.md with this service's API and schema sections regenerated."""
    openapi = create_app(_quiet_settings()).openapi()
    sections = architecture_doc.generated_sections(openapi, service_root / ALEMBIC_INI, SERVICE)
    return architecture_doc.refreshed(service_root / DOCUMENTS["docs"], sections)


async def create_user(email: str, password: str, role: Role) -> None:
    settings = Settings(service_name=bootstrap.SERVICE_NAME)
    resources = Resources.create(settings, issues_tokens=bootstrap.ISSUES_TOKENS)
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


def _public_key() -> str:
    private_key = Settings().jwt_private_key
    if private_key is None:
        raise SystemExit("JWT_PRIVATE_KEY is not set")
    return SigningKey(private_key.get_secret_value()).public_pem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.services.identity.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    user = commands.add_parser(
        "create-user", help="register a user; the password is read from stdin"
    )
    user.add_argument("email")
    user.add_argument("--role", choices=[role.value for role in Role], default=Role.VIEWER.value)
    commands.add_parser("signing-key", help="print a new private key for JWT_PRIVATE_KEY")
    commands.add_parser("public-key", help="print the public key of JWT_PRIVATE_KEY")
    for name, path in DOCUMENTS.items():
        command = commands.add_parser(name, help=f"print the {name} document")
        command.add_argument("--write", action="store_true", help=f"write it to {path}")
    args = parser.parse_args(argv)

    if args.command == "create-user":
        asyncio.run(create_user(args.email, _read_password(), Role(args.role)))
        return 0
    if args.command in ("signing-key", "public-key"):
        sys.stdout.write(SigningKey.generate() if args.command == "signing-key" else _public_key())
        return 0

    documents = {
        "openapi": openapi_document,
        "asyncapi": asyncapi_document,
        "docs": architecture_document,
    }
    document = documents[args.command]()
    if args.write:
        DOCUMENTS[args.command].write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
