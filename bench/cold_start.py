"""Cold start of the serverless API function, against a bare FastAPI + Mangum handler.

    uv run python -m bench.cold_start [--runs 7] [--json bench/results/cold-start.json]

Renders the serverless blueprint with its defaults, installs it, and starts a local
PostgreSQL and Redis (archgen smoke's local servers). Each run is a fresh interpreter, as a
new Lambda instance is: it imports the handler module (``import``), then invokes it with an
API Gateway HTTP API event for ``/health/ready``, which opens the first database and Redis
connections (``first``), then invokes it again (``warm``). The reference is a bare handler
measured in the same way, in the same run, alternating with the generated one: FastAPI and
Mangum with one route that runs ``SELECT 1`` through an asyncpg pool and pings Redis.
Reported: the median of each phase, and cold start (import + first) as a ratio to the bare
handler's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import archgen
from archgen._smoke._services import local_postgres, local_redis
from bench._harness import clean_environment, run, write_results

PHASES = ("import", "first", "warm")

# Each measurement runs in a fresh interpreter of the project's environment.
_GENERATED = """
import json, time
t0 = time.perf_counter()
from {package}.functions import api
t1 = time.perf_counter()
from tools.payloads import LocalContext, http_api_event
first = api.handler(http_api_event("GET", "/health/ready"), LocalContext("api"))
t2 = time.perf_counter()
warm = api.handler(http_api_event("GET", "/health/ready"), LocalContext("api"))
t3 = time.perf_counter()
assert first["statusCode"] == warm["statusCode"] == 200, (first, warm)
print(json.dumps({{"import": t1 - t0, "first": t2 - t1, "warm": t3 - t2}}))
"""

_BARE = """
import json, time
t0 = time.perf_counter()
import asyncio, os
import asyncpg
from fastapi import FastAPI
from mangum import Mangum
from redis.asyncio import Redis
app = FastAPI()
state = {{}}
@app.get("/health/ready")
async def ready() -> dict[str, str]:
    if "pool" not in state:
        url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
        state["pool"] = await asyncpg.create_pool(url, min_size=1, max_size=2)
        state["redis"] = Redis.from_url(os.environ["REDIS_URL"])
    await state["pool"].fetchval("SELECT 1")
    await state["redis"].ping()
    return {{"status": "ok"}}
asyncio.set_event_loop(asyncio.new_event_loop())
handler = Mangum(app, lifespan="off")
t1 = time.perf_counter()
from tools.payloads import LocalContext, http_api_event
first = handler(http_api_event("GET", "/health/ready"), LocalContext("bare"))
t2 = time.perf_counter()
warm = handler(http_api_event("GET", "/health/ready"), LocalContext("bare"))
t3 = time.perf_counter()
assert first["statusCode"] == warm["statusCode"] == 200, (first, warm)
print(json.dumps({{"import": t1 - t0, "first": t2 - t1, "warm": t3 - t2}}))
"""


def _prepare(workdir: Path, postgres: str, redis: str) -> tuple[Path, str, dict[str, str]]:
    """The rendered, installed and migrated project, its package, and its environment."""
    result = archgen.generate(workdir / "project", pattern="serverless", answers={})
    project, package = result.destination, str(result.answers["package_name"])
    run(["uv", "sync", "--quiet", "--no-dev"], project)
    env = {k: v for k, v in clean_environment().items() if not k.startswith("AWS_")}
    env.update(DATABASE_URL=postgres, REDIS_URL=redis, LOG_LEVEL="WARNING")
    env.update(ENVIRONMENT="development")
    run([".venv/bin/alembic", "upgrade", "head"], project, env)
    return project, package, env


def measure(runs: int) -> dict[str, Any]:
    """Alternate generated and bare cold starts ``runs`` times; the medians of each phase."""
    samples: dict[str, list[dict[str, float]]] = {"generated": [], "bare": []}
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        project, package, env = _prepare(workdir, postgres, redis)
        python = str(project / ".venv" / "bin" / "python")
        scripts = {"generated": _GENERATED, "bare": _BARE}
        for script in scripts.values():  # once each, to write the bytecode caches
            run([python, "-c", script.format(package=package)], project, env)
        for _ in range(runs):
            for name, script in scripts.items():
                output = run([python, "-c", script.format(package=package)], project, env)
                samples[name].append(json.loads(output))
    medians = {
        name: {phase: statistics.median(s[phase] for s in runs_) for phase in PHASES}
        for name, runs_ in samples.items()
    }
    for figures in medians.values():
        figures["cold_start"] = figures["import"] + figures["first"]
    ratio = medians["generated"]["cold_start"] / medians["bare"]["cold_start"]
    return {"runs": runs, "medians_seconds": medians, "cold_start_ratio_to_bare": ratio}


def _print(results: dict[str, Any]) -> None:
    table = Table(title=f"API function cold start, median of {results['runs']} fresh processes")
    table.add_column("handler")
    for column in (*PHASES, "cold_start"):
        table.add_column(f"{column} (ms)", justify="right")
    for name, figures in results["medians_seconds"].items():
        cells = [f"{figures[c] * 1000:.0f}" for c in (*PHASES, "cold_start")]
        table.add_row(name, *cells)
    console = Console()
    console.print(table)
    console.print(f"cold start, generated / bare: {results['cold_start_ratio_to_bare']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, default=Path("bench/results/cold-start.json"))
    args = parser.parse_args()
    results = measure(args.runs)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
