"""The render tests' projects: every supported cell of the matrix, rendered once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

import archgen
from tests.matrix import SUPPORTED, Cell


def render(cell: Cell, parent: Path) -> tuple[Path, dict[str, object]]:
    result = archgen.generate(
        parent / cell.name,
        pattern=cell.pattern,
        answers=cell.answers,
        domain=cell.domain,
        export_openapi=False,
    )
    return result.destination, result.answers


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, object]]]:
    """Each supported cell's destination and answers, by cell name."""
    parent = tmp_path_factory.mktemp("renders")
    return {cell.name: render(cell, parent) for cell in SUPPORTED}
