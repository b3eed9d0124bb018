"""``archgen releases``: the template's releases; tag them in a clone; cut a new one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from archgen._errors import UserError
from archgen._releases import CHANGELOG, cut, listed_releases, release_tags, tag_releases
from archgen._template import is_repository, template_source
from archgen.cli._errors import exit_on_error


def releases(
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            envvar="ARCHGEN_TEMPLATE",
            help="Template repository (a local clone); default: the one archgen renders from.",
        ),
    ] = None,
    tag: Annotated[
        bool,
        typer.Option("--tag", help=f"Make the release tags {CHANGELOG} lists but the clone lacks."),
    ] = False,
    cut_version: Annotated[
        str | None,
        typer.Option(
            "--cut",
            metavar="VERSION",
            help=f"Release HEAD as VERSION: its {CHANGELOG} notes under '## Unreleased' become "
            "the release's, committed, and tagged.",
        ),
    ] = None,
) -> None:
    """List the template's releases (from its CHANGELOG.md), tag them, or cut a new one."""
    console = Console(soft_wrap=True, highlight=False)
    with exit_on_error():
        source = template_source(template)
        if not is_repository(source):
            raise UserError(f"{source} is not a git repository on this machine: pass a clone")
        if cut_version is not None:
            release = cut(Path(source), cut_version, date.today())
            console.print(
                f"Released {release.version}: {CHANGELOG} lists it at {release.commit[:12]} "
                f"(committed), tagged {release.tag}. Push the branch; every clone makes the "
                "tag from the list."
            )
            return
        if tag:
            made = tag_releases(source, require_all=True)
            tags = ", ".join(release.tag for release in made)
            console.print(
                f"Tagged {tags} in {source}" if made else f"Every release is tagged in {source}"
            )
            return
        listed = listed_releases(source)
    tagged = set(release_tags(source, prereleases=True).values())
    if not listed:
        console.print(f"{source} lists no release in its {CHANGELOG}")
    for release in listed:
        mark = "" if release.tag in tagged else "  (not tagged here: `archgen releases --tag`)"
        console.print(f"{release.tag}  {release.date}  {release.commit[:12]}{mark}")
