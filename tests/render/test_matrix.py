"""Render every supported cell of the matrix, and refuse the unsupported ones cleanly."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

import archgen
from tests.matrix import SUPPORTED, UNSUPPORTED, Cell, Refused

TEMPLATE_MARKERS = ("{{ ", " }}", "{%", "%}", "{#")
# The dev container specification's schema, kept with the tests (tests/schemas/README.md).
DEVCONTAINER_SCHEMA = Path(__file__).parents[1] / "schemas" / "devContainer.base.schema.json"
# The servers each pattern's dev container runs beside it (microservices: RabbitMQ too).
SERVERS = {"modular-monolith": {"postgres", "redis"}, "serverless": {"postgres", "redis", "moto"}}


def context_dirs(cell: Cell, root: Path, package: str, context: str) -> tuple[Path, Path]:
    """Where a context's code and its tests are rendered: the module, or its service."""
    if cell.pattern != "microservices":
        return root / "src" / package / "modules" / context, root / "tests" / "modules" / context
    service = root / "services" / context
    return service / "src" / package / "modules" / context, service / "tests" / "modules" / context


def platform_dir(cell: Cell, root: Path, package: str) -> Path:
    base = root if cell.pattern != "microservices" else root / "platform"
    return base / "src" / package / "platform"


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_every_module_and_entity_is_rendered(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    root, answers = rendered[cell.name]
    domain = archgen.parse_domain(answers["domain"])
    for context in domain.context_list:
        module, tests = context_dirs(cell, root, str(answers["package_name"]), context.name)
        assert (module / "api.py").is_file()
        for entity in context.entity_list:
            for layer in ("models", "schemas", "repository", "service", "dependencies", "routes"):
                assert (module / entity.name / f"{layer}.py").is_file()
            assert (tests / f"test_{entity.name}.py").is_file()


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_python_output_parses_and_holds_no_template_noise(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    root, _ = rendered[cell.name]
    # ruff parses for the cell's Python, whichever version runs the tests (E9: syntax errors).
    target = "py" + cell.python.replace(".", "")
    syntax_only = ["--isolated", "--no-cache", "--select", "E9", "--target-version", target]
    parsed = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", *syntax_only, str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    for path in root.rglob("*.py"):
        source = path.read_text()
        assert not any(marker in source for marker in TEMPLATE_MARKERS), path
    for path in root.rglob("*"):
        assert not any(marker in path.name for marker in TEMPLATE_MARKERS), path


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_every_generated_workflow_passes_actionlint(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    destination, _ = rendered[cell.name]
    workflows = sorted((destination / ".github" / "workflows").glob("*.yml"))
    assert [path.name for path in workflows] == ["ci.yml", "template-updates.yml"]
    linted = subprocess.run(
        [Path(sys.executable).parent / "actionlint", *map(str, workflows)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_make_check_runs_every_check_of_the_ci_workflow(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    """The README's one command runs what CI runs: each `uv run` step of the workflow."""
    destination, _ = rendered[cell.name]
    workflow = (destination / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    ci_steps = set(re.findall(r"run: (uv run .+)", workflow))
    make = shutil.which("make")
    assert make is not None, "make is needed to check the Makefile"
    planned = subprocess.run(
        [make, "--dry-run", "check"], cwd=destination, capture_output=True, text=True, check=False
    )
    assert planned.returncode == 0, planned.stderr
    assert ci_steps, "the workflow runs no uv step"
    assert {step for step in ci_steps if step not in planned.stdout} == set()


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_the_compose_file_follows_the_compose_specification(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    root, _ = rendered[cell.name]
    check = [Path(sys.executable).parent / "check-jsonschema", "--builtin-schema"]
    checked = subprocess.run(
        [*check, "vendor.compose-spec", str(root / "docker-compose.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _valid_against(schema: list[str], document: Path) -> None:
    checked = subprocess.run(
        [Path(sys.executable).parent / "check-jsonschema", *schema, str(document)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_dependabot_config_follows_its_schema_and_names_real_folders(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    """GitHub reads it, so it is held to the schema check-jsonschema keeps of Dependabot's."""
    root, _ = rendered[cell.name]
    config = root / ".github" / "dependabot.yml"
    _valid_against(["--builtin-schema", "vendor.dependabot"], config)
    updates = yaml.safe_load(config.read_text(encoding="utf-8"))["updates"]
    ecosystems = {update["package-ecosystem"] for update in updates}
    assert {"uv", "github-actions", "docker-compose", "npm"} <= ecosystems
    for update in updates:
        for folder in update.get("directories", [update.get("directory")]):
            assert (root / folder.lstrip("/")).is_dir(), folder


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_dev_container_follows_its_schema_and_joins_the_compose_stack(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]], tmp_path: Path
) -> None:
    """VS Code and Codespaces read it, so it is held to the specification's schema, and the
    stack it joins (docker-compose.yml and its own file, merged) to the Compose one."""
    root, _ = rendered[cell.name]
    folder = root / ".devcontainer"
    _valid_against(["--schemafile", str(DEVCONTAINER_SCHEMA)], folder / "devcontainer.json")
    container = json.loads((folder / "devcontainer.json").read_text(encoding="utf-8"))

    # Compose merges the files in order (the dev container's adds a service).
    stack: dict[str, Any] = {}
    services: dict[str, Any] = {}
    for name in container["dockerComposeFile"]:
        part = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        services.update(part.pop("services"))
        stack.update(part)
    merged = tmp_path / "compose.yaml"
    merged.write_text(yaml.safe_dump({**stack, "services": services}), encoding="utf-8")
    _valid_against(["--builtin-schema", "vendor.compose-spec"], merged)

    servers = SERVERS.get(cell.pattern, {"postgres", "redis", "rabbitmq"})
    assert set(container["runServices"]) == {container["service"], *servers}
    assert set(container["runServices"]) <= set(services)
    dev = services[container["service"]]
    assert ".:/workspace:cached" in dev["volumes"]
    assert container["workspaceFolder"] == "/workspace"
    for variable, server in (("DATABASE_URL", "postgres"), ("REDIS_URL", "redis")):
        assert urlsplit(dev["environment"][variable]).hostname == server


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_the_kubernetes_manifests_validate_against_the_api_schemas(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    """Microservices always have manifests; the monolith has them when it targets Kubernetes."""
    root, answers = rendered[cell.name]
    manifests = sorted((root / "deploy" / "kubernetes").glob("*.yaml"))
    if cell.pattern == "microservices":
        domain = archgen.parse_domain(answers["domain"])
        # each context's service, the identity service (built-in identity), the gateway, and
        # the job processes of each service with jobs when the project runs background jobs
        identity_service = answers["identity"] == "builtin"
        job_services = len(domain.contexts_with_jobs) if answers.get("background_jobs") else 0
        assert len(manifests) == len(domain.context_list) + identity_service + 1 + job_services
        assert {path.stem for path in manifests if path.stem.endswith("-jobs")} == {
            f"{context.name}-jobs" for context in domain.contexts_with_jobs if job_services
        }
    else:
        # The app's, and the job processes' when the project runs background jobs.
        on_kubernetes = answers["deployment"] == "kubernetes"
        assert len(manifests) == on_kubernetes * (1 + bool(answers.get("background_jobs")))
    assert (root / "deploy" / "kustomization.yaml").exists() == bool(manifests)
    if not manifests:
        return
    validated = subprocess.run(
        [Path(sys.executable).parent / "kubernetes-validate", "--strict", *map(str, manifests)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    budgets = "kind: PodDisruptionBudget" in " ".join(path.read_text() for path in manifests)
    assert budgets == (answers["availability"] != "99.0")


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_each_app_on_kubernetes_scales_with_an_autoscaler_one_process_per_pod(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    """The autoscaler owns each app's replica count (the HTTP apps: the gateway and the job
    workers scale otherwise), from the availability target's up to what the database
    connections allow; each pod runs one uvicorn process."""
    root, answers = rendered[cell.name]
    replicas = {"99.0": 1, "99.9": 2, "99.95": 3, "99.99": 3}[str(answers["availability"])]
    ceiling = max(replicas, 90 // int(str(answers["db_pool_size"])))
    for manifest in sorted((root / "deploy" / "kubernetes").glob("*.yaml")):
        documents = {doc["kind"]: doc for doc in yaml.safe_load_all(manifest.read_text())}
        if manifest.stem in ("gateway", "jobs") or manifest.stem.endswith("-jobs"):
            continue
        deployment, autoscaler = documents["Deployment"], documents["HorizontalPodAutoscaler"]
        assert "replicas" not in deployment["spec"], manifest.name
        assert autoscaler["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": deployment["metadata"]["name"],
        }
        assert (autoscaler["spec"]["minReplicas"], autoscaler["spec"]["maxReplicas"]) == (
            replicas,
            ceiling,
        )
        assert documents["ConfigMap"]["data"]["WEB_CONCURRENCY"] == "1"


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_each_app_image_runs_the_worker_count_web_concurrency_says(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    """uvicorn reads WEB_CONCURRENCY when its command names no --workers; the image sets 1.
    The serverless image runs the local stand-in of Lambda, which has no workers."""
    root, _ = rendered[cell.name]
    for dockerfile in sorted(root.glob("**/Dockerfile")):
        text = dockerfile.read_text()
        command = json.loads(text.rsplit("\nCMD ", 1)[1].splitlines()[0])
        if command[0] != "uvicorn":
            assert cell.pattern == "serverless", dockerfile
            continue
        assert "--workers" not in command
        assert re.search(r"^\s+WEB_CONCURRENCY=1$", text, re.MULTILINE), dockerfile


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_options_choose_the_optional_files(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    root, answers = rendered[cell.name]
    platform = platform_dir(cell, root, str(answers["package_name"]))
    assert (platform / "cache.py").exists() == answers["cache_reads"]
    assert (platform / "audit.py").exists() == answers["audit_log"]
    assert (platform / "encryption.py").exists() == answers["encrypt_pii"]


def test_read_heavy_turns_on_cache_aside(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    read_heavy, answers = rendered["default"]
    write_heavy, _ = rendered["write-heavy-library"]
    assert answers["read_write_ratio"] == "read-heavy"
    assert "self.cache.get_or_load(" in (read_heavy / "src/acme_shop/platform/crud.py").read_text()
    assert "cache" not in (write_heavy / "src/city_library/platform/crud.py").read_text()


def test_pii_and_hipaa_encrypt_marked_fields_and_keep_an_audit_log(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    root, _ = rendered["pii-hipaa"]
    customer = (root / "src/care_records/modules/ordering/customer/models.py").read_text()
    assert "full_name: Mapped[str] = mapped_column(EncryptedString())" in customer
    assert "email: Mapped[str] = mapped_column(String(320), unique=True)" in customer
    migration = (root / "migrations/versions/0001_initial.py").read_text()
    assert '"platform_audit_log"' in migration
    plain, _ = rendered["default"]
    assert (
        "EncryptedString"
        not in (plain / "src/acme_shop/modules/ordering/customer/models.py").read_text()
    )


def test_availability_and_scale_change_the_defaults(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    _, default = rendered["default"]
    _, busy = rendered["write-heavy-library"]
    assert (default["deployment"], busy["deployment"]) == ("compose-vm", "kubernetes")
    assert default["db_pool_size"] == 8
    assert busy["db_pool_size"] == 20
    assert busy["rate_limit_per_minute"] == 1200


@pytest.mark.parametrize("refused", UNSUPPORTED, ids=lambda refused: refused.name)
def test_unsupported_combinations_fail_clearly_and_write_nothing(
    refused: Refused, tmp_path: Path
) -> None:
    with pytest.raises(archgen.UserError) as raised:
        archgen.generate(
            tmp_path / "out", pattern=refused.pattern, answers=refused.answers, export_openapi=False
        )
    assert refused.message in raised.value.message
    assert "\n" not in raised.value.message
    assert list(tmp_path.iterdir()) == []


def test_serverless_records_the_poor_fit_warnings_and_sizes_the_pool_for_lambda(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    root, answers = rendered["serverless-oidc-pii-tight-latency-python-3-12"]
    assert (answers["deployment"], answers["db_pool_size"]) == ("aws-lambda", 2)
    adr = (root / "docs/adr/0001-serverless-on-lambda.md").read_text()
    assert "\n- Status: accepted, against the warnings below\n" in adr
    assert "- The p95 latency target is under 100 ms" in adr
    assert "- There is work that runs for minutes" in adr
    assert (
        "**serverless was chosen over that advice**, with the\nrisks the warnings below name" in adr
    )
    plain, _ = rendered["serverless"]
    plain_adr = (plain / "docs/adr/0001-serverless-on-lambda.md").read_text()
    assert "Warnings" not in plain_adr
    assert "It recommends modular-monolith; **serverless was chosen over that advice**" in plain_adr


def test_microservices_chosen_for_a_small_team_record_the_override_and_its_warnings(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    root, _ = rendered["microservices"]  # the default answers: six engineers, evolving domain
    adr = (root / "docs/adr/0001-microservices.md").read_text()
    assert adr.startswith("# ADR 0001: Build one service per bounded context")
    assert "\n- Status: accepted, against the warnings below\n" in adr
    assert "It recommends modular-monolith; **microservices was chosen over that advice**" in adr
    assert "- Premature microservices: a team of 6 with evolving domain boundaries" in adr
    assert "  - `services/identity`: the users" in adr


def test_the_monoliths_adr_records_the_advisors_scores_and_reasons(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    root, _ = rendered["default"]
    adr = (root / "docs/adr/0001-modular-monolith.md").read_text()
    assert "It recommends modular-monolith, the pattern chosen here." in adr
    row = next(line for line in adr.splitlines() if line.startswith("| modular-monolith | "))
    assert "table: avoid microservices with a small team — a team of 6 ships fastest" in row


@pytest.mark.parametrize(
    "cell", [c for c in SUPPORTED if c.pattern == "serverless"], ids=lambda cell: cell.name
)
def test_the_sam_template_passes_cfn_lint(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    root, answers = rendered[cell.name]
    template = (root / "template.yaml").read_text()
    assert ("EncryptionKeysSecretArn" in template) == answers["encrypt_pii"]
    linted = subprocess.run(
        [Path(sys.executable).parent / "cfn-lint", str(root / "template.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_the_identity_mode_chooses_who_holds_the_accounts(
    cell: Cell, rendered: dict[str, tuple[Path, dict[str, object]]]
) -> None:
    """Built-in identity keeps users and passwords; with an OpenID Connect provider there is no
    users table, password hashing, token endpoint or identity service, and the tests stand up
    a provider of their own."""
    root, answers = rendered[cell.name]
    builtin = answers["identity"] == "builtin"
    package = str(answers["package_name"])
    if cell.pattern == "microservices":
        apps = [root / "services" / name for name in ("identity", "catalog")]
        assert apps[0].exists() == builtin
        migration = (apps[0] if builtin else apps[1]) / "migrations/versions/0001_initial.py"
        tests = [apps[1] / "tests"]
        dependencies = (root / "platform/pyproject.toml").read_text()
    else:
        assert (root / "src" / package / "identity").exists() == builtin
        # With a provider, the operator's commands are the job commands only.
        manage = root / "src" / package / "manage.py"
        assert manage.exists() == (builtin or bool(answers.get("background_jobs")))
        if manage.exists():
            assert ("create-user" in manage.read_text()) == builtin
        migration = root / "migrations/versions/0001_initial.py"
        tests = [root / "tests"]
        dependencies = (root / "pyproject.toml").read_text()
    assert ('"identity_users"' in migration.read_text()) == builtin
    assert ("argon2-cffi" in dependencies) == builtin
    platform = platform_dir(cell, root, package)
    assert (platform / "oidc.py").exists() == (not builtin)
    assert (platform / "jwks.py").exists() == (not builtin or cell.pattern == "microservices")
    for folder in tests:
        assert (folder / "identity_provider.py").exists() == (not builtin)
        assert (folder / "test_access_tokens.py").exists() == (not builtin)
    adr = "0004-auth-jwt-and-roles.md" if cell.pattern != "microservices" else ""
    if not builtin:
        adr = "0004-auth-oidc-and-scopes.md"
        assert (root / "docs/identity-providers.md").is_file()
    if adr:
        assert (root / "docs/adr" / adr).is_file()


def test_the_sam_template_asks_api_gateway_for_each_operations_scope(
    rendered: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    root, answers = rendered["serverless-oidc-pii-tight-latency-python-3-12"]
    template = (root / "template.yaml").read_text()
    domain = archgen.parse_domain(answers["domain"])
    assert "DefaultAuthorizer: OidcAuthorizer" in template
    assert "JwtSecretArn" not in template
    for entity in domain.entity_list:
        for scope in entity.scopes:
            assert f'- !Sub "${{OidcScopePrefix}}{scope}"' in template
    for context in domain.contexts_with_jobs:
        read, _, admin = context.job_scopes  # to follow jobs, and to retry them
        for scope in (read, admin):
            assert f'- !Sub "${{OidcScopePrefix}}{scope}"' in template
    routes = re.findall(r"\n\s+Authorizer: (\w+)\n", template)
    # create ... delete of each entity; list, read, result and retry of each job resource, and
    # each on-demand job's start; GraphQL's one route (each field checks its scope in the app)
    on_demand = [job for job in domain.job_list if job.trigger_kind == "on_demand"]
    job_routes = 4 * len(domain.contexts_with_jobs) + len(on_demand)
    assert answers["background_jobs"]
    assert answers["graphql"]
    graphql_routes = 1
    assert routes.count("OidcAuthorizer") == (
        5 * len(domain.entity_list) + job_routes + graphql_routes
    )
    assert routes.count("NONE") == 4  # the probes, the OpenAPI document, Swagger UI, its sign-in
