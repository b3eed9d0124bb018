"""``archgen blueprints``: list the patterns, what each contains and when to choose it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel

from archgen._blueprints import Blueprint, list_blueprints
from archgen.cli._errors import exit_on_error


def _render(blueprint: Blueprint) -> Panel:
    lines = [blueprint.summary, "", "[bold]Contains[/]"]
    lines += [f"  • {item}" for item in blueprint.contains]
    lines += ["", "[bold]Choose it when[/]"] + [f"  • {item}" for item in blueprint.choose_when]
    lines += ["", "[bold]Avoid it when[/]"] + [f"  • {item}" for item in blueprint.avoid_when]
    lines += ["", f"[bold]Next step[/] {blueprint.next_step}"]
    colour = {"available": "green", "preview": "cyan", "planned": "yellow"}[blueprint.status]
    status = f"[{colour}]{blueprint.status}[/]"
    if blueprint.preview_gaps:
        lines += ["", "[bold]Not generated yet[/]"] + [f"  • {g}" for g in blueprint.preview_gaps]
    return Panel("\n".join(lines), title=f"{blueprint.name} — {blueprint.title} ({status})")


def blueprints(
    names_only: Annotated[
        bool, typer.Option("--names", help="Print only the names of available patterns.")
    ] = False,
) -> None:
    """List the architecture patterns archgen can generate."""
    with exit_on_error():
        catalogue = list_blueprints()
    if names_only:
        for blueprint in catalogue:
            if blueprint.available:
                typer.echo(blueprint.name)
        return
    console = Console()
    for blueprint in catalogue:
        console.print(_render(blueprint))
