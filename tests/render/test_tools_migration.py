"""Release 0.3.0 takes the development-only code out of what ships: the owners' edits follow.

The architecture-document exporter (every pattern), and the serverless pattern's local runner
and event payloads, moved out of the package the image and the Lambda bundle carry, into
``tools/``; copier.yml's 0.3.0 migrations carry the owners' edits of each old path over to the
new one. A clone of archgen's repository is tagged v0.2.0 at the commit before the move and
v0.3.0 at HEAD; a project generated at v0.2.0, edited and committed, is updated to v0.3.0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archgen._update import update
from tests.git_projects import clone_template, commit_all, generate_committed, git

# Pattern -> old path -> (new path, a text of the file at v0.3.0).
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
OWNER_LINE = "# Ours: the staging account's defaults live in the team wiki.\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = clone_template(tmp_path_factory.mktemp("template"))
    moved = git(
        clone, "rev-list", "-n1", "HEAD", "--", "templates/shared/platform/architecture_doc.py"
    )
    git(clone, "tag", "v0.2.0", f"{moved.strip()}^")
    git(clone, "tag", "v0.3.0", "HEAD")
    return clone


@pytest.mark.parametrize("pattern", sorted(MOVES))
def test_the_owners_edits_follow_the_code_into_tools(
    template: Path, tmp_path: Path, pattern: str
) -> None:
    project = generate_committed(tmp_path / "shop", template, pattern, "v0.2.0")
    package = yaml.safe_load((project / ".copier-answers.yml").read_text())["package_name"]
    moves = {
        old.format(package=package): (new.format(package=package), line)
        for old, (new, line) in MOVES[pattern].items()
    }
    for old in moves:
        edited = project / old
        edited.write_text(edited.read_text() + OWNER_LINE)
    commit_all(project, "our notes")

    result = update(project, vcs_ref="v0.3.0", export_openapi=False)

    assert result.conflicts == []
    for old, (new, released_line) in moves.items():
        assert not (project / old).exists()
        moved = (project / new).read_text()
        assert moved.endswith(OWNER_LINE), new
        assert released_line in moved, new
