"""The committed examples are exactly what the template renders today."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.examples import EXAMPLES, EXAMPLES_DIR, comparable_files, render_example


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_committed_example_matches_a_fresh_render(name: str, tmp_path: Path) -> None:
    render_example(name, tmp_path / name)
    fresh = comparable_files(tmp_path / name)
    committed = comparable_files(EXAMPLES_DIR / name)
    assert sorted(fresh) == sorted(committed), "files differ: run `uv run python -m tests.examples`"
    for relative, content in fresh.items():
        if content != committed[relative]:
            diff = "".join(
                difflib.unified_diff(
                    committed[relative].splitlines(keepends=True),
                    content.splitlines(keepends=True),
                    f"examples/{name}/{relative}",
                    "fresh render",
                )
            )
            pytest.fail(
                f"examples/{name} is stale; run `uv run python -m tests.examples`\n{diff[:4000]}"
            )
