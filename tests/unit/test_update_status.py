"""How `archgen update` reads a project's git status: by NUL-separated entries, not columns.

Git quotes a path with spaces, quotes or non-ASCII letters in its plain porcelain output and
writes a rename as ``old -> new``; the ``-z`` form gives each path as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import archgen
from archgen._update import _changed_files, _check_clean_tree
from tests.git_projects import commit_all, git

ODD_NAMES = ["docs/release notes.md", "docs/café “menu”.md"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    (folder / "docs").mkdir(parents=True)
    git(folder, "init", "--quiet")
    (folder / "README.md").write_text("shop\n")
    (folder / "docs/guide.md").write_text("guide\n")
    commit_all(folder, "generated")
    return folder


def test_renamed_and_oddly_named_paths_are_reported_as_they_are(project: Path) -> None:
    git(project, "mv", "docs/guide.md", "docs/user guide.md")
    for name in ODD_NAMES:
        (project / name).write_text("notes\n")

    assert _changed_files(project) == sorted(["docs/guide.md", "docs/user guide.md", *ODD_NAMES])


def test_a_dirty_tree_is_refused_naming_the_paths_as_they_are(project: Path) -> None:
    git(project, "mv", "docs/guide.md", "docs/user guide.md")
    (project / ODD_NAMES[1]).write_text("notes\n")

    with pytest.raises(archgen.UserError) as refused:
        _check_clean_tree(project)

    message = refused.value.message
    assert "has uncommitted changes (docs/user guide.md, docs/guide.md, " in message
    assert f"{ODD_NAMES[1]}): commit or stash them" in message  # not git's "caf\303\251 ..."


def test_a_clean_tree_passes(project: Path) -> None:
    _check_clean_tree(project)
