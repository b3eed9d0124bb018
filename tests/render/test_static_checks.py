"""Static checks on every rendered cell: bandit, no secret in any file, hardened containers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import chdir
from pathlib import Path
from typing import Any

import pytest
import yaml
from detect_secrets import SecretsCollection
from detect_secrets.settings import default_settings

from tests.matrix import SUPPORTED, Cell

Rendered = dict[str, tuple[Path, dict[str, object]]]

# What detect-secrets flags in a rendered project that is not a secret, and why. Anything
# else it finds fails the test: a real key or password never belongs in the files.
NOT_SECRETS = {
    "app": "the local PostgreSQL and RabbitMQ of docker-compose, bound to 127.0.0.1",
    "postgres": "the throwaway PostgreSQL service of the generated CI workflow",
    "ci": "the throwaway RabbitMQ service of the generated CI workflow",
    "guest": "RabbitMQ's own default account, the development default of RABBITMQ_URL",
    "change-me-in-production": "the development JWT secret, refused outside development",
    "cGxhY2Vob2xkZXIta2V5LWZvci1kZXZlbG9wbWVudCE=": (
        "the development PII encryption key, refused outside development"
    ),
    "correct horse battery staple": "the example password of the OpenAPI document",
    "a long and unguessable passphrase": "the example new password of the OpenAPI document",
    "not it": "the wrong password a test signs in with",
    "url}}": "CloudFormation resolving the database URL from Secrets Manager at deploy time",
}
# samconfig.toml names secrets by ARN in the documentation account: references, not values.
SECRET_REFERENCE_PREFIXES = ("arn:aws:secretsmanager:", "us-east-1:123456789012:secret:")


def _files(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".venv" not in path.parts:
            yield str(path.relative_to(root))


def _potential_secrets(root: Path) -> dict[str, list[str]]:
    """Each value detect-secrets (all its plugins) flags, with where it was found."""
    found: dict[str, list[str]] = {}
    with default_settings(), chdir(root):
        secrets = SecretsCollection()
        secrets.scan_files(*_files(Path()))
        for filename, secret in secrets:
            found.setdefault(str(secret.secret_value), []).append(
                f"{filename}:{secret.line_number} ({secret.type})"
            )
    return found


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_no_secret_is_written_into_a_project(cell: Cell, rendered: Rendered) -> None:
    root, _ = rendered[cell.name]
    unexpected = {
        value: where
        for value, where in _potential_secrets(root).items()
        if value not in NOT_SECRETS and not value.startswith(SECRET_REFERENCE_PREFIXES)
    }
    assert not unexpected


def test_the_secret_scan_finds_a_planted_key(tmp_path: Path) -> None:
    """The scan above is only worth something if it sees a real-looking secret."""
    (tmp_path / "settings.py").write_text(
        'AWS_SECRET = "AKIAIOSFODNN7EXAMPLE"\nSIGNING_KEY = "9f2c6a1be87d4c03a5f1e2d7c4b8a960"\n'
    )
    found = _potential_secrets(tmp_path)
    assert {"AKIAIOSFODNN7EXAMPLE", "9f2c6a1be87d4c03a5f1e2d7c4b8a960"} <= set(found)


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_bandit_finds_nothing_of_medium_or_high_severity(cell: Cell, rendered: Rendered) -> None:
    root, _ = rendered[cell.name]
    command = [sys.executable, "-m", "bandit", "-r", str(root), "--severity-level", "medium"]
    result = subprocess.run(
        [*command, "--format", "json", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    report = json.loads(result.stdout)
    assert report["metrics"]["_totals"]["loc"] > 1000  # it did read the project
    assert [(r["filename"], r["test_id"], r["issue_text"]) for r in report["results"]] == []


def _app_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run the project's own image (built from its Dockerfiles)."""
    return {
        name: service
        for name, service in compose["services"].items()
        if str(service.get("image", "")).endswith(":local")
    }


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_containers_run_as_a_user_on_a_read_only_filesystem(cell: Cell, rendered: Rendered) -> None:
    root, _ = rendered[cell.name]
    dockerfiles = sorted(root.rglob("Dockerfile"))
    assert dockerfiles
    for dockerfile in dockerfiles:
        users = [
            line.split()[1]
            for line in dockerfile.read_text().splitlines()
            if line.startswith("USER ")
        ]
        assert users, dockerfile
        assert users[-1].split(":")[0] not in {"root", "0"}, dockerfile

    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = _app_services(compose)
    assert services
    for name, service in services.items():
        assert service.get("read_only") is True, name
        assert "/tmp" in service.get("tmpfs", []), name

    for manifest in sorted(root.glob("deploy/kubernetes/*.yaml")):
        for document in yaml.safe_load_all(manifest.read_text()):
            if not document or document.get("kind") != "Deployment":
                continue
            pod = document["spec"]["template"]["spec"]
            for container in pod["containers"]:
                if not container["image"].startswith("nginx"):
                    security = {**pod.get("securityContext", {}), **container["securityContext"]}
                    assert security.get("runAsNonRoot") is True, (manifest, container["name"])
                    assert security.get("readOnlyRootFilesystem") is True, (
                        manifest,
                        container["name"],
                    )
