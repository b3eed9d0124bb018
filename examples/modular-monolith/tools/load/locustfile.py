"""The load test: each virtual user signs in, then reads, lists, creates and changes every
resource in the mix the API was sized for (read-heavy), a few requests a second.

    make load URL=https://staging.example.com USERS=50 DURATION=5m

Locust runs headless (its settings are in pyproject.toml, [tool.locust]) and prints requests/s,
p50/p95/p99 and errors. The run fails (exit 1) on any error, and when p95 is over P95_TARGET_MS,
the discovery answers' target (the `--p95-target-ms` option or P95_TARGET_MS variable changes
it for a run).

The user is LOAD_EMAIL / LOAD_PASSWORD, or LOAD_TOKEN (see access.py); fill the resources
first with `make seed`. `--tags CONTEXT` loads the resources of one context only.
"""

import secrets
import time
import uuid
from collections.abc import Callable
from itertools import count
from typing import Any

import gevent
from locust import FastHttpUser, TaskSet, between, events, tag
from locust.env import Environment

from tools.load.access import ME_PATH, REFRESH_PATH, SIGN_IN_PATH, Access
from tools.load.resources import RESOURCES, Resource
from tools.load.summary import verdict

P95_TARGET_MS = 200  # milliseconds
# How often each of ApiUser's actions runs, relative to the others, on every resource: the
# discovery answers' read/write ratio (read-heavy).
WEIGHTS = {"read": 12, "list_page": 6, "create": 1, "change": 1}
PAGE_SIZE = 20
KNOWN_IDS = 200  # per resource and user: the rows a user reads and changes


def _options(parser: Any) -> None:
    """The p95 target on Locust's command line."""
    parser.add_argument(
        "--p95-target-ms",
        type=int,
        default=P95_TARGET_MS,
        env_var="P95_TARGET_MS",
        help=f"fail the run when p95 is over this many milliseconds ({P95_TARGET_MS})",
    )


def _start(**_: Any) -> None:
    """Before the run: refuse to start without a user to act as, and set gevent's clock.

    Locust times --run-time from gevent's idea of now, which is as old as the imports until the
    event loop first runs: without the update, a run ends early by the seconds they took.
    """
    Access.from_environment()
    gevent.get_hub().loop.update_now()


def _judge(environment: Environment, **_: Any) -> None:
    """After the run: print its figures; a p95 over the target fails it."""
    options = environment.parsed_options
    target = options.p95_target_ms if options else P95_TARGET_MS
    result = verdict(environment.stats.total, target)
    print(result.report)
    if not result.met:
        environment.process_exit_code = 1


RESOURCES_BY_NAME = {resource.name: resource for resource in RESOURCES}


def _task(resource: Resource, action: str) -> Callable[["ApiUser"], None]:
    """A Locust task doing ``action`` on ``resource``, tagged with its context."""

    def run(user: "ApiUser") -> None:
        getattr(user, action)(resource)

    run.__name__ = f"{action}_{resource.name}"
    return tag(resource.context)(run)


def _read_me(user: "ApiUser") -> None:
    """The signed-in user's own record, which clients read now and then."""
    user.client.get(ME_PATH, headers=user.auth_headers(), name=ME_PATH)


class ApiUser(FastHttpUser):
    """A client of the API: signs in, then works on every resource."""

    # Locust picks each next task at random from the class's list: a task's weight is how many
    # times it is in it.
    tasks: list[TaskSet | Callable[..., None]] = [  # noqa: RUF012
        *(
            task
            for resource in RESOURCES
            for action, weight in WEIGHTS.items()
            for task in [_task(resource, action)] * weight
        ),
        tag("identity")(_read_me),
    ]
    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        self.access = Access.from_environment()
        self.token, self.refresh_token, self.expires_at = self.access.token, "", float("inf")
        self.ids: dict[str, list[str]] = {resource.name: [] for resource in RESOURCES}
        self.etags: dict[str, str] = {}
        self.numbers = count()
        if not self.token:
            self._take(self.client.post(SIGN_IN_PATH, json=self.access.credentials))

    def _take(self, response: Any) -> None:
        """Keep the tokens of a token endpoint's answer; refresh a minute before expiry."""
        response.raise_for_status()
        tokens = response.json()
        self.token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]
        self.expires_at = time.monotonic() + tokens["expires_in"] - 60

    def auth_headers(self, **extra: str) -> dict[str, str]:
        """The bearer token (refreshed when it is about to expire) and ``extra``."""
        if time.monotonic() > self.expires_at:
            self._take(self.client.post(REFRESH_PATH, json={"refresh_token": self.refresh_token}))
        return {"Authorization": f"Bearer {self.token}", **extra}

    def _remember(self, resource: Resource, ids: list[str]) -> None:
        known = self.ids[resource.name]
        known.extend(i for i in ids if i not in known)
        del known[:-KNOWN_IDS]

    def list_page(self, resource: Resource) -> None:
        """A page of rows; a third of the time, the next page too."""
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        for _ in range(2):
            response = self.client.get(
                resource.url, params=params, headers=self.auth_headers(), name=resource.url
            )
            if not response.ok:
                return
            page = response.json()
            self._remember(resource, [item["id"] for item in page["items"]])
            if not page["next_cursor"] or secrets.randbelow(3):
                return
            params["cursor"] = page["next_cursor"]

    def read(self, resource: Resource) -> None:
        """One row, revalidated with its ETag when read before (a 304 then)."""
        if not self.ids[resource.name]:
            self.list_page(resource)
            return
        row = secrets.choice(self.ids[resource.name])
        etag = {"If-None-Match": self.etags[row]} if row in self.etags else {}
        response = self.client.get(
            f"{resource.url}/{row}", headers=self.auth_headers(**etag), name=resource.item_url
        )
        etag_now = response.headers.get("ETag") if response.headers else None
        if isinstance(etag_now, str):
            self.etags[row] = etag_now

    def create(self, resource: Resource) -> None:
        """A new row (retry-safe: an Idempotency-Key), referencing rows this user knows."""
        references = {}
        for field, target in resource.references.items():
            known = self.ids[target] or self._find(RESOURCES_BY_NAME[target])
            if not known:
                return
            references[field] = secrets.choice(known)
        headers = self.auth_headers(**{"Idempotency-Key": str(uuid.uuid4())})
        body = resource.new(next(self.numbers), references)
        response = self.client.post(resource.url, json=body, headers=headers, name=resource.url)
        if response.ok:
            self._remember(resource, [str(response.json()["id"])])

    def _find(self, resource: Resource) -> list[str]:
        """Rows of ``resource`` to reference: listed, or made when there are none."""
        self.list_page(resource)
        if not self.ids[resource.name]:
            self.create(resource)
        return self.ids[resource.name]

    def change(self, resource: Resource) -> None:
        """A change to a row this user knows (a new one when it knows none)."""
        if not self.ids[resource.name]:
            self.create(resource)
            return
        row = secrets.choice(self.ids[resource.name])
        self.client.patch(
            f"{resource.url}/{row}",
            json=resource.change(next(self.numbers)),
            headers=self.auth_headers(),
            name=resource.item_url,
        )
        self.etags.pop(row, None)


events.init_command_line_parser.add_listener(_options)
events.init.add_listener(_start)
events.quitting.add_listener(_judge)
