"""Where the generated app's CPU goes on each scenario: py-spy samples of its worker under load.

    uv run python -m bench.profile [--scenarios get_hit get_miss list create] [--seconds 10]
                                   [--python 3.12] [--tracing] [--top 20]
                                   [--json bench/results/profile.json]

Prepares the generated monolith as ``bench.throughput`` does (production settings, everything
on but tracing, 10,000 seeded rows, one uvicorn worker) and, for each scenario, drives it with
wrk (64 connections) while py-spy (from PyPI, run with ``uvx``, pinned) records the worker at
200 samples a second, aggregated by function. Only the event loop thread's samples count, and
only where it was running (py-spy leaves idle waits out), so each share is of the app's own
CPU time; other threads' samples (anyio's worker thread, which ran the login's password hash
and then waits on its queue, is sampled as busy) are counted apart:

- **self by owner**: the function being run when sampled, per library, and per module of the
  app's own package;
- **self by function**: the same, per function;
- **inclusive**: the functions on the stack, whatever they called, from uvicorn's
  ``run_asgi`` down (a request's handling); samples outside any request (the event loop
  itself, HTTP parsing) are one line.

The raw recordings stay next to the JSON (``profile-<scenario>.txt``, collapsed stacks that
speedscope and flamegraph tools read). 10 s gives about 2,000 samples.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import threading
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from archgen._smoke._services import local_postgres, local_redis
from bench import _monolith
from bench._harness import run, write_results
from bench._serving import serving
from bench._wrk import wrk
from bench.throughput import SCENARIOS, WARM_SECONDS, scenario_request

PY_SPY = "py-spy==0.4.3"
REQUEST_ROOT = "RequestResponseCycle.run_asgi "
OUTSIDE = "(outside a request: the event loop, HTTP parsing)"
OTHER_THREAD = "Thread._bootstrap "  # the root frame of every thread but the event loop's
CONNECTIONS = 64
# py-spy's raw lines: "frame;frame;...;frame count", each frame "function (file:line)".
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]+)(?::\d+)?\)$")


def record(pid: int, seconds: int, output: Path) -> None:
    command = [
        "uvx", "--from", PY_SPY, "py-spy", "record", "--pid", str(pid),
        "--duration", str(seconds), "--rate", "200", "--function", "--format", "raw",
        "--output", str(output),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=seconds + 120)


def _owner(file: str, package: str) -> str:
    """The library a frame's file belongs to; the module, for the app's own package."""
    parts = Path(file).with_suffix("").parts
    if parts and parts[0] == package:
        return ".".join(parts[:3])
    return parts[0] if parts else file


def _name(frame: str) -> str:
    """``function (file)``: the frame without its line number."""
    match = _FRAME.match(frame)
    return f"{match['function']} ({match['file']})" if match else frame


def summarize(
    raw: str, package: str, top: int, *, root: str = REQUEST_ROOT, outside: str = OUTSIDE
) -> dict[str, Any]:
    """Shares of the samples in py-spy's raw output: the sampled frame's function and its
    owner, and the functions on the stack at or under ``root`` (uvicorn's ``run_asgi``: a
    request's handling; the server's start-up frames above it are on every sample and say
    nothing). Samples without ``root`` on their stack count as ``outside``."""
    owners: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = other_threads = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count, frames = int(count_text), stack.split(";")
        if frames[0].startswith(OTHER_THREAD):
            other_threads += count
            continue
        total += count
        leaf = _FRAME.match(frames[-1])
        owners[_owner(leaf["file"], package) if leaf else frames[-1]] += count
        leaves[_name(frames[-1])] += count
        roots = [i for i, frame in enumerate(frames) if frame.startswith(root)]
        if not roots:
            inclusive[outside] += count
            continue
        for name in {_name(frame) for frame in frames[roots[0] :]}:
            inclusive[name] += count

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, n / total) for name, n in counter.most_common(top)]

    return {
        "samples": total,
        "other_thread_samples": other_threads,
        "self_by_owner": shares(owners),
        "self_by_function": shares(leaves),
        "inclusive": shares(inclusive),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        otlp = stack.enter_context(_monolith.trace_sink()) if args.tracing else None
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="profile-")))
        app, _ = _monolith.prepare(workdir, postgres, redis, python=args.python, otlp=otlp)
        package = app.target.split(".")[0]
        for scenario in args.scenarios:
            with serving(app) as (url, pid):
                headers = [f"Authorization: Bearer {_monolith.token(url)}"]
                headers.append("Content-Type: application/json")
                if scenario == "get_miss":
                    run(["redis-cli", "-u", redis, "FLUSHDB"], workdir)
                for phase, seconds in (("warm", WARM_SECONDS), ("run", args.seconds + 4)):
                    script = workdir / f"profile-{scenario}-{phase}.lua"
                    path, script_or_none = scenario_request(app, scenario, phase, script)
                    load = threading.Thread(
                        target=wrk, args=(url + path,),
                        kwargs={"connections": CONNECTIONS, "seconds": seconds,
                                "headers": headers, "script": script_or_none},
                    )  # fmt: skip
                    load.start()
                    if phase == "run":  # sampled inside the load: 2 s after it starts
                        load.join(timeout=2)
                        output = args.json.with_name(f"{args.json.stem}-{scenario}.txt")
                        output.parent.mkdir(parents=True, exist_ok=True)
                        record(pid, args.seconds, output)
                    load.join()
            raw = output.read_text(encoding="utf-8")
            results[scenario] = summarize(raw, package, args.top)
    return results


def print_summary(console: Console, title: str, summary: dict[str, Any]) -> None:
    """Each view of ``summary`` as a table of shares."""
    for view in ("self_by_owner", "self_by_function", "inclusive"):
        table = Table(title=f"{title}: {view.replace('_', ' ')}, {summary['samples']} samples")
        table.add_column("frame")
        table.add_column("share", justify="right")
        for name, share in summary[view]:
            table.add_row(name, f"{share:.1%}")
        console.print(table)


def _print(results: dict[str, Any]) -> None:
    console = Console(width=160)
    for scenario, summary in results.items():
        print_summary(console, scenario, summary)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--python", default="3.12")
    parser.add_argument("--tracing", action="store_true")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--json", type=Path, default=Path("bench/results/profile.json"))
    args = parser.parse_args()
    results = measure(args)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
