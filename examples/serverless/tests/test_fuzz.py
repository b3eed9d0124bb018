"""Generated requests against every operation of the app's own OpenAPI document (schemathesis).

Each operation is called, behind a real server, by every kind of caller the API meets, and
whatever it answers must be what its document lists: the status, the media type and the
body's schema. No answer is a 5xx, and every error is problem+json.

- An admin sends FUZZ_EXAMPLES requests the schema allows (default 12): none may fail the
  schema's own validation. Then half as many the schema forbids: each must be refused.
- Callers without a token, with a token that is not one, or with a role too weak for the
  operation send a few requests each: they get the 401 or 403 the document lists, whatever
  they send.
"""

import os
import uuid
from dataclasses import dataclass
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import Auth

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# Refusing a caller does not depend on what they send: a few requests each show it.
REFUSED_EXAMPLES = 2
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PROBLEM_MEDIA_TYPE = "application/problem+json"
NOT_A_TOKEN = {"Authorization": "Bearer not-a-token"}


@dataclass(frozen=True)
class Caller:
    """Who sends an operation's generated requests, which requests, and what they must get."""

    name: str
    headers: dict[str, str]
    mode: GenerationMode = GenerationMode.POSITIVE
    examples: int = REFUSED_EXAMPLES
    refused_with: int | None = None


def streams(operation: Any) -> bool:
    """Whether the operation answers with server-sent events: a stream that stays open for
    minutes, followed by a test of its own, so here only its refusals are sent."""
    answer = operation.definition.raw.get("responses", {}).get("200", {})
    return "text/event-stream" in answer.get("content", {})


def callers(operation: Any, auth: Auth) -> list[Caller]:
    """The admin, with requests the schema allows and forbids; for an operation that needs a
    role, also every caller it must refuse."""
    admin = [] if streams(operation) else [Caller("admin", auth.admin, examples=EXAMPLES)]
    # Something to get wrong besides the credentials, which stay the admin's.
    if admin and (
        operation.body or any(p.name != "Authorization" for p in operation.iter_parameters())
    ):
        admin.append(Caller("admin", auth.admin, GenerationMode.NEGATIVE, max(1, EXAMPLES // 2)))
    security = operation.definition.raw.get("security")
    if not security:
        return admin
    [requirement] = security
    [[role]] = requirement.values()
    return [
        *admin,
        Caller("anonymous", {}, refused_with=401),
        Caller("not a token", NOT_A_TOKEN, refused_with=401),
        *(
            Caller(weaker, headers, refused_with=403)
            for weaker, headers in auth.weaker_than(role).items()
        ),
    ]


def test_generated_requests_get_only_documented_answers(served: str, auth: Auth) -> None:
    schema = schemathesis.openapi.from_url(f"{served}/openapi.json")
    sent: dict[str, int] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        operation = result.ok()
        for caller in callers(operation, auth):
            _fuzz(operation, caller, served, sent)
    assert sent
    assert all(sent.values()), sent
    print(f"fuzzing: {sum(sent.values())} requests over {len(sent)} operations and callers")


def _fuzz(operation: Any, caller: Caller, base_url: str, sent: dict[str, int]) -> None:
    label = f"{operation.label} as {caller.name} ({caller.mode.value})"
    refusing = caller.mode is GenerationMode.NEGATIVE
    checks = [*CHECKS, negative_data_rejection] if refusing else CHECKS

    # The caller's credentials are fixed: never generated, never made invalid.
    strategy = operation.as_strategy(generation_mode=caller.mode, headers=caller.headers or None)

    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=caller.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Case[Any]) -> None:
        sent[label] = sent.get(label, 0) + 1
        if case.headers is not None:
            if not caller.headers:
                case.headers.pop("Authorization", None)  # anonymous: no credentials at all
            if not refusing and "Idempotency-Key" in case.headers:
                # A key reused with another body is refused by design: one key per request.
                case.headers["Idempotency-Key"] = uuid.uuid4().hex
        response = case.call(base_url=base_url)
        case.validate_response(response, checks=checks)
        if response.status_code >= 400:
            assert response.headers["content-type"] == [PROBLEM_MEDIA_TYPE], response.text
        if caller.refused_with is not None:
            assert response.status_code == caller.refused_with, (label, response.text)
        # 422 with a list of errors is schema validation refusing what the schema allows;
        # a 422 without one is a rule of the domain (a reference to nothing), which is fine.
        elif response.status_code == 422 and not refusing:
            assert "errors" not in response.json(), (label, case.formatted_path, response.text)

    send()
