"""Whether a generated project is behind the newest template release, for people and for CI.

``check_update`` reads the project's answers (never writes: a dirty tree is fine), finds the
template version they record in the template repository, and compares it with the newest
release there as Copier orders versions (PEP 440; a project generated from a commit past a
release, ``v0.2.0-5-gabc1234``, is after that release). It returns the standing and the
releases in between with their CHANGELOG.md notes; ``archgen check-update`` exits
``UPDATE_AVAILABLE`` when the project is behind, so a scheduled CI job fails visibly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from archgen._releases import (
    Release,
    commit_version,
    listed_releases,
    release_tags,
    releases_between,
)
from archgen._update import locate_template

UPDATE_AVAILABLE = 10  # the exit status of `archgen check-update` when a newer release exists


class Standing(enum.Enum):
    """Where the project stands against the template's releases."""

    UP_TO_DATE = "up-to-date"
    BEHIND = "behind"
    AHEAD = "ahead"  # generated from a commit past the newest release
    NO_RELEASE = "no-release"  # the template has no release yet


@dataclass(frozen=True)
class UpdateCheck:
    """The project's template version, the newest release, and the releases between."""

    project: Path
    template: str
    current: str  # the recorded _commit
    current_version: Version | None  # None: recorded before the template had any release
    newest: str | None  # the newest release's tag
    newest_version: Version | None
    releases: tuple[Release, ...]  # newest first: what an update to the newest one takes in

    @property
    def standing(self) -> Standing:
        if self.newest_version is None:
            return Standing.NO_RELEASE
        if self.current_version is None or self.current_version < self.newest_version:
            return Standing.BEHIND
        if self.current_version == self.newest_version:
            return Standing.UP_TO_DATE
        return Standing.AHEAD

    def as_json(self) -> dict[str, Any]:
        def version(value: Version | None) -> str | None:
            return None if value is None else str(value)

        return {
            "project": str(self.project),
            "template": self.template,
            "status": self.standing.value,
            "current": {"ref": self.current, "version": version(self.current_version)},
            "newest": {"ref": self.newest, "version": version(self.newest_version)},
            "releases": [
                {
                    "version": str(release.version),
                    "date": release.date.isoformat(),
                    "commit": release.commit,
                    "notes": release.notes,
                }
                for release in self.releases
            ],
        }


def check_update(
    project: Path, *, template: str | None = None, prereleases: bool = False
) -> UpdateCheck:
    """Compare ``project``'s template version with the newest release (pre-releases only
    with ``prereleases``); a UserError when the project or its template cannot be read."""
    located = locate_template(project, template)
    tags = release_tags(located.source, prereleases=prereleases)
    current_version = commit_version(located.source, located.current_commit)
    if not tags:
        return UpdateCheck(
            located.project, located.source, located.current, current_version, None, None, ()
        )
    newest_version = max(tags)
    listed = listed_releases(located.source)
    if not prereleases:
        listed = tuple(release for release in listed if not release.version.is_prerelease)
    return UpdateCheck(
        located.project,
        located.source,
        located.current,
        current_version,
        tags[newest_version],
        newest_version,
        releases_between(listed, current_version, newest_version),
    )
