"""``archgen smoke``: boot a generated project against real services and check it works."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.status import Status

from archgen._errors import UserError
from archgen._smoke._containers import (
    DEFAULT_POSTGRES_IMAGE,
    DEFAULT_RABBITMQ_IMAGE,
    DEFAULT_REDIS_IMAGE,
    POSTGRES_IMAGE_VARIABLE,
    PYTHON_IMAGE_VARIABLE,
    RABBITMQ_IMAGE_VARIABLE,
    REDIS_IMAGE_VARIABLE,
    docker_engine_answers,
)
from archgen._smoke._report import StepResult
from archgen._smoke._runner import ExternalServices, Images, Runtime, run_smoke
from archgen.cli._errors import exit_on_error

RUNTIMES = ("docker", "local", "external")


class _Progress:
    """One line per finished phase or check, with its time; a spinner for the running one."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.status: Status | None = None

    def started(self, name: str, kind: str) -> None:
        self.status = self.console.status(f"{kind} [bold]{name}[/] …")
        self.status.start()

    def ended(self, result: StepResult) -> None:
        if self.status is not None:
            self.status.stop()
        mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
        self.console.print(f"{mark} {result.kind:<5} {result.name:<40} {result.seconds:7.2f} s")
        if not result.ok:
            self.console.print(f"[red]{result.detail}[/]", soft_wrap=True)


def _wait_for_interrupt(console: Console) -> Callable[[str], None]:
    def keep(apps: str) -> None:
        console.print(f"The stack is up: {apps}; press Ctrl-C to tear it down.")
        threading.Event().wait()

    return keep


def smoke(
    project: Annotated[
        Path, typer.Argument(help="The generated project (default: here).")
    ] = Path(),
    runtime: Annotated[
        str | None,
        typer.Option(
            "--runtime",
            help="docker (testcontainers), local (servers from PATH) or external (given URLs); "
            "default: docker when an engine answers, else local.",
        ),
    ] = None,
    postgres_image: Annotated[
        str, typer.Option("--postgres-image", envvar=POSTGRES_IMAGE_VARIABLE, help="docker runtime")
    ] = DEFAULT_POSTGRES_IMAGE,
    redis_image: Annotated[
        str, typer.Option("--redis-image", envvar=REDIS_IMAGE_VARIABLE, help="docker runtime")
    ] = DEFAULT_REDIS_IMAGE,
    rabbitmq_image: Annotated[
        str,
        typer.Option(
            "--rabbitmq-image",
            envvar=RABBITMQ_IMAGE_VARIABLE,
            help="docker runtime, for a project that uses RabbitMQ",
        ),
    ] = DEFAULT_RABBITMQ_IMAGE,
    in_container: Annotated[
        bool,
        typer.Option(
            "--in-container",
            help="docker runtime: build the app from the project's Dockerfile and run it as a "
            "container (needs BuildKit: Docker 23+, or DOCKER_BUILDKIT with 20.10).",
        ),
    ] = False,
    python_image: Annotated[
        str | None,
        typer.Option(
            "--python-image",
            envvar=PYTHON_IMAGE_VARIABLE,
            help="--in-container: the app's base image (default: the Dockerfile's).",
        ),
    ] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="PostgreSQL server (external runtime).")
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option("--redis-url", help="Redis server (external runtime).")
    ] = None,
    rabbitmq_url: Annotated[
        str | None,
        typer.Option("--rabbitmq-url", help="RabbitMQ server (external runtime, microservices)."),
    ] = None,
    rabbitmq_management_url: Annotated[
        str | None,
        typer.Option(
            "--rabbitmq-management-url",
            help="Its management API, where the run creates its own virtual host "
            "(default: the broker's host, port 15672).",
        ),
    ] = None,
    json_report: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable report instead.")
    ] = False,
    keep: Annotated[
        bool, typer.Option("--keep", help="Leave the stack up after the checks, until Ctrl-C.")
    ] = False,
) -> None:
    """Boot a generated project against real PostgreSQL, Redis and RabbitMQ (when it uses
    one), and run its smoke checks."""
    console = Console(stderr=json_report, soft_wrap=True)
    progress = _Progress(console)
    with exit_on_error():
        if runtime is None:
            runtime = "docker" if docker_engine_answers() else "local"
        if runtime not in RUNTIMES:
            raise UserError(f"unknown runtime {runtime!r}; choose one of: {', '.join(RUNTIMES)}")
        if runtime == "docker" and not docker_engine_answers():
            raise UserError(
                "--runtime docker: no Docker engine answers (start one, set DOCKER_HOST, "
                "or use --runtime local with PostgreSQL and Redis installed)"
            )
        if (database_url or redis_url or rabbitmq_url) and runtime != "external":
            raise UserError(
                "--database-url, --redis-url and --rabbitmq-url go with --runtime external"
            )
        external = (
            ExternalServices(database_url, redis_url, rabbitmq_url, rabbitmq_management_url)
            if database_url and redis_url
            else None
        )
        report = run_smoke(
            project,
            runtime=Runtime(runtime),
            external=external,
            images=Images(postgres_image, redis_image, rabbitmq_image, python_image),
            in_container=in_container,
            keep=_wait_for_interrupt(console) if keep else None,
            on_start=(lambda name, kind: None) if json_report else progress.started,
            on_end=(lambda result: None) if json_report else progress.ended,
        )
    if json_report:
        sys.stdout.write(report.to_json() + "\n")
    elif report.ok:
        console.print(f"[green]smoke passed[/]: {len(report.steps)} steps")
    else:
        failure = report.failure
        console.print(f"[red]smoke failed[/] at {failure.name if failure else '?'}")
    raise typer.Exit(0 if report.ok else 1)
