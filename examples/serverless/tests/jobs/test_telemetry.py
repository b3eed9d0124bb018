"""A job's telemetry on Lambda: its span continues the trace of the change that started it, and
the jobs function publishes its runs as CloudWatch metrics (EMF lines on stdout)."""

import asyncio
import json
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, set_span_in_context

from acme_shop.functions.jobs import JobsFunction
from acme_shop.platform.settings import Settings
from tests.jobs.fixtures import EFFECT, Keyed, registry
from tests.jobs.support import job_in, started
from tools.payloads import LocalContext, sqs_event, sqs_record

CALLER_SPAN_ID = 0x1234


def printed_json(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


async def test_a_run_continues_the_starting_trace_and_is_counted(
    app: FastAPI,
    effects: str,
    job_settings: Settings,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    spans = InMemorySpanExporter()
    trace_id = uuid.uuid4().int >> 64
    caller = SpanContext(
        trace_id, CALLER_SPAN_ID, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    token = otel_context.attach(set_span_in_context(NonRecordingSpan(caller)))
    try:
        job_id = await started(app, EFFECT, Keyed(key=uuid.uuid4()))  # as a request does
    finally:
        otel_context.detach(token)
    function = JobsFunction(job_settings, registry())
    function.resources.telemetry.provider.add_span_processor(SimpleSpanProcessor(spans))
    # Powertools keeps metrics in one set for every Metrics object, and does not empty it when
    # metrics are turned off: start from an empty one.
    function.metrics.clear_metrics()
    capfd.readouterr()
    try:
        event = sqs_event([sqs_record(str(job_id), queue="jobs")])
        result = await asyncio.to_thread(function, event, LocalContext("jobs"))
    finally:
        await asyncio.to_thread(function.instance.run, function.resources.aclose())
    assert result == {"batchItemFailures": []}
    assert await job_in(app, job_id, "succeeded") is not None

    (span,) = [span for span in spans.get_finished_spans() if span.name == f"job {EFFECT.name}"]
    assert span.context.trace_id == trace_id
    assert span.parent is not None
    assert span.parent.span_id == CALLER_SPAN_ID

    [metrics] = [line for line in printed_json(capfd.readouterr().out) if "_aws" in line]
    assert metrics["service"] == "jobs"
    assert metrics["JobRunsSucceeded"] in (1, [1])
    assert metrics["JobRecordsFailed"] in (0, [0])
    assert "JobRunDuration" in metrics
