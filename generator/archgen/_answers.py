"""Answers given on the command line or in a file, merged into Copier data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archgen._domain import load_yaml
from archgen._errors import UserError


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML mapping of question -> answer (a ``.copier-answers.yml`` works too)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"answers file {path}: {error.strerror}") from None
    data = load_yaml(text, f"answers file {path}")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"answers file {path}: must be a mapping of question names to answers")
    # Copier's own bookkeeping keys (_src_path, _commit) are not answers.
    return {str(key): value for key, value in data.items() if not str(key).startswith("_")}


def parse_data_pairs(pairs: list[str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into answers; the value is read as YAML (``5`` is a number)."""
    data: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--data {pair!r}: expected KEY=VALUE")
        data[key.strip()] = load_yaml(raw, f"--data {key.strip()}") if raw else ""
    return data
