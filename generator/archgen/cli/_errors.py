"""Turns archgen's deliberate errors into one red line and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from archgen._errors import ArchgenError, UserError

stderr = Console(stderr=True, highlight=False)


@contextmanager
def exit_on_error() -> Iterator[None]:
    """Print an ArchgenError as ``error: <message>`` and exit non-zero, without a traceback."""
    try:
        yield
    except UserError as error:
        # The message may quote the user's input: brackets in it are text, not Rich markup.
        stderr.print(f"[bold red]error:[/] {escape(error.message)}", soft_wrap=True)
        raise typer.Exit(error.exit_code) from None
    except ArchgenError as error:
        stderr.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(1) from None
