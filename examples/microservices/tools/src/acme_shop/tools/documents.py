"""Refresh the documents committed next to the code, from the code; run it at the workspace's root:

    uv run python -m acme_shop.tools.documents openapi [SERVICE ...] [--write]
    uv run python -m acme_shop.tools.documents asyncapi [SERVICE ...] [--write]
    uv run python -m acme_shop.tools.documents docs [SERVICE ...] [--write]

``openapi`` and ``asyncapi`` are each service's HTTP API and events (``services/<name>/``),
``docs`` is docs/architecture.md with the services' API and schema sections regenerated.
Without SERVICE, every service; without ``--write``, the document is printed (name one
service). Each service's tests fail when its documents drift from its code.
"""

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from acme_shop.tools import architecture_doc

SERVICES = ["identity", "catalog", "ordering"]
ARCHITECTURE_PATH = Path("docs/architecture.md")


def _serialized(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _main_module(service: str) -> Any:
    """The service's ``main`` module: its app factory, API title and version."""
    return importlib.import_module(f"acme_shop.services.{service}.main")


def _app(service: str) -> FastAPI:
    """The service's app, with settings that keep log lines out of printed documents."""
    app: FastAPI = _main_module(service).create_app(Settings(log_level="ERROR"))
    return app


def openapi_document(service: str) -> str:
    """The service's OpenAPI document (its HTTP API), serialized exactly as it is committed."""
    return _serialized(_app(service).openapi())


def asyncapi_document(service: str) -> str:
    """The service's AsyncAPI document (its events), serialized exactly as it is committed."""
    main = _main_module(service)
    resources: Resources = _app(service).state.resources
    return _serialized(resources.messaging.asyncapi(title=main.API_TITLE, version=main.API_VERSION))


def _sections(service: str, root: Path) -> dict[str, str]:
    openapi = _app(service).openapi()
    alembic_ini = root / "services" / service / "alembic.ini"
    return architecture_doc.generated_sections(openapi, alembic_ini, service)


def architecture_document(service: str, root: Path = Path()) -> str:
    """The system's docs/architecture.md with ``service``'s API and schema sections regenerated."""
    return architecture_doc.refreshed(root / ARCHITECTURE_PATH, _sections(service, root))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.tools.documents")
    parser.add_argument("document", choices=["openapi", "asyncapi", "docs"])
    parser.add_argument(
        "services",
        nargs="*",
        metavar="SERVICE",
        help=f"one of {', '.join(SERVICES)}; every one when none is named",
    )
    parser.add_argument("--write", action="store_true", help="save it where it is committed")
    args = parser.parse_args(argv)
    services = args.services or SERVICES
    if unknown := sorted(set(services) - set(SERVICES)):
        parser.error(
            f"no service named {', '.join(unknown)}; the services are {', '.join(SERVICES)}"
        )
    if not args.write and len(services) != 1:
        parser.error("name one SERVICE to print its document, or --write them all")

    if args.document == "docs":
        document = ARCHITECTURE_PATH.read_text(encoding="utf-8")
        for service in services:
            document = architecture_doc.replace_sections(document, _sections(service, Path()))
        documents = {ARCHITECTURE_PATH: document}
    else:
        export = openapi_document if args.document == "openapi" else asyncapi_document
        documents = {Path("services", s, f"{args.document}.json"): export(s) for s in services}
    for path, text in documents.items():
        if args.write:
            path.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
