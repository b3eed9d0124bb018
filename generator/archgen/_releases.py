"""Template releases: the list committed in CHANGELOG.md, the tags made from it, their order.

A release is data the repository carries (docs/adr/0006-releases-as-committed-data.md): each
``## VERSION — DATE — commit ID`` heading of ``CHANGELOG.md`` names a PEP 440 version, the day
it was cut and the full id of the commit it was cut from, and its section says what changes for
generated projects. Tags are not: a clone does not always carry them, so archgen makes the tag
``v<VERSION>`` from the list in every repository it reads the template from (``tag_releases``),
and refuses a tag that points elsewhere than the list says. Versions order like Copier orders
them: by PEP 440, pre-releases only when asked, and a commit past a release (``git describe``'s
``v0.2.0-5-gabc1234``) after that release.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from packaging.version import InvalidVersion, Version

from archgen._errors import UserError

CHANGELOG = "CHANGELOG.md"
UNRELEASED = "## Unreleased"
HEADING_FORMAT = "## {version} — {date} — commit {commit}"
_HEADING = re.compile(
    r"^## (?P<version>\S+) — (?P<date>\d{4}-\d{2}-\d{2}) — commit (?P<commit>[0-9a-f]{40})$"
)
_DESCRIBED = re.compile(r"^(?P<tag>.+)-(?P<distance>\d+)-g(?P<hash>[0-9a-f]+)$")


@dataclass(frozen=True)
class Release:
    """One release of the template, as its CHANGELOG.md heading and section record it."""

    version: Version
    date: date
    commit: str
    notes: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def heading(self) -> str:
        return HEADING_FORMAT.format(version=self.version, date=self.date, commit=self.commit)


def _sections(text: str) -> list[tuple[int, str, str]]:
    """Each ``## `` heading of ``text`` with its line number and the text under it."""
    sections: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            sections.append((number, line.rstrip(), []))
        elif sections:
            sections[-1][2].append(line)
    return [(number, heading, "\n".join(body).strip()) for number, heading, body in sections]


def parse_releases(text: str, source: str = CHANGELOG) -> tuple[Release, ...]:
    """The releases ``text`` lists, newest first; a UserError names the first bad heading."""
    releases: list[Release] = []
    for number, heading, notes in _sections(text):
        if heading == UNRELEASED:
            continue
        where = f"{source}, line {number}"
        matched = _HEADING.match(heading)
        if matched is None:
            raise UserError(
                f"{where}: {heading!r} is not a release heading: expected "
                f"'{HEADING_FORMAT}' with a full 40-character commit id, or '{UNRELEASED}'"
            )
        try:
            version = Version(matched["version"])
            day = date.fromisoformat(matched["date"])
        except (InvalidVersion, ValueError) as error:
            raise UserError(f"{where}: {error}") from None
        if releases and version >= releases[-1].version:
            raise UserError(
                f"{where}: {version} is listed after {releases[-1].version}: "
                "releases are listed newest first, each version once"
            )
        releases.append(Release(version, day, matched["commit"], notes))
    return tuple(releases)


def unreleased_notes(text: str) -> str:
    """The notes under ``## Unreleased``: what the next release will say."""
    return next((notes for _, heading, notes in _sections(text) if heading == UNRELEASED), "")


def _git(repository: Path | str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repository), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def listed_releases(repository: Path | str, ref: str = "HEAD") -> tuple[Release, ...]:
    """The releases the repository's CHANGELOG.md lists at ``ref`` (none before it had one)."""
    shown = _git(repository, "show", f"{ref}:{CHANGELOG}")
    if shown.returncode != 0:
        return ()
    return parse_releases(shown.stdout, f"{repository}: {CHANGELOG}")


def _tags(repository: Path | str) -> dict[str, str]:
    """Every tag of the repository and the commit it points at (annotated tags peeled)."""
    listed = _git(
        repository, "for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)",
        "refs/tags",
    )  # fmt: skip
    tags = {}
    for line in listed.stdout.splitlines():
        name, target, *peeled = line.split(" ")
        tags[name] = peeled[0] if peeled and peeled[0] else target
    return tags


def _has_commit(repository: Path | str, commit: str) -> bool:
    return _git(repository, "cat-file", "-e", f"{commit}^{{commit}}").returncode == 0


def check_tag(repository: Path | str, release: Release, tags: dict[str, str]) -> bool:
    """True when ``release``'s tag is there and right, False when missing; a UserError when it
    points elsewhere: a tag is never moved, the owner of the repository decides."""
    found = tags.get(release.tag)
    if found is None:
        return False
    if found != release.commit:
        raise UserError(
            f"tag {release.tag} in {repository} points at {found}, but {CHANGELOG} releases "
            f"{release.version} from {release.commit}: archgen never moves a tag; if the list "
            f"is right, delete the tag (`git tag -d {release.tag}`) and run again"
        )
    return True


def tag_releases(repository: Path | str, *, require_all: bool = False) -> list[Release]:
    """Make the missing tags of the releases the repository lists; the releases tagged.

    Every tag is checked before any is made, so a refusal changes nothing. A release whose
    commit the repository lacks (a shallow clone) is left untagged, or refused with
    ``require_all``.
    """
    tags = _tags(repository)
    missing = [
        release
        for release in listed_releases(repository)
        if not check_tag(repository, release, tags)
    ]
    absent = [release for release in missing if not _has_commit(repository, release.commit)]
    if absent and require_all:
        listed = ", ".join(f"{release.version} ({release.commit[:12]})" for release in absent)
        raise UserError(
            f"{repository} lacks the commits of release {listed}: a shallow clone? "
            "`git fetch --unshallow` gets them"
        )
    made = [release for release in missing if release not in absent]
    for release in made:
        created = _git(repository, "tag", release.tag, release.commit)
        # Another archgen may have made it meanwhile: right is right, wrong is refused.
        if created.returncode != 0 and not check_tag(repository, release, _tags(repository)):
            raise UserError(
                f"could not tag {release.tag} in {repository}: {created.stderr.strip()}"
            )
    return made


def parse_version(name: str) -> Version | None:
    """The PEP 440 version a tag names (``v0.2.0`` -> 0.2.0), or None."""
    try:
        return Version(name)
    except InvalidVersion:
        return None


def release_tags(repository: Path | str, *, prereleases: bool = False) -> dict[Version, str]:
    """The repository's tags that name a version, as Copier counts them: listed or not."""
    versions = {}
    for name in _tags(repository):
        version = parse_version(name)
        if version is not None and (prereleases or not version.is_prerelease):
            versions[version] = name
    return dict(sorted(versions.items()))


def newest_release(repository: Path | str, *, prereleases: bool = False) -> str | None:
    """The tag of the highest PEP 440 version (Copier's default for a copy or an update)."""
    tags = release_tags(repository, prereleases=prereleases)
    return tags[max(tags)] if tags else None


def recorded_version(described: str) -> Version | None:
    """The version Copier reads in a ``_commit`` value: a tag's, or after it for
    ``v0.2.0-5-gabc1234`` (0.2.0.post5); None for a bare commit id."""
    if (version := parse_version(described)) is not None:
        return version
    matched = _DESCRIBED.match(described)
    if matched is None or (base := parse_version(matched["tag"])) is None:
        return None
    return Version(f"{base}.post{matched['distance']}+g{matched['hash']}")


def commit_version(repository: Path | str, commit: str) -> Version | None:
    """The version of ``commit`` among the repository's release tags (None before any)."""
    described = _git(repository, "describe", "--tags", "--match", "v[0-9]*", commit)
    return recorded_version(described.stdout.strip()) if described.returncode == 0 else None


def cut_release(changelog: Path, version: str, commit: str, day: date) -> Release:
    """Turn the ``## Unreleased`` notes of ``changelog`` into release ``version`` of ``commit``.

    The version must be newer than every listed one, and the notes must say what changes.
    """
    text = changelog.read_text(encoding="utf-8")
    listed = parse_releases(text, str(changelog))
    parsed = parse_version(version)
    if parsed is None or parsed.local is not None:
        raise UserError(f"{version!r} is not a PEP 440 release version (like 0.3.0)")
    if listed and parsed <= listed[0].version:
        raise UserError(f"{parsed} is not newer than the newest release, {listed[0].version}")
    notes = unreleased_notes(text)
    if not notes:
        raise UserError(
            f"{changelog} has no notes under '{UNRELEASED}': say there what changes for "
            "generated projects (and any step the update takes) before cutting a release"
        )
    release = Release(parsed, day, commit, notes)
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.rstrip() == UNRELEASED)
    lines[at] = f"{UNRELEASED}\n\n{release.heading}\n"
    changelog.write_text("".join(lines), encoding="utf-8")
    return release


def releases_between(
    releases: tuple[Release, ...], after: Version | None, upto: Version
) -> tuple[Release, ...]:
    """The ``releases`` a project at version ``after`` takes on its way to ``upto``, newest
    first (every one up to ``upto`` when the project's version is unknown)."""
    return tuple(
        release
        for release in releases
        if release.version <= upto and (after is None or release.version > after)
    )


def cut(repository: Path, version: str, day: date) -> Release:
    """Release ``repository``'s HEAD as ``version``: its CHANGELOG.md entry, committed, and
    its tag. HEAD must be clean, since the release is that commit and nothing else."""
    changelog = repository / CHANGELOG
    if not changelog.is_file():
        raise UserError(f"{repository} has no {CHANGELOG}: cut releases in a checkout of archgen")
    dirty = _git(repository, "status", "--porcelain", "--untracked-files=no")
    if dirty.returncode != 0 or dirty.stdout.strip():
        raise UserError(
            f"{repository} has uncommitted changes: a release is a commit, so commit them "
            "(their CHANGELOG.md notes under '## Unreleased' included) first"
        )
    commit = _git(repository, "rev-parse", "HEAD").stdout.strip()
    before = changelog.read_text(encoding="utf-8")
    release = cut_release(changelog, version, commit, day)
    try:
        made = not check_tag(repository, release, _tags(repository))
        if made:
            _git(repository, "tag", release.tag, commit)
        message = f"Release {release.version}"
        committed = _git(repository, "commit", "--quiet", "-m", message, "--", CHANGELOG)
        if committed.returncode != 0:
            if made:
                _git(repository, "tag", "-d", release.tag)
            raise UserError(f"could not commit {CHANGELOG}: {committed.stderr.strip()}")
    except UserError:
        changelog.write_text(before, encoding="utf-8")  # nothing half-done
        raise
    return release
