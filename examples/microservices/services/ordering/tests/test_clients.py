"""This service's typed clients in clients/ are generated from its openapi.json and committed:
these tests fail when one drifts from it. After an API change (the service's openapi.json
refreshed), regenerate them at the workspace's root and review the diff:

    make clients
"""

import json
import re
from pathlib import Path

from acme_shop.tools import clients
from tests.typescript import needs_node

ROOT = Path(__file__).resolve().parents[3]
APP = clients.APPS["ordering"]
REFRESH_COMMAND = "make clients"
# What using a client leaves in its folder (git ignores them too).
CACHES = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, but the caches."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not CACHES.intersection(path.parts)
    }


def test_every_operation_has_a_readable_id() -> None:
    """Client functions are named after operation ids: each route sets its own, never FastAPI's
    default (function name, path and method run together), so the names survive a refactoring."""
    document = json.loads((ROOT / APP.openapi).read_text(encoding="utf-8"))
    ids = [
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    ]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", operation_id), operation_id
        assert "api_v1" not in operation_id, operation_id


def test_python_client_is_generated_from_openapi_json(tmp_path: Path) -> None:
    clients.write_python_client(APP, tmp_path / "python", ROOT)
    assert _files(tmp_path / "python") == _files(ROOT / APP.python_client), (
        f"{APP.python_client} is out of date: run `{REFRESH_COMMAND}` and review the diff"
    )


@needs_node
def test_typescript_types_are_generated_from_openapi_json(tmp_path: Path) -> None:
    clients.write_typescript_types(APP, tmp_path / "types.ts", ROOT)
    committed = ROOT / APP.typescript_types
    assert committed.is_file(), f"{APP.typescript_types} is missing: run `{REFRESH_COMMAND}`"
    assert (tmp_path / "types.ts").read_bytes() == committed.read_bytes(), (
        f"{APP.typescript_types} is out of date: run `{REFRESH_COMMAND}` and review the diff"
    )
