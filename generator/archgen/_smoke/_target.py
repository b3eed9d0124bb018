"""What a smoke run is pointed at: a generated project, read from its .copier-answers.yml.

A project runs one app (the modular monolith, or the serverless app behind its local Lambda
runner) or several (one service per bounded context); ``SmokeTarget.apps`` says where each
one lives and which contexts it serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from archgen._answers import recorded_identity
from archgen._domain import DomainSpec, parse_domain
from archgen._errors import UserError

ANSWERS_FILE = ".copier-answers.yml"
SMOKE_PATTERNS = ("modular-monolith", "microservices", "serverless")
IDENTITY = "identity"
JWKS_PATH = "/.well-known/jwks.json"


@dataclass(frozen=True)
class AppUnderTest:
    """One app of the project: where its code, migrations and Dockerfile are."""

    name: str  # its service name, as its traces report it
    key: str  # a short name for databases, key prefixes and containers
    folder: str  # relative to the project root: holds alembic.ini (and tests/)
    module: str  # the package with main.create_app and manage
    dockerfile: str  # relative to the project root, built with the root as context
    contexts: frozenset[str]


@dataclass(frozen=True)
class SmokeTarget:
    """A generated project and the answers it was generated with."""

    path: Path
    answers: dict[str, Any]
    domain: DomainSpec

    @property
    def pattern(self) -> str:
        return str(self.answers["pattern"])

    @property
    def package(self) -> str:
        return str(self.answers["package_name"])

    @property
    def slug(self) -> str:
        return str(self.answers["project_slug"])

    @property
    def identity(self) -> str:
        """Who signs callers in: ``builtin`` (recorded as ``auth_style`` before template
        0.4.0) or ``oidc``, the organisation's provider."""
        return recorded_identity(self.answers)

    @property
    def scopes(self) -> list[str]:
        """The scope of every operation, when identity is oidc (as the template derives them):
        the resources', and the job resources' where the project runs jobs."""
        scopes = set(self.domain.scope_descriptions)
        if self.runs_jobs:
            for context in self.domain.context_list:
                if context.jobs:
                    scopes.update(context.job_scope_descriptions)
        return sorted(scopes)

    @property
    def uses_broker(self) -> bool:
        """Whether the apps exchange events over RabbitMQ."""
        return self.pattern == "microservices"

    @property
    def uses_queue(self) -> bool:
        """Whether events travel through SQS (an emulator in a smoke run) to a worker."""
        return self.pattern == "serverless"

    @property
    def local_runner(self) -> str:
        """The module that runs the serverless functions on this machine: a development tool
        of the project since template 0.3.0, part of its package before."""
        if (self.path / "tools" / "local.py").is_file():
            return "tools.local"
        return f"{self.package}.functions.local"

    @property
    def apps(self) -> list[AppUnderTest]:
        if self.pattern != "microservices":
            contexts = frozenset(self.domain.contexts)
            return [AppUnderTest(self.slug, "app", ".", self.package, "Dockerfile", contexts)]
        identity = [(IDENTITY, IDENTITY, frozenset[str]())] if self.identity == "builtin" else []
        services = identity + [
            (context.name, context.url_segment, frozenset({context.name}))
            for context in self.domain.context_list
        ]
        return [
            AppUnderTest(
                name=f"{self.slug}-{segment}",
                key=segment,
                folder=f"services/{name}",
                module=f"{self.package}.services.{name}",
                dockerfile=f"services/{name}/Dockerfile",
                contexts=contexts,
            )
            for name, segment, contexts in services
        ]

    @property
    def runs_jobs(self) -> bool:
        """Whether the project runs background jobs (its answers turn them on)."""
        return bool(self.answers.get("background_jobs"))

    @property
    def job_apps(self) -> list[AppUnderTest]:
        """The apps whose jobs run in worker and scheduler processes of their own, when the
        project runs background jobs: the monolith, or each service whose context has jobs.
        Serverless runs its jobs in functions, which its local runner serves with the API."""
        if self.pattern == "serverless" or not self.runs_jobs:
            return []
        if self.pattern == "modular-monolith":
            return self.apps
        contexts = self.domain.contexts
        return [app for app in self.apps if any(contexts[name].jobs for name in app.contexts)]

    @property
    def identity_app(self) -> AppUnderTest | None:
        """The app with the users and the token endpoint: the monolith, or the identity
        service (listed first: the others verify tokens with the keys it publishes); none when
        the organisation's provider signs callers in."""
        return self.apps[0] if self.identity == "builtin" else None

    def app_serving(self, context: str) -> AppUnderTest:
        return next(app for app in self.apps if context in app.contexts)


def load_target(path: Path) -> SmokeTarget:
    """Read a generated project; refuse a folder that is not one."""
    answers_path = path / ANSWERS_FILE
    if not answers_path.is_file():
        raise UserError(f"{path} is not a project generated by archgen: it has no {ANSWERS_FILE}")
    answers = yaml.safe_load(answers_path.read_text(encoding="utf-8"))
    missing = {"pattern", "package_name", "domain"} - set(answers or {})
    if missing:
        raise UserError(
            f"{answers_path} lacks {', '.join(sorted(missing))}: not an archgen project"
        )
    if answers["pattern"] not in SMOKE_PATTERNS:
        raise UserError(f"smoke runs for pattern {answers['pattern']!r} are not available yet")
    return SmokeTarget(path.resolve(), answers, parse_domain(answers["domain"]))
