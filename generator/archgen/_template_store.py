"""The local template repository archgen keeps for installs without a checkout (ADR 0005).

A wheel carries the template's git history as a bundle (``archgen/_template/template.bundle``:
the commit it was built from and every release tag before it, written by
``generator/hatch_build.py``). On first use, and after each upgrade, archgen fetches that bundle
into one bare repository per user, ``template.git`` in the user data folder (on Linux
``~/.local/share/archgen/``; ``ARCHGEN_TEMPLATE_STORE`` moves it). Fetches only add: every
version ever installed, and every older release, stays there, reachable without a network.

Generated projects record the store's path; ``archgen update`` on a teammate's machine, where
that path does not exist, uses the teammate's own store when it holds the recorded version.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import platformdirs

from archgen._errors import ArchgenError

STORE_ENV_VAR = "ARCHGEN_TEMPLATE_STORE"


@dataclass(frozen=True)
class InstalledTemplate:
    """The template version this archgen was built with, in the store."""

    store: Path
    commit: str

    @property
    def source(self) -> str:
        """The store as Copier takes it and generated projects record it."""
        return str(self.store)


def store_path() -> Path:
    """Where the store lives: ``ARCHGEN_TEMPLATE_STORE``, or the user data folder."""
    if configured := os.environ.get(STORE_ENV_VAR):
        return Path(configured).expanduser().resolve()
    return platformdirs.user_data_path("archgen") / "template.git"


def _git(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *arguments], capture_output=True, text=True, check=False)


@contextmanager
def _locked(store: Path) -> Iterator[None]:
    """One archgen at a time fills the store (two first runs may start together)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store.parent / f"{store.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def fetch_bundle(store: Path, bundle: Path, commit: str, version: str) -> None:
    """Add the bundle's history to ``store`` (created bare when missing) unless it has it.

    Its HEAD becomes the branch ``archgen-<version>-<commit>``, so a build from an untagged
    commit stays reachable too, and the store's HEAD; tags are added, never replaced.
    """
    with _locked(store):
        if not (store / "HEAD").is_file():
            _run("init", "--quiet", "--bare", str(store))
        if _git("-C", str(store), "cat-file", "-e", f"{commit}^{{commit}}").returncode == 0:
            return
        branch = f"refs/heads/archgen-{version}-{commit[:12]}"
        _run("-C", str(store), "fetch", "--quiet", "--tags", str(bundle), f"HEAD:{branch}")
        _run("-C", str(store), "symbolic-ref", "HEAD", branch)


def _run(*arguments: str) -> None:
    completed = _git(*arguments)
    if completed.returncode != 0:
        raise ArchgenError(
            f"archgen could not fill its template repository: git {' '.join(arguments)}: "
            f"{completed.stderr.strip()}"
        )


def installed_template() -> InstalledTemplate | None:
    """The bundled template, fetched into the store; None when archgen has no bundle.

    Only a wheel has one: a checkout renders from itself (``archgen._template``).
    """
    shipped = files("archgen").joinpath("_template")
    bundle, commit_file = shipped.joinpath("template.bundle"), shipped.joinpath("commit")
    if not (bundle.is_file() and commit_file.is_file()):
        return None
    commit = commit_file.read_text(encoding="utf-8").strip()
    store = store_path()
    fetch_bundle(store, Path(str(bundle)), commit, version("archgen"))
    return InstalledTemplate(store, commit)
