"""`archgen update --domain`: a grown domain spec renders new code and a new Alembic revision,
and every spec that is not growth is refused with the project left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import archgen
from archgen._update import UpdateResult, update
from archgen.cli import app
from tests.git_projects import (
    ROOT,
    assert_ruff_clean,
    clone_template,
    commit_all,
    generate_committed,
    snapshot,
)

LIBRARY = ROOT / "tests/domains/library.yml"


def generate_library(folder: Path, pattern: str) -> Path:
    """A project of the library domain, generated from a template clone and committed."""
    return generate_committed(folder / "library", clone_template(folder), pattern, domain=LIBRARY)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A modular monolith of the library domain."""
    return generate_library(tmp_path, "modular-monolith")


def write_spec(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def library() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(LIBRARY.read_text())
    return spec


def with_reviews(spec: dict[str, Any]) -> dict[str, Any]:
    spec["contexts"]["lending"]["entities"]["review"] = {
        "fields": {"member_id": {"references": "member"}, "stars": {"type": "integer"}}
    }
    return spec


def grow(project: Path, spec: dict[str, Any]) -> UpdateResult:
    result = update(
        project, domain=write_spec(project.parent / "grown.yml", spec), export_openapi=False
    )
    commit_all(project, "domain grown")
    return result


def versions(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "migrations/versions").glob("*.py"))


def test_a_new_entity_arrives_with_its_code_tests_and_a_new_revision(project: Path) -> None:
    initial = (project / "migrations/versions/0001_initial.py").read_text()
    result = grow(project, with_reviews(library()))

    assert result.conflicts == []
    assert versions(project) == ["0001_initial.py", "0002_add_lending_reviews.py"]
    assert (project / "migrations/versions/0001_initial.py").read_text() == initial
    revision = (project / "migrations/versions/0002_add_lending_reviews.py").read_text()
    assert 'down_revision: str | None = "0001"' in revision
    assert 'op.create_table(\n        "lending_reviews",' in revision
    assert (project / "src/acme_shop/modules/lending/review/routes.py").is_file()
    assert (project / "tests/modules/lending/test_review.py").is_file()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["domain_history"] == [archgen.parse_domain(library()).as_data]
    assert "review" in answers["domain"]["contexts"]["lending"]["entities"]


def test_each_growth_adds_a_revision_after_the_last(project: Path) -> None:
    grow(project, with_reviews(library()))
    spec = with_reviews(library())
    spec["contexts"]["inventory"]["entities"]["book"]["fields"]["edition"] = {
        "type": "integer",
        "required": False,
    }
    second = (project / "migrations/versions/0002_add_lending_reviews.py").read_text()

    grow(project, spec)

    assert versions(project)[-1] == "0003_add_inventory_books_edition.py"
    assert (project / "migrations/versions/0002_add_lending_reviews.py").read_text() == second
    third = (project / "migrations/versions/0003_add_inventory_books_edition.py").read_text()
    assert 'down_revision: str | None = "0002"' in third
    assert (
        'op.add_column("inventory_books", sa.Column("edition", sa.Integer(), nullable=True))'
        in third
    )
    assert (
        "edition: Mapped[int | None]"
        in (project / "src/acme_shop/modules/inventory/book/models.py").read_text()
    )
    history = yaml.safe_load((project / ".copier-answers.yml").read_text())["domain_history"]
    assert len(history) == 2
    assert_ruff_clean(project)


def test_the_owners_edits_stay_while_the_domain_grows(project: Path) -> None:
    handlers = project / "src/acme_shop/modules/lending/handlers.py"
    handlers.write_text(handlers.read_text() + "\n\nOWNER_NOTE = 'renewals are audited weekly'\n")
    commit_all(project, "owner edit")
    grow(project, with_reviews(library()))
    assert "OWNER_NOTE = 'renewals are audited weekly'" in handlers.read_text()


def test_microservices_give_each_grown_service_its_own_revision(tmp_path: Path) -> None:
    project = generate_library(tmp_path, "microservices")
    grow(project, with_reviews(library()))
    assert sorted(
        p.name for p in (project / "services/lending/migrations/versions").glob("*.py")
    ) == ["0001_initial.py", "0002_add_lending_reviews.py"]
    assert sorted(
        p.name for p in (project / "services/inventory/migrations/versions").glob("*.py")
    ) == ["0001_initial.py"]


def refused(project: Path, spec_text: str, message: str) -> None:
    spec = project.parent / "grown.yml"
    spec.write_text(spec_text)
    before = snapshot(project)
    with pytest.raises(archgen.UserError) as raised:
        update(project, domain=spec, export_openapi=False)
    assert message in raised.value.message
    assert snapshot(project) == before


def test_a_removal_is_refused_by_its_path(project: Path) -> None:
    spec = library()
    del spec["contexts"]["lending"]["entities"]["loan"]["fields"]["fee"]
    refused(
        project,
        yaml.safe_dump(spec),
        "contexts.lending.entities.loan.fields.fee: removed from the domain spec. "
        "archgen update --domain only grows a domain",
    )


def test_a_new_required_field_on_a_filled_table_is_refused(project: Path) -> None:
    spec = library()
    spec["contexts"]["inventory"]["entities"]["book"]["fields"]["edition"] = {"type": "integer"}
    refused(project, yaml.safe_dump(spec), "must be 'required: false'")


def test_the_same_domain_is_refused(project: Path) -> None:
    refused(project, LIBRARY.read_text(), "is the one the project already has")


def test_an_invalid_spec_is_refused_by_its_path(project: Path) -> None:
    refused(
        project,
        "contexts:\n  lending:\n    entities:\n      loan:\n        fields: {due: {type: money}}\n",
        "contexts.lending.entities.loan.fields.due.type",
    )


def test_the_command_exits_non_zero_with_the_reason(project: Path) -> None:
    spec = project.parent / "grown.yml"
    spec.write_text(LIBRARY.read_text())
    before = snapshot(project)
    result = CliRunner().invoke(app, ["update", str(project), "--domain", str(spec)])
    assert result.exit_code == 2
    assert "already has" in result.output
    assert snapshot(project) == before


def test_the_recorded_spec_prints_as_yaml_ready_to_grow(project: Path) -> None:
    printed = CliRunner().invoke(app, ["domain", str(project)])
    assert printed.exit_code == 0
    spec = yaml.safe_load(printed.output)
    assert archgen.parse_domain(spec) == archgen.parse_domain(library())
    grow(project, with_reviews(spec))
    assert (project / "migrations/versions/0002_add_lending_reviews.py").is_file()
