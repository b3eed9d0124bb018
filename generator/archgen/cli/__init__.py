"""The ``archgen`` command line: a thin layer over the library API, one file per command."""

from __future__ import annotations

import typer

from archgen.cli import _blueprints, _domain, _new, _recommend, _smoke, _update

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


def main() -> None:
    """Console-script entry point."""
    app()
