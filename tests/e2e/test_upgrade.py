"""The upgrade test, for every blueprint, as a team lives it.

A project is generated from the template, committed, and edited by its owners (a new endpoint,
a changed setting, an edited README section). The template then releases a new version; the
project takes it with ``archgen update``, then grows its domain with ``archgen update
--domain`` (a new entity, new optional fields, a longer enum). The owners' edits survive, the
applied migration is untouched and a new revision carries the growth, and the project's own
linters, type checks and test suites pass against real PostgreSQL, Redis (and RabbitMQ).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import archgen
from archgen._update import update
from tests.e2e.project import GeneratedProject
from tests.git_projects import ROOT, clone_template, commit_all, generate_committed

pytestmark = pytest.mark.e2e

LIBRARY = ROOT / "tests/domains/library.yml"
OWNER_ENDPOINT = '''

@router.get(
    "/ping", operation_id="ping_inventory", summary="Tell that the inventory module answers"
)
async def ping() -> dict[str, str]:
    """Added by the owners: a probe their load balancer calls."""
    return {"module": "inventory"}
'''
# A public endpoint is a decision the owners write down where the access tests read it.
OWNER_PUBLIC_PATH = '    "/api/v1/inventory/ping",  # our load balancer probes it\n'
OWNER_README_LINE = "Our on-call rota lives in the team wiki."


def layout(pattern: str) -> dict[str, str]:
    """Where the owners' edits go in each pattern."""
    if pattern == "microservices":
        return {
            "settings": "platform/src/acme_shop/platform/settings.py",
            "router": "services/inventory/src/acme_shop/modules/inventory/router.py",
            "migrations": "services/inventory/migrations/versions",
            "tests": "services/inventory/tests",
        }
    return {
        "settings": "src/acme_shop/platform/settings.py",
        "router": "src/acme_shop/modules/inventory/router.py",
        "migrations": "migrations/versions",
        "tests": "tests",
    }


def grown_library(path: Path) -> Path:
    """The library domain with a new entity, two optional fields and a longer enum value."""
    spec: dict[str, Any] = yaml.safe_load(LIBRARY.read_text())
    inventory = spec["contexts"]["inventory"]["entities"]
    inventory["book"]["fields"]["edition"] = {"type": "integer", "required": False}
    inventory["book"]["fields"]["genre"]["values"].append("graphic_novel_and_illustrated_works")
    lending = spec["contexts"]["lending"]["entities"]
    lending["member"]["fields"]["nickname"] = {"max_length": 40, "required": False}
    lending["review"] = {
        "fields": {
            "member_id": {"references": "member"},
            "stars": {"type": "integer"},
            "body": {"type": "text", "required": False},
        }
    }
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def owner_edits(project: Path, pattern: str) -> None:
    paths = layout(pattern)
    settings = project / paths["settings"]
    settings.write_text(
        settings.read_text().replace('log_level: str = "INFO"', 'log_level: str = "DEBUG"')
    )
    router = project / paths["router"]
    router.write_text(router.read_text() + OWNER_ENDPOINT)
    access_tests = project / paths["tests"] / "test_hostile_requests.py"
    opening = "PUBLIC_PATHS = {\n"
    access_tests.write_text(access_tests.read_text().replace(opening, opening + OWNER_PUBLIC_PATH))
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("\n## ", f"\n{OWNER_README_LINE}\n\n## ", 1))
    commit_all(project, "owner edits")


def release(template: Path) -> None:
    """A template release: a platform module gains a constant, the guide a section."""
    health = template / "templates/shared/platform/health.py.jinja"
    health.write_text(health.read_text() + '\n\nPROBE_TIMEOUT_NOTE = "probes time out at 2 s"\n')
    commit_all(template, "a template release")


@pytest.mark.parametrize("pattern", ["modular-monolith", "serverless", "microservices"])
def test_an_edited_project_takes_a_release_then_grows_its_domain_and_still_passes(
    pattern: str,
    tmp_path: Path,
    postgres_url: str,
    redis_url: str,
    request: pytest.FixtureRequest,
) -> None:
    template = clone_template(tmp_path)
    project = generate_committed(
        tmp_path / "project", template, pattern, domain=LIBRARY, export_openapi=True
    )
    owner_edits(project, pattern)
    paths = layout(pattern)
    initial = sorted((project / paths["migrations"]).glob("0001_*.py"))
    applied = initial[0].read_text()
    release(template)

    taken = update(project)
    commit_all(project, "template release taken")
    grown = update(project, domain=grown_library(tmp_path / "grown.yml"))
    commit_all(project, "domain grown")

    assert taken.conflicts == grown.conflicts == []
    assert 'log_level: str = "DEBUG"' in (project / paths["settings"]).read_text()
    assert OWNER_ENDPOINT in (project / paths["router"]).read_text()
    assert OWNER_PUBLIC_PATH in (project / paths["tests"] / "test_hostile_requests.py").read_text()
    assert OWNER_README_LINE in (project / "README.md").read_text()
    assert initial[0].read_text() == applied
    assert new_revisions(project) == EXPECTED_REVISIONS[pattern]
    assert "/ping" in (project / layout_openapi(pattern)).read_text()
    architecture = (project / "docs/architecture.md").read_text()
    assert "/ping` |" in architecture  # the owner's endpoint, from the re-exported OpenAPI
    assert "CREATE TABLE lending_reviews (" in architecture  # from the new revision's SQL

    checked = GeneratedProject(project, "acme_shop", archgen.parse_domain(grown_answers(project)))
    checked.run("uv", "sync", "--quiet", "--all-packages")
    checked.uv_run("ruff", "check", ".")
    checked.uv_run("ruff", "format", "--check", ".")
    assert "0 broken" in checked.uv_run("lint-imports")
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}
    if pattern == "microservices":
        env["RABBITMQ_URL"] = request.getfixturevalue("rabbitmq_url")
    for folder in suites(project, pattern):
        checked.uv_run("mypy", at=folder)
        output = checked.uv_run("pytest", "-q", "-p", "no:cacheprovider", env=env, at=folder)
        assert " passed" in output
        assert " failed" not in output
        assert "skipped" not in output

    # The project's drift test catches a generated section that no longer matches the code.
    docs = project / "docs/architecture.md"
    docs.write_text(
        architecture.replace("CREATE TABLE lending_reviews (", "CREATE TABLE reviews (")
    )
    lending = "services/lending" if pattern == "microservices" else "."
    drift = subprocess.run(
        [
            "uv",
            "run",
            "--no-sync",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_architecture_doc.py",
        ],
        cwd=project / lending,
        env={**checked.environment(), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert drift.returncode == 1, drift.stdout
    assert "docs/architecture.md is out of date" in drift.stdout


# The revision each migration chain gains: one for the monolith's, one per grown service.
EXPECTED_REVISIONS = {
    "modular-monolith": ["migrations/versions/0002_add_lending_reviews_and_2_more.py"],
    "serverless": ["migrations/versions/0002_add_lending_reviews_and_2_more.py"],
    "microservices": [
        "services/inventory/migrations/versions/0002_add_inventory_books_edition.py",
        "services/lending/migrations/versions/0002_add_lending_reviews_and_1_more.py",
    ],
}


def new_revisions(project: Path) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in project.rglob("versions/0002_*.py"))


def layout_openapi(pattern: str) -> str:
    return "services/inventory/openapi.json" if pattern == "microservices" else "openapi.json"


def grown_answers(project: Path) -> Any:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert len(answers["domain_history"]) == 1
    return answers["domain"]


def suites(project: Path, pattern: str) -> list[str]:
    if pattern != "microservices":
        return ["."]
    return sorted(f"services/{path.name}" for path in (project / "services").iterdir())
