"""Operator commands of the catalog service:

python -m acme_shop.services.catalog.manage COMMAND

openapi [--write]                print (or save) openapi.json
asyncapi [--write]               print (or save) asyncapi.json
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from acme_shop.services.catalog.main import API_TITLE, API_VERSION, create_app

DOCUMENTS = {"openapi": Path("openapi.json"), "asyncapi": Path("asyncapi.json")}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.services.catalog.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, path in DOCUMENTS.items():
        command = commands.add_parser(name, help=f"print the {name} document")
        command.add_argument("--write", action="store_true", help=f"write it to {path}")
    args = parser.parse_args(argv)

    document = openapi_document() if args.command == "openapi" else asyncapi_document()
    if args.write:
        DOCUMENTS[args.command].write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
