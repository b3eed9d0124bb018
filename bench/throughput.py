"""Requests per second and latency of the generated monolith, against a bare FastAPI app.

    uv run python -m bench.throughput [--seconds 10] [--connections 64] [--rounds 2]
                                     [--json bench/results/throughput.json]

Renders the modular monolith with its defaults, installs it, migrates a local PostgreSQL and
seeds 10,000 categories, then serves it with one uvicorn worker and everything on: bearer
auth, the rate limiter (set high enough never to refuse), JSON access logs, metrics, and
traces exported over OTLP to a loopback sink. The reference is a bare FastAPI + asyncpg app,
written here, that runs the same queries on the same tables with one worker. wrk (the Debian
package) drives both with the same settings, alternating generated and bare for each
scenario, ``--rounds`` times:

| scenario | request |
| --- | --- |
| ``get_hit`` | ``GET`` one category, the same id every time (the generated app's cache hits) |
| ``get_miss`` | ``GET`` a random one of the 10,000 (the cache's TTL is set to 1 s, so most miss) |
| ``list`` | ``GET`` a page of 50 |
| ``create`` | ``POST`` a new category with a unique name |

Reported per scenario and app: requests/s, p50 and p99 latency, errors (non-2xx answers and
socket errors), and the generated/bare requests/s ratio; the best round of each. The
generated app's cache hit ratio for ``get_miss`` comes from its own ``/metrics``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from rich.console import Console
from rich.table import Table

import archgen
from archgen._smoke._services import HOST, free_port, local_postgres, local_redis
from bench._harness import clean_environment, run, write_results

SEEDED_ROWS = 10_000
PASSWORD = "a long benchmark passphrase"
SCENARIOS = ("get_hit", "get_miss", "list", "create")

BARE_APP = '''"""The reference: FastAPI and an asyncpg pool, the same queries, nothing else."""

import os
import uuid
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel

COLUMNS = "id, name, description, created_at, updated_at"
pools = {}


@asynccontextmanager
async def lifespan(app):
    pools["db"] = await asyncpg.create_pool(os.environ["BARE_DATABASE_URL"], min_size=5, max_size=5)
    yield
    await pools["db"].close()


app = FastAPI(lifespan=lifespan)


class CategoryCreate(BaseModel):
    name: str
    description: str | None = None


@app.get("/api/v1/catalog/categories/{category_id}")
async def get_category(category_id: uuid.UUID) -> dict:
    query = f"SELECT {COLUMNS} FROM catalog_categories WHERE id = $1"
    row = await pools["db"].fetchrow(query, category_id)
    if row is None:
        raise HTTPException(404)
    return dict(row)


@app.get("/api/v1/catalog/categories")
async def list_categories(limit: int = 50) -> dict:
    rows = await pools["db"].fetch(
        f"SELECT {COLUMNS} FROM catalog_categories ORDER BY created_at, id LIMIT $1", limit
    )
    return {"items": [dict(row) for row in rows], "next_cursor": None}


@app.post("/api/v1/catalog/categories", status_code=201)
async def create_category(data: CategoryCreate, response: Response) -> dict:
    row = await pools["db"].fetchrow(
        "INSERT INTO catalog_categories (id, name, description) VALUES ($1, $2, $3) "
        f"RETURNING {COLUMNS}",
        uuid.uuid4(), data.name, data.description,
    )
    response.headers["Location"] = f"/api/v1/catalog/categories/{row['id']}"
    return dict(row)
'''

# wrk scripts: a random id per request, and a unique name per POST (thread id + counter).
GET_RANDOM = """
ids = {{{ids}}}
request = function()
  return wrk.format("GET", "/api/v1/catalog/categories/" .. ids[math.random(#ids)])
end
"""
CREATE = """
local threads, counter = 0, 0
setup = function(thread) threads = threads + 1; thread:set("prefix", "{tag}" .. threads) end
request = function()
  counter = counter + 1
  local body = '{{"name": "' .. prefix .. "-" .. counter .. '"}}'
  return wrk.format("POST", "/api/v1/catalog/categories", nil, body)
end
"""


class _TraceSink(BaseHTTPRequestHandler):
    """Accepts OTLP/HTTP exports and drops them: tracing stays on, at no collector's cost."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def trace_sink() -> Iterator[str]:
    server = ThreadingHTTPServer((HOST, free_port()), _TraceSink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()


class Served(NamedTuple):
    url: str
    pid: int


@contextmanager
def serving(project: Path, app: str, env: dict[str, str]) -> Iterator[Served]:
    """One uvicorn worker serving ``app`` on a free loopback port, until the block ends."""
    port = free_port()
    command = [".venv/bin/uvicorn", app, "--host", HOST, "--port", str(port), "--no-access-log"]
    if app.endswith("create_app"):
        command.append("--factory")
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://{HOST}:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/docs", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"{app} did not start")
        yield Served(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _prepare(
    workdir: Path, postgres: str, redis: str, otlp: str
) -> tuple[Path, str, dict[str, str]]:
    """The rendered, installed, migrated and seeded project, its package, and the app's
    environment."""
    result = archgen.generate(workdir / "project", pattern="modular-monolith", answers={})
    project, package = result.destination, str(result.answers["package_name"])
    run(["uv", "sync", "--quiet", "--no-dev"], project)
    env = clean_environment()
    env.update(
        DATABASE_URL=postgres.replace("postgresql://", "postgresql+asyncpg://"),
        BARE_DATABASE_URL=postgres,
        REDIS_URL=redis,
        OTLP_ENDPOINT=otlp,
        LOG_LEVEL="INFO",
        RATE_LIMIT_PER_MINUTE="100000000",
        CACHE_TTL_SECONDS="1",
        ENVIRONMENT="development",
    )
    run([".venv/bin/alembic", "upgrade", "head"], project, env)
    seed = (
        "INSERT INTO catalog_categories (id, name) "
        f"SELECT gen_random_uuid(), 'seeded-' || n FROM generate_series(1, {SEEDED_ROWS}) n"
    )
    run(["psql", postgres, "-qc", seed], project)
    manage = [".venv/bin/python", "-m", f"{package}.manage", "create-user", "bench@example.com"]
    run([*manage, "--role", "admin"], project, env, stdin=PASSWORD + "\n")
    (project / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
    return project, package, env


def _token(url: str) -> str:
    credentials = {"email": "bench@example.com", "password": PASSWORD}
    response = httpx.post(f"{url}/api/v1/auth/token", json=credentials)
    response.raise_for_status()
    return str(response.json()["access_token"])


def _wrk(
    url: str, args: argparse.Namespace, token: str, script: Path | None, path: str, seconds: int
) -> dict[str, Any]:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url + path], capture_output=True, text=True, check=True
    ).stdout
    return _parse_wrk(output)


def _parse_wrk(output: str) -> dict[str, Any]:
    def milliseconds(label: str) -> float:
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if found is None:
            raise SystemExit(f"no {label} latency in wrk's output:\n{output}")
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", output)[1])  # type: ignore[index]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(non_2xx[1]) if non_2xx else 0) + (
        sum(map(int, sockets.groups())) if sockets else 0
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    return {
        "requests": requests,
        "rps": rate,
        "p50_ms": milliseconds("50%"),
        "p99_ms": milliseconds("99%"),
        "errors": errors,
    }


def _scenario_request(
    name: str, workdir: Path, ids: list[str], tag: str
) -> tuple[Path | None, str]:
    if name == "get_hit":
        return None, f"/api/v1/catalog/categories/{ids[0]}"
    if name == "list":
        return None, "/api/v1/catalog/categories?limit=50"
    script = workdir / f"{name}-{tag}.lua"
    if name == "get_miss":
        script.write_text(GET_RANDOM.format(ids=", ".join(f'"{i}"' for i in ids)))
    else:
        script.write_text(CREATE.format(tag=tag))
    return script, "/api/v1/catalog/categories"


def _cache_hit_ratio(url: str) -> float | None:
    counts = dict.fromkeys(("hit", "miss"), 0.0)
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        match = re.match(r'cache_lookups_total\{result="(hit|miss)"\} ([\d.e+]+)', line)
        if match:
            counts[match[1]] = float(match[2])
    total = counts["hit"] + counts["miss"]
    return counts["hit"] / total if total else None


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Alternate the generated and the bare app on every scenario; the best round of each."""
    results: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in SCENARIOS}
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        otlp = stack.enter_context(trace_sink())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        project, package, env = _prepare(workdir, postgres, redis, otlp)
        apps = {"generated": f"{package}.main:create_app", "bare": "bare_app:app"}
        ids = run(["psql", postgres, "-Atc", "SELECT id FROM catalog_categories"], project).split()
        for round_ in range(args.rounds):
            for name in SCENARIOS:
                for app, target in apps.items():
                    with serving(project, target, env) as (url, _):
                        token = _token(url) if app == "generated" else "unused"
                        for phase, seconds in (("warm", 2), ("run", args.seconds)):
                            tag = f"{app}-{round_}-{phase}"  # POSTs make names unique with it
                            script, path = _scenario_request(name, workdir, ids, tag)
                            figures = _wrk(url, args, token, script, path, seconds)
                        if app == "generated" and name == "get_miss":
                            figures["cache_hit_ratio"] = _cache_hit_ratio(url)
                    best = results[name].get(app)
                    if best is None or figures["rps"] > best["rps"]:
                        results[name][app] = figures
    for figures in results.values():
        figures["ratio"] = figures["generated"]["rps"] / figures["bare"]["rps"]
    return {
        "seconds": args.seconds,
        "connections": args.connections,
        "rounds": args.rounds,
        "scenarios": results,
    }


def _print(results: dict[str, Any]) -> None:
    table = Table(
        title=f"One uvicorn worker, wrk with {results['connections']} connections for "
        f"{results['seconds']} s, best of {results['rounds']}"
    )
    for column in (
        "scenario",
        "app",
        "requests/s",
        "p50 (ms)",
        "p99 (ms)",
        "errors",
        "generated/bare",
    ):
        table.add_column(column, justify="left" if column in ("scenario", "app") else "right")
    for name, figures in results["scenarios"].items():
        for app in ("generated", "bare"):
            row = figures[app]
            ratio = f"{figures['ratio']:.2f}" if app == "generated" else ""
            table.add_row(
                name, app, f"{row['rps']:.0f}", f"{row['p50_ms']:.1f}", f"{row['p99_ms']:.1f}",
                str(row["errors"]), ratio,
            )  # fmt: skip
    console = Console(width=120)
    console.print(table)
    hit_ratio = results["scenarios"]["get_miss"]["generated"].get("cache_hit_ratio")
    if hit_ratio is not None:
        console.print(f"get_miss: the generated app's cache hit ratio was {hit_ratio:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=Path("bench/results/throughput.json"))
    args = parser.parse_args()
    results = measure(args)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
