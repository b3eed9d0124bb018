"""Refresh the documents committed next to the code, from the code:

    uv run python -m tools.documents openapi [--write]   print (or save) openapi.json
    uv run python -m tools.documents docs [--write]      print (or save) docs/architecture.md,
                                                         its API and schema sections regenerated

A test fails when either drifts from the code: run these after a change to the API or a new
migration, and review the diff.
"""

import argparse
import json
import sys
from pathlib import Path

from acme_shop.main import create_app
from acme_shop.platform.settings import Settings
from tools import architecture_doc

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.documents")
    documents = parser.add_subparsers(dest="document", required=True)
    openapi = documents.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("--write", action="store_true", help=f"write it to {OPENAPI_PATH}")
    docs = documents.add_parser(
        "docs", help="print the architecture document, its API and schema regenerated"
    )
    docs.add_argument("--write", action="store_true", help=f"write it to {ARCHITECTURE_PATH}")
    args = parser.parse_args(argv)

    path, document = (
        (OPENAPI_PATH, openapi_document())
        if args.document == "openapi"
        else (ARCHITECTURE_PATH, architecture_document())
    )
    if args.write:
        path.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
