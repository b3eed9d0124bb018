"""`archgen update --data KEY=VALUE`: a changed answer arrives through Copier's 3-way merge.

A capability turned on after generation (here: cache-aside for reads) renders its code and
tests into the project, keeping the owners' edits and the project's template version; a value
that the project's other answers make invalid is refused before anything is touched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import archgen
from archgen._releases import listed_releases
from archgen._update import read_answers, update
from archgen.cli import app
from tests.git_projects import ROOT, clone_template, commit_all, generate_committed, snapshot

OLDEST = listed_releases(ROOT)[-1]
SETTINGS = "src/acme_shop/platform/settings.py"
CACHE_FILES = ["src/acme_shop/platform/cache.py", "tests/test_cache.py"]
# Write-heavy enough not to cache reads: the capability to turn on afterwards.
BALANCED = {"read_write_ratio": "balanced"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clone_template(tmp_path_factory.mktemp("update-data"))


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A monolith without read caching, generated at the template's HEAD (past the newest
    release), committed and edited by its owners."""
    project = generate_committed(tmp_path / "shop", template, "modular-monolith", answers=BALANCED)
    settings = project / SETTINGS
    settings.write_text(
        settings.read_text().replace('log_level: str = "INFO"', 'log_level: str = "DEBUG"')
    )
    commit_all(project, "owner edits")
    return project


def test_turning_a_capability_on_renders_it_and_keeps_the_owners_edits(project: Path) -> None:
    recorded = read_answers(project)["_commit"]

    result = update(project, data={"cache_reads": True}, export_openapi=False)

    assert result.conflicts == []
    assert {*CACHE_FILES, ".copier-answers.yml", SETTINGS} <= set(result.changed)
    assert all((project / name).is_file() for name in CACHE_FILES)
    settings = (project / SETTINGS).read_text()
    assert 'log_level: str = "DEBUG"' in settings
    assert "cache_ttl_seconds: int = 300" in settings  # the question it opens, at its default
    answers = read_answers(project)
    assert (answers["cache_reads"], answers["cache_ttl_seconds"]) == (True, 300)
    assert answers["_commit"] == recorded  # the template version stays


def test_a_value_the_project_already_has_changes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = update(project, data={"cache_reads": False}, export_openapi=False)
    assert result.up_to_date
    assert snapshot(project) == before


def test_a_project_behind_the_newest_release_changes_its_answer_at_its_own_version(
    template: Path, tmp_path: Path
) -> None:
    project = generate_committed(tmp_path / "old-shop", template, "modular-monolith", OLDEST.tag)

    result = update(project, data={"rate_limit_per_minute": 60}, export_openapi=False)

    assert result.plan.target_commit == OLDEST.commit
    assert result.plan.releases == ()
    assert "RATE_LIMIT_PER_MINUTE=60" in (project / ".env.example").read_text()
    answers = read_answers(project)
    assert (answers["_commit"], answers["rate_limit_per_minute"]) == (OLDEST.tag, 60)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"deployment": "aws-lambda"}, "--data: deployment the serverless pattern deploys to"),
        ({"cache_reads": True, "cache_ttl_seconds": 0}, "the cache TTL must be at least 1 second"),
        ({"team_size": [6]}, "--data: team_size must be an int, not a list"),
        ({"colour": "blue"}, "--data: 'colour' is not a question archgen asks"),
        ({"pattern": "serverless"}, "--data pattern: a project keeps the pattern it was"),
        ({"domain": {}}, "--data domain: grow the domain with --domain FILE"),
        ({"audit_log": True}, "--data audit_log: the audit-log table comes with the initial"),
        ({"package_name": "shop"}, "--data package_name: renaming the package moves every"),
    ],
)
def test_an_answer_the_others_make_invalid_is_refused_before_anything_is_touched(
    project: Path, data: dict[str, object], message: str
) -> None:
    before = snapshot(project)
    with pytest.raises(archgen.UserError) as refused:
        update(project, data=data, export_openapi=False)
    assert message in refused.value.message
    assert "\n" not in refused.value.message
    assert snapshot(project) == before


def test_a_dirty_tree_is_refused(project: Path) -> None:
    (project / "README.md").write_text("mine\n")
    before = snapshot(project)
    with pytest.raises(archgen.UserError, match="has uncommitted changes"):
        update(project, data={"cache_reads": True}, export_openapi=False)
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("deployment=aws-lambda", "deploys to aws-lambda, and only it does"),
        ("cache_reads", "--data 'cache_reads': expected KEY=VALUE"),
    ],
)
def test_the_command_refuses_in_one_line_with_exit_2(
    project: Path, data: str, message: str
) -> None:
    before = snapshot(project)
    result = CliRunner().invoke(app, ["update", str(project), "--data", data])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(project) == before


def test_the_command_reports_the_changed_answer_and_files(project: Path) -> None:
    result = CliRunner().invoke(
        app, ["update", str(project), "--data", "cache_reads=true", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "answers changed: cache_reads=True" in result.output
    assert "tests/test_cache.py" in result.output
    assert "Nothing was written (--dry-run)." in result.output
