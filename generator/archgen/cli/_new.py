"""``archgen new``: render a new project from answers and a pattern."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from archgen._advisor import recommend
from archgen._answers import check_answers, load_answers_file, parse_data_pairs
from archgen._blueprints import get_blueprint
from archgen._generate import generate
from archgen.cli._errors import exit_on_error
from archgen.cli._interview import interview


def new(
    destination: Annotated[
        Path | None,
        typer.Argument(help="Folder to create (default: the project slug, in the current folder)."),
    ] = None,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            "-p",
            help="Architecture pattern (see `archgen blueprints`); default: the one "
            "`archgen recommend` advises for the answers.",
        ),
    ] = None,
    answers_file: Annotated[
        Path | None, typer.Option("--answers", help="YAML file of answers to the questions.")
    ] = None,
    domain_file: Annotated[
        Path | None, typer.Option("--domain", help="Domain spec YAML (default: the example shop).")
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data", "-d", help="One answer as KEY=VALUE; repeatable; wins over --answers."
        ),
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Take the default for every unanswered question.")
    ] = False,
    template: Annotated[
        str | None,
        typer.Option("--template", envvar="ARCHGEN_TEMPLATE", help="Template repository (git)."),
    ] = None,
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", help="Template git tag or commit to render.")
    ] = None,
) -> None:
    """Ask the discovery questions (or read them) and render a new project."""
    with exit_on_error():
        answers: dict[str, Any] = load_answers_file(answers_file) if answers_file else {}
        answers.update(parse_data_pairs(data or []))
        check_answers(answers)
        interactive = not (defaults or answers_file) and sys.stdin.isatty()
        if destination is None:
            destination = Path(str(answers.get("project_slug", "acme-shop")))
        pattern = pattern or answers.pop("pattern", None)
        advice = None
        if pattern is None and interactive and not answers:
            pattern, answers = interview(Console(soft_wrap=True))
        elif pattern is None:
            advice = recommend(answers)
            pattern = advice.pattern
        result = generate(
            destination,
            pattern=pattern,
            answers=answers,
            domain=domain_file,
            interactive=interactive,
            template=template,
            vcs_ref=vcs_ref,
        )
    console = Console(soft_wrap=True)
    if advice is not None:
        console.print(
            f"[green]Pattern:[/] {advice.pattern}, the advisor's choice for these answers "
            f"(score {advice.scores[0].score}; `archgen recommend` shows why, --pattern overrides)"
        )
    blueprint = get_blueprint(result.pattern)
    for warning in [
        blueprint.preview_warning,
        *blueprint.fit_warnings(result.answers),
        *result.notes,
    ]:
        if warning:
            Console(stderr=True, soft_wrap=True).print(f"[yellow]warning:[/] {warning}")
    console.print(f"[green]Created[/] {result.answers['project_name']} in {result.destination}")
    console.print("Next steps:")
    console.print(f"  cd {result.destination}")
    if result.pattern != "microservices":
        console.print("  uv sync            # install the project and its dev tools")
        console.print("  uv run pytest      # its test suite (Docker, or DATABASE_URL + REDIS_URL)")
    else:
        console.print("  uv sync --all-packages   # every service and the dev tools")
        console.print("  see README.md            # how to check and test each service")
