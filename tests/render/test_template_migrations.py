"""Template migrations: a file the template moved takes the owners' edits along.

Release 0.2.0 moved the collector's configuration from ``deploy/otel-collector.yaml`` to
``deploy/otel-collector/config.yaml``; copier.yml's ``_migrations`` carries the owners' edits
over. Each test works on a clone of archgen's repository with two releases of its own, on
today's templates (so every pattern has them), that straddle the migration's version: v0.1.1,
a commit that puts the file back where 0.1 kept it, and v0.2.1, its revert plus a change to the
file's text. A project generated at v0.1.1 and committed is updated to v0.2.1. (The real
releases' tags, v0.1.0 and v0.2.0, are made in the clone from CHANGELOG.md: tests/e2e's
test_releases takes a project from the real 0.1.0 to the newest release.)
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest

from archgen._releases import listed_releases
from archgen._template_migrations import Carried, carry_over, main
from archgen._update import update
from tests.git_projects import ROOT, clone_template, commit_all, generate_committed, git

OLD, NEW = "deploy/otel-collector.yaml", "deploy/otel-collector/config.yaml"
OLD_RELEASE, NEW_RELEASE = "v0.1.1", "v0.2.1"
SHARED = "templates/shared/otel-collector.yaml"
PATTERNS = ["modular-monolith", "serverless", "microservices"]
TEMPLATE_LINE = "    verbosity: basic\n"
RELEASED_LINE = "    verbosity: detailed\n"
OWNER_EXPORTER = "  otlphttp/vendor:\n    endpoint: https://otlp.vendor.example\n"


def release_the_move(template: Path) -> None:
    """v0.1.1 keeps the file at its old path; v0.2.1 moves it and edits a line of it."""
    for pattern in PATTERNS:
        deploy = template / "templates" / pattern / "deploy"
        (deploy / "otel-collector/config.yaml").unlink()
        (deploy / "otel-collector").rmdir()
        (deploy / "otel-collector.yaml").symlink_to("../../shared/otel-collector.yaml")
        compose = template / "templates" / pattern / "docker-compose.yml.jinja"
        compose.write_text(compose.read_text().replace(f"./{NEW}:", f"./{OLD}:"))
    commit_all(template, "0.1: the collector's configuration at deploy/otel-collector.yaml")
    git(template, "tag", OLD_RELEASE)
    git(template, "revert", "--no-edit", "HEAD")
    shared = template / SHARED
    shared.write_text(shared.read_text().replace(TEMPLATE_LINE, RELEASED_LINE))
    commit_all(template, "0.2: the collector prints every span in detail")
    git(template, "tag", NEW_RELEASE)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = clone_template(tmp_path_factory.mktemp("template"))
    release_the_move(clone)
    return clone


def generate_at_the_old_release(template: Path, folder: Path, pattern: str) -> Path:
    project = generate_committed(folder / "shop", template, pattern, OLD_RELEASE)
    assert (project / OLD).is_file()
    assert not (project / NEW).exists()
    return project


def add_an_exporter(project: Path) -> None:
    """The owners send their traces to their vendor besides printing them."""
    collector = project / OLD
    text = collector.read_text().replace("exporters:\n", "exporters:\n" + OWNER_EXPORTER, 1)
    collector.write_text(text.replace("exporters: [debug]", "exporters: [debug, otlphttp/vendor]"))
    commit_all(project, "traces to our vendor")


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_owners_edits_follow_the_moved_file(
    template: Path, tmp_path: Path, pattern: str
) -> None:
    project = generate_at_the_old_release(template, tmp_path, pattern)
    add_an_exporter(project)

    result = update(project, vcs_ref=NEW_RELEASE, export_openapi=False)

    assert result.conflicts == []
    assert not (project / OLD).exists()
    moved = (project / NEW).read_text()
    assert OWNER_EXPORTER in moved
    assert "exporters: [debug, otlphttp/vendor]" in moved
    assert RELEASED_LINE in moved
    assert (
        f"./{NEW}:/etc/otelcol-contrib/config.yaml" in (project / "docker-compose.yml").read_text()
    )


def test_an_unedited_file_moves_as_the_new_version_renders_it(
    template: Path, tmp_path: Path
) -> None:
    project = generate_at_the_old_release(template, tmp_path, "modular-monolith")

    update(project, vcs_ref=NEW_RELEASE, export_openapi=False)

    assert not (project / OLD).exists()
    assert (project / NEW).read_text() == (template / SHARED).read_text()


def test_an_edit_of_the_line_the_release_changed_is_a_conflict_to_resolve(
    template: Path, tmp_path: Path
) -> None:
    project = generate_at_the_old_release(template, tmp_path, "modular-monolith")
    collector = project / OLD
    collector.write_text(collector.read_text().replace(TEMPLATE_LINE, "    verbosity: normal\n"))
    commit_all(project, "less noise")

    result = update(project, vcs_ref=NEW_RELEASE, export_openapi=False)

    assert result.conflicts == [NEW]
    moved = (project / NEW).read_text()
    assert "<<<<<<< before updating\n    verbosity: normal\n" in moved
    assert f"=======\n{RELEASED_LINE}>>>>>>> after updating\n" in moved


def test_plain_copier_update_carries_the_edits_the_same_way(template: Path, tmp_path: Path) -> None:
    project = generate_at_the_old_release(template, tmp_path, "modular-monolith")
    add_an_exporter(project)

    copier.run_update(
        project, vcs_ref=NEW_RELEASE, defaults=True, overwrite=True, unsafe=True, quiet=True
    )

    assert not (project / OLD).exists()
    moved = (project / NEW).read_text()
    assert OWNER_EXPORTER in moved
    assert RELEASED_LINE in moved


def test_a_file_the_template_never_rendered_is_the_owners_and_stays(
    template: Path, tmp_path: Path
) -> None:
    project = generate_at_the_old_release(template, tmp_path, "modular-monolith")
    ours = project / "deploy/alerts.yaml"
    ours.write_text("groups: []\n")
    commit_all(project, "our alert rules")

    assert carry_over(project, "deploy/alerts.yaml", "deploy/alerts/rules.yaml", OLD_RELEASE) == (
        Carried.OWNED
    )
    assert carry_over(project, "deploy/absent.yaml", "deploy/absent/x.yaml", OLD_RELEASE) == (
        Carried.ABSENT
    )
    assert ours.read_text() == "groups: []\n"
    assert not (project / "deploy/alerts").exists()


def test_the_command_outside_a_copier_migration_says_how_to_run_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("VERSION_FROM", raising=False)
    assert main(["move", OLD, NEW]) == 2
    assert "run this as a Copier migration" in capsys.readouterr().err
    assert main(["rename", OLD]) == 2
    assert "usage: python -m archgen._template_migrations move OLD NEW" in capsys.readouterr().err


def test_the_monolith_settings_edits_follow_them_into_the_platform_package(
    template: Path, tmp_path: Path
) -> None:
    """The real 0.1.0 kept the settings at src/<package>/settings.py; 0.2.0 moved them."""
    oldest = listed_releases(ROOT)[-1]
    project = generate_committed(tmp_path / "shop", template, "modular-monolith", oldest.tag)
    settings = project / "src/acme_shop/settings.py"
    settings.write_text(
        settings.read_text().replace('log_level: str = "INFO"', 'log_level: str = "DEBUG"')
    )
    commit_all(project, "more logs")

    result = update(project, vcs_ref="HEAD", export_openapi=False)

    assert result.conflicts == []
    assert not settings.exists()
    moved = (project / "src/acme_shop/platform/settings.py").read_text()
    assert 'log_level: str = "DEBUG"' in moved
