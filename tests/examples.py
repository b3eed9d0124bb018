"""The committed example renders under examples/, and how to refresh them.

A reviewer sees what a template change does to real output in the diff of examples/.
Refresh them with `uv run python -m tests.examples` and review the diff.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import archgen
from tests.matrix import cell_named

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
# Example name -> the matrix cell it renders.
EXAMPLES = {
    "modular-monolith": "default",
    "microservices": "microservices",
    "serverless": "serverless",
}
# Lines that record where and when a render came from, not what it contains.
VOLATILE_PREFIXES = ("_commit:", "_src_path:")


def render_example(name: str, destination: Path) -> None:
    cell = cell_named(EXAMPLES[name])
    archgen.generate(destination, pattern=cell.pattern, answers=cell.answers, domain=cell.domain)


def comparable_files(root: Path) -> dict[str, str]:
    """Every file of a render, relative path -> content, with volatile lines removed."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if path.name == ".copier-answers.yml":
                text = "".join(
                    line
                    for line in text.splitlines(keepends=True)
                    if not line.startswith(VOLATILE_PREFIXES)
                )
            files[str(path.relative_to(root))] = text
    return files


def refresh() -> None:
    for name in EXAMPLES:
        target = EXAMPLES_DIR / name
        with tempfile.TemporaryDirectory() as scratch:
            render_example(name, Path(scratch) / name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(scratch) / name, target)
        print(f"refreshed {target}")


if __name__ == "__main__":
    refresh()
