"""Helpers for tests that commit generated projects and template releases, and lint them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import archgen

ROOT = Path(__file__).resolve().parents[1]
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_IDENTITY},
    )
    return completed.stdout


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "--quiet", "--allow-empty", "-m", message)


def snapshot(project: Path) -> tuple[str, str, dict[str, str]]:
    """HEAD, git status and every file's digest: equal snapshots mean an untouched project."""
    files = {
        str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }
    status = git(project, "status", "--porcelain", "--untracked-files=all")
    return git(project, "rev-parse", "HEAD"), status, files


def clone_template(folder: Path) -> Path:
    """A clone of archgen's repository at its HEAD in ``folder``, to commit changes to.

    Without tags, as a fresh clone of a branch comes: archgen makes the tags of the releases
    CHANGELOG.md lists when it reads the clone (``archgen._releases``), and each test adds
    versions of its own where it needs them, above the listed ones (a tag on HEAD would make
    a project generated there wait for the next release).
    """
    clone = folder / "template"
    git(folder, "clone", "--quiet", "--local", "--no-tags", str(ROOT), str(clone))
    return clone


def generate_committed(
    destination: Path,
    template: Path,
    pattern: str,
    vcs_ref: str = "HEAD",
    *,
    export_openapi: bool = False,
    **options: Any,
) -> Path:
    """A project generated from ``template`` at ``vcs_ref`` and committed, as its owners would.

    Without ``export_openapi`` it has no API documents (render-level tests need none).
    """
    result = archgen.generate(
        destination,
        pattern=pattern,
        template=str(template),
        vcs_ref=vcs_ref,
        export_openapi=export_openapi,
        **options,
    )
    git(result.destination, "init", "--quiet")
    commit_all(result.destination, f"generated at {vcs_ref}")
    return result.destination


def assert_ruff_clean(project: Path) -> None:
    """ruff, as the generated project configures it, finds nothing in ``project``."""
    linted = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", "--no-cache", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout
