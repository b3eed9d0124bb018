"""What every benchmark shares: the environment its subprocesses get, running them, results.

A project's commands run with the caller's environment minus what would point them at
another virtual environment or stop the interpreter writing bytecode caches.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

_HIDDEN = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")


def clean_environment() -> dict[str, str]:
    """This process's environment, fit for a generated project's commands."""
    return {k: v for k, v in os.environ.items() if k not in _HIDDEN}


def run(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    stdin: str = "",
    timeout: float = 900,
) -> str:
    """``command``'s output; exit with the end of its output when it fails."""
    completed = subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
    )
    if completed.returncode != 0:
        output = completed.stdout[-1500:] + completed.stderr[-1500:]
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{output}")
    return completed.stdout


def write_results(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
