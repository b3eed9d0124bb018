"""The template tree reads as templates/README.md says: one hop to every shared file, plain
names, and a map that names real files and the patterns that really render them.

A pattern renders a file when its tree holds it, through links, or when a file it renders
includes or imports it (``{% include %}``, ``{% import %}``, ``{% from %}``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SHARED = TEMPLATES / "shared"
PATTERNS = {
    "monolith": "modular-monolith",
    "microservices": "microservices",
    "serverless": "serverless",
}
REFERENCE = re.compile(r'\{%-?\s*(?:include|import|from)\s+"(templates/[^"]+)"')
# In the map: one or more `paths`, a dash, then the patterns that render them.
ENTRY = re.compile(
    r"((?:`[^`]+`(?:,\s*)?)+)\s+—\s+(all|(?:monolith|microservices|serverless)(?:,\s*(?:monolith|microservices|serverless))*)\b"
)
TEMPLATE_ROOTS = ("shared/", "macros/", "questions/", *(f"{tree}/" for tree in PATTERNS.values()))


def links() -> Iterator[Path]:
    for folder, folders, files in os.walk(TEMPLATES):  # does not descend into linked folders
        for name in folders + files:
            if (path := Path(folder, name)).is_symlink():
                yield path


@pytest.mark.parametrize("link", sorted(links()), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_link_points_straight_at_something_under_shared(link: Path) -> None:
    target = Path(os.path.normpath(link.parent / os.readlink(link)))
    assert not os.path.isabs(os.readlink(link)), "links are relative, so clones keep them"
    assert target.exists(), f"dangling: {os.readlink(link)}"
    assert target.is_relative_to(SHARED), f"links into {target.relative_to(TEMPLATES)}"
    assert target.resolve() == target, f"goes through another link: {os.readlink(link)}"


def test_no_file_name_carries_a_condition() -> None:
    conditional = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*") if "{% if" in p.name]
    assert conditional == [], "give them plain names and an _exclude entry in copier.yml"


@cache
def rendered_by(pattern: str) -> frozenset[Path]:
    """Every template file ``pattern`` renders or includes, resolved to its real path."""
    files = [
        Path(folder, name).resolve()
        for folder, _, names in os.walk(TEMPLATES / pattern, followlinks=True)
        for name in names
    ]
    seen: set[Path] = set()
    while files:
        if (path := files.pop()) not in seen:
            seen.add(path)
            files += [(ROOT / ref).resolve() for ref in REFERENCE.findall(path.read_text())]
    return frozenset(seen)


def own_files(path: Path) -> list[Path]:
    """The files at ``path`` itself: a folder's files, but not the ones it links to."""
    if not path.is_dir():
        return [path.resolve()]
    return [
        Path(folder, name)
        for folder, _, names in os.walk(path)
        for name in names
        if not Path(folder, name).is_symlink()
    ]


def patterns_rendering(path: Path) -> set[str]:
    files = own_files(path)
    return {name for name, tree in PATTERNS.items() if any(f in rendered_by(tree) for f in files)}


def map_entries() -> list[tuple[list[str], set[str]]]:
    """Each (paths, patterns) pair of templates/README.md's map."""
    text = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## The map\n", 1)[1].split("\n## ", 1)[0]
    entries = []
    for bullet in re.split(r"\n(?=- )", section):
        for paths, patterns in ENTRY.findall(" ".join(bullet.split())):
            named = set(PATTERNS) if patterns == "all" else set(re.split(r",\s*", patterns))
            entries.append((re.findall(r"`([^`]+)`", paths), named))
    return entries


def mapped_paths() -> list[str]:
    return [path for paths, _ in map_entries() for path in paths]


def test_the_map_has_an_entry_for_every_concern() -> None:
    assert len(map_entries()) > 50


@pytest.mark.parametrize("path", mapped_paths())
def test_every_path_on_the_map_exists(path: str) -> None:
    assert path.startswith(TEMPLATE_ROOTS), "a path under templates/"
    assert (TEMPLATES / path).exists()


@pytest.mark.parametrize(
    ("paths", "patterns"), map_entries(), ids=[", ".join(paths) for paths, _ in map_entries()]
)
def test_the_map_names_the_patterns_that_render_each_file(
    paths: list[str], patterns: set[str]
) -> None:
    for path in paths:
        assert patterns_rendering(TEMPLATES / path) == patterns, path


def test_every_shared_file_and_macro_is_on_the_map() -> None:
    mapped = [TEMPLATES / path for path in mapped_paths()]
    files = [
        p for folder in (SHARED, TEMPLATES / "macros") for p in folder.rglob("*") if p.is_file()
    ]
    missing = [
        str(file.relative_to(TEMPLATES))
        for file in files
        if not any(file == path or file.is_relative_to(path) for path in mapped)
    ]
    assert missing == []
