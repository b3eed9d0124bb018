"""The smoke checks: each one named, each failure naming the request and the response.

They run against every app of the project: the monolith, or each service, reached directly
(each entity's requests go to the app that serves its context).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

import httpx

from archgen._domain import EntitySpec, EventSpec
from archgen._domain_jobs import JobSpec
from archgen._names import camel_case
from archgen._smoke._identity_provider import (
    ADMIN_CLIENT,
    ELSEWHERE_CLIENT,
    READER_CLIENT,
    IdentityProvider,
)
from archgen._smoke._otlp import OtlpReceiver
from archgen._smoke._report import SmokeError
from archgen._smoke._samples import sample_value
from archgen._smoke._target import AppUnderTest, SmokeTarget

ADMIN = ("smoke-admin@example.com", "smoke-admin-password")
# API requests the checks make per entity, at most: the rate limit must leave room for them.
REQUESTS_PER_ENTITY = 40
VIEWER = ("smoke-viewer@example.com", "smoke-viewer-password")
PROBLEM = "application/problem+json"
_TRACE_WAIT_SECONDS = 15
# Events travel through RabbitMQ or SQS: how long one may take to be applied, and how long to
# keep watching that it is not applied a second time.
_EVENT_WAIT_SECONDS = 15
_EVENT_SETTLE_SECONDS = 1.0
JOB_SECONDS = 30  # for an on-demand job to run to succeeded


def describe(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path} -> {response.status_code} {response.text[:500]}"


class SmokeChecks:
    """Checks against one running app; ``plan()`` lists them in the order they run."""

    def __init__(
        self,
        target: SmokeTarget,
        clients: Mapping[str, httpx.Client],
        receiver: OtlpReceiver,
        rate_limit: int,
        *,
        inbox: Callable[[AppUnderTest, str, str], int] | None = None,
        provider: IdentityProvider | None = None,
    ) -> None:
        """``clients`` reach each app by name. ``inbox`` counts the events a consumer applied
        from its app's database, where no app's /metrics sees the consumers (the serverless
        worker runs apart from the API). ``provider`` signs callers in when the project's
        identity is the organisation's OpenID Connect provider."""
        self.target = target
        self.clients = clients
        identity_app = target.identity_app
        self.identity = clients[identity_app.name] if identity_app is not None else None
        self.provider = provider
        self.receiver = receiver
        self.rate_limit_per_minute = rate_limit
        self.inbox = inbox
        self.admin: dict[str, str] = {}
        self.serial = 0

    def plan(self) -> list[tuple[str, Callable[[], None]]]:
        checks: list[tuple[str, Callable[[], None]]] = [
            ("readiness", self.readiness),
            ("openapi", self.openapi),
            ("auth", self.auth),
        ]
        for entity in self.target.domain.entity_list:
            checks.append((f"crud:{entity.context}.{entity.name}", partial(self.crud, entity)))
        checks.append(("problem-details", self.problem_details))
        if self.target.answers.get("cache_reads"):
            checks.append(("cache-hit", self.cache_hit))
        for event in self.target.domain.event_list:
            checks.append((f"event:{event.name}", partial(self.event_applied_once, event)))
        if self.target.answers.get("realtime") and self.target.domain.event_list:
            event = self.target.domain.event_list[0]
            checks.append((f"live:{event.name}", partial(self.event_streamed_live, event)))
        if self.target.answers.get("graphql"):
            checks.append(("graphql", self.graphql))
        if (job := self._startable_job()) is not None:
            checks.append((f"job:{job.qualified_name}", partial(self.job_succeeds, job)))
        checks += [
            ("traces", self.traces),
            ("metrics", self.metrics),
            ("rate-limit", self.rate_limit),
        ]
        return checks

    # -- helpers ---------------------------------------------------------------------------

    def expect(self, response: httpx.Response, status: int, *, problem: bool = False) -> Any:
        if response.status_code != status:
            raise SmokeError("", f"expected {status}: {describe(response)}")
        if problem and response.headers.get("content-type") != PROBLEM:
            raise SmokeError("", f"expected {PROBLEM}: {describe(response)}")
        is_json = "json" in response.headers.get("content-type", "")
        return response.json() if response.content and is_json else response.text

    def client_for(self, entity: EntitySpec) -> httpx.Client:
        """The client of the app that serves ``entity``."""
        return self.clients[self.target.app_serving(entity.context).name]

    @property
    def first_client(self) -> httpx.Client:
        return self.client_for(self.target.domain.entity_list[0])

    def token(self, email: str, password: str) -> dict[str, str]:
        """A user's bearer header, from the token endpoint of the app that holds the users."""
        assert self.identity is not None
        credentials = {"email": email, "password": password}
        issued = self.identity.post("/api/v1/auth/token", json=credentials)
        return {"Authorization": f"Bearer {self.expect(issued, 200)['access_token']}"}

    def provider_token(self, provider: IdentityProvider, client_id: str) -> dict[str, str]:
        """A client's bearer header, from the provider's token endpoint (client credentials)."""
        client = provider.clients[client_id]
        issued = httpx.post(
            f"{provider.issuer}/token",
            data={"grant_type": "client_credentials", "scope": " ".join(client.scopes)},
            auth=(client.client_id, client.secret),
        )
        return {"Authorization": f"Bearer {self.expect(issued, 200)['access_token']}"}

    def url(self, entity: EntitySpec) -> str:
        context = self.target.domain.contexts[entity.context]
        return f"/api/v1/{context.url_segment}/{entity.url_segment}"

    def body(self, entity: EntitySpec) -> dict[str, Any]:
        """A valid body, creating the rows it references first."""
        self.serial += 1
        body: dict[str, Any] = {}
        for field in entity.field_list:
            if field.is_reference:
                if field.required and field.references:
                    referenced = self.target.domain.contexts[entity.context].entities[
                        field.references
                    ]
                    body[field.name] = self.create(referenced)["id"]
            else:
                body[field.name] = sample_value(field, self.serial)
        return body

    def create(self, entity: EntitySpec) -> dict[str, Any]:
        client = self.client_for(entity)
        created: dict[str, Any] = self.expect(
            client.post(self.url(entity), json=self.body(entity), headers=self.admin), 201
        )
        return created

    def metric(self, client: httpx.Client, name: str, **labels: str) -> float:
        """The sum of an app's samples of a metric whose labels include ``labels``."""
        text = client.get("/metrics").text
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    # -- checks ----------------------------------------------------------------------------

    def readiness(self) -> None:
        for name, client in self.clients.items():
            ready = self.expect(client.get("/health/ready"), 200)
            if ready["status"] != "ok":
                raise SmokeError("", f"not every dependency of {name} is up: {ready}")

    def openapi(self) -> None:
        for app in self.target.apps:
            client = self.clients[app.name]
            document = self.expect(client.get("/openapi.json"), 200)
            if not str(document.get("openapi", "")).startswith("3."):
                raise SmokeError("", f"/openapi.json of {app.name} is not an OpenAPI 3 document")
            served = [e for e in self.target.domain.entity_list if e.context in app.contexts]
            missing = [self.url(e) for e in served if self.url(e) not in document["paths"]]
            if missing:
                raise SmokeError("", f"the OpenAPI document of {app.name} lacks {missing}")
            self.expect(client.get("/docs"), 200)

    def auth(self) -> None:
        if self.provider is not None:
            self.auth_at_the_provider(self.provider)
            return
        assert self.identity is not None
        self.admin = self.token(*ADMIN)
        viewer = {"email": VIEWER[0], "password": VIEWER[1], "role": "viewer"}
        self.expect(self.identity.post("/api/v1/users", json=viewer, headers=self.admin), 201)
        viewer_headers = self.token(*VIEWER)
        self.expect(self.identity.get("/api/v1/users/me"), 401, problem=True)
        for entity in self.target.domain.entity_list:
            client = self.client_for(entity)
            self.expect(client.get(self.url(entity)), 401, problem=True)
            bad = {"Authorization": "Bearer not-a-token"}
            self.expect(client.get(self.url(entity), headers=bad), 401, problem=True)
            body = self.body(entity)
            forbidden = client.post(self.url(entity), json=body, headers=viewer_headers)
            self.expect(forbidden, 403, problem=True)

    def auth_at_the_provider(self, provider: IdentityProvider) -> None:
        """Tokens from the provider open exactly what their scopes allow, and only this API."""
        self.admin = self.provider_token(provider, ADMIN_CLIENT)
        reader = self.provider_token(provider, READER_CLIENT)
        elsewhere = self.provider_token(provider, ELSEWHERE_CLIENT)
        for entity in self.target.domain.entity_list:
            client, url = self.client_for(entity), self.url(entity)
            for headers in ({}, {"Authorization": "Bearer not-a-token"}, elsewhere):
                self.expect(client.get(url, headers=headers), 401, problem=True)
            self.expect(client.post(url, json=self.body(entity), headers=reader), 403, problem=True)
            self.expect(client.get(url, headers=reader), 200)

    def crud(self, entity: EntitySpec) -> None:
        url, client = self.url(entity), self.client_for(entity)
        created = [self.create(entity) for _ in range(3)]
        first = created[0]
        if self.expect(client.get(f"{url}/{first['id']}", headers=self.admin), 200) != first:
            raise SmokeError("", f"GET {url}/{first['id']} does not return what POST stored")
        change = {k: v for k, v in self.body(entity).items() if k in first}
        updated = self.expect(
            client.patch(f"{url}/{first['id']}", json=change, headers=self.admin), 200
        )
        if any(
            updated[k] != v
            for k, v in change.items()
            if not isinstance(v, str) or k.endswith("_id")
        ):
            raise SmokeError("", f"PATCH {url}/{first['id']} did not apply {change}")
        self._walk_pages(client, url, {c["id"] for c in created})
        self.expect(client.delete(f"{url}/{first['id']}", headers=self.admin), 204)
        self.expect(client.get(f"{url}/{first['id']}", headers=self.admin), 404, problem=True)

    def _walk_pages(self, client: httpx.Client, url: str, expected: set[str]) -> None:
        seen: list[str] = []
        cursor: str | None = None
        for _ in range(100):
            params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
            page = self.expect(client.get(url, params=params, headers=self.admin), 200)
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        if not expected <= set(seen) or len(seen) != len(set(seen)):
            raise SmokeError(
                "", f"cursor pages of {url} returned {seen}, expected each of {expected} once"
            )

    def _startable_job(self) -> JobSpec | None:
        """The first on-demand job with written work that starts with an empty body."""
        if not self.target.runs_jobs:
            return None
        for job in self.target.domain.job_list:
            optional = all(field.optional for field in job.payload_fields)
            if job.trigger_kind == "on_demand" and job.kind and optional:
                return job
        return None

    def job_succeeds(self, job: JobSpec) -> None:
        """Start ``job`` through the API, poll its resource until it succeeded, fetch its
        result."""
        client = self.clients[self.target.app_serving(job.context).name]
        context = self.target.domain.contexts[job.context]
        url = f"/api/v1/{context.url_segment}/jobs/{job.url_segment}"
        started = client.post(url, json={}, headers=self.admin)
        self.expect(started, 202)
        location = started.headers["Location"]
        deadline = time.monotonic() + JOB_SECONDS
        while time.monotonic() < deadline:
            state = self.expect(client.get(location, headers=self.admin), 200)
            if state["status"] == "succeeded":
                if state["result"] and state["result"]["href"]:
                    self.expect(client.get(state["result"]["href"], headers=self.admin), 200)
                return
            if state["status"] == "failed":
                raise SmokeError("", f"{job.qualified_name} failed: {state['error']}")
            time.sleep(0.2)
        raise SmokeError("", f"{job.qualified_name} did not succeed in {JOB_SECONDS} s")

    def problem_details(self) -> None:
        entity = self.target.domain.entity_list[0]
        url, client = self.url(entity), self.client_for(entity)
        self.expect(client.get(f"{url}/{uuid.uuid4()}", headers=self.admin), 404, problem=True)
        invalid = self.expect(
            client.post(url, json={"unknown": 1}, headers=self.admin), 422, problem=True
        )
        if not invalid.get("errors"):
            raise SmokeError("", "a 422 problem must list the validation errors")

    def cache_hit(self) -> None:
        entity = self.target.domain.entity_list[0]
        client = self.client_for(entity)
        created = self.create(entity)
        hits = self.metric(client, "cache_lookups_total", result="hit")
        for _ in range(2):
            self.expect(client.get(f"{self.url(entity)}/{created['id']}", headers=self.admin), 200)
        if self.metric(client, "cache_lookups_total", result="hit") != hits + 1:
            raise SmokeError("", "the second read of a resource was not served from the cache")

    def graphql(self) -> None:
        """An item REST created, read through GraphQL with what it refers to; a page of its
        kind as a connection; and no data for a caller without a token."""
        domain = self.target.domain
        entity = next(
            (e for e in domain.entity_list if any(f.required for f in e.reference_fields)),
            domain.entity_list[0],
        )
        client = self.client_for(entity)
        # The monolith serves one graph; each microservice its own subgraph, under its prefix.
        path = "/graphql"
        if self.target.pattern == "microservices":
            path = f"/api/v1/{domain.contexts[entity.context].url_segment}/graphql"
        created = self.create(entity)
        follows = [f for f in entity.reference_fields if f.required]
        nested = " ".join(f"{camel_case(entity.reference_name(f))} {{ id }}" for f in follows)
        one, page = camel_case(entity.name), camel_case(entity.collection_name)
        query = (
            f'{{ {one}(id: "{created["id"]}") {{ id {nested} }} '
            f"{page}(first: 1) {{ edges {{ node {{ id }} }} pageInfo {{ hasNextPage }} }} }}"
        )
        answer = self._graphql(client, path, query, self.admin)
        if answer.get("errors") or answer["data"][one] is None:
            raise SmokeError("", f"POST {path} did not read {created['id']}: {answer}")
        for field in follows:
            followed = answer["data"][one][camel_case(entity.reference_name(field))]
            if followed is None or followed["id"] != created[field.name]:
                raise SmokeError("", f"POST {path} did not follow {field.name}: {answer}")
        if len(answer["data"][page]["edges"]) != 1:
            raise SmokeError("", f"POST {path} did not answer a page of one: {answer}")
        anonymous = self._graphql(client, path, query, {})
        statuses = {error["extensions"]["status"] for error in anonymous.get("errors", [])}
        if anonymous.get("data") or statuses != {401}:
            raise SmokeError("", f"POST {path} without a token answered {anonymous}")

    def _graphql(self, client: httpx.Client, path: str, query: str, headers: dict[str, str]) -> Any:
        return self.expect(client.post(path, json={"query": query}, headers=headers), 200)

    def event_applied_once(self, event: EventSpec) -> None:
        before = {c: self._applied(event, c) for c in event.consumers}
        self.make_happen(event)
        deadline = time.monotonic() + _EVENT_WAIT_SECONDS
        for consumer in event.consumers:
            while self._applied(event, consumer) == before[consumer]:
                if time.monotonic() > deadline:
                    waited = f"{_EVENT_WAIT_SECONDS} s"
                    raise SmokeError("", f"{consumer} did not apply {event.class_name} in {waited}")
                time.sleep(0.1)
        if len(self.target.apps) > 1 or self.target.uses_queue:
            time.sleep(_EVENT_SETTLE_SECONDS)  # a redelivery would show up by now
        for consumer in event.consumers:
            applied = self._applied(event, consumer) - before[consumer]
            if applied != 1:
                raise SmokeError(
                    "", f"{consumer} applied {event.class_name} {applied:g} times, not once"
                )

    def make_happen(self, event: EventSpec) -> dict[str, Any]:
        """Create (then update or delete) a source of ``event``; the source as created."""
        source = self.target.domain.contexts[event.source_context].entities[event.source_entity]
        client = self.client_for(source)
        created = self.create(source)
        item = f"{self.url(source)}/{created['id']}"
        if event.trigger == "updated":
            self.expect(client.patch(item, json={}, headers=self.admin), 200)
        elif event.trigger == "deleted":
            self.expect(client.delete(item, headers=self.admin), 204)
        return created

    def event_streamed_live(self, event: EventSpec) -> None:
        """Follow the source module's event stream, make ``event`` happen, and see it arrive
        as a server-sent event that carries the changed resource."""
        source = self.target.domain.contexts[event.source_context].entities[event.source_entity]
        context = self.target.domain.contexts[event.source_context]
        stream = f"/api/v1/{context.url_segment}/event-stream"
        client = self.client_for(source)
        with client.stream("GET", stream, headers=self.admin) as response:
            if response.status_code != 200:
                response.read()
                self.expect(response, 200)
            lines = response.iter_lines()
            if not any(line.startswith(": following") for line in lines):
                raise SmokeError("", f"{stream} ended before it started following")
            created = self.make_happen(event)
            deadline = time.monotonic() + _EVENT_WAIT_SECONDS
            try:
                for name, data in _server_sent_events(lines):
                    if name == event.class_name and data[source.name]["id"] == created["id"]:
                        return
                    if time.monotonic() > deadline:
                        break
            except httpx.ReadTimeout:
                pass  # nothing came, not even the stream's keep-alive comment
        raise SmokeError("", f"{stream} did not stream {event.class_name} for the new resource")

    def _applied(self, event: EventSpec, consumer: str) -> float:
        if self.inbox is not None:
            return self.inbox(self.target.app_serving(consumer), consumer, event.class_name)
        return self.metric(
            self.clients[self.target.app_serving(consumer).name],
            "domain_events_handled_total",
            event=event.class_name,
            consumer=consumer,
            outcome="applied",
        )

    def traces(self) -> None:
        deadline = time.monotonic() + _TRACE_WAIT_SECONDS
        names = [app.name for app in self.target.apps]
        while time.monotonic() < deadline:
            if all(self.receiver.saw(name) for name in names) and self.receiver.saw("SELECT"):
                return
            time.sleep(0.25)
        silent = [name for name in names if not self.receiver.saw(name)] or names
        raise SmokeError(
            "", f"no spans of {', '.join(silent)} with database queries reached the OTLP receiver"
        )

    def metrics(self) -> None:
        for name, client in self.clients.items():
            text = client.get("/metrics").text
            for metric in ("http_requests_total", "http_request_duration_seconds_bucket"):
                if metric not in text:
                    raise SmokeError("", f"/metrics of {name} lacks {metric}")
            if not re.search(r'http_requests_total\{[^}]*status="4xx"', text):
                raise SmokeError(
                    "", f"/metrics of {name} counts no client errors, though the checks caused some"
                )

    def rate_limit(self) -> None:
        url, client = self.url(self.target.domain.entity_list[0]), self.first_client
        limit = self.rate_limit_per_minute
        for _ in range(limit + 10):
            response = client.get(url, headers=self.admin)
            if response.status_code == 429:
                if int(response.headers.get("retry-after", "0")) < 1:
                    raise SmokeError("", f"a 429 must say when to retry: {describe(response)}")
                return
        raise SmokeError("", f"{limit + 10} requests in a burst were never refused with 429")


def _server_sent_events(lines: Iterator[str]) -> Iterator[tuple[str, Any]]:
    """The (event name, JSON data) of each event in a text/event-stream's lines."""
    fields: dict[str, str] = {}
    for line in lines:
        if not line:
            if "data" in fields:
                yield fields.get("event", "message"), json.loads(fields["data"])
            fields.clear()
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
