"""The release list in CHANGELOG.md, the tags made from it, and how versions order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from packaging.version import Version

import archgen
from archgen._releases import (
    CHANGELOG,
    Release,
    commit_version,
    cut_release,
    listed_releases,
    newest_release,
    parse_releases,
    recorded_version,
    tag_releases,
)
from tests.git_projects import ROOT, commit_all, git


def heading(version: str, commit: str, day: str = "2026-11-26") -> str:
    return f"## {version} — {day} — commit {commit}"


def changelog(*releases: tuple[str, str], unreleased: str = "") -> str:
    sections = [f"## Unreleased\n\n{unreleased}\n"] + [
        f"{heading(version, commit)}\n\nWhat {version} changes.\n" for version, commit in releases
    ]
    return "# Template releases\n\n" + "\n".join(sections)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A template repository with three commits, and no release listed yet."""
    folder = tmp_path / "template"
    folder.mkdir()
    git(folder, "init", "--quiet")
    for number in (1, 2, 3):
        (folder / "copier.yml").write_text(f"# version {number}\n")
        commit_all(folder, f"commit {number}")
    return folder


def commits(repository: Path) -> list[str]:
    """Its commits, oldest first."""
    return git(repository, "rev-list", "--reverse", "HEAD").split()


def list_releases(repository: Path, *releases: tuple[str, str]) -> None:
    (repository / CHANGELOG).write_text(changelog(*releases))
    commit_all(repository, "the release list")


def tags(repository: Path) -> dict[str, str]:
    listed = git(
        repository, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/tags"
    )
    return dict(line.split(" ") for line in listed.splitlines())


def test_the_list_reads_version_date_commit_and_notes_newest_first() -> None:
    text = changelog(("0.2.0", "b" * 40), ("0.1.0", "a" * 40), unreleased="Coming soon.")
    assert parse_releases(text) == (
        Release(Version("0.2.0"), date(2026, 11, 26), "b" * 40, "What 0.2.0 changes."),
        Release(Version("0.1.0"), date(2026, 11, 26), "a" * 40, "What 0.1.0 changes."),
    )
    assert parse_releases(text)[0].tag == "v0.2.0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "## 0.1.0 — 2026-11-26\n",
            "CHANGELOG.md, line 1: '## 0.1.0 — 2026-11-26' is not a release heading",
        ),
        (heading("0.1.0", "abc1234") + "\n", "with a full 40-character commit id"),
        (heading("one", "a" * 40) + "\n", "CHANGELOG.md, line 1: Invalid version: 'one'"),
        (heading("0.1.0", "a" * 40, "2026-13-01") + "\n", "line 1: month must be in 1..12"),
        (changelog(("0.1.0", "a" * 40), ("0.2.0", "b" * 40)), "0.2.0 is listed after 0.1.0"),
        (changelog(("0.1.0", "a" * 40), ("0.1.0", "b" * 40)), "0.1.0 is listed after 0.1.0"),
    ],
)
def test_a_bad_list_is_refused_at_its_line(text: str, message: str) -> None:
    with pytest.raises(archgen.UserError) as refused:
        parse_releases(text)
    assert message in refused.value.message
    assert "\n" not in refused.value.message


def test_archgens_own_list_holds_the_releases_cut_from_its_history() -> None:
    releases = listed_releases(ROOT)
    assert [str(release.version) for release in releases[-2:]] == ["0.2.0", "0.1.0"]
    for release in releases:
        assert git(ROOT, "cat-file", "-t", release.commit).strip() == "commit"
        assert release.notes


def test_a_repository_before_the_list_has_no_releases(repository: Path) -> None:
    assert listed_releases(repository) == ()
    assert tag_releases(repository) == []


def test_missing_tags_are_made_from_the_list_and_right_ones_kept(repository: Path) -> None:
    first, second, _ = commits(repository)
    list_releases(repository, ("0.2.0", second), ("0.1.0", first))
    git(repository, "tag", "v0.1.0", first)

    made = tag_releases(repository)

    assert [release.tag for release in made] == ["v0.2.0"]
    assert tags(repository) == {"v0.1.0": first, "v0.2.0": second}
    assert tag_releases(repository) == []


def test_a_tag_that_points_elsewhere_is_refused_naming_both_commits(repository: Path) -> None:
    first, second, third = commits(repository)
    list_releases(repository, ("0.2.0", second), ("0.1.0", first))
    git(repository, "tag", "v0.1.0", third)

    with pytest.raises(archgen.UserError) as refused:
        tag_releases(repository)

    assert refused.value.message.startswith(
        f"tag v0.1.0 in {repository} points at {third}, but CHANGELOG.md releases 0.1.0 "
        f"from {first}: archgen never moves a tag"
    )
    assert tags(repository) == {"v0.1.0": third}  # and v0.2.0 not made either


def test_an_annotated_tag_counts_by_the_commit_it_tags(repository: Path) -> None:
    first, *_ = commits(repository)
    list_releases(repository, ("0.1.0", first))
    git(repository, "tag", "--annotate", "--message", "0.1.0", "v0.1.0", first)
    assert tag_releases(repository) == []


def test_a_release_whose_commit_is_absent_is_skipped_or_refused(repository: Path) -> None:
    first, *_ = commits(repository)
    list_releases(repository, ("0.2.0", "f" * 40), ("0.1.0", first))

    assert [release.tag for release in tag_releases(repository)] == ["v0.1.0"]
    with pytest.raises(archgen.UserError) as refused:
        tag_releases(repository, require_all=True)
    assert f"lacks the commits of release 0.2.0 ({'f' * 12}): a shallow clone?" in (
        refused.value.message
    )


def test_the_newest_release_is_the_highest_version_not_the_nearest_tag(repository: Path) -> None:
    first, second, third = commits(repository)
    git(repository, "tag", "v0.10.0", first)  # PEP 440: 0.10 is after 0.9
    git(repository, "tag", "v0.9.0", third)  # the nearest tag to HEAD
    git(repository, "tag", "v0.11.0rc1", second)
    git(repository, "tag", "not-a-version", third)

    assert newest_release(repository) == "v0.10.0"
    assert newest_release(repository, prereleases=True) == "v0.11.0rc1"


def test_a_repository_without_version_tags_has_no_newest_release(repository: Path) -> None:
    assert newest_release(repository) is None


def test_a_commit_past_a_release_orders_after_it_and_before_the_next() -> None:
    past = recorded_version("v0.2.0-5-gabc1234")
    assert past == Version("0.2.0.post5+gabc1234")
    assert Version("0.2.0") < past < Version("0.2.1")
    assert recorded_version("v0.1.0") == Version("0.1.0")
    assert recorded_version("abc1234") is None


def test_a_commits_version_comes_from_the_release_tags_behind_it(repository: Path) -> None:
    first, _, third = commits(repository)
    assert commit_version(repository, third) is None
    git(repository, "tag", "v0.1.0", first)
    assert commit_version(repository, first) == Version("0.1.0")
    assert commit_version(repository, third) == Version(f"0.1.0.post2+g{third[:7]}")


def test_cutting_a_release_turns_the_unreleased_notes_into_its_section(tmp_path: Path) -> None:
    path = tmp_path / CHANGELOG
    path.write_text(changelog(("0.1.0", "a" * 40), unreleased="- The README gains a section."))

    release = cut_release(path, "0.2.0", "b" * 40, date(2026, 12, 1))

    assert release.notes == "- The README gains a section."
    assert parse_releases(path.read_text())[0] == release
    assert path.read_text().startswith(
        "# Template releases\n\n## Unreleased\n\n"
        f"## 0.2.0 — 2026-12-01 — commit {'b' * 40}\n\n- The README gains a section.\n"
    )


@pytest.mark.parametrize(
    ("version", "unreleased", "message"),
    [
        ("0.1.0", "- Something.", "0.1.0 is not newer than the newest release, 0.1.0"),
        ("0.0.9", "- Something.", "0.0.9 is not newer than the newest release, 0.1.0"),
        ("next", "- Something.", "'next' is not a PEP 440 release version"),
        ("0.2.0", "", "has no notes under '## Unreleased'"),
    ],
)
def test_a_cut_that_would_not_be_a_new_release_is_refused(
    tmp_path: Path, version: str, unreleased: str, message: str
) -> None:
    path = tmp_path / CHANGELOG
    path.write_text(before := changelog(("0.1.0", "a" * 40), unreleased=unreleased))
    with pytest.raises(archgen.UserError) as refused:
        cut_release(path, version, "b" * 40, date(2026, 12, 1))
    assert message in refused.value.message
    assert path.read_text() == before
