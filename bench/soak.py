"""Soak: the generated monolith at half its measured capacity for ten minutes.

    uv run python -m bench.soak [--minutes 10] [--warmup 60] [--json bench/results/soak.json]

Prepares the generated project as ``bench.throughput`` does (production settings, 10,000
seeded rows, one uvicorn worker), with everything on, tracing included (exported to a loopback
sink), and a 1 s cache TTL so the reads by random id keep missing and refilling the cache;
then:

1. **Capacity**: wrk with 64 connections for 10 s on a mix of 80 % ``GET`` by random id, 10 %
   list pages and 10 % ``POST``: the requests/s it sustains.
2. **Warm-up** for ``--warmup`` seconds at half that rate, so caches, pools and the
   allocator reach their working size; the resident set after it is the baseline.
3. **Soak** for ``--minutes`` at half the capacity (wrk paces each of 16 connections with a
   fixed delay between requests, less the request time the warm-up showed), sampling every
   15 s the server's resident set, its PostgreSQL connections (``pg_stat_activity``) and its
   Redis clients (``INFO clients``).

It passes when the soak had no error (non-2xx answer or socket error), the resident set grew
less than 10 % over the baseline, and neither connection count ended above where it began
(a leak grows with every request; a pool does not).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console
from rich.table import Table

from archgen._smoke._services import local_postgres, local_redis
from bench import _monolith
from bench._harness import run, write_results
from bench._serving import serving
from bench._wrk import wrk

SAMPLE_SECONDS = 15
CAPACITY_SECONDS = 10
CAPACITY_CONNECTIONS = 64
SOAK_CONNECTIONS = 16
MAX_RSS_GROWTH = 0.10

# 80 % reads by random id, 10 % list pages, 10 % creates with a unique name; `delay` paces
# each connection (0 while measuring capacity).
MIXED = """
ids = {{{ids}}}
local threads, counter = 0, 0
setup = function(thread) threads = threads + 1; thread:set("prefix", "{tag}" .. threads) end
request = function()
  local roll = math.random(100)
  if roll <= 80 then
    return wrk.format("GET", "/api/v1/catalog/categories/" .. ids[math.random(#ids)])
  elseif roll <= 90 then
    return wrk.format("GET", "/api/v1/catalog/categories?limit=50")
  end
  counter = counter + 1
  local body = '{{"name": "' .. prefix .. "-" .. counter .. '"}}'
  return wrk.format("POST", "/api/v1/catalog/categories", nil, body)
end
delay = function() return {delay_ms} end
"""


def _wrk(url: str, token: str, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    headers = [f"Authorization: Bearer {token}", "Content-Type: application/json"]
    return wrk(
        f"{url}/api/v1/catalog/categories", connections=connections, seconds=seconds,
        headers=headers, script=script,
    )  # fmt: skip


def _script(workdir: Path, ids: list[str], tag: str, delay_ms: int) -> Path:
    script = workdir / f"{tag}.lua"
    quoted = ", ".join(f'"{i}"' for i in ids)
    script.write_text(MIXED.format(ids=quoted, tag=tag, delay_ms=delay_ms), encoding="utf-8")
    return script


def _sample(pid: int, postgres: str, redis: str) -> dict[str, float]:
    """The server's resident set (MiB), PostgreSQL client connections and Redis clients."""
    others = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' " \
        "AND pid <> pg_backend_pid()"  # fmt: skip
    clients = subprocess.run(
        ["redis-cli", "-u", redis, "INFO", "clients"], capture_output=True, text=True, check=True
    ).stdout
    connected = next(
        line.split(":")[1] for line in clients.splitlines() if line.startswith("connected_clients")
    )
    return {
        "rss_mib": psutil.Process(pid).memory_info().rss / 2**20,
        "postgres_connections": int(run(["psql", postgres, "-Atc", others], Path.cwd())),
        "redis_clients": int(connected) - 1,  # not counting redis-cli itself
    }


def _soak(
    url: str, token: str, script: Path, seconds: int, probe: Any
) -> tuple[dict[str, Any], list[dict[str, float]]]:
    """wrk for ``seconds`` in a thread, sampling with ``probe`` meanwhile."""
    result: dict[str, Any] = {}
    load = threading.Thread(
        target=lambda: result.update(_wrk(url, token, script, SOAK_CONNECTIONS, seconds))
    )
    samples = [probe()]
    started = time.monotonic()
    load.start()
    while load.is_alive():
        load.join(timeout=SAMPLE_SECONDS)
        if load.is_alive():
            samples.append({"second": round(time.monotonic() - started), **probe()})
    samples.append({"second": round(time.monotonic() - started), **probe()})
    if not result:
        raise SystemExit("wrk did not finish the soak")
    return result, samples


def _delay_ms(target_rps: float, latency_ms: float) -> int:
    """The pause per connection that makes SOAK_CONNECTIONS send ``target_rps`` in all."""
    return max(1, round(1000 * SOAK_CONNECTIONS / target_rps - latency_ms))


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        otlp = stack.enter_context(_monolith.trace_sink())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soak-")))
        app, _ = _monolith.prepare(workdir, postgres, redis, python=None, otlp=otlp)
        # Reads by random id with a 1 s cache TTL: most miss, and the cache keeps churning.
        app = app._replace(env={**app.env, "CACHE_TTL_SECONDS": "1"})
        ids = app.ids
        url, pid = stack.enter_context(serving(app))
        token = _monolith.token(url)
        capacity = _wrk(
            url, token, _script(workdir, ids, "capacity", 0), CAPACITY_CONNECTIONS,
            CAPACITY_SECONDS,
        )  # fmt: skip
        target = capacity["rps"] / 2
        warm_delay_ms = _delay_ms(target, latency_ms=0.0)
        warm_script = _script(workdir, ids, "warm", warm_delay_ms)
        warm = _wrk(url, token, warm_script, SOAK_CONNECTIONS, args.warmup)
        # Each connection's cycle is its delay plus the request's own time: the warm-up shows
        # that time at this load, and the soak's delay leaves room for it.
        latency_ms = max(0.0, 1000 * SOAK_CONNECTIONS / warm["rps"] - warm_delay_ms)
        delay_ms = _delay_ms(target, latency_ms)
        soak, samples = _soak(
            url, token, _script(workdir, ids, "soak", delay_ms), args.minutes * 60,
            lambda: _sample(pid, postgres, redis),
        )  # fmt: skip
    baseline, last = samples[0], samples[-1]
    growth = last["rss_mib"] / baseline["rss_mib"] - 1
    return {
        "minutes": args.minutes,
        "capacity_rps": capacity["rps"],
        "target_rps": target,
        "warmup": warm,
        "soak": soak,
        "rss_growth": growth,
        "samples": samples,
        "passed": {
            "no_errors": soak["errors"] == 0,
            "rss_growth_under_10_percent": growth < MAX_RSS_GROWTH,
            "no_postgres_connection_leak": last["postgres_connections"]
            <= max(s["postgres_connections"] for s in samples[:2]),
            "no_redis_connection_leak": last["redis_clients"]
            <= max(s["redis_clients"] for s in samples[:2]),
        },
    }


def _print(results: dict[str, Any]) -> None:
    console = Console(width=120)
    soak, samples = results["soak"], results["samples"]
    console.print(
        f"capacity {results['capacity_rps']:.0f} requests/s (mixed, 64 connections); soak "
        f"target {results['target_rps']:.0f}, achieved {soak['rps']:.0f} requests/s for "
        f"{results['minutes']} min: {soak['requests']} requests, {soak['errors']} errors, "
        f"p50 {soak['p50_ms']:.1f} ms, p99 {soak['p99_ms']:.1f} ms"
    )
    table = Table(title="Samples during the soak")
    for column in ("second", "resident set (MiB)", "PostgreSQL connections", "Redis clients"):
        table.add_column(column, justify="right")
    for sample in samples:
        table.add_row(
            str(sample.get("second", "baseline")), f"{sample['rss_mib']:.1f}",
            str(sample["postgres_connections"]), str(sample["redis_clients"]),
        )  # fmt: skip
    console.print(table)
    console.print(f"resident set growth: {results['rss_growth']:+.1%}")
    for check, passed in results["passed"].items():
        console.print(f"{'pass' if passed else 'FAIL'}  {check.replace('_', ' ')}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak")
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=60, help="seconds before the baseline")
    parser.add_argument("--json", type=Path, default=Path("bench/results/soak.json"))
    args = parser.parse_args()
    results = measure(args)
    _print(results)
    write_results(args.json, results)
    if not all(results["passed"].values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
