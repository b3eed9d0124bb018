"""``archgen domain``: print a generated project's recorded domain spec, to grow it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from archgen._domain import parse_domain
from archgen._update import read_answers
from archgen.cli._errors import exit_on_error


def domain(
    project: Annotated[Path, typer.Argument(help="The generated project.")] = Path("."),
) -> None:
    """Print the project's domain spec as YAML: edit it, then `archgen update --domain`."""
    with exit_on_error():
        spec = parse_domain(read_answers(project.resolve()).get("domain"))
    typer.echo(yaml.safe_dump(spec.as_data, sort_keys=False), nl=False)
