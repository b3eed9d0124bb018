"""Operator commands of the ordering service.

python -m acme_shop.services.ordering.manage openapi [--write]   (print or save openapi.json)
"""

import argparse
import json
import sys
from pathlib import Path

from acme_shop.platform.settings import Settings
from acme_shop.services.ordering.main import create_app

OPENAPI_PATH = Path("openapi.json")


def openapi_document() -> str:
    """The service's OpenAPI document, serialized exactly as it is committed."""
    return json.dumps(create_app(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.services.ordering.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("--write", action="store_true", help=f"write it to {OPENAPI_PATH}")
    args = parser.parse_args(argv)

    if args.write:
        OPENAPI_PATH.write_text(openapi_document(), encoding="utf-8")
    else:
        sys.stdout.write(openapi_document())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
