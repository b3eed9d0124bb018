"""`archgen update` from a template version before background jobs: jobs arrive only when the
answers ask for them, and then with a migration revision of their own.

The project is generated at the last template commit without the ``background_jobs`` question,
with a domain that declares no jobs, as every project made before jobs existed was. It updates
to the clone's HEAD: the newest listed release (0.3.0) has no jobs yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archgen._update import read_answers, update
from tests.git_projects import ROOT, clone_template, generate_committed, git

LIBRARY = ROOT / "tests/domains/library.yml"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return clone_template(tmp_path)


def before_jobs(template: Path) -> str:
    """The template commit just before the one that added the background_jobs question."""
    question = "templates/questions/40-options.yml"
    log = git(template, "log", "--reverse", "--format=%H", "-S", "background_jobs:", "--", question)
    added = log.split()[0]
    return f"{added}^"


def versions(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "migrations/versions").glob("*.py"))


def test_a_project_without_jobs_stays_without_them(template: Path, tmp_path: Path) -> None:
    project = generate_committed(
        tmp_path / "shop", template, "modular-monolith", before_jobs(template), domain=LIBRARY
    )
    initial = (project / "migrations/versions/0001_initial.py").read_text()

    result = update(project, vcs_ref="HEAD", export_openapi=False)

    assert result.conflicts == []
    assert read_answers(project)["background_jobs"] is False
    assert not (project / "src/acme_shop/platform/jobs").exists()
    assert not (project / "src/acme_shop/jobs.py").exists()
    assert not (project / "tests/jobs").exists()
    assert "jobs" not in (project / "docker-compose.yml").read_text()
    assert versions(project) == ["0001_initial.py"]
    assert (project / "migrations/versions/0001_initial.py").read_text() == initial


def test_long_running_work_brings_jobs_in_a_revision_of_their_own(
    template: Path, tmp_path: Path
) -> None:
    project = generate_committed(
        tmp_path / "shop",
        template,
        "modular-monolith",
        before_jobs(template),
        domain=LIBRARY,
        answers={"long_running_work": True},
    )
    initial = (project / "migrations/versions/0001_initial.py").read_text()

    result = update(project, vcs_ref="HEAD", export_openapi=False)

    assert result.conflicts == []
    answers = read_answers(project)
    assert (answers["background_jobs"], answers["background_jobs_revision"]) == (True, 2)
    assert (project / "src/acme_shop/jobs.py").exists()
    assert "worker:" in (project / "docker-compose.yml").read_text()
    # The applied initial migration is untouched; the job tables come after it.
    assert (project / "migrations/versions/0001_initial.py").read_text() == initial
    assert versions(project) == ["0001_initial.py", "0002_add_background_jobs.py"]
    revision = (project / "migrations/versions/0002_add_background_jobs.py").read_text()
    assert '"platform_jobs"' in revision
    assert 'down_revision: str | None = "0001"' in revision


def test_data_turns_jobs_on_in_a_revision_of_their_own(template: Path, tmp_path: Path) -> None:
    project = generate_committed(tmp_path / "shop", template, "modular-monolith", domain=LIBRARY)
    assert read_answers(project)["background_jobs"] is False

    result = update(project, data={"background_jobs": True}, export_openapi=False)

    assert result.conflicts == []
    answers = read_answers(project)
    assert (answers["background_jobs"], answers["background_jobs_revision"]) == (True, 2)
    assert versions(project) == ["0001_initial.py", "0002_add_background_jobs.py"]
    assert (project / "src/acme_shop/platform/jobs").is_dir()


def test_a_serverless_project_takes_its_jobs_as_functions_in_a_revision_of_their_own(
    template: Path, tmp_path: Path
) -> None:
    project = generate_committed(
        tmp_path / "shop",
        template,
        "serverless",
        before_jobs(template),
        domain=LIBRARY,
        answers={"long_running_work": True},
    )

    result = update(project, vcs_ref="HEAD", export_openapi=False)

    assert result.conflicts == []
    answers = read_answers(project)
    assert (answers["background_jobs"], answers["background_jobs_revision"]) == (True, 2)
    functions = project / "src/acme_shop/functions"
    assert (functions / "jobs.py").exists()
    assert (functions / "schedule.py").exists()
    assert not (project / "src/acme_shop/jobs.py").exists()  # no worker process on Lambda
    sam = (project / "template.yaml").read_text()
    for resource in ("JobsFunction", "ScheduleFunction", "JobsQueue"):
        assert f"\n  {resource}:\n" in sam
    assert versions(project) == ["0001_initial.py", "0002_add_background_jobs.py"]


def service_versions(project: Path, service: str) -> list[str]:
    return versions(project / "services" / service)


def test_a_service_gains_its_job_tables_with_its_contexts_first_job(
    template: Path, tmp_path: Path
) -> None:
    """In the microservices, jobs need no switch of their own: the service whose context
    declares its first job gets the job tables in that growth's revision, and only it."""
    project = generate_committed(
        tmp_path / "library", template, "microservices", before_jobs(template), domain=LIBRARY
    )
    assert update(project, vcs_ref="HEAD", export_openapi=False).conflicts == []
    assert not (project / "platform/src/acme_shop/platform/jobs").exists()
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update")
    grown = yaml.safe_load(LIBRARY.read_text())
    grown["contexts"]["lending"]["jobs"] = {
        "remind_members": {
            "description": "Remind members of loans due.",
            "trigger": {"cron": "0 8 * * *"},
        }
    }
    grown_file = tmp_path / "grown.yml"
    grown_file.write_text(yaml.safe_dump(grown))

    result = update(project, domain=grown_file, export_openapi=False)

    assert result.conflicts == []
    answers = read_answers(project)
    assert answers["background_jobs"] is True
    assert "background_jobs_revision" not in answers
    (revision,) = set(service_versions(project, "lending")) - {"0001_initial.py"}
    assert (
        '"platform_jobs"'
        in (project / "services/lending/migrations/versions" / revision).read_text()
    )
    assert (
        'down_revision: str | None = "0001"'
        in (project / "services/lending/migrations/versions" / revision).read_text()
    )
    assert (project / "services/lending/src/acme_shop/services/lending/jobs.py").exists()
    inventory = project / "services/inventory"
    assert not (inventory / "src/acme_shop/services/inventory/jobs.py").exists()
    assert not (inventory / "tests/jobs").exists()
    assert all(
        "platform_jobs" not in path.read_text()
        for path in (inventory / "migrations/versions").glob("*.py")
    )
    compose = (project / "docker-compose.yml").read_text()
    assert "lending-worker:" in compose
    assert "inventory-worker:" not in compose
