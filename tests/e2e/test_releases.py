"""Template releases as a new user meets them: a fresh clone without tags, one command.

``archgen releases --tag`` makes the tags CHANGELOG.md lists; then plain ``copier copy
--vcs-ref`` renders the oldest release, and both ``archgen update`` and plain ``copier update
--trust`` take the project to the newest release, running the migrations on the way (the
collector's configuration moves in 0.2.0) and keeping the owners' edits. A tag that points
elsewhere than the list says is refused wherever the template is read. Renders and updates
only: nothing is installed (tests/e2e/test_upgrade.py runs the suites of updated projects).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from archgen._releases import listed_releases
from archgen._update import update
from archgen.cli import app
from tests.git_projects import ROOT, clone_template, commit_all, git

pytestmark = pytest.mark.e2e

RELEASES = listed_releases(ROOT)
OLDEST, NEWEST = RELEASES[-1], RELEASES[0]
COPIER = Path(sys.executable).parent / "copier"
OLD_COLLECTOR, NEW_COLLECTOR = "deploy/otel-collector.yaml", "deploy/otel-collector/config.yaml"
OWNER_EXPORTER = "  otlphttp/vendor:\n    endpoint: https://otlp.vendor.example\n"
OWNER_README_LINE = "Our on-call rota lives in the team wiki."
OWNER_MODULE = "src/acme_shop/reports.py"


def copier(*arguments: str, cwd: Path | None = None) -> None:
    """Plain Copier's command line, from the environment archgen is installed in."""
    subprocess.run([COPIER, *arguments], cwd=cwd, check=True, capture_output=True, text=True)


def owner_edits(project: Path) -> None:
    collector = project / OLD_COLLECTOR
    text = collector.read_text().replace("exporters:\n", "exporters:\n" + OWNER_EXPORTER, 1)
    collector.write_text(text.replace("exporters: [debug]", "exporters: [debug, otlphttp/vendor]"))
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("\n## ", f"\n{OWNER_README_LINE}\n\n## ", 1))
    (project / OWNER_MODULE).write_text('"""Owner-written reports."""\n')
    commit_all(project, "owner edits")


def assert_at_the_newest_release_with_the_owners_edits(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == NEWEST.tag
    assert not (project / OLD_COLLECTOR).exists()
    collector = (project / NEW_COLLECTOR).read_text()
    assert OWNER_EXPORTER in collector
    assert "exporters: [debug, otlphttp/vendor]" in collector
    assert OWNER_README_LINE in (project / "README.md").read_text()
    assert (project / OWNER_MODULE).read_text() == '"""Owner-written reports."""\n'
    markers = subprocess.run(
        ["git", "grep", "--untracked", "-l", "-e", "^<<<<<<< "],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert markers.stdout == ""  # no conflict left to resolve
    assert not list(project.rglob("*.rej"))


def test_a_fresh_clone_takes_a_project_from_the_oldest_release_to_the_newest(
    tmp_path: Path,
) -> None:
    template = clone_template(tmp_path)
    assert git(template, "tag") == ""

    tagged = CliRunner().invoke(app, ["releases", "--tag", "--template", str(template)])

    assert tagged.exit_code == 0, tagged.output
    project = tmp_path / "shop"
    copier("copy", "--trust", "--defaults", "--quiet", "--vcs-ref", OLDEST.tag,
           str(template), str(project))  # fmt: skip
    assert (project / OLD_COLLECTOR).is_file()
    git(project, "init", "--quiet")
    commit_all(project, f"generated at {OLDEST.tag}")
    owner_edits(project)
    plain = shutil.copytree(project, tmp_path / "plain-copier", symlinks=True)

    taken = update(project, export_openapi=False)

    assert taken.plan.target == NEWEST.tag
    assert taken.plan.releases == RELEASES[:-1]
    assert taken.conflicts == []
    assert_at_the_newest_release_with_the_owners_edits(project)

    copier("update", "--trust", "--defaults", "--quiet", "--conflict", "inline", cwd=plain)
    assert_at_the_newest_release_with_the_owners_edits(plain)


def test_a_tag_that_points_elsewhere_is_refused_wherever_the_template_is_read(
    tmp_path: Path,
) -> None:
    template = clone_template(tmp_path)
    head = git(template, "rev-parse", "HEAD").strip()
    git(template, "tag", OLDEST.tag, head)  # someone's tag, not the release's commit
    runner = CliRunner()
    expected = f"tag {OLDEST.tag} in {template} points at {head}"

    tagging = runner.invoke(app, ["releases", "--tag", "--template", str(template)])
    generating = runner.invoke(
        app, ["new", str(tmp_path / "shop"), "--defaults", "--template", str(template)]
    )

    for refused in (tagging, generating):
        assert refused.exit_code == 2
        assert expected in refused.output
        assert f"releases {OLDEST.version} from {OLDEST.commit}" in refused.output
    assert git(template, "tag").split() == [OLDEST.tag]
    assert git(template, "rev-parse", OLDEST.tag).strip() == head
    assert not (tmp_path / "shop").exists()
