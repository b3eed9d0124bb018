"""``archgen update``: take a newer template version into a generated project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from archgen._answers import parse_data_pairs
from archgen._update import UpdateResult
from archgen._update import update as run_update
from archgen.cli._errors import exit_on_error


def update(
    project: Annotated[
        Path, typer.Argument(help="The generated project (a clean git work tree).")
    ] = Path("."),
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", help="Template version (tag or commit); default: the newest."),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template", envvar="ARCHGEN_TEMPLATE", help="Template repository, if it moved."
        ),
    ] = None,
    domain: Annotated[
        Path | None,
        typer.Option(
            "--domain",
            help="A grown domain spec (YAML): new contexts, entities or optional fields.",
        ),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            help="Change one answer, KEY=VALUE (read as YAML; repeatable): the project is "
            "rendered again with it, keeping its template version unless --vcs-ref says.",
        ),
    ] = None,
    prereleases: Annotated[
        bool,
        typer.Option("--prereleases", help="Count pre-releases (0.3.0rc1) as the newest release."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, then undo it.")
    ] = False,
) -> None:
    """Update a generated project to a newer template version, or to changed answers,
    keeping the owners' edits."""
    console = Console(soft_wrap=True)
    with exit_on_error():
        answers = parse_data_pairs(data or [])
        with console.status("updating the project from its template"):
            result = run_update(
                project,
                vcs_ref=vcs_ref,
                template=template,
                domain=domain,
                data=answers,
                prereleases=prereleases,
                dry_run=dry_run,
            )
    _report(console, result)
    if result.conflicts and result.applied:
        raise typer.Exit(1)


def _report(console: Console, result: UpdateResult) -> None:
    plan = result.plan
    versions = f"{plan.current} -> {plan.target} ({plan.target_commit[:12]})"
    if result.up_to_date:
        console.print(f"[green]Up to date:[/] nothing changes from {versions}")
        return
    verb = "Would change" if not result.applied else "Changed"
    console.print(f"{verb} {len(result.changed)} files, {versions}:")
    if plan.releases:
        taken = ", ".join(str(release.version) for release in plan.releases)
        console.print(
            f"  releases taken: {taken} (the template's CHANGELOG.md says what each changes)"
        )
    # A grown domain is the --domain file's; the answers given with --data are named here.
    if given := {k: v for k, v in plan.data.items() if k not in ("domain", "domain_history")}:
        changes = ", ".join(f"{name}={value!r}" for name, value in sorted(given.items()))
        console.print(f"  answers changed: {escape(changes)}")
    for name in result.changed:
        mark = " [red](conflict)[/]" if name in result.conflicts else ""
        console.print(f"  {name}{mark}")
    if not result.applied:
        console.print("Nothing was written (--dry-run).")
    elif result.conflicts:
        console.print(
            "[yellow]Resolve the conflicts:[/] each file above marked (conflict) holds both "
            "versions between <<<<<<< and >>>>>>> lines; keep what is right, delete the "
            "markers, export the API documents and the generated docs again (the project's "
            "README says how), run the checks and the tests, then commit. "
            "`git checkout -- .` undoes the whole update."
        )
    else:
        console.print("Review with `git diff`, run the checks and the tests, then commit.")
