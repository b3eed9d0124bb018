"""Every Mermaid diagram archgen generates parses with Mermaid's own parser (from npm).

``tests/mermaid/`` pins mermaid and jsdom (``package-lock.json``); ``npm ci`` installs them
the first time, once however many pytest-xdist workers ask (``tests.installs``). The committed
examples are the renders checked: their drift test keeps them equal to a fresh render.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.git_projects import ROOT
from tests.installs import npm_installed

CHECKER = ROOT / "tests/mermaid"
EXAMPLES = ROOT / "examples"
Parse = Callable[..., tuple[int, list[dict[str, Any]]]]


@pytest.fixture(scope="module")
def parse() -> Parse:
    npm_installed(CHECKER)

    def run(*files: Path) -> tuple[int, list[dict[str, Any]]]:
        """Mermaid's verdict on every diagram of ``files``: the exit status and one row each."""
        completed = subprocess.run(
            ["node", "parse.mjs", *map(str, files)],
            cwd=CHECKER,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return completed.returncode, [json.loads(line) for line in completed.stdout.splitlines()]

    return run


def test_every_diagram_in_the_examples_docs_parses(parse: Parse) -> None:
    status, diagrams = parse(*sorted(EXAMPLES.glob("*/docs/**/*.md")))
    assert status == 0, [d for d in diagrams if "error" in d]
    for pattern in ("modular-monolith", "serverless", "microservices"):
        found = {
            d["type"] for d in diagrams if f"/{pattern}/docs/architecture.md" in str(d["file"])
        }
        assert found == {"flowchart-v2", "er"}, pattern


def test_a_broken_diagram_is_reported_with_its_line(parse: Parse, tmp_path: Path) -> None:
    document = tmp_path / "broken.md"
    document.write_text("# Broken\n\n```mermaid\nflowchart LR\n  a([A] --> b[B\n```\n")
    status, diagrams = parse(document)
    assert status == 1
    assert diagrams[0]["line"] == 3
    assert "Parse error" in str(diagrams[0]["error"])
