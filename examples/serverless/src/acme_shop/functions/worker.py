"""The worker function: SQS batches of domain events in, the subscribed modules' handlers run.

Each record is one event. A record that fails (a handler raised, or the message is not an
event this app knows how to read) is reported back as a batch item failure, so SQS delivers
only that one again; after ``maxReceiveCount`` deliveries (``template.yaml``) it moves to the
dead-letter queue. The inbox makes a redelivered event count once per consumer.
"""

from functools import cache
from typing import Any

import structlog
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from mangum.types import LambdaContext
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace

from acme_shop import bootstrap
from acme_shop.functions.instance import LambdaInstance
from acme_shop.platform.event_queue import EVENT_NAME_ATTRIBUTE
from acme_shop.platform.events import DomainEvent
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings

logger = structlog.get_logger(__name__)
tracer = trace.get_tracer(__name__)


class UnreadableEventError(ValueError):
    """The record is not an event this app knows: parked in the DLQ after its retries."""


class WorkerFunction:
    """One instance of the worker function."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.instance = LambdaInstance(settings)
        self.resources = Resources.create(self.instance.settings)
        bootstrap.subscribe_handlers(self.resources.subscribers)
        self.metrics = Metrics(namespace=self.instance.settings.service_name, service="worker")
        # Report every failed record, even when the whole batch failed, rather than raise.
        self._processor = BatchProcessor(
            event_type=EventType.SQS, raise_on_entire_batch_failure=False
        )

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        with self.instance.invocation(context):
            response = process_partial_response(
                event=event, record_handler=self._handle_record, processor=self._processor
            )
        failed = len(response.get("batchItemFailures", []))
        self.metrics.add_metric("EventsFailed", MetricUnit.Count, failed)
        self.metrics.add_metric("EventsHandled", MetricUnit.Count, len(event["Records"]) - failed)
        self.metrics.flush_metrics()
        return dict(response)

    def _handle_record(self, record: SQSRecord) -> None:
        self.instance.run(self.handle(record))

    async def handle(self, record: SQSRecord) -> None:
        """Apply one record's event, in the trace of the change that published it."""
        attributes = {
            name: value.string_value
            for name, value in record.message_attributes.items()
            if value.string_value is not None
        }
        event = self._read(record, attributes.get(EVENT_NAME_ATTRIBUTE))
        if event is None:
            return
        token = otel_context.attach(propagate.extract(attributes))
        try:
            with tracer.start_as_current_span(f"{type(event).__name__} process"):
                await self.resources.subscribers.publish(event)
        finally:
            otel_context.detach(token)

    def _read(self, record: SQSRecord, name: str | None) -> DomainEvent | None:
        if name is None:
            raise UnreadableEventError(f"message {record.message_id} has no {EVENT_NAME_ATTRIBUTE}")
        event_type = self.resources.subscribers.event_type(name)
        if event_type is None:
            logger.info("event_without_subscriber", event_name=name, message_id=record.message_id)
            return None
        try:
            return event_type.model_validate_json(record.body)
        except ValueError as error:
            raise UnreadableEventError(
                f"message {record.message_id} is not a valid {name}"
            ) from error


@cache
def _function() -> WorkerFunction:
    return WorkerFunction()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The entry point ``template.yaml`` names."""
    return _function()(event, context)
