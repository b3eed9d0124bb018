"""`archgen releases`: list the releases, tag them in a clone, cut a new one.

Each test works on a clone of archgen's repository without tags, as `git clone` of a branch
gives it to a new user.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from archgen._releases import CHANGELOG, listed_releases, unreleased_notes
from archgen.cli import app
from tests.git_projects import GIT_IDENTITY, ROOT, clone_template, commit_all, git

RELEASES = listed_releases(ROOT)
runner = CliRunner(env=GIT_IDENTITY)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    clone = clone_template(tmp_path)
    assert git(clone, "tag") == ""
    return clone


def tags(repository: Path) -> dict[str, str]:
    listed = git(
        repository, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/tags"
    )
    return dict(line.split(" ") for line in listed.splitlines())


def releases(*arguments: str) -> tuple[int, str]:
    result = runner.invoke(app, ["releases", *arguments])
    return result.exit_code, result.output


def test_tag_makes_every_listed_release_tag_in_a_fresh_clone(clone: Path) -> None:
    status, output = releases("--tag", "--template", str(clone))

    assert status == 0, output
    listed = ", ".join(release.tag for release in RELEASES)
    assert output.strip() == f"Tagged {listed} in {clone}"
    assert tags(clone) == {release.tag: release.commit for release in RELEASES}
    assert releases("--tag", "--template", str(clone)) == (
        0,
        f"Every release is tagged in {clone}\n",
    )


def test_the_list_shows_each_release_and_whether_the_clone_has_its_tag(clone: Path) -> None:
    status, before = releases("--template", str(clone))
    releases("--tag", "--template", str(clone))
    _, after = releases("--template", str(clone))

    assert status == 0
    for release in RELEASES:
        line = f"{release.tag}  {release.date}  {release.commit[:12]}"
        assert f"{line}  (not tagged here: `archgen releases --tag`)" in before
        assert f"{line}\n" in after
    assert "not tagged" not in after


def test_a_tag_that_points_elsewhere_is_refused_and_nothing_is_tagged(clone: Path) -> None:
    oldest = RELEASES[-1]
    head = git(clone, "rev-parse", "HEAD").strip()
    git(clone, "tag", oldest.tag, head)

    status, output = releases("--tag", "--template", str(clone))

    assert status == 2
    assert f"tag {oldest.tag} in {clone} points at {head}" in output
    assert f"releases {oldest.version} from {oldest.commit}" in output
    assert len(output.strip().splitlines()) == 1
    assert tags(clone) == {oldest.tag: head}


def test_cut_releases_head_from_the_unreleased_notes(clone: Path) -> None:
    changelog = clone / CHANGELOG
    changelog.write_text(
        changelog.read_text().replace("## Unreleased\n", "## Unreleased\n\n- A new section.\n", 1)
    )
    commit_all(clone, "a template change, with its note")
    released = git(clone, "rev-parse", "HEAD").strip()
    notes = unreleased_notes(changelog.read_text())  # with whatever main holds there now

    status, output = releases("--cut", "99.0.0", "--template", str(clone))

    assert status == 0, output
    assert f"Released 99.0.0: {CHANGELOG} lists it at {released[:12]} (committed)" in output
    newest = listed_releases(clone)[0]
    assert (str(newest.version), newest.commit, newest.notes) == ("99.0.0", released, notes)
    assert newest.notes.splitlines()[0] == "- A new section."
    assert unreleased_notes(changelog.read_text()) == ""
    assert git(clone, "log", "-1", "--format=%s").strip() == "Release 99.0.0"
    assert git(clone, "status", "--porcelain") == ""
    assert tags(clone)["v99.0.0"] == released


@pytest.mark.parametrize(
    ("prepare", "version", "message"),
    [
        ("dirty", "99.0.0", "has uncommitted changes: a release is a commit"),
        ("no notes", "99.0.0", "has no notes under '## Unreleased'"),
        ("notes", "0.0.1", "0.0.1 is not newer than the newest release"),
    ],
)
def test_a_cut_that_cannot_be_a_release_is_refused_and_changes_nothing(
    clone: Path, prepare: str, version: str, message: str
) -> None:
    changelog = clone / CHANGELOG
    if prepare == "dirty":
        (clone / "README.md").write_text("edited\n")
    if prepare == "no notes":  # whatever main holds under the heading now
        text = changelog.read_text()
        start = text.index("## Unreleased\n") + len("## Unreleased\n")
        changelog.write_text(text[:start] + "\n" + text[text.index("\n## ", start) + 1 :])
        commit_all(clone, "no notes")
    if prepare == "notes":
        changelog.write_text(
            changelog.read_text().replace("## Unreleased\n", "## Unreleased\n\n- x\n")
        )
        commit_all(clone, "a note")
    before = (git(clone, "rev-parse", "HEAD"), changelog.read_text(), tags(clone))

    status, output = releases("--cut", version, "--template", str(clone))

    assert status == 2
    assert message in output
    assert (git(clone, "rev-parse", "HEAD"), changelog.read_text(), tags(clone)) == before


def test_a_folder_that_is_not_a_repository_is_refused(tmp_path: Path) -> None:
    status, output = releases("--tag", "--template", str(tmp_path))
    assert status == 2
    assert "is not a git repository on this machine" in output
