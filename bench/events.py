"""Events per second through the microservices' outbox, RabbitMQ and inbox, against raw AMQP.

    uv run python -m bench.events [--events 2000] [--rounds 2] [--json bench/results/events.json]

Renders the microservices blueprint with its defaults and runs it on this machine with local
PostgreSQL, Redis and RabbitMQ servers (``archgen smoke``'s host runtime): the identity, the
ordering and the catalog services under uvicorn. Each round writes ``--events`` OrderPlaced
events to the ordering service's outbox in one transaction, as its use cases do, and times
from that commit until the catalog service has applied every one (its inbox,
``platform_processed_events``, holds them all, watched over one connection every 10 ms): the
relay publishes them persistent and confirmed, the consumer applies each in a transaction of
its own, once.

The references, alternated with it in the same run and on the same broker: the same client
library (FastStream over aio-pika) publishing the same payloads, persistent and confirmed, to
a topic exchange, and a consumer that acknowledges them, with no database on either side;
once with each publish confirmed before the next, once with batches of 100 sent at once and
confirmed together, as the relay sends. Reported: events/s of each (the best round), the
ratios (the target is judged against the faster reference), and events lost or applied twice.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import archgen
from archgen._smoke._project import HostProject, ServiceUrls
from archgen._smoke._services import local_postgres, local_rabbitmq, local_redis
from archgen._smoke._target import load_target
from bench._harness import write_results

# Run in the ordering service's environment: stages the events in one transaction, then
# watches the catalog's inbox over one connection (the clock starts at the commit, so this
# interpreter's own start-up is not timed).
STAGE_AND_WAIT = """
import asyncio, json, sys, time
import asyncpg
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from {package}.contracts.ordering import Order, OrderPlaced
from {package}.platform.outbox import OutboxMessage
from {package}.platform.settings import Settings

COUNT = "SELECT count(*), count(DISTINCT event_id) FROM platform_processed_events"

async def main(count: int, catalog_db: str) -> None:
    order = Order.model_validate(Order.model_json_schema()["examples"][0])
    inbox = await asyncpg.connect(catalog_db)
    before, _ = await inbox.fetchrow(COUNT)
    engine = create_async_engine(Settings().database_url)
    async with async_sessionmaker(engine)() as session, session.begin():
        session.add_all(OutboxMessage.of(OrderPlaced(order=order)) for _ in range(count))
    committed = time.perf_counter()
    deadline = committed + 600
    while time.perf_counter() < deadline:
        applied, distinct = await inbox.fetchrow(COUNT)
        if applied - before >= count:
            break
        await asyncio.sleep(0.01)
    seconds = time.perf_counter() - committed
    figures = {{"seconds": seconds, "applied": applied - before, "distinct": distinct - before}}
    print(json.dumps(figures))
    await engine.dispose()
    await inbox.close()

asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
"""

RAW_AMQP = """
import asyncio, json, sys, time
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue
from {package}.contracts.ordering import Order, OrderPlaced

async def main(url: str, count: int, batch: int, tag: str) -> None:
    order = Order.model_validate(Order.model_json_schema()["examples"][0])
    payload = OrderPlaced(order=order).model_dump_json()
    broker = RabbitBroker(url, logger=None)
    exchange = RabbitExchange("bench.raw", type=ExchangeType.TOPIC, durable=True)
    queue = RabbitQueue(f"bench.raw.{{tag}}", durable=True, routing_key="bench.raw")
    received, done = set(), asyncio.Event()

    @broker.subscriber(queue, exchange)
    async def consume(body: str) -> None:
        received.add(json.loads(body)["n"])
        if len(received) == count:
            done.set()

    await broker.start()
    started = time.perf_counter()
    for first in range(0, count, batch):  # each batch sent at once, then its confirms awaited
        await asyncio.gather(*(
            broker.publish(
                json.dumps({{"n": n, "event": payload}}),
                exchange=exchange, routing_key="bench.raw", persist=True,
            )
            for n in range(first, min(first + batch, count))
        ))
    await asyncio.wait_for(done.wait(), 600)
    print(json.dumps({{"seconds": time.perf_counter() - started, "applied": len(received)}}))
    await broker.stop()

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
"""

# The raw references: each publish confirmed before the next, and a batch of the relay's size
# sent at once with its confirms awaited together, as the relay sends.
RAW_BATCHES = {"raw_each": 1, "raw_batch": 100}


def _through_the_system(host: HostProject, count: int) -> dict[str, Any]:
    """Stage ``count`` events in ordering's outbox; time until catalog has applied them all."""
    target = host.target
    ordering, catalog = target.app_serving("ordering"), target.app_serving("catalog")
    catalog_db = host.app_settings(catalog)["DATABASE_URL"].replace("+asyncpg", "")
    script = STAGE_AND_WAIT.format(package=target.package)
    output = host.run("bench", ordering, "python", "-c", script, str(count), catalog_db)
    figures = json.loads(output.strip().splitlines()[-1])
    applied = figures["applied"]
    return {
        "events": count, "seconds": figures["seconds"], "applied": applied,
        "twice": applied - figures["distinct"],
    }  # fmt: skip


def _raw(host: HostProject, rabbitmq: str, count: int, batch: int, tag: str) -> dict[str, Any]:
    script = RAW_AMQP.format(package=host.target.package)
    app = host.target.app_serving("ordering")
    arguments = (rabbitmq, str(count), str(batch), tag)
    output = host.run("bench", app, "python", "-c", script, *arguments)
    figures = json.loads(output.strip().splitlines()[-1])
    return {"events": count, "seconds": figures["seconds"], "applied": figures["applied"]}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    best: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:
        postgres = stack.enter_context(local_postgres())
        redis = stack.enter_context(local_redis())
        rabbitmq = stack.enter_context(local_rabbitmq())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-events-")))
        archgen.generate(workdir / "project", pattern="microservices", answers={})
        host = HostProject(load_target(workdir / "project"), ServiceUrls(postgres, redis, rabbitmq))
        stack.enter_context(host.installed())
        stack.enter_context(host.database())
        host.give_signing_key()
        host.migrate()
        identity_app = host.target.identity_app
        assert identity_app is not None, "the default microservices project has an identity service"
        identity = stack.enter_context(host.serving(identity_app, {}))
        extra = {"JWKS_URL": f"{identity}/.well-known/jwks.json", "OUTBOX_POLL_SECONDS": "0.1"}
        for context in ("catalog", "ordering"):
            stack.enter_context(host.serving(host.target.app_serving(context), extra))
        _through_the_system(host, 100)  # warm-up: queues declared, pools and caches warm
        for round_ in range(args.rounds):
            rounds = {
                "generated": _through_the_system(host, args.events),
                **{
                    raw: _raw(host, rabbitmq, args.events, batch, f"{raw}-{round_}")
                    for raw, batch in RAW_BATCHES.items()
                },
            }
            for name, figures in rounds.items():
                figures["per_second"] = figures["events"] / figures["seconds"]
                if name not in best or figures["per_second"] > best[name]["per_second"]:
                    best[name] = figures
    generated = best["generated"]["per_second"]
    ratios = {raw: generated / best[raw]["per_second"] for raw in RAW_BATCHES}
    # The target compares with the broker at its fastest: the better of the two references.
    ratio = min(ratios.values())
    return {
        "events": args.events, "rounds": args.rounds, "results": best,
        "ratios": ratios, "ratio": ratio,
    }  # fmt: skip


def _print(results: dict[str, Any]) -> None:
    table = Table(title=f"{results['events']} events, best of {results['rounds']} rounds")
    for column in ("path", "events/s", "seconds", "applied", "applied twice"):
        table.add_column(column, justify="left" if column == "path" else "right")
    labels = {
        "generated": "outbox → RabbitMQ → inbox",
        "raw_each": "raw, each publish confirmed before the next",
        "raw_batch": f"raw, {RAW_BATCHES['raw_batch']} publishes confirmed together",
    }
    for name, figures in results["results"].items():
        twice = str(figures.get("twice", "")) if name == "generated" else ""
        table.add_row(
            labels[name], f"{figures['per_second']:.0f}", f"{figures['seconds']:.2f}",
            str(figures["applied"]), twice,
        )  # fmt: skip
    console = Console()
    console.print(table)
    for raw, ratio in results["ratios"].items():
        console.print(f"events/s, generated / {labels[raw]}: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.events")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=Path("bench/results/events.json"))
    args = parser.parse_args()
    results = measure(args)
    _print(results)
    write_results(args.json, results)


if __name__ == "__main__":
    main()
