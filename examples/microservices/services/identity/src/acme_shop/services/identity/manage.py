"""Operator commands of the identity service, for a running deployment:

python -m acme_shop.services.identity.manage COMMAND

create-user EMAIL --role admin   register a user (the password is read from stdin)
signing-key                      print a new private key for JWT_PRIVATE_KEY
public-key                       print the public half of JWT_PRIVATE_KEY
"""

import argparse
import asyncio
import getpass
import sys

from acme_shop.identity.schemas import UserCreate
from acme_shop.identity.service import IdentityService
from acme_shop.platform.resources import Resources
from acme_shop.platform.security import Role, SigningKey
from acme_shop.platform.settings import Settings
from acme_shop.services.identity import bootstrap


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
    args = parser.parse_args(argv)

    if args.command == "create-user":
        asyncio.run(create_user(args.email, _read_password(), Role(args.role)))
    else:
        sys.stdout.write(SigningKey.generate() if args.command == "signing-key" else _public_key())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
