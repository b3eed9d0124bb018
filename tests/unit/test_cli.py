"""The command line, through Typer's runner and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from archgen import example_domain
from archgen.cli import app

runner = CliRunner()


def test_new_renders_a_project_from_flags(tmp_path: Path) -> None:
    destination = tmp_path / "acme"
    result = runner.invoke(
        app,
        [
            "new",
            str(destination),
            "--defaults",
            "--data",
            "project_name=Acme Depot",
            "-d",
            "team_size=3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Created Acme Depot in {destination}" in result.output
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert (answers["project_name"], answers["package_name"], answers["team_size"]) == (
        "Acme Depot",
        "acme_depot",
        3,
    )
    assert (destination / "openapi.json").is_file()
    assert (destination / "src" / "acme_depot" / "modules" / "catalog" / "api.py").is_file()


def test_answers_file_and_domain_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("project_name: City Library\nread_write_ratio: write-heavy\n")
    domain = Path(__file__).parents[1] / "domains" / "library.yml"
    destination = tmp_path / "library"
    result = runner.invoke(
        app, ["new", str(destination), "--answers", str(answers), "--domain", str(domain)]
    )
    assert result.exit_code == 0, result.output
    assert (destination / "src" / "city_library" / "modules" / "lending" / "loan").is_dir()
    assert not (destination / "src" / "city_library" / "platform" / "cache.py").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--pattern", "big-ball-of-mud"], "unknown pattern 'big-ball-of-mud'"),
        (["--data", "package_name=def"], "package_name: package name 'def' is a reserved"),
        (
            ["--data", "read_write_ration=balanced"],
            "answers: 'read_write_ration' is not a question archgen asks",
        ),
        (["--data", "oops"], "--data 'oops': expected KEY=VALUE"),
        (["--data", "description={{7*7}}"], "answers: description must be a str, not a mapping"),
        (["--data", "team_size=[12]"], "answers: team_size must be an int, not a list"),
        (["--data", "pattern=[serverless]"], "answers: pattern must be a str, not a list"),
        (["--data", "independent_scaling=sometimes"], "independent_scaling must be a bool"),
        (["--answers", "missing.yml"], "answers file missing.yml: No such file"),
    ],
)
def test_bad_input_is_one_clear_line_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "out", "--defaults", *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.strip().count("\n") == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_domain_file_names_the_bad_field(tmp_path: Path) -> None:
    domain = tmp_path / "domain.yml"
    domain.write_text("contexts: {shop: {entities: {item: {fields: {price: {type: money}}}}}}\n")
    result = runner.invoke(
        app, ["new", str(tmp_path / "out"), "--defaults", "--domain", str(domain)]
    )
    assert result.exit_code == 2
    assert "contexts.shop.entities.item.fields.price.type" in result.output
    assert not (tmp_path / "out").exists()


def test_a_non_empty_destination_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["new", str(tmp_path), "--defaults"])
    assert result.exit_code == 2
    assert "exists and is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_blueprints_lists_every_pattern() -> None:
    result = runner.invoke(app, ["blueprints"])
    assert result.exit_code == 0
    for name in ("modular-monolith", "microservices", "serverless"):
        assert name in result.output
    names = runner.invoke(app, ["blueprints", "--names"])
    assert names.output.split() == ["modular-monolith", "microservices", "serverless"]


def test_the_installed_command_runs_as_a_real_process(tmp_path: Path) -> None:
    archgen = Path(sys.executable).parent / "archgen"
    listed = subprocess.run(
        [archgen, "blueprints", "--names"], capture_output=True, text=True, check=False
    )
    assert (listed.returncode, listed.stdout) == (
        0,
        "modular-monolith\nmicroservices\nserverless\n",
    )
    refused = subprocess.run(
        [archgen, "new", str(tmp_path / "x"), "--pattern", "nope", "--defaults"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    choices = "modular-monolith, microservices, serverless"
    assert refused.stderr.strip() == f"error: unknown pattern 'nope'; choose one of: {choices}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--runtime", "podman"], "unknown runtime 'podman'"),
        (["--runtime", "docker"], "--runtime docker: no Docker engine answers"),
        (["--database-url", "postgresql://x/y"], "go with --runtime external"),
        (["--runtime", "external"], "--runtime external needs --database-url and --redis-url"),
        (["--runtime", "local", "--in-container"], "--in-container runs the app under Docker"),
    ],
)
def test_smoke_refuses_bad_runtime_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".copier-answers.yml").write_text(
        yaml.safe_dump(
            {
                "pattern": "modular-monolith",
                "package_name": "shop",
                "domain": example_domain().as_data,
            }
        )
    )
    result = runner.invoke(app, ["smoke", str(project), *arguments])
    assert result.exit_code == 2
    assert message in result.output


def microservices_project(tmp_path: Path) -> Path:
    project = tmp_path / "workspace"
    project.mkdir()
    answers = {
        "pattern": "microservices",
        "package_name": "shop",
        "project_slug": "shop",
        "domain": example_domain().as_data,
    }
    (project / ".copier-answers.yml").write_text(yaml.safe_dump(answers))
    return project


def test_smoke_of_microservices_on_given_servers_needs_the_broker_too(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["smoke", str(microservices_project(tmp_path)), "--runtime", "external",
         "--database-url", "postgresql://x/y", "--redis-url", "redis://x"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--runtime external needs --rabbitmq-url for a microservices project" in result.output


def test_smoke_names_an_unreachable_management_api_as_a_provision_failure(tmp_path: Path) -> None:
    """The run's virtual host cannot be made: nothing else starts, and the report says why."""
    result = runner.invoke(
        app,
        ["smoke", str(microservices_project(tmp_path)), "--runtime", "external", "--json",
         "--database-url", "postgresql://x/y", "--redis-url", "redis://x",
         "--rabbitmq-url", "amqp://guest:guest@127.0.0.1:1/",
         "--rabbitmq-management-url", "http://127.0.0.1:1"],
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [step["name"] for step in report["steps"]] == ["provision"]
    assert (
        "cannot reach RabbitMQ's management API at http://127.0.0.1:1/api"
        in (report["steps"][0]["detail"])
    )
