"""Traces leave the app over OTLP/HTTP: a real receiver on loopback collects them. Which
requests are traced follows the standard OpenTelemetry sampler variables."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, set_span_in_context

from acme_shop.platform.settings import Settings
from acme_shop.platform.telemetry import Telemetry
from tests.conftest import AppFactory, client_for
from tests.factories import CATEGORY_URL
from tests.support import Auth

# A ratio sampler keeps the traces whose ids fall below the ratio's share of all ids.
LOWEST_TRACE_ID = 1
HIGHEST_TRACE_ID = 2**128 - 1


class OtlpReceiver(ThreadingHTTPServer):
    """Accepts OTLP/HTTP trace exports and keeps the span names it received."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ExportHandler)
        self.span_names: list[str] = []
        self.services: set[str] = set()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ExportHandler(BaseHTTPRequestHandler):
    server: OtlpReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        export = ExportTraceServiceRequest.FromString(body)
        for resource_spans in export.resource_spans:
            for attribute in resource_spans.resource.attributes:
                if attribute.key == "service.name":
                    self.server.services.add(attribute.value.string_value)
            for scope_spans in resource_spans.scope_spans:
                self.server.span_names.extend(span.name for span in scope_spans.spans)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    server = OtlpReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_a_request_is_traced_through_the_database(
    receiver: OtlpReceiver, make_app: AppFactory, settings: Settings, auth: Auth
) -> None:
    # The receiver is set up first so that it outlives the app's final flush at shutdown.
    traced = await make_app(otlp_endpoint=receiver.endpoint)
    async with client_for(traced) as client:
        response = await client.get(CATEGORY_URL, headers=auth.viewer)
    assert response.status_code == 200
    traced.state.resources.telemetry.provider.force_flush()
    assert receiver.services == {settings.service_name}
    assert "GET /api/v1/catalog/categories" in receiver.span_names
    assert any(name.startswith("SELECT") for name in receiver.span_names)


def decision(trace_id: int, *, parent_sampled: bool | None = None) -> Decision:
    """What a new app's sampler decides for a request of ``trace_id``: under a caller's span
    that was (or was not) sampled, or with no caller's span at all."""
    context = None
    if parent_sampled is not None:
        flags = TraceFlags(TraceFlags.SAMPLED if parent_sampled else TraceFlags.DEFAULT)
        parent = SpanContext(trace_id, span_id=1, is_remote=True, trace_flags=flags)
        context = set_span_in_context(NonRecordingSpan(parent))
    sampler = Telemetry("test", otlp_endpoint=None).provider.sampler
    return sampler.should_sample(context, trace_id, "GET /").decision


def test_every_request_is_traced_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    assert decision(HIGHEST_TRACE_ID) is Decision.RECORD_AND_SAMPLE


def test_a_ratio_sampler_keeps_a_share_and_follows_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.1")
    assert decision(LOWEST_TRACE_ID) is Decision.RECORD_AND_SAMPLE
    assert decision(HIGHEST_TRACE_ID) is Decision.DROP
    assert decision(HIGHEST_TRACE_ID, parent_sampled=True) is Decision.RECORD_AND_SAMPLE
    assert decision(LOWEST_TRACE_ID, parent_sampled=False) is Decision.DROP
