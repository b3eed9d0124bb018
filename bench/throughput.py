"""CPU per request, requests/s and latency of the generated monolith, a bare app and a peer.

    uv run python -m bench.throughput [--seconds 10] [--connections 64] [--rounds 2]
                                     [--workers 1 [2 ...]] [--python 3.12] [--tracing]
                                     [--scenarios get_hit get_miss list create]
                                     [--json bench/results/throughput.json]

Three apps on one local PostgreSQL (and one Redis), each seeded with 10,000 rows and served
by uvicorn with ``--workers`` processes, all on the same interpreter (``--python``):

- ``generated``: the modular monolith with its defaults, production settings and everything
  on but tracing (``--tracing`` turns it on, exporting to a loopback sink); see
  ``bench._monolith``.
- ``bare``: FastAPI and an asyncpg pool running the same queries on the same table.
- ``s3rius``: s3rius's generated app (``fastapi-template`` 6.1.2, SQLAlchemy, no auth),
  rendered from PyPI at bench time; see ``bench._peer``.

wrk drives each with the same settings, the apps alternating on every scenario, ``--rounds``
times, for each worker count in turn:

| scenario | request |
| --- | --- |
| ``get_hit`` | ``GET`` one row, the same id every time (the generated app's cache hits) |
| ``get_miss`` | ``GET`` one row, each id once (see below): every read misses the cache |
| ``list`` | ``GET`` a page of 50 |
| ``create`` | create a row with a unique name |

The misses are by construction, with the generated app's production TTL: its Redis is emptied
before each ``get_miss`` warm-up, wrk's threads walk the seeded ids in turn, the measured run
from one end of the list and the warm-up from the other, so no id is read twice unless the
two send more requests than there are ids (the output says so when they did).

Each run is 2 s of warm-up, then ``--seconds`` measured. For each run: requests/s, p50, p99,
errors (non-2xx answers and socket errors) and the server's CPU milliseconds per request (user
plus system time of the uvicorn process and its workers, from /proc before and after the
measured run, over the requests wrk completed). The table gives the range over the rounds,
and the ratios of the best rounds: generated over bare, and generated over s3rius's app. The
generated app's cache hit ratio on the two ``GET`` scenarios comes from its ``/metrics``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any, NamedTuple

from rich.console import Console
from rich.table import Table

from archgen._smoke._services import local_postgres, local_redis
from bench import _monolith, _peer
from bench._harness import run, write_results
from bench._serving import App, cpu_seconds, serving
from bench._wrk import creates, unique_gets, wrk

SCENARIOS = ("get_hit", "get_miss", "list", "create")
APPS = ("generated", "bare", _peer.APP)
WARM_SECONDS = 2


def scenario_request(app: App, scenario: str, phase: str, script: Path) -> tuple[str, Path | None]:
    """The path wrk requests for ``scenario`` on ``app`` in ``phase``, and the script (written
    to ``script``) that varies it, if any."""
    if scenario == "get_hit":
        return app.item_path + app.ids[0], None
    if scenario == "list":
        return app.list_path, None
    if scenario == "get_miss":
        # The warm-up walks the ids from the other end: the reads still in flight when it
        # stops store ids the measured run reaches last, if ever.
        ids = app.ids if phase == "run" else app.ids[::-1]
        script.write_text(unique_gets(app.item_path, ids), encoding="utf-8")
        return app.item_path, script
    method, path = app.create
    script.write_text(creates(method, path, script.stem), encoding="utf-8")
    return path, script


class _Bench(NamedTuple):
    """What every run shares."""

    workdir: Path  # wrk's scripts go here
    redis: str  # the generated app's Redis, emptied before each get_miss run's warm-up
    connections: int
    seconds: int


def _run(bench: _Bench, app: App, scenario: str, workers: int, tag: str) -> dict[str, Any]:
    """One run of ``scenario`` on a freshly started ``app``: warm-up, then the measured run."""
    with serving(app, workers) as (url, pid):
        token = app.login(url) if app.login else "unused"
        headers = [f"Authorization: Bearer {token}", "Content-Type: application/json"]
        if scenario == "get_miss":  # no id read from here on is in the cache
            run(["redis-cli", "-u", bench.redis, "FLUSHDB"], bench.workdir)
        sent = 0
        for phase, seconds in (("warm", WARM_SECONDS), ("run", bench.seconds)):
            script = bench.workdir / f"{tag}-{phase}.lua"
            path, script_or_none = scenario_request(app, scenario, phase, script)
            before = cpu_seconds(pid)
            figures = wrk(
                url + path, connections=bench.connections, seconds=seconds, headers=headers,
                script=script_or_none,
            )  # fmt: skip
            spent = cpu_seconds(pid) - before
            sent += figures["requests"]
        figures["cpu_ms_per_request"] = 1000 * spent / max(figures["requests"], 1)
        # Shows other work on the machine, which inflates CPU per request and cuts the rate.
        figures["load_average"] = os.getloadavg()[0]
        if app.name == "generated" and scenario in ("get_hit", "get_miss"):  # the cached app
            figures["cache_hit_ratio"] = _monolith.cache_hit_ratio(url)
            figures["ids_read_twice"] = scenario == "get_miss" and sent > len(app.ids)
    return figures


def _summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The range of each figure over the rounds; errors (timeouts among them) added up."""
    summary: dict[str, Any] = {
        count: sum(r[count] for r in rounds) for count in ("errors", "non_2xx", "timeouts")
    }
    for figure in ("cpu_ms_per_request", "rps", "p50_ms", "p99_ms"):
        values = [r[figure] for r in rounds]
        summary[figure] = [min(values), max(values)]
    hit_ratios = [r["cache_hit_ratio"] for r in rounds if r.get("cache_hit_ratio") is not None]
    if hit_ratios:
        summary["cache_hit_ratio"] = [min(hit_ratios), max(hit_ratios)]
    summary["ids_read_twice"] = any(r.get("ids_read_twice") for r in rounds)
    return summary


def _ratios(by_app: dict[str, dict[str, Any]], other: str) -> dict[str, float]:
    """Generated over ``other``, best round against best round: the lowest CPU per request
    and the highest requests/s (a shared machine's noise only adds CPU and removes rate)."""
    generated, reference = by_app["generated"]["summary"], by_app[other]["summary"]
    return {
        "cpu_ms_per_request": generated["cpu_ms_per_request"][0]
        / reference["cpu_ms_per_request"][0],
        "rps": generated["rps"][1] / reference["rps"][1],
    }


def _require_python(version: str) -> None:
    if subprocess.run(["uv", "python", "find", version], capture_output=True).returncode:
        raise SystemExit(
            f"no Python {version} visible to uv: s3rius's app needs Python >= 3.12 "
            "(scripts/bench makes pyenv's interpreters visible; or pass --python)"
        )


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every app on every scenario, alternated, ``--rounds`` times per worker count."""
    _require_python(args.python)
    runs: dict[int, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        otlp = stack.enter_context(_monolith.trace_sink()) if args.tracing else None
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        bench = _Bench(workdir, redis, args.connections, args.seconds)
        generated, bare = _monolith.prepare(workdir, postgres, redis, python=args.python, otlp=otlp)
        peer = _peer.prepare(workdir, postgres, python=args.python, rows=_monolith.SEEDED_ROWS)
        apps = (generated, bare, peer)
        pythons = {app.name: _python_version(app) for app in apps}
        for workers in args.workers:
            runs[workers] = {s: {app.name: [] for app in apps} for s in args.scenarios}
            for round_ in range(args.rounds):
                for scenario in args.scenarios:
                    for app in apps:
                        tag = f"{app.name}-w{workers}-r{round_}-{scenario}"
                        figures = _run(bench, app, scenario, workers, tag)
                        runs[workers][scenario][app.name].append(figures)
    results: dict[str, Any] = {}
    for workers, scenarios in runs.items():
        results[str(workers)] = {}
        for scenario, by_app in scenarios.items():
            entry: dict[str, Any] = {
                name: {"rounds": rounds, "summary": _summary(rounds)}
                for name, rounds in by_app.items()
            }
            entry["ratios"] = {other: _ratios(entry, other) for other in ("bare", _peer.APP)}
            results[str(workers)][scenario] = entry
    return {
        "seconds": args.seconds, "connections": args.connections, "rounds": args.rounds,
        "tracing": args.tracing, "python": pythons, "workers": results,
    }  # fmt: skip


def _python_version(app: App) -> str:
    python = str(app.project / ".venv/bin/python")
    return subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def _span(values: list[float], digits: int) -> str:
    low, high = (f"{v:,.{digits}f}" for v in values)
    return low if low == high else f"{low}-{high}"


def _errors(figures: dict[str, Any]) -> str:
    timeouts = f" ({figures['timeouts']} timeouts)" if figures["timeouts"] else ""
    return f"{figures['errors']}{timeouts}"


def _print(results: dict[str, Any]) -> None:
    console = Console(width=160)
    pythons = ", ".join(f"{app} {version}" for app, version in results["python"].items())
    for workers, scenarios in results["workers"].items():
        table = Table(
            title=f"{workers} uvicorn worker(s) per app; wrk, {results['connections']} "
            f"connections, {results['seconds']} s, {results['rounds']} round(s): range over "
            f"the rounds; ratios of the best rounds. Tracing "
            f"{'on' if results['tracing'] else 'off'}. Python: {pythons}"
        )
        columns = (
            "scenario", "app", "CPU ms/request", "requests/s", "p50 ms", "p99 ms", "errors",
            "CPU vs bare", "req/s vs bare", "CPU vs s3rius", "req/s vs s3rius",
        )  # fmt: skip
        for column in columns:
            table.add_column(column, justify="left" if column in ("scenario", "app") else "right")
        for scenario, entry in scenarios.items():
            for app in APPS:
                figures = entry[app]["summary"]
                ratios = ["", "", "", ""]
                if app == "generated":
                    bare, peer = entry["ratios"]["bare"], entry["ratios"][_peer.APP]
                    ratios = [
                        f"{bare['cpu_ms_per_request']:.2f}", f"{bare['rps']:.2f}",
                        f"{peer['cpu_ms_per_request']:.2f}", f"{peer['rps']:.2f}",
                    ]  # fmt: skip
                table.add_row(
                    scenario, app, _span(figures["cpu_ms_per_request"], 2),
                    _span(figures["rps"], 0), _span(figures["p50_ms"], 1),
                    _span(figures["p99_ms"], 1), _errors(figures), *ratios,
                )  # fmt: skip
        console.print(table)
        gets = [s for s in ("get_hit", "get_miss") if s in scenarios]
        hits = {s: scenarios[s]["generated"]["summary"] for s in gets}
        if hits:
            console.print(
                "the generated app's cache hit ratio: "
                + ", ".join(
                    f"{s} {_span([100 * r for r in h['cache_hit_ratio']], 1)} %"
                    for s, h in hits.items()
                    if "cache_hit_ratio" in h
                )
            )
        if "get_miss" in hits and hits["get_miss"]["ids_read_twice"]:
            console.print(
                "[bold]get_miss: warm-up and run sent the generated app more requests than "
                "there are ids, so some ids were read twice (cache hits)[/bold]"
            )
        loads = [
            r["load_average"] for e in scenarios.values() for a in APPS for r in e[a]["rounds"]
        ]
        console.print(
            f"load average (1 min) after the runs: {_span([min(loads), max(loads)], 1)} "
            "(other work on the machine raises it above what the bench itself runs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1], help="uvicorn workers per app, in turn"
    )
    parser.add_argument(
        "--python", default="3.12", help="the apps' interpreter (s3rius's app needs >= 3.12)"
    )
    parser.add_argument("--tracing", action="store_true", help="the generated app exports traces")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--json", type=Path, default=Path("bench/results/throughput.json"))
    args = parser.parse_args()
    results = measure(args)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
