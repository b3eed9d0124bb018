"""The option combinations archgen supports, and some it refuses: one list for every test.

Render tests render every supported cell; end-to-end tests install and run every cell whose
Python version uv can find on the machine; the template CI matrix
(``.github/workflows/template-matrix.yml``) is this same list, read through this module's
command line:

    python -m tests.matrix github            # the cells as JSON, for a workflow's matrix
    python -m tests.matrix render NAME DEST  # render one cell into DEST
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import archgen
from archgen._smoke._target import SMOKE_PATTERNS

DOMAINS = Path(__file__).parent / "domains"


@dataclass(frozen=True)
class Cell:
    """One supported combination of answers."""

    name: str
    answers: dict[str, Any] = field(default_factory=dict)
    domain: Path | None = None
    pattern: str = "modular-monolith"

    @property
    def python(self) -> str:
        return str(self.answers.get("python_version", "3.11"))

    @property
    def identity(self) -> str:
        return str(self.answers.get("identity", "builtin"))

    @property
    def smoke(self) -> bool:
        """Whether `archgen smoke` supports the cell's pattern yet."""
        return self.pattern in SMOKE_PATTERNS

    @property
    def in_container(self) -> bool:
        """Whether the pattern runs from its Dockerfile (serverless deploys to Lambda); the
        microservices' images do not depend on identity, so only their built-in cell builds them."""
        if self.pattern == "microservices" and self.identity != "builtin":
            return False
        return self.smoke and self.pattern != "serverless"


SUPPORTED = (
    Cell("default"),
    Cell(
        "pii-hipaa",
        {"project_name": "Care Records", "compliance": ["pii", "hipaa"]},
    ),
    Cell(
        "write-heavy-library",
        {
            "project_name": "City Library",
            "read_write_ratio": "write-heavy",
            "peak_rps": 2000,
            "availability": "99.99",
            "compliance": ["gdpr"],
            # GraphQL over a second domain: a self-reference, every field type, Python 3.11.
            "api_clients": ["first-party-apps"],
        },
        domain=DOMAINS / "library.yml",
    ),
    # Sign-in at an OpenID Connect provider, with the audit log naming the tokens' subjects;
    # the shop's jobs are started and followed with the provider's scopes.
    Cell(
        "oidc-no-cache-with-audit",
        {
            "identity": "oidc",
            "read_write_ratio": "balanced",
            "compliance": ["pci-dss"],
            "python_version": "3.12",
        },
    ),
    Cell(
        "kubernetes-realtime-python-3-13",
        # A part that must scale on its own: the ADR weighs it, and warns of one deployable.
        # Clients that show changes live: each module's events stream to them (SSE); first-party
        # apps with varied screens: GraphQL beside REST.
        {
            "deployment": "kubernetes",
            "python_version": "3.13",
            "independent_scaling": True,
            "api_clients": ["first-party-apps", "live-updates"],
        },
    ),
    Cell("microservices", pattern="microservices"),
    # No identity service: every service verifies the provider's tokens. Clients that show
    # changes live: each service that publishes events streams them (SSE). First-party apps:
    # each service a GraphQL subgraph, ready for a federation gateway.
    Cell(
        "microservices-oidc-realtime",
        {"identity": "oidc", "api_clients": ["third-party", "live-updates", "first-party-apps"]},
        pattern="microservices",
    ),
    Cell("serverless", pattern="serverless"),
    # API Gateway's JWT authorizer in front of the app's own checks.
    # GraphQL beside REST, through the same app on Lambda, with the provider's scopes.
    Cell(
        "serverless-oidc-pii-tight-latency-python-3-12",
        {
            "identity": "oidc",
            "project_name": "Care Records",
            "compliance": ["pii", "hipaa"],
            "p95_latency_ms": 50,
            "long_running_work": True,
            "python_version": "3.12",
            "api_clients": ["first-party-apps"],
        },
        pattern="serverless",
    ),
)


@dataclass(frozen=True)
class Refused:
    """A combination that must fail with a clear message."""

    name: str
    message: str
    answers: dict[str, Any] = field(default_factory=dict)
    pattern: str = "modular-monolith"


UNSUPPORTED = (
    Refused("unknown-pattern", "unknown pattern 'event-sourcing'", pattern="event-sourcing"),
    Refused(
        "serverless-on-kubernetes",
        "the serverless pattern deploys to aws-lambda",
        {"deployment": "kubernetes"},
        pattern="serverless",
    ),
    Refused("monolith-on-lambda", "only it does", {"deployment": "aws-lambda"}),
    Refused(
        "one-context-microservices",
        "choose --pattern modular-monolith instead",
        {"domain": {"contexts": {"shop": {"entities": {"item": {"fields": {"name": {}}}}}}}},
        pattern="microservices",
    ),
    Refused("unknown-identity", "identity must be one of 'builtin', 'oidc'", {"identity": "saml"}),
    Refused(
        "serverless-job-over-15-minutes",
        "exceeds AWS Lambda's 15-minute limit for one invocation",
        {
            "domain": {
                "contexts": {
                    "shop": {
                        "entities": {"item": {"fields": {"name": {}}}},
                        "jobs": {"reindex": {"trigger": "on_demand", "timeout": "20m"}},
                    }
                }
            }
        },
        pattern="serverless",
    ),
    Refused(
        "realtime-on-lambda",
        "a Lambda function's response ends when it returns",
        {"realtime": True},
        pattern="serverless",
    ),
    Refused(
        "realtime-without-events",
        "no module of the domain publishes an event to stream",
        {
            "realtime": True,
            "domain": {"contexts": {"shop": {"entities": {"item": {"fields": {"name": {}}}}}}},
        },
    ),
    Refused("keyword-package", "package_name", {"package_name": "class"}),
    Refused("stdlib-package", "would shadow", {"package_name": "json"}),
    Refused("bad-slug", "project_slug", {"project_slug": "Bad Slug"}),
    Refused("empty-name", "project_name", {"project_name": "  "}),
    Refused("zero-rps", "peak requests per second", {"peak_rps": 0}),
)


@cache
def python_available(version: str) -> bool:
    """Whether uv finds (or may download) a Python ``version`` to install a project into."""
    uv = shutil.which("uv") or "uv"
    found = subprocess.run([uv, "python", "find", version], capture_output=True, check=False)
    return found.returncode == 0


def runnable_here(pattern: str, *, identity: str | None = None) -> list[Cell]:
    """The supported cells of ``pattern`` (and ``identity``, when given) this machine can
    install and run end to end."""
    return [
        c
        for c in SUPPORTED
        if c.pattern == pattern
        and (identity is None or c.identity == identity)
        and python_available(c.python)
    ]


def cell_named(name: str) -> Cell:
    for cell in SUPPORTED:
        if cell.name == name:
            return cell
    known = ", ".join(cell.name for cell in SUPPORTED)
    raise ValueError(f"no matrix cell named {name!r}; the cells are: {known}")


def _render(name: str, destination: str) -> None:
    cell = cell_named(name)
    archgen.generate(
        Path(destination), pattern=cell.pattern, answers=cell.answers, domain=cell.domain
    )


def main(argv: list[str]) -> int:
    match argv:
        case ["github"]:
            cells = [
                {
                    "name": c.name,
                    "python": c.python,
                    "pattern": c.pattern,
                    "smoke": c.smoke,
                    "in_container": c.in_container,
                }
                for c in SUPPORTED
            ]
            print(json.dumps(cells))
        case ["render", name, destination]:
            _render(name, destination)
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
