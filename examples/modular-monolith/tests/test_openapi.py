"""The committed openapi.json is the contract: this test fails when the code drifts from it.

After an intended API change, refresh it at the project's root and review the diff:

    uv run python -m tools.documents openapi --write
"""

import json
from pathlib import Path

from fastapi import FastAPI

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.json"
REFRESH_COMMAND = "python -m tools.documents openapi --write"


def test_openapi_document_matches_the_committed_one(app: FastAPI) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert app.openapi() == committed, (
        f"openapi.json is out of date: run `{REFRESH_COMMAND}` and review the diff"
    )
