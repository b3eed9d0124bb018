"""docs/architecture.md shows the API and the schema this code really has: this test fails
when this service's generated sections drift from the code.

After an API change or a new migration, refresh them at the workspace's root and review the diff:

    uv run python -m acme_shop.tools.documents docs ordering --write
"""

from pathlib import Path

from acme_shop.tools.documents import ARCHITECTURE_PATH, architecture_document

ROOT = Path(__file__).resolve().parents[3]
REFRESH_COMMAND = "python -m acme_shop.tools.documents docs ordering --write"


def test_generated_sections_of_the_architecture_document_match_the_code() -> None:
    committed = (ROOT / ARCHITECTURE_PATH).read_text(encoding="utf-8")
    assert architecture_document("ordering", ROOT) == committed, (
        f"docs/architecture.md is out of date: run `{REFRESH_COMMAND}` and review the diff"
    )
