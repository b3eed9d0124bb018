"""docs/architecture.md shows the API and the schema this code really has: this test fails
when this service's generated sections drift from the code.

After a change to the API or a new migration, refresh them and review the diff:

    uv run python -m acme_shop.services.catalog.manage docs --write
"""

from pathlib import Path

from acme_shop.services.catalog.manage import DOCUMENTS, architecture_document

ROOT = Path(__file__).resolve().parents[1]
REFRESH_COMMAND = "python -m acme_shop.services.catalog.manage docs --write"


def test_generated_sections_of_the_architecture_document_match_the_code() -> None:
    committed = (ROOT / DOCUMENTS["docs"]).read_text(encoding="utf-8")
    assert architecture_document(ROOT) == committed, (
        f"docs/architecture.md is out of date: run `{REFRESH_COMMAND}` and review the diff"
    )
