"""Every listed release renders with today's archgen, through plain Copier.

Each release's copier.yml loads the installed ``archgen._jinja.ArchgenExtension``, whatever
version it is: the extension must keep every filter and global a released template calls.
The clone starts without tags; ``tag_releases`` makes them from CHANGELOG.md, as
``archgen releases --tag`` does in a fresh clone.
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest
import yaml

from archgen._releases import listed_releases, tag_releases
from tests.git_projects import ROOT, clone_template

RELEASES = listed_releases(ROOT)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = clone_template(tmp_path_factory.mktemp("releases"))
    tag_releases(clone, require_all=True)
    return clone


@pytest.mark.parametrize("tag", [release.tag for release in RELEASES])
def test_the_release_renders_with_the_current_extension(
    template: Path, tmp_path: Path, tag: str
) -> None:
    project = tmp_path / "shop"

    copier.run_copy(str(template), project, vcs_ref=tag, defaults=True, unsafe=True, quiet=True)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == tag
    assert answers["project_name"] == "Acme Shop"
    assert (project / "src/acme_shop/main.py").is_file()
    assert "Acme Shop" in (project / "README.md").read_text()
