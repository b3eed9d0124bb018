"""Where the Copier template comes from (decision: docs/adr/0001-template-source.md).

The template is the archgen git repository itself (``copier.yml`` at its root points into
``templates/``), so a generated project records a ``_src_path`` and ``_commit`` that
``copier update`` can check out again. The source is, in order: an explicit argument, the
``ARCHGEN_TEMPLATE`` environment variable, the git checkout archgen runs from, or (for a wheel
install) the local template repository filled from the wheel's bundle
(``archgen._template_store``, docs/adr/0005-template-history-in-the-wheel.md).

Whichever it is, when it is a local git repository archgen first makes the release tags its
CHANGELOG.md lists (``archgen._releases``, docs/adr/0006-releases-as-committed-data.md), so
Copier sees the same versions in a fresh clone as where the releases were cut.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from archgen._errors import TemplateNotFoundError
from archgen._releases import tag_releases
from archgen._template_store import installed_template

TEMPLATE_ENV_VAR = "ARCHGEN_TEMPLATE"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _checkout_root() -> Path | None:
    """The root of the git work tree archgen is imported from, if it holds the template."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=_PACKAGE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    root = Path(result.stdout.strip())
    return root if (root / "copier.yml").is_file() else None


def template_source(explicit: str | None = None) -> str:
    """The Copier source (a git URL or a local repository path) archgen renders from."""
    if explicit:
        return explicit
    if from_env := os.environ.get(TEMPLATE_ENV_VAR):
        return from_env
    if root := _checkout_root():
        return str(root)
    if installed := installed_template():
        return installed.source
    raise _not_found()


def is_repository(source: str) -> bool:
    """Whether ``source`` is a git repository on this machine (a work tree or bare)."""
    if not Path(source).is_dir():
        return False
    found = subprocess.run(
        ["git", "-C", source, "rev-parse", "--git-dir"], capture_output=True, check=False
    )
    return found.returncode == 0


def tag_template(source: str) -> None:
    """Make the release tags ``source`` lists but lacks, when it is a local repository.

    A remote URL is read as it is: Copier sees the tags its host has.
    """
    if is_repository(source):
        tag_releases(source)


def default_ref(source: str) -> str | None:
    """The template version ``archgen new`` renders when none is asked for.

    From archgen's own checkout it is HEAD, uncommitted changes included, so the template
    always matches the installed code (its Jinja extension comes from there); from the local
    template repository, the commit the installed wheel was built from. Elsewhere it is
    Copier's default, the newest release.
    """
    local = Path(source).resolve()
    root = _checkout_root()
    if root is not None and local == root:
        return "HEAD"
    installed = installed_template() if root is None else None
    if installed is not None and local == installed.store.resolve():
        return installed.commit
    return None


def _not_found() -> TemplateNotFoundError:
    return TemplateNotFoundError(
        "archgen cannot find its template: it is not running from a git checkout of archgen, "
        "and this install carries no template bundle. "
        f"Pass --template URL or set {TEMPLATE_ENV_VAR} to the archgen repository "
        "(a git URL or a local clone)."
    )
