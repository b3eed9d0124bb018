"""Render time, time to green and app import time, for every blueprint.

    uv run python -m bench.time_to_green [--renders 3] [--imports 5]
                                        [--json bench/results/time-to-green.json]

For each pattern, with the default answers and domain:

| figure | what it covers |
| --- | --- |
| ``render`` | median wall time of a render alone (Copier and archgen's checks, no install) |
| ``files`` | files emitted |
| ``new`` | ``archgen new``: the render plus the OpenAPI/AsyncAPI and docs export |
| ``install`` | ``uv sync`` of the new project (a first render is installed before: warm cache) |
| ``smoke`` | ``archgen smoke --runtime local``: local servers, migrations, boot, smoke checks |
| ``green`` | ``new`` + ``install`` + ``smoke`` |
| ``import`` | median time to import the app's module in a fresh interpreter |
| ``import_ratio`` | that, over a bare import of FastAPI, SQLAlchemy, asyncpg and redis |
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import archgen
from bench._harness import clean_environment, run, write_results

PATTERNS = ("modular-monolith", "serverless", "microservices")
BARE_IMPORT = "import fastapi, sqlalchemy.ext.asyncio, asyncpg, redis.asyncio"
APP_MODULES = {
    "modular-monolith": "{package}.main",
    "serverless": "{package}.main",
    "microservices": "{package}.services.catalog.main",
}


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    run(command, cwd, clean_environment())
    return time.perf_counter() - started


def _import_seconds(python: Path, statement: str, cwd: Path) -> float:
    """Seconds to run ``statement`` in a fresh interpreter that may use bytecode caches."""
    script = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    return float(run([str(python), "-c", script], cwd, clean_environment()))


def measure_pattern(pattern: str, workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    renders = []
    for attempt in range(args.renders):
        started = time.perf_counter()
        result = archgen.generate(
            workdir / f"render-{attempt}", pattern=pattern, answers={}, export_openapi=False
        )
        renders.append(time.perf_counter() - started)
    files = sum(1 for path in result.destination.rglob("*") if path.is_file())
    package = str(result.answers["package_name"])

    # Warm the package cache with the first render, so `install` measures a warm install.
    warm = result.destination
    sync = ["uv", "sync", "--quiet"] + (["--all-packages"] if pattern == "microservices" else [])
    _timed(sync, warm)

    project = workdir / "green"
    archgen_cli = [str(Path(sys.executable).parent / "archgen")]
    new = _timed([*archgen_cli, "new", str(project), "--pattern", pattern, "--defaults"], workdir)
    install = _timed(sync, project)
    smoke = _timed([*archgen_cli, "smoke", str(project), "--runtime", "local"], workdir)

    python = project / ".venv" / "bin" / "python"
    module = APP_MODULES[pattern].format(package=package)
    imports: dict[str, list[float]] = {"app": [], "bare": []}
    _import_seconds(python, f"import {module}", project)  # writes the bytecode caches
    for _ in range(args.imports):
        imports["app"].append(_import_seconds(python, f"import {module}", project))
        imports["bare"].append(_import_seconds(python, BARE_IMPORT, project))
    app_import, bare_import = (statistics.median(imports[k]) for k in ("app", "bare"))
    return {
        "render": statistics.median(renders),
        "files": files,
        "new": new,
        "install": install,
        "smoke": smoke,
        "green": new + install + smoke,
        "import": app_import,
        "import_bare": bare_import,
        "import_ratio": app_import / bare_import,
    }


def _print(results: dict[str, dict[str, Any]]) -> None:
    table = Table(title="Render, time to green (seconds) and app import, default answers")
    columns = ("render", "files", "new", "install", "smoke", "green", "import", "import_ratio")
    table.add_column("pattern")
    for column in columns:
        table.add_column(column, justify="right")
    for pattern, figures in results.items():
        cells = [str(figures[c]) if c == "files" else f"{figures[c]:.2f}" for c in columns]
        table.add_row(pattern, *cells)
    Console(width=120).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.time_to_green")
    parser.add_argument("--renders", type=int, default=3)
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--pattern", choices=PATTERNS, action="append")
    parser.add_argument("--json", type=Path, default=Path("bench/results/time-to-green.json"))
    args = parser.parse_args()
    results = {}
    for pattern in args.pattern or PATTERNS:
        with tempfile.TemporaryDirectory(prefix="bench-green-") as workdir:
            results[pattern] = measure_pattern(pattern, Path(workdir), args)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
