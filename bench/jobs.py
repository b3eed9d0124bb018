"""Jobs per second and enqueue-to-done latency: the generated worker against a bare taskiq one.

    uv run python -m bench.jobs [--jobs 2000] [--rounds 2] [--concurrency 10]
                                [--json bench/results/jobs.json] [--profile SECONDS]

Renders the modular monolith with its defaults and runs it on this machine with local
PostgreSQL and Redis servers (``archgen smoke``'s host runtime). Both sides run a no-op job on
the same Redis server and the same taskiq version, each worker in a process of its own with
``--concurrency`` jobs at once, acknowledging messages on receipt; the rounds alternate.

- **generated**: the project's own worker and scheduler (``python -m <package>.jobs worker``
  and ``scheduler``, with a no-op job registered by a bench-only module written into the
  project's ``tools/``), JSON logs at INFO and metrics on, as deployed. A script in the
  project's environment starts ``--jobs`` jobs the way the API does (a row each, 100 per
  transaction, each batch sent after its commit), then watches the job table until every one
  succeeded. A job's latency is ``finished_at - created_at``, both database timestamps.
- **bare**: a taskiq ``Receiver`` on a stream of its own, running ``async def noop`` that only
  pushes its enqueue-to-done time to a Redis list; the driver kicks the jobs in concurrent
  batches of 100.

Reported: jobs/s of each (the best round), the ratio generated / bare (the target is ≥ 0.5),
p50 and p99 of enqueue-to-done, the worker's CPU seconds per job, and jobs lost or run twice.
``--profile`` then records the generated worker with py-spy for that many seconds of one more
run, and prints where its CPU goes (as ``bench.profile`` does for requests; a job's own work
is what runs under ``JobRunner.run``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console
from rich.table import Table

import archgen
from archgen._smoke._project import HostProject, ServiceUrls
from archgen._smoke._services import local_postgres, local_redis
from archgen._smoke._target import load_target
from bench._harness import write_results
from bench.profile import print_summary, record, summarize

# Written into the project's tools/ (development only): its worker or scheduler, with a no-op
# job registered.
NOOP_WORKER = """
import asyncio, sys
from pydantic import BaseModel
from {package} import jobs
from {package}.platform.jobs import JobContext, JobRegistry, JobSpec
from {package}.platform.logs import configure_logging
from {package}.platform.settings import Settings

class Nothing(BaseModel):
    n: int

async def noop(ctx: JobContext, payload: Nothing) -> None:
    return None

NOOP = JobSpec(name="bench.noop", context="bench", payload=Nothing, handler=noop)

if __name__ == "__main__":
    settings = Settings()
    configure_logging(settings.log_level)
    registry = JobRegistry()
    registry.register(NOOP)
    sys.exit(asyncio.run(jobs.run(sys.argv[1], settings, registry)))
"""

# Run in the project's environment: start the jobs as the API does, wait until all succeeded.
START_AND_WAIT = """
import asyncio, json, sys, time
import asyncpg
from {package}.platform.jobs import start_job
from {package}.platform.resources import Resources
from {package}.platform.settings import Settings
from tools.bench_noop import NOOP, Nothing

DONE = "SELECT count(*) FROM platform_jobs WHERE status = 'succeeded'"
FIGURES = (
    "SELECT count(*) FILTER (WHERE attempts = 1),"
    " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)),"
    " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))"
    " FROM platform_jobs WHERE status = 'succeeded'"
)

async def main(count: int, database: str) -> None:
    resources = Resources.create(Settings())
    watcher = await asyncpg.connect(database)
    await watcher.execute("TRUNCATE platform_jobs CASCADE")
    started = time.perf_counter()
    for first in range(0, count, 100):
        async with resources.session_factory() as session:
            for n in range(first, min(first + 100, count)):
                await start_job(session, NOOP, Nothing(n=n))
            await session.commit()
            await resources.jobs.dispatcher.after_commit(session)
    while await watcher.fetchval(DONE) < count and time.perf_counter() - started < 600:
        await asyncio.sleep(0.01)
    seconds = time.perf_counter() - started
    once, p50, p99 = await watcher.fetchrow(FIGURES)
    print(json.dumps({{"seconds": seconds, "done": await watcher.fetchval(DONE),
                      "once": once, "p50": p50, "p99": p99}}))
    await watcher.close()
    await resources.aclose()

asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
"""

BARE_WORKER = """
import asyncio, signal, sys, time
from redis.asyncio import Redis
from taskiq.acks import AcknowledgeType
from taskiq.receiver import Receiver
from taskiq_redis import RedisStreamBroker

url, stream, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
broker = RedisStreamBroker(url, queue_name=stream, consumer_group_name="bare", consumer_id="0",
                           xread_count=concurrency)
redis = Redis.from_url(url)

@broker.task(task_name="bare.noop")
async def noop(n: int, enqueued_at: float) -> None:
    await redis.rpush(f"{stream}:done", f"{n} {time.time() - enqueued_at}")

async def main() -> None:
    finish = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, finish.set)
    await broker.startup()
    receiver = Receiver(broker, max_async_tasks=concurrency, max_prefetch=0,
                        ack_type=AcknowledgeType.WHEN_RECEIVED, run_startup=False)
    listening = asyncio.create_task(receiver.listen(finish))
    print("listening", flush=True)
    await finish.wait()
    await asyncio.wait([listening], timeout=2)
    listening.cancel()

asyncio.run(main())
"""

BARE_DRIVER = """
import asyncio, json, statistics, sys, time
from redis.asyncio import Redis
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisStreamBroker

async def main(url: str, stream: str, count: int) -> None:
    broker = RedisStreamBroker(url, queue_name=stream)
    kicker = AsyncKicker("bare.noop", broker, labels={})
    redis = Redis.from_url(url)
    started = time.perf_counter()
    for first in range(0, count, 100):
        batch = range(first, min(first + 100, count))
        await asyncio.gather(*(kicker.kiq(n, time.time()) for n in batch))
    while await redis.llen(f"{stream}:done") < count and time.perf_counter() - started < 600:
        await asyncio.sleep(0.01)
    seconds = time.perf_counter() - started
    done = [line.split() for line in (await redis.lrange(f"{stream}:done", 0, -1))]
    latencies = sorted(float(latency) for _, latency in done)
    once = len({n for n, _ in done})
    print(json.dumps({"seconds": seconds, "done": len(done), "once": once,
                      "p50": statistics.median(latencies),
                      "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}))
    await broker.shutdown()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


@contextmanager
def _process(host: HostProject, command: list[str], settings: dict[str, str]) -> Any:
    """A worker process of the project's environment, stopped with SIGTERM afterwards."""
    env = {**host.environment, **host.app_settings(host.first_app), **settings}
    process = subprocess.Popen(
        command,
        cwd=host.target.path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(3)  # imported, connected and listening
        yield psutil.Process(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


@contextmanager
def _generated_worker(host: HostProject, concurrency: int) -> Iterator[psutil.Process]:
    """The project's scheduler and worker (with the no-op job), running; yields the worker."""
    python = str(host.target.path / ".venv/bin/python")
    settings = {"JOBS_CONCURRENCY": str(concurrency), "JOBS_HEALTH_PORT": "0"}
    scheduler = [python, "-m", "tools.bench_noop", "scheduler"]
    worker_command = [python, "-m", "tools.bench_noop", "worker"]
    with _process(host, scheduler, settings), _process(host, worker_command, settings) as worker:
        yield worker


def _start_and_wait(host: HostProject, count: int) -> str:
    """Start ``count`` jobs as the API does and wait until all succeeded; the script's output."""
    database = host.app_settings(host.first_app)["DATABASE_URL"]
    script = START_AND_WAIT.format(package=host.target.package)
    return host.run("bench", host.first_app, "python", "-c", script, str(count), database)


def _generated(host: HostProject, count: int, concurrency: int) -> dict[str, Any]:
    with _generated_worker(host, concurrency) as worker:
        cpu = _cpu(worker)
        output = _start_and_wait(host, count)
        cpu = _cpu(worker) - cpu
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return {**figures, "jobs": count, "cpu_ms_per_job": 1000 * cpu / count}


def _profile(host: HostProject, seconds: int, concurrency: int, output: Path) -> dict[str, Any]:
    """py-spy's view of the generated worker for ``seconds`` of a run long enough to cover
    them."""
    with _generated_worker(host, concurrency) as worker:
        load = threading.Thread(target=_start_and_wait, args=(host, 1000 * (seconds + 5)))
        load.start()
        time.sleep(1)  # the first jobs started
        record(worker.pid, seconds, output)
        load.join()
    raw = output.read_text(encoding="utf-8")
    return summarize(raw, host.target.package, 25, root="JobRunner.run ",
                     outside="(outside a job: taskiq's receive loop, the event loop)")  # fmt: skip


def _bare(host: HostProject, redis: str, count: int, concurrency: int, tag: str) -> dict[str, Any]:
    python = str(host.target.path / ".venv/bin/python")
    stream = f"bench-bare-{tag}"
    worker_command = [python, "-c", BARE_WORKER, redis, stream, str(concurrency)]
    with _process(host, worker_command, {}) as worker:
        cpu = _cpu(worker)
        arguments = (redis, stream, str(count))
        output = host.run("bench", host.first_app, "python", "-c", BARE_DRIVER, *arguments)
        cpu = _cpu(worker) - cpu
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return {**figures, "jobs": count, "cpu_ms_per_job": 1000 * cpu / count}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    best: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-jobs-")))
        archgen.generate(workdir / "project", pattern="modular-monolith", answers={})
        target = load_target(workdir / "project")
        (target.path / "tools" / "bench_noop.py").write_text(
            NOOP_WORKER.format(package=target.package)
        )
        host = HostProject(target, ServiceUrls(postgres, redis))
        stack.enter_context(host.installed())
        stack.enter_context(host.database())
        host.migrate()
        _generated(host, 100, args.concurrency)  # warm-up: stream, group, pools
        for round_ in range(args.rounds):
            rounds = {
                "generated": _generated(host, args.jobs, args.concurrency),
                "bare": _bare(host, redis, args.jobs, args.concurrency, str(round_)),
            }
            for name, figures in rounds.items():
                figures["per_second"] = figures["jobs"] / figures["seconds"]
                if name not in best or figures["per_second"] > best[name]["per_second"]:
                    best[name] = figures
        profile = None
        if args.profile:
            output = args.json.with_name(f"{args.json.stem}-worker-profile.txt")
            output.parent.mkdir(parents=True, exist_ok=True)
            profile = _profile(host, args.profile, args.concurrency, output)
    ratio = best["generated"]["per_second"] / best["bare"]["per_second"]
    return {
        "jobs": args.jobs,
        "rounds": args.rounds,
        "concurrency": args.concurrency,
        "results": best,
        "ratio": ratio,
        "worker_profile": profile,
    }


def _print(results: dict[str, Any]) -> None:
    title = (
        f"{results['jobs']} no-op jobs, {results['concurrency']} at once per worker, "
        f"best of {results['rounds']} rounds"
    )
    table = Table(title=title)
    columns = ("worker", "jobs/s", "p50 ms", "p99 ms", "CPU ms/job", "done", "run once")
    for column in columns:
        table.add_column(column, justify="left" if column == "worker" else "right")
    labels = {"generated": "generated (row per job)", "bare": "bare taskiq"}
    for name, figures in results["results"].items():
        table.add_row(
            labels[name],
            f"{figures['per_second']:.0f}",
            f"{1000 * figures['p50']:.1f}",
            f"{1000 * figures['p99']:.1f}",
            f"{figures['cpu_ms_per_job']:.2f}",
            str(figures["done"]),
            str(figures["once"]),
        )
    console = Console()
    console.print(table)
    console.print(f"jobs/s, generated / bare: {results['ratio']:.2f} (target ≥ 0.5)")
    if results["worker_profile"]:
        print_summary(Console(width=160), "the generated worker", results["worker_profile"])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs")
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--json", type=Path, default=Path("bench/results/jobs.json"))
    parser.add_argument("--profile", type=int, default=0, metavar="SECONDS")
    args = parser.parse_args()
    results = measure(args)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
