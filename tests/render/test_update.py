"""`archgen update`: a template change merged into an edited project, and every refusal.

Each test works on a clone of archgen's repository as the template, so it can commit template
changes of its own, and on a project generated from that clone and committed to git.
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

import archgen
from archgen._update import read_answers, update
from archgen.cli import app
from tests.git_projects import (
    assert_ruff_clean,
    clone_template,
    commit_all,
    generate_committed,
    git,
    snapshot,
)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A clone of archgen's repository at its HEAD, to commit template changes to."""
    return clone_template(tmp_path)


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A modular monolith generated from the clone and committed, as its owners would."""
    return generate_committed(tmp_path / "shop", template, "modular-monolith")


def change_template(template: Path) -> None:
    """A template release: the README gains a section, a platform module a line."""
    readme = template / "templates/modular-monolith/README.md.jinja"
    readme.write_text(readme.read_text() + "\n## Support\n\nAsk the platform team.\n")
    health = template / "templates/shared/platform/health.py.jinja"
    health.write_text(health.read_text() + "\n\nHEALTH_TIMEOUT_NOTE = 'probes time out at 2 s'\n")
    commit_all(template, "a template release")


def test_a_project_at_the_newest_version_is_up_to_date(project: Path) -> None:
    before = snapshot(project)
    result = update(project, export_openapi=False)
    assert result.up_to_date
    assert snapshot(project) == before


def test_the_template_change_arrives_and_the_owners_edits_stay(
    template: Path, project: Path
) -> None:
    readme = project / "README.md"
    readme.write_text(
        readme.read_text().replace("## Install and test", "## Install and test\n\nOurs.")
    )
    settings = project / "src/acme_shop/platform/settings.py"
    settings.write_text(
        settings.read_text().replace('log_level: str = "INFO"', 'log_level: str = "DEBUG"')
    )
    endpoint = project / "src/acme_shop/modules/catalog/reports.py"
    endpoint.write_text('"""Owner-written reports."""\n')
    commit_all(project, "owner edits")
    change_template(template)

    result = update(project, export_openapi=False)

    assert result.conflicts == []
    assert "README.md" in result.changed
    assert "src/acme_shop/platform/health.py" in result.changed
    assert "Ask the platform team." in readme.read_text()
    assert "## Install and test\n\nOurs." in readme.read_text()
    assert 'log_level: str = "DEBUG"' in settings.read_text()
    assert endpoint.read_text() == '"""Owner-written reports."""\n'
    assert "HEALTH_TIMEOUT_NOTE" in (project / "src/acme_shop/platform/health.py").read_text()
    answers = (project / ".copier-answers.yml").read_text()
    assert git(template, "rev-parse", "--short", "HEAD").strip() in answers


def test_a_project_at_a_release_waits_for_the_next_release(template: Path, tmp_path: Path) -> None:
    git(template, "tag", "v9.0.0")
    project = generate_committed(tmp_path / "released-shop", template, "modular-monolith", "v9.0.0")
    change_template(template)  # work on the template's branch, not released yet

    assert update(project, export_openapi=False).up_to_date

    git(template, "tag", "v9.1.0")
    result = update(project, export_openapi=False)
    assert result.plan.target == "v9.1.0"
    assert "Ask the platform team." in (project / "README.md").read_text()


def test_a_dry_run_reports_the_changes_and_writes_nothing(template: Path, project: Path) -> None:
    change_template(template)
    before = snapshot(project)
    result = update(project, dry_run=True, export_openapi=False)
    assert "README.md" in result.changed
    assert not result.applied
    assert snapshot(project) == before


def test_a_conflicting_edit_is_reported_with_its_file(template: Path, project: Path) -> None:
    readme = project / "README.md"
    lines = readme.read_text().splitlines(keepends=True)
    readme.write_text("".join(lines) + "\n## Support\n\nMail us.\n")
    commit_all(project, "owner adds the same section")
    change_template(template)
    result = update(project, export_openapi=False)
    assert result.conflicts == ["README.md"]
    assert "<<<<<<< " in readme.read_text()


def test_a_template_that_moved_is_given_once_and_recorded(template: Path, project: Path) -> None:
    change_template(template)
    moved = template.rename(template.parent / "moved-template")
    head = git(project, "rev-parse", "HEAD")

    result = update(project, template=str(moved), export_openapi=False)

    assert result.conflicts == []
    assert "Ask the platform team." in (project / "README.md").read_text()
    assert f"_src_path: {moved}\n" in (project / ".copier-answers.yml").read_text()
    # The new source is part of the update's changes, for the owners to review and commit.
    assert git(project, "rev-parse", "HEAD") == head
    assert ".copier-answers.yml" in result.changed


def refused(project: Path, message: str, **options: str) -> None:
    before = snapshot(project)
    with pytest.raises(archgen.UserError) as raised:
        update(project, export_openapi=False, **options)
    assert message in raised.value.message
    assert "\n" not in raised.value.message
    assert snapshot(project) == before


def edit_answers(project: Path, old: str, new: str) -> None:
    answers = project / ".copier-answers.yml"
    lines = answers.read_text().splitlines(keepends=True)
    answers.write_text("".join(new if line.startswith(old) else line for line in lines))
    commit_all(project, "answers edited")


def test_a_dirty_tree_is_refused(project: Path) -> None:
    (project / "README.md").write_text("mine\n")
    refused(project, "has uncommitted changes (README.md): commit or stash them")


def test_a_folder_not_generated_by_archgen_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    git(folder, "init", "--quiet")
    (folder / "app.py").write_text("print('hi')\n")
    commit_all(folder, "someone else's project")
    refused(folder, "was not generated by archgen: it has no .copier-answers.yml")


def test_an_answer_edited_to_the_wrong_type_is_refused(project: Path) -> None:
    edit_answers(project, "team_size:", "team_size: [6]\n")
    refused(project, ".copier-answers.yml: team_size must be an int, not a list")


def test_answers_from_before_the_independent_scaling_question_take_its_default(
    project: Path,
) -> None:
    """An answers file from before discovery asked it: the update records the default, no, and
    at the same template version renders what the project has; the table agrees for a team of
    6 with evolving domains, so the advice in its ADR stays as it was."""
    adr = project / "docs/adr/0001-modular-monolith.md"
    edit_answers(project, "independent_scaling:", "")
    before = adr.read_text()

    result = update(project, export_openapi=False)

    assert result.changed == [".copier-answers.yml"]
    assert read_answers(project)["independent_scaling"] is False
    assert adr.read_text() == before
    assert "It recommends modular-monolith, the pattern chosen here." in before


def test_an_answers_file_that_is_not_text_or_yaml_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mangled"
    folder.mkdir()
    git(folder, "init", "--quiet")
    answers = folder / ".copier-answers.yml"
    answers.write_bytes(b"pattern: \xff\xfe\n")
    commit_all(folder, "a binary answers file")
    refused(folder, ".copier-answers.yml is not an archgen answers file: it is not UTF-8 text")
    answers.write_text("pattern: modular-monolith\ndescription: {{7*7}\n")
    commit_all(folder, "answers that are not YAML")
    refused(folder, ".copier-answers.yml: invalid YAML: while parsing a flow mapping")


def test_a_missing_commit_is_refused(project: Path) -> None:
    edit_answers(project, "_commit:", "")
    refused(project, "lacks _commit: restore it from the project's git history")


def test_an_edited_commit_is_refused(project: Path) -> None:
    edit_answers(project, "_commit:", "_commit: v9.9.9-1-gdeadbee\n")
    refused(project, "has no commit recorded as _commit: 'deadbee'")


def test_an_older_version_is_refused(template: Path, project: Path) -> None:
    change_template(template)
    update(project, export_openapi=False)
    commit_all(project, "updated")
    refused(project, "is not newer than the project's", vcs_ref="HEAD~1")


def test_an_unreachable_template_is_refused(project: Path, tmp_path: Path) -> None:
    edit_answers(project, "_src_path:", f"_src_path: {tmp_path / 'gone'}\n")
    refused(project, "is not reachable as a git repository: pass --template")


def test_the_command_names_the_problem_and_exits_non_zero(project: Path) -> None:
    (project / "README.md").write_text("mine\n")
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 2
    assert "uncommitted changes" in result.output


# Where each pattern keeps the files the owner edits below.
SETTINGS = {
    "modular-monolith": "src/acme_shop/platform/settings.py",
    "microservices": "platform/src/acme_shop/platform/settings.py",
    "serverless": "src/acme_shop/platform/settings.py",
}
NEW_MODULE = {
    "modular-monolith": "src/acme_shop/modules/catalog/reports.py",
    "microservices": "services/catalog/src/acme_shop/modules/catalog/reports.py",
    "serverless": "src/acme_shop/modules/catalog/reports.py",
}


@pytest.mark.parametrize("pattern", sorted(SETTINGS))
def test_every_blueprint_updates_to_exactly_what_a_fresh_render_gives_outside_the_owners_edits(
    pattern: str, template: Path, tmp_path: Path
) -> None:
    project = generate_committed(tmp_path / "project", template, pattern)
    settings = project / SETTINGS[pattern]
    settings.write_text(
        settings.read_text().replace('log_level: str = "INFO"', 'log_level: str = "DEBUG"')
    )
    (project / NEW_MODULE[pattern]).write_text('"""Owner-written reports."""\n')
    commit_all(project, "owner edits")
    health = template / "templates/shared/platform/health.py.jinja"
    health.write_text(health.read_text() + "\n\nHEALTH_TIMEOUT_NOTE = 'probes time out at 2 s'\n")
    commit_all(template, "a template release")

    result = update(project, export_openapi=False)

    assert result.conflicts == []
    assert 'log_level: str = "DEBUG"' in settings.read_text()
    answers = {k: v for k, v in read_answers(project).items() if not k.startswith("_")}
    fresh = archgen.generate(
        tmp_path / "fresh",
        pattern=pattern,
        answers={k: v for k, v in answers.items() if k != "pattern"},
        template=str(template),
        vcs_ref="HEAD",
        export_openapi=False,
    ).destination
    owned = {SETTINGS[pattern], NEW_MODULE[pattern], ".copier-answers.yml"}
    rendered = {
        str(path.relative_to(fresh))
        for path in fresh.rglob("*")
        if path.is_file() and str(path.relative_to(fresh)) not in owned
    }
    differing = [
        name
        for name in sorted(rendered)
        if (project / name).read_bytes() != (fresh / name).read_bytes()
    ]
    assert differing == []
    assert any(
        "HEALTH_TIMEOUT_NOTE" in (project / name).read_text()
        for name in rendered
        if name.endswith("health.py")
    )
    assert_ruff_clean(project)


def test_answers_recorded_as_auth_style_read_as_built_in_identity(project: Path) -> None:
    """A project generated before template 0.4.0 recorded auth_style: jwt; an update records
    identity: builtin instead and renders nothing else differently."""
    edit_answers(project, "identity:", "auth_style: jwt\n")

    result = update(project, export_openapi=False)

    assert result.changed == [".copier-answers.yml"]
    answers = read_answers(project)
    assert (answers["identity"], "auth_style" in answers) == ("builtin", False)


def test_plain_copier_update_refuses_to_switch_the_identity_mode(project: Path) -> None:
    """The question's validator reads the answers recorded in the project: switching to an
    identity provider would drop every account, so Copier stops before touching anything."""
    before = snapshot(project)
    with pytest.raises(ValueError, match="identity is fixed at generation"):
        copier.run_update(
            str(project),
            data={"identity": "oidc"},
            vcs_ref="HEAD",
            defaults=True,
            overwrite=True,
            unsafe=True,
            quiet=True,
            skip_tasks=True,
        )
    assert snapshot(project) == before
