"""Template migrations: the steps Copier runs in an update for changes a 3-way merge misses.

``_migrations`` in copier.yml call this module (``python -m archgen._template_migrations``).
When a template release moves a file, Copier's merge cannot follow it: the new path arrives
fresh and the old one is deleted, the owners' edits with it. ``carry_over`` puts those edits
into the new path, merged 3-way against the old path as the previous template version rendered
it, with Git-style conflict markers where both sides changed the same lines.

It runs in the ``after`` stage, in the project, with Copier's ``VERSION_FROM`` in the
environment. The project's HEAD is its state before the update: Copier and ``archgen update``
both refuse a dirty tree.
"""

from __future__ import annotations

import enum
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import copier
import yaml

# The labels Copier gives the sides of its own inline conflicts, so one resolution covers both.
MERGE_LABELS = ("before updating", "last update", "after updating")


class Carried(enum.Enum):
    """What became of the owners' copy of a moved file."""

    ABSENT = "the project had no such file"
    OWNED = "it was the owners' own file, not the template's: left where it is"
    UNEDITED = "the owners had not edited it"
    MERGED = "the owners' edits were merged into the new path"
    CONFLICTED = "the owners' edits were merged into the new path, with conflicts to resolve"


def _committed(project: Path, path: str) -> str | None:
    shown = subprocess.run(
        ["git", "show", f"HEAD:{path}"], cwd=project, capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def previous_render(project: Path, version_from: str, path: str) -> str | None:
    """``path`` as the template at ``version_from`` rendered it with the recorded answers."""
    answers = yaml.safe_load(_committed(project, ".copier-answers.yml") or "{}") or {}
    data = {key: value for key, value in answers.items() if not key.startswith("_")}
    with tempfile.TemporaryDirectory(prefix="archgen-previous-") as scratch:
        rendered = Path(scratch) / "project"
        copier.run_copy(
            answers["_src_path"],
            rendered,
            data=data,
            vcs_ref=version_from,
            defaults=True,
            quiet=True,
            unsafe=True,  # the template's only unsafe feature is archgen's own Jinja extension
        )
        previous = rendered / path
        return previous.read_text() if previous.is_file() else None


def _merge(edited: str, base: str, template: Path) -> int:
    """Merge the template's ``base`` → current change into ``edited``; write it to ``template``."""
    with tempfile.TemporaryDirectory(prefix="archgen-merge-") as scratch:
        ours, ancestor = Path(scratch, "edited"), Path(scratch, "base")
        ours.write_text(edited)
        ancestor.write_text(base)
        labels = [option for label in MERGE_LABELS for option in ("-L", label)]
        merged = subprocess.run(
            ["git", "merge-file", "-p", *labels, str(ours), str(ancestor), str(template)],
            capture_output=True,
            text=True,
            check=False,
        )
    # The exit status counts the conflicts (at most 127); above that, git failed.
    if not 0 <= merged.returncode <= 127:
        raise RuntimeError(f"git merge-file failed: {merged.stderr.strip()}")
    template.write_text(merged.stdout)
    return merged.returncode


def carry_over(project: Path, old: str, new: str, version_from: str) -> Carried:
    """Merge the owners' edits of ``old`` (at HEAD) into ``new``, which the update rendered."""
    edited = _committed(project, old)
    if edited is None:
        return Carried.ABSENT
    base = previous_render(project, version_from, old)
    if base is None:
        return Carried.OWNED
    if base == edited:
        return Carried.UNEDITED
    target = project / new
    if not target.is_file():
        # The new version does not render it for these answers: keep the owners' copy there.
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edited)
        return Carried.MERGED
    conflicts = _merge(edited, base, target)
    return Carried.CONFLICTED if conflicts else Carried.MERGED


def main(arguments: list[str]) -> int:
    """``move OLD NEW``: carry the owners' edits of OLD over to NEW, and say what happened."""
    if len(arguments) != 3 or arguments[0] != "move":
        print("usage: python -m archgen._template_migrations move OLD NEW", file=sys.stderr)
        return 2
    _, old, new = arguments
    version_from = os.environ.get("VERSION_FROM")
    if not version_from:
        print("VERSION_FROM is not set: run this as a Copier migration", file=sys.stderr)
        return 2
    carried = carry_over(Path.cwd(), old, new, version_from)
    print(f"{old} moved to {new}: {carried.value}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
