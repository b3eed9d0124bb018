"""Run the three functions on one machine, as AWS runs them.

    python -m tools.local [--port 8000] [--create-queues]

- HTTP requests become API Gateway HTTP API events for the API function, and its responses
  become HTTP responses again (uvicorn serves the translation);
- a poller receives batches from the events queue (SQS, or an emulator such as moto at
  ``AWS_ENDPOINT_URL``) and invokes the worker with them, deleting the records it did not
  report as failed, as the event source mapping does;
- the relay function runs every ``--relay-every`` seconds, as its schedule does.
- a second poller feeds the jobs function from the jobs queue, and the schedule function
  sweeps every ``--sweep-every`` seconds and starts each cron job at its ticks, as their
  EventBridge schedules do.

Each function instance runs one invocation at a time, on its own event loop, like a Lambda
instance; ``--api-instances`` sets how many API instances take requests side by side.
"""

import argparse
import asyncio
import base64
import json
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

import structlog
import uvicorn
from cronsim import CronSim
from mangum.types import LambdaContext
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from acme_shop.functions.api import ApiFunction
from acme_shop.functions.instance import LambdaInstance
from acme_shop.functions.jobs import JobsFunction
from acme_shop.functions.relay import RelayFunction
from acme_shop.functions.schedule import ScheduleFunction
from acme_shop.functions.worker import WorkerFunction
from acme_shop.platform.event_queue import EventQueue
from acme_shop.platform.jobs import JobRegistry, JobSpec
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings
from tools.payloads import (
    LocalContext,
    http_api_event,
    schedule_event,
    sqs_event,
    sqs_record_of,
)

if TYPE_CHECKING:
    from types_boto3_sqs.client import SQSClient
    from types_boto3_sqs.literals import QueueAttributeNameType
    from types_boto3_sqs.type_defs import DeleteMessageBatchRequestEntryTypeDef

logger = structlog.get_logger(__name__)

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class LocalApi:
    """The HTTP front: API Gateway's part, for a pool of API function instances."""

    def __init__(self, settings: Settings, instances: int) -> None:
        self._idle: asyncio.Queue[ApiFunction] = asyncio.Queue()
        for _ in range(instances):
            self._idle.put_nowait(ApiFunction(settings))

    async def handle(self, request: Request) -> Response:
        event = http_api_event(
            request.method,
            request.url.path,
            query=request.url.query,
            headers=request.headers.items(),
            body=await request.body(),
            source_ip=request.client.host if request.client else "127.0.0.1",
        )
        function = await self._idle.get()
        try:
            context = LocalContext("api")
            result = await asyncio.to_thread(function, event, context)
        finally:
            self._idle.put_nowait(function)
        return _response(result)


def _response(result: dict[str, Any]) -> Response:
    """The HTTP response of a payload 2.0 function result."""
    body: str = result.get("body") or ""
    content = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(content, status_code=result["statusCode"])
    for name, value in result.get("headers", {}).items():
        if name.lower() != "content-length":
            response.headers.append(name, value)
    for cookie in result.get("cookies", []):
        response.headers.append("set-cookie", cookie)
    return response


class LambdaFunction(Protocol):
    """One of the project's functions: its instance's loop, its resources, its handler."""

    instance: LambdaInstance
    resources: Resources

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]: ...


class Background(threading.Thread):
    """A daemon thread that invokes ``function`` until ``stopping`` is set."""

    def __init__(self, name: str, function: LambdaFunction) -> None:
        super().__init__(name=name, daemon=True)
        self.function = function
        self.stopping = threading.Event()

    def close(self) -> None:
        """Close the function's pools (on its own loop), once the thread has stopped."""
        self.function.instance.run(self.function.resources.aclose())


class QueuePoller(Background):
    """The SQS event source mapping's part: batches from a queue in, a function invoked."""

    def __init__(
        self,
        name: str,
        function: LambdaFunction,
        client: "SQSClient",
        url: str,
        *,
        wait_seconds: int = 1,
    ) -> None:
        super().__init__(f"{name}-poller", function)
        self._name = name
        self._client = client
        self._url = url
        self._wait_seconds = wait_seconds

    @classmethod
    def of_events(cls, settings: Settings, *, wait_seconds: int = 1) -> "QueuePoller":
        """The events queue, feeding the worker function."""
        worker = WorkerFunction(settings)
        client = worker.resources.relay.queue.client
        return cls("worker", worker, client, settings.events_queue_url, wait_seconds=wait_seconds)

    @classmethod
    def of_jobs(
        cls, settings: Settings, *, wait_seconds: int = 1, registry: JobRegistry | None = None
    ) -> "QueuePoller":
        """The jobs queue, feeding the jobs function (with ``registry``'s jobs, when given)."""
        jobs = JobsFunction(settings, registry)
        client = jobs.resources.jobs.queue.client
        return cls("jobs", jobs, client, settings.jobs_queue_url, wait_seconds=wait_seconds)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.poll_once()
            except Exception:
                logger.exception("queue_poll_failed")
                self.stopping.wait(1.0)

    def poll_once(self) -> int:
        """Receive one batch and hand it to the worker; returns how many records it held."""
        received = self._client.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=self._wait_seconds,
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        )
        messages = received.get("Messages", [])
        if not messages:
            return 0
        queue = self._url.rsplit("/", 1)[-1]
        event = sqs_event(sqs_record_of(m, queue) for m in messages)
        result = self.function(event, LocalContext(self._name))
        failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        done: list[DeleteMessageBatchRequestEntryTypeDef] = [
            {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
            for index, message in enumerate(messages)
            if message["MessageId"] not in failed
        ]
        if done:
            self._client.delete_message_batch(QueueUrl=self._url, Entries=done)
        return len(messages)


class Schedule(Background):
    """The EventBridge rule's part: the relay function, every ``every`` seconds."""

    def __init__(self, settings: Settings, *, every: float) -> None:
        super().__init__("relay-schedule", RelayFunction(settings))
        self._every = every

    def run(self) -> None:
        while not self.stopping.wait(self._every):
            try:
                self.function(schedule_event("relay"), LocalContext("relay"))
            except Exception:
                logger.exception("relay_run_failed")


def _tick_after(spec: JobSpec, moment: datetime) -> datetime:
    """The first tick of the cron job ``spec`` after ``moment``, in its time zone."""
    assert spec.cron is not None
    tick: datetime = next(CronSim(spec.cron, moment.astimezone(ZoneInfo(spec.timezone))))
    return tick.astimezone(UTC)


class JobSchedules(Background):
    """EventBridge Scheduler's part: the job sweep every ``every`` seconds, and each cron job
    at its ticks, with the tick in the event as ``<aws.scheduler.scheduled-time>`` puts it."""

    def __init__(
        self, settings: Settings, *, every: float, function: ScheduleFunction | None = None
    ) -> None:
        self._schedule = function or ScheduleFunction(settings)
        super().__init__("job-schedules", self._schedule)
        self._every = every
        now = datetime.now(UTC)
        self._next = {
            spec.name: _tick_after(spec, now) for spec in self._schedule.registry.scheduled
        }

    def run(self) -> None:
        while not self.stopping.wait(self._every):
            now = datetime.now(UTC)
            for spec in self._schedule.registry.scheduled:
                if self._next[spec.name] <= now:
                    self._invoke({"job": spec.name, "tick": self._next[spec.name].isoformat()})
                    self._next[spec.name] = _tick_after(spec, now)
            self._invoke({"sweep": True})

    def _invoke(self, event: dict[str, Any]) -> None:
        try:
            self.function(event, LocalContext("schedule"))
        except Exception:
            logger.exception("schedule_run_failed", schedule=event.get("job", "sweep"))


def create_queues(
    client: "SQSClient", name: str, *, max_receive_count: int = 3, visibility_seconds: int = 5
) -> str:
    """Create the events queue and its dead-letter queue, as the SAM template does in AWS;
    returns the events queue's URL. A record the worker fails ``max_receive_count`` times
    moves to the dead-letter queue."""
    dead = client.create_queue(QueueName=f"{name}-dead")["QueueUrl"]
    dead_arn = client.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])
    redrive = json.dumps(
        {
            "deadLetterTargetArn": dead_arn["Attributes"]["QueueArn"],
            "maxReceiveCount": str(max_receive_count),
        }
    )
    attributes: dict[QueueAttributeNameType, str] = {
        "RedrivePolicy": redrive,
        "VisibilityTimeout": str(visibility_seconds),
    }
    return client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


def create_local_app(
    settings: Settings, *, api_instances: int, relay_every: float, sweep_every: float
) -> Starlette:
    """The HTTP front, with the queue pollers and the schedules running while it serves."""
    api = LocalApi(settings, api_instances)
    workers: list[Background] = [
        QueuePoller.of_events(settings),
        Schedule(settings, every=relay_every),
        QueuePoller.of_jobs(settings),
        JobSchedules(settings, every=sweep_every),
    ]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        for worker in workers:
            worker.start()
        yield
        for worker in workers:
            worker.stopping.set()
        for worker in workers:
            await asyncio.to_thread(worker.join, 5)

    return Starlette(routes=[Route("/{path:path}", api.handle, methods=METHODS)], lifespan=lifespan)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.local")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--api-instances", type=int, default=2)
    parser.add_argument("--relay-every", type=float, default=60.0, help="seconds")
    parser.add_argument("--sweep-every", type=float, default=5.0, help="seconds")
    parser.add_argument(
        "--create-queues", action="store_true", help="create the queues first (emulators only)"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    if settings.aws_endpoint_url:
        # An emulator takes any credentials, but boto3 signs with some.
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ.setdefault(name, "local")
    if args.create_queues:
        client = EventQueue.of(settings).client
        name = settings.events_queue_url.rsplit("/", 1)[-1]
        settings = settings.model_copy(update={"events_queue_url": create_queues(client, name)})
        name = settings.jobs_queue_url.rsplit("/", 1)[-1]
        settings = settings.model_copy(update={"jobs_queue_url": create_queues(client, name)})
    app = create_local_app(
        settings,
        api_instances=args.api_instances,
        relay_every=args.relay_every,
        sweep_every=args.sweep_every,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_config=None)


if __name__ == "__main__":
    main()
