"""Generated requests against every operation of the app's own OpenAPI document (schemathesis).

Each operation gets FUZZ_EXAMPLES requests (default 20) built from its schema, sent as an
admin to the app behind a real server: none may answer 5xx, every answer must match its
documented status, media type and schema, every error must be problem+json, and a request
the schema allows must never fail the schema's own validation.
"""

import os
import uuid
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import Auth

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PROBLEM_MEDIA_TYPE = "application/problem+json"


def test_generated_requests_never_break_the_api(served: str, auth: Auth) -> None:
    schema = schemathesis.openapi.from_url(f"{served}/openapi.json")
    sent: dict[str, int] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        _fuzz(result.ok(), served, auth.admin, sent)
    assert sent
    assert all(sent.values()), sent
    print(f"fuzzing: {sum(sent.values())} requests over {len(sent)} operations")


def _fuzz(operation: Any, base_url: str, headers: dict[str, str], sent: dict[str, int]) -> None:
    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Case[Any]) -> None:
        sent[operation.label] = sent.get(operation.label, 0) + 1
        if case.headers and "Idempotency-Key" in case.headers:
            # A key reused with another body is refused by design: one key per request.
            case.headers["Idempotency-Key"] = uuid.uuid4().hex
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=CHECKS)
        if response.status_code >= 400:
            assert response.headers["content-type"] == [PROBLEM_MEDIA_TYPE], response.text
        # 422 with a list of errors is schema validation refusing what the schema allows;
        # a 422 without one is a rule of the domain (a reference to nothing), which is fine.
        if response.status_code == 422:
            assert "errors" not in response.json(), (
                case.method,
                case.formatted_path,
                response.text,
            )

    send()
