"""One smoke run: provision services, install, migrate, start, check, tear everything down.

The same phases serve every pattern: the modular monolith runs one app, the microservices
one per bounded context, with RabbitMQ between them, and the serverless project its Lambda
functions under their local runner, with moto's SQS server between them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from archgen._errors import UserError
from archgen._smoke._app_container import ContainerProject
from archgen._smoke._checks import ADMIN, REQUESTS_PER_ENTITY, SmokeChecks
from archgen._smoke._containers import (
    DEFAULT_POSTGRES_IMAGE,
    DEFAULT_RABBITMQ_IMAGE,
    DEFAULT_REDIS_IMAGE,
    docker_postgres,
    docker_rabbitmq,
    docker_redis,
)
from archgen._smoke._identity_provider import AUDIENCE, IdentityProvider, smoke_provider
from archgen._smoke._otlp import OtlpReceiver
from archgen._smoke._project import HostProject, ProjectUnderTest, ServiceUrls
from archgen._smoke._report import SmokeError, SmokeReport, StepResult
from archgen._smoke._services import local_postgres, local_rabbitmq, local_redis
from archgen._smoke._target import JWKS_PATH, SmokeTarget, load_target
from archgen._smoke._vhost import own_vhost


class Runtime(StrEnum):
    DOCKER = "docker"
    LOCAL = "local"
    EXTERNAL = "external"


@dataclass(frozen=True)
class Images:
    """The images the docker runtime starts its services from."""

    postgres: str = DEFAULT_POSTGRES_IMAGE
    redis: str = DEFAULT_REDIS_IMAGE
    rabbitmq: str = DEFAULT_RABBITMQ_IMAGE
    python: str | None = None  # the app's base image with --in-container; None: the Dockerfile's


@dataclass(frozen=True)
class ExternalServices:
    """Servers given by the user; the run creates and drops its own database and key prefix."""

    postgres_url: str
    redis_url: str
    rabbitmq_url: str | None = None
    rabbitmq_management_url: str | None = None  # default: the broker's host, port 15672


# Called when a step starts (name, kind) and when it ends (its result).
StepStarted = Callable[[str, str], None]
StepEnded = Callable[[StepResult], None]


def _ignore_start(name: str, kind: str) -> None:
    """No progress display."""


def _ignore_end(result: StepResult) -> None:
    """No progress display."""


class _Steps:
    def __init__(self, report: SmokeReport, started: StepStarted, ended: StepEnded) -> None:
        self.report = report
        self.started = started
        self.ended = ended

    @contextmanager
    def step(self, name: str, kind: str = "phase") -> Iterator[None]:
        self.started(name, kind)
        began = time.perf_counter()
        try:
            yield
        except SmokeError as failure:
            self._end(name, kind, began, ok=False, detail=failure.detail)
            raise SmokeError(name, failure.detail) from None
        except UserError as error:
            self._end(name, kind, began, ok=False, detail=error.message)
            raise SmokeError(name, error.message) from None
        except (httpx.HTTPError, OSError, ValueError, KeyError) as error:
            self._end(name, kind, began, ok=False, detail=str(error))
            raise SmokeError(name, str(error)) from None
        self._end(name, kind, began, ok=True)

    def _end(self, name: str, kind: str, began: float, *, ok: bool, detail: str = "") -> None:
        result = StepResult(name, kind, ok, round(time.perf_counter() - began, 3), detail)
        self.report.steps.append(result)
        self.ended(result)


def _provision(
    stack: ExitStack,
    target: SmokeTarget,
    runtime: Runtime,
    external: ExternalServices | None,
    images: Images,
) -> ServiceUrls:
    """The servers of the run (RabbitMQ only for a pattern that uses it); what it starts is
    stopped with ``stack``."""
    broker: AbstractContextManager[str] | None
    if runtime is Runtime.EXTERNAL and external is not None:
        postgres, redis = external.postgres_url, external.redis_url
        broker = None
        if target.uses_broker and external.rabbitmq_url:
            broker = own_vhost(external.rabbitmq_url, external.rabbitmq_management_url)
    elif runtime is Runtime.DOCKER:
        postgres = stack.enter_context(docker_postgres(images.postgres))
        redis = stack.enter_context(docker_redis(images.redis))
        broker = docker_rabbitmq(images.rabbitmq) if target.uses_broker else None
    else:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        broker = local_rabbitmq() if target.uses_broker else None
    return ServiceUrls(postgres, redis, stack.enter_context(broker) if broker else None)


def _identity_provider(stack: ExitStack, target: SmokeTarget) -> IdentityProvider | None:
    """The provider that signs callers in, for a project whose identity is oidc; it stops with
    ``stack``."""
    if target.identity != "oidc":
        return None
    return stack.enter_context(smoke_provider(target.scopes))


def _project(
    target: SmokeTarget, services: ServiceUrls, images: Images, in_container: bool
) -> ProjectUnderTest:
    if in_container:
        return ContainerProject(target, services, python_image=images.python)
    return HostProject(target, services)


def _start(
    stack: ExitStack, under_test: ProjectUnderTest, settings: dict[str, str]
) -> dict[str, str]:
    """Every app serving, the one with the users first; returns their base URLs by name.

    The other services verify tokens with the keys the identity service publishes, so they
    learn its address as they start. With an identity provider (in ``settings``) every app
    verifies its tokens, and there are no users to create."""
    target = under_test.target
    if target.identity_app is not None and target.pattern == "microservices":
        under_test.give_signing_key()
    if target.uses_queue:
        assert isinstance(under_test, HostProject)  # run_smoke refuses the container variant
        stack.enter_context(under_test.sqs_emulator())
    if target.identity_app is None:
        urls = {
            app.name: stack.enter_context(under_test.serving(app, settings)) for app in target.apps
        }
    else:
        under_test.create_user(*ADMIN, "admin")
        identity, *others = target.apps
        urls = {identity.name: stack.enter_context(under_test.serving(identity, settings))}
        verifying = {**settings, "JWKS_URL": urls[identity.name] + JWKS_PATH}
        for app in others:
            urls[app.name] = stack.enter_context(under_test.serving(app, verifying))
    for app in target.job_apps:
        for role in ("worker", "scheduler"):
            stack.enter_context(under_test.running_jobs(app, role, settings))
    return urls


def run_smoke(
    project: Path,
    *,
    runtime: Runtime = Runtime.LOCAL,
    external: ExternalServices | None = None,
    images: Images | None = None,
    in_container: bool = False,
    keep: Callable[[str], None] | None = None,
    on_start: StepStarted = _ignore_start,
    on_end: StepEnded = _ignore_end,
) -> SmokeReport:
    """Boot ``project`` against real services and run every check; always tears down.

    With ``in_container`` each app is built from its Dockerfile and run as a container (docker
    runtime only). ``keep`` is called with the apps' addresses once the checks passed, before
    teardown (it may block, e.g. until Ctrl-C). A failure is recorded in the report, which is
    returned.
    """
    target = load_target(project)
    if runtime is Runtime.EXTERNAL and external is None:
        raise UserError("--runtime external needs --database-url and --redis-url")
    broker_missing = not (external and external.rabbitmq_url)
    if runtime is Runtime.EXTERNAL and target.uses_broker and broker_missing:
        raise UserError(f"--runtime external needs --rabbitmq-url for a {target.pattern} project")
    if in_container and runtime is not Runtime.DOCKER:
        raise UserError("--in-container runs the app under Docker: it needs --runtime docker")
    if in_container and target.uses_queue:
        raise UserError(
            "--in-container builds an app's Dockerfile; a serverless project deploys its "
            "functions to Lambda, so smoke-test it without --in-container"
        )
    images = images or Images()
    report = SmokeReport(project=str(target.path), runtime=runtime.value)
    steps = _Steps(report, on_start, on_end)
    try:
        with ExitStack() as stack:
            with steps.step("provision"):
                services = _provision(stack, target, runtime, external, images)
                receiver = stack.enter_context(OtlpReceiver())
                provider = _identity_provider(stack, target)
            under_test = _project(target, services, images, in_container)
            if provider is not None:
                # Every command of the run needs them: the apps refuse to start (and migrate)
                # without. An http issuer on loopback is allowed in production (RFC 8252).
                under_test.settings.update(
                    OIDC_ISSUER=provider.issuer, OIDC_AUDIENCES=json.dumps([AUDIENCE])
                )
            with steps.step(under_test.install_step):
                stack.enter_context(under_test.installed())
            with steps.step("database"):
                stack.enter_context(under_test.database())
            with steps.step("migrate"):
                under_test.migrate()
            rate_limit = max(
                int(target.answers["rate_limit_per_minute"]),
                REQUESTS_PER_ENTITY * len(target.domain.entity_list) + 100,
            )
            with steps.step("start"):
                settings = {
                    "OTLP_ENDPOINT": receiver.endpoint,
                    "OTEL_BSP_SCHEDULE_DELAY": "200",
                    "RATE_LIMIT_PER_MINUTE": str(rate_limit),
                }
                urls = _start(stack, under_test, settings)
            clients = {
                name: stack.enter_context(httpx.Client(base_url=url, timeout=10))
                for name, url in urls.items()
            }
            inbox = under_test.processed_events if target.uses_queue else None
            checks = SmokeChecks(
                target, clients, receiver, rate_limit, inbox=inbox, provider=provider
            )
            for name, check in checks.plan():
                with steps.step(name, "check"):
                    check()
            if keep is not None:
                keep(", ".join(f"{name} at {url}" for name, url in urls.items()))
    except SmokeError:
        pass  # recorded in the report by the step that failed
    return report
