"""Operator commands of the catalog service:

python -m acme_shop.services.catalog.manage COMMAND

openapi [--write]                print (or save) openapi.json
asyncapi [--write]               print (or save) asyncapi.json
docs [--write]                   print (or save) docs/architecture.md, this service's
                                 API and schema sections regenerated
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from acme_shop.platform import architecture_doc
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from acme_shop.services.catalog.main import API_TITLE, API_VERSION, create_app

DOCUMENTS = {
    "openapi": Path("openapi.json"),
    "asyncapi": Path("asyncapi.json"),
    "docs": Path("../../docs/architecture.md"),
}
ALEMBIC_INI = Path("alembic.ini")
SERVICE = "catalog"


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.services.catalog.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, path in DOCUMENTS.items():
        command = commands.add_parser(name, help=f"print the {name} document")
        command.add_argument("--write", action="store_true", help=f"write it to {path}")
    args = parser.parse_args(argv)

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
