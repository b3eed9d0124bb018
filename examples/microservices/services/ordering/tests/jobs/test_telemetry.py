"""A job's telemetry: its span continues the trace of the change that started it, and its
runs are counted in the worker's own registry."""

import uuid

from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, set_span_in_context

from acme_shop.platform.settings import Settings
from tests.jobs.conftest import running_worker
from tests.jobs.fixtures import EFFECT, Keyed
from tests.jobs.support import eventually, job_in, started

CALLER_SPAN_ID = 0x1234


async def test_the_starting_trace_continues_into_the_job(
    app: FastAPI, effects: str, job_settings: Settings
) -> None:
    spans = InMemorySpanExporter()
    trace_id = uuid.uuid4().int >> 64
    caller = SpanContext(
        trace_id, CALLER_SPAN_ID, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    async with running_worker(job_settings) as worker:
        worker.resources.telemetry.provider.add_span_processor(SimpleSpanProcessor(spans))
        token = otel_context.attach(set_span_in_context(NonRecordingSpan(caller)))
        try:
            job_id = await started(app, EFFECT, Keyed(key=uuid.uuid4()))  # as a request does
        finally:
            otel_context.detach(token)
        await eventually(lambda: job_in(app, job_id, "succeeded"), "the job to succeed")
        runs = worker.resources.jobs.metrics.runs.labels(EFFECT.name, "succeeded")
        assert runs._value.get() == 1
    (span,) = [span for span in spans.get_finished_spans() if span.name == f"job {EFFECT.name}"]
    assert span.context.trace_id == trace_id
    assert span.parent is not None
    assert span.parent.span_id == CALLER_SPAN_ID
    assert span.attributes == {"job.id": str(job_id), "job.attempt": 1, "job.outcome": "succeeded"}
