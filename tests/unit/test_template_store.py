"""The local template repository: filled from bundles, only ever added to."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen._template_store import STORE_ENV_VAR, fetch_bundle, store_path
from tests.git_projects import commit_all, git


def release(repository: Path, text: str, tag: str | None = None) -> str:
    """A commit (and tag) in the template's history; its full id."""
    (repository / "copier.yml").write_text(text)
    commit_all(repository, text)
    if tag:
        git(repository, "tag", tag)
    return git(repository, "rev-parse", "HEAD").strip()


def bundle(repository: Path, into: Path) -> Path:
    """What the wheel build ships: HEAD and every tag."""
    git(repository, "bundle", "create", "--quiet", str(into), "HEAD", "--tags")
    return into


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    folder = tmp_path / "archgen"
    folder.mkdir()
    git(folder, "init", "--quiet")
    return folder


def refs(store: Path) -> dict[str, str]:
    listed = git(store, "for-each-ref", "--format=%(refname) %(objectname)").split("\n")
    return dict(line.split(" ") for line in listed if line)


def test_the_first_use_creates_the_store_with_the_version_and_every_older_tag(
    repository: Path, tmp_path: Path
) -> None:
    old = release(repository, "0.1", tag="v0.1.0")
    new = release(repository, "0.2 in progress")
    store = tmp_path / "data/template.git"

    fetch_bundle(store, bundle(repository, tmp_path / "a.bundle"), new, "0.2.0.dev1")

    assert refs(store) == {
        f"refs/heads/archgen-0.2.0.dev1-{new[:12]}": new,
        "refs/tags/v0.1.0": old,
    }
    assert git(store, "symbolic-ref", "HEAD").strip() == f"refs/heads/archgen-0.2.0.dev1-{new[:12]}"


def test_an_upgrade_adds_its_version_and_keeps_every_earlier_one(
    repository: Path, tmp_path: Path
) -> None:
    first = release(repository, "0.1", tag="v0.1.0")
    store = tmp_path / "template.git"
    fetch_bundle(store, bundle(repository, tmp_path / "1.bundle"), first, "0.1.0")
    second = release(repository, "0.2", tag="v0.2.0")

    fetch_bundle(store, bundle(repository, tmp_path / "2.bundle"), second, "0.2.0")

    assert refs(store) == {
        f"refs/heads/archgen-0.1.0-{first[:12]}": first,
        f"refs/heads/archgen-0.2.0-{second[:12]}": second,
        "refs/tags/v0.1.0": first,
        "refs/tags/v0.2.0": second,
    }
    assert git(store, "symbolic-ref", "HEAD").strip() == f"refs/heads/archgen-0.2.0-{second[:12]}"


def test_a_store_that_has_the_version_is_left_as_it_is(repository: Path, tmp_path: Path) -> None:
    commit = release(repository, "0.1", tag="v0.1.0")
    store = tmp_path / "template.git"
    shipped = bundle(repository, tmp_path / "a.bundle")
    fetch_bundle(store, shipped, commit, "0.1.0")
    before = refs(store)
    shipped.unlink()  # a second fetch would fail: the store must not need the bundle again

    fetch_bundle(store, shipped, commit, "0.1.0")

    assert refs(store) == before


def test_the_store_is_in_the_user_data_folder_unless_moved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(STORE_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert store_path() == tmp_path / "data/archgen/template.git"
    monkeypatch.setenv(STORE_ENV_VAR, str(tmp_path / "elsewhere.git"))
    assert store_path() == tmp_path / "elsewhere.git"
