"""The committed asyncapi.json documents the service's events: this test fails when it drifts.

After an intended change to the events, refresh it at the workspace's root and review the diff:

    uv run python -m acme_shop.tools.documents asyncapi identity --write
"""

import json
from pathlib import Path

from fastapi import FastAPI

from acme_shop.platform.resources import Resources
from acme_shop.services.identity.main import API_TITLE, API_VERSION

COMMITTED = Path(__file__).resolve().parents[1] / "asyncapi.json"
REFRESH_COMMAND = "python -m acme_shop.tools.documents asyncapi identity --write"


def test_asyncapi_document_matches_the_committed_one(app: FastAPI) -> None:
    resources: Resources = app.state.resources
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert resources.messaging.asyncapi(title=API_TITLE, version=API_VERSION) == committed, (
        f"asyncapi.json is out of date: run `{REFRESH_COMMAND}` and review the diff"
    )
