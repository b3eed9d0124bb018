"""``archgen check-update``: is a generated project behind the newest template release?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from archgen._check_update import UPDATE_AVAILABLE, Standing, UpdateCheck, check_update
from archgen.cli._errors import exit_on_error


def check_update_command(
    project: Annotated[Path, typer.Argument(help="The generated project.")] = Path("."),
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            envvar="ARCHGEN_TEMPLATE",
            help="Template repository (a local clone), if not the recorded one.",
        ),
    ] = None,
    prereleases: Annotated[
        bool, typer.Option("--prereleases", help="Count pre-releases (0.3.0rc1) as releases.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Say whether a newer template release exists, and what it changes.

    Exit status: 0 up to date (or past the newest release), 10 a newer release exists,
    2 bad input. Changes nothing in the project.
    """
    with exit_on_error():
        checked = check_update(project, template=template, prereleases=prereleases)
    if as_json:
        typer.echo(json.dumps(checked.as_json(), indent=2))
    else:
        _report(Console(soft_wrap=True, highlight=False), checked)
    if checked.standing is Standing.BEHIND:
        raise typer.Exit(UPDATE_AVAILABLE)


def _report(console: Console, checked: UpdateCheck) -> None:
    at = f"{checked.project.name} is at {checked.current}"
    if checked.current_version is not None:
        at += f" ({checked.current_version})"
    standing = checked.standing
    if standing is Standing.NO_RELEASE:
        console.print(f"No release: the template at {checked.template} has none yet; {at}.")
    elif standing is Standing.UP_TO_DATE:
        console.print(f"[green]Up to date:[/] {at}, the newest release.")
    elif standing is Standing.AHEAD:
        console.print(
            f"[green]Up to date:[/] {at}, past the newest release, {checked.newest} "
            "(generated from an unreleased commit); no newer release."
        )
    else:
        console.print(f"[yellow]Update available:[/] {at}; the newest release is {checked.newest}.")
        for release in checked.releases:
            console.print(f"\n[bold]{release.version}[/] ({release.date})")
            console.print(escape(release.notes))
        console.print(
            "\nTake it with `archgen update` (review with `git diff`, run the checks and the "
            "tests, then commit)."
        )
