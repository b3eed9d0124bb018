"""A generated project under test: render it, install it, run its own commands."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import archgen
from tests.matrix import Cell

# The project's own tools must not see archgen's virtual environment.
_HIDDEN_VARIABLES = ("VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL", "PYTHONPATH")
# For the project's `make test`: uv runs what `uv sync` installed (as `uv_run` does with
# --no-sync), and pytest reports briefly and writes no cache.
QUIET_PYTEST = {"UV_NO_SYNC": "1", "PYTEST_ADDOPTS": "-q -p no:cacheprovider"}


@dataclass(frozen=True)
class GeneratedProject:
    """A rendered and installed project of one matrix cell."""

    path: Path
    package: str
    domain: archgen.DomainSpec
    identity: str = "builtin"  # who signs callers in: built-in users, or an OIDC provider

    @classmethod
    def create(cls, cell: Cell, parent: Path) -> GeneratedProject:
        result = archgen.generate(
            parent / cell.name, pattern=cell.pattern, answers=cell.answers, domain=cell.domain
        )
        domain = archgen.parse_domain(result.answers["domain"])
        package, identity = result.answers["package_name"], result.answers["identity"]
        project = cls(result.destination, package, domain, identity)
        # A workspace (microservices) installs every member; a single project is its own.
        project.run("uv", "sync", "--quiet", "--all-packages")
        return project

    def run(
        self,
        *command: str,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
        timeout: float = 600,
        at: str = ".",
    ) -> subprocess.CompletedProcess[str]:
        """Run ``command`` in the project (or its folder ``at``); fail with its output when it
        exits non-zero."""
        environment = {**self.environment(), **(env or {})}
        completed = subprocess.run(
            command,
            cwd=self.path / at,
            env=environment,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert completed.returncode == 0, (
            f"`{' '.join(command)}` exited {completed.returncode} in {self.path / at}\n"
            f"{_without_json_logs(completed.stdout)[-6000:]}\n{completed.stderr[-4000:]}"
        )
        return completed

    def uv_run(
        self,
        *command: str,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
        at: str = ".",
    ) -> str:
        return self.run("uv", "run", "--no-sync", *command, env=env, stdin=stdin, at=at).stdout

    @property
    def answers(self) -> dict[str, Any]:
        """The answers the project was generated with (its .copier-answers.yml)."""
        answers: dict[str, Any] = yaml.safe_load((self.path / ".copier-answers.yml").read_text())
        return answers

    def environment(self) -> dict[str, str]:
        """The variables the project reads, minus the ones this process must not leak."""
        return {k: v for k, v in os.environ.items() if k not in _HIDDEN_VARIABLES}


def _without_json_logs(output: str) -> str:
    """``output`` without the app's JSON log lines, which would bury a failure's assertion."""
    return "\n".join(line for line in output.splitlines() if not line.startswith('{"'))
