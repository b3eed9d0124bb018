"""Release 0.3.0 takes the development-only code out of what ships: the owners' edits follow.

The architecture-document exporter (every pattern), and the serverless pattern's local runner
and event payloads, moved out of the package the image and the Lambda bundle carry, into
``tools/``; copier.yml's 0.3.0 migrations carry the owners' edits of each old path over to the
new one. A project generated at the commit before the move (which Copier reads as 0.2.0 plus
commits: the exporter came after the 0.2.0 release), edited and committed, is updated to the
template's HEAD, tagged as a version above every listed release (so the test holds before and
after 0.3.0 is cut, and as later releases follow).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archgen._releases import listed_releases
from archgen._update import update
from tests.git_projects import ROOT, clone_template, commit_all, generate_committed, git

# Pattern -> old path -> (new path, a text of the file after the move).
MOVES = {
    "serverless": {
        "src/{package}/platform/architecture_doc.py": (
            "tools/architecture_doc.py",
            "``documents docs --write``",
        ),
        "src/{package}/functions/local.py": ("tools/local.py", "python -m tools.local"),
        "src/{package}/functions/payloads.py": ("tools/payloads.py", "def sqs_event("),
    },
    "microservices": {
        "platform/src/{package}/platform/architecture_doc.py": (
            "tools/src/{package}/tools/architecture_doc.py",
            "``documents docs --write``",
        ),
    },
}
HEAD_TAG = f"v{max(release.version for release in listed_releases(ROOT)).major + 1}.0.0"
OWNER_LINE = "# Ours: the staging account's defaults live in the team wiki.\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = clone_template(tmp_path_factory.mktemp("template"))
    git(clone, "tag", HEAD_TAG, "HEAD")
    return clone


@pytest.fixture(scope="module")
def before_the_move(template: Path) -> str:
    moved = git(
        template, "rev-list", "-n1", "HEAD", "--", "templates/shared/platform/architecture_doc.py"
    )
    return f"{moved.strip()}^"


@pytest.mark.parametrize("pattern", sorted(MOVES))
def test_the_owners_edits_follow_the_code_into_tools(
    template: Path, before_the_move: str, tmp_path: Path, pattern: str
) -> None:
    project = generate_committed(tmp_path / "shop", template, pattern, before_the_move)
    package = yaml.safe_load((project / ".copier-answers.yml").read_text())["package_name"]
    moves = {
        old.format(package=package): (new.format(package=package), line)
        for old, (new, line) in MOVES[pattern].items()
    }
    for old in moves:
        edited = project / old
        edited.write_text(edited.read_text() + OWNER_LINE)
    commit_all(project, "our notes")

    result = update(project, vcs_ref=HEAD_TAG, export_openapi=False)

    assert result.conflicts == []
    for old, (new, released_line) in moves.items():
        assert not (project / old).exists()
        moved = (project / new).read_text()
        assert moved.endswith(OWNER_LINE), new
        assert released_line in moved, new
