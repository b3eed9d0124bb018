"""The ``archgen`` command line: a thin layer over the library API, one file per command."""

from __future__ import annotations

import typer

from archgen.cli import (
    _blueprints,
    _check_update,
    _domain,
    _new,
    _recommend,
    _releases,
    _smoke,
    _update,
)

app = typer.Typer(
    name="archgen",
    help="Turn discovery answers and an architecture pattern into a running FastAPI backend.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("new")(_new.new)
app.command("recommend")(_recommend.recommend_command)
app.command("blueprints")(_blueprints.blueprints)
app.command("smoke")(_smoke.smoke)
app.command("update")(_update.update)
app.command("domain")(_domain.domain)
app.command("check-update")(_check_update.check_update_command)
app.command("releases")(_releases.releases)


def main() -> None:
    """Console-script entry point."""
    app()
