"""Fill the resources of a running API with valid made-up rows, through the API itself:

    uv run python -m tools.load.seed --url URL [--rows N] [CONTEXT ...]

`make seed URL=... ROWS=...` runs it on every resource. It acts as the user LOAD_EMAIL /
LOAD_PASSWORD, or with LOAD_TOKEN (see access.py), and fills the resources in the order of
their references, so each new row references rows made before it. Point it at a development
or staging deployment, never at production. The API's rate limit counts its requests: it waits
out each 429 for as long as Retry-After says, so raise RATE_LIMIT_PER_MINUTE on the target for
a large seed.
"""

import argparse
import asyncio
import secrets
from collections.abc import Generator, Iterable
from typing import Any

import httpx

from tools.load.access import SIGN_IN_PATH, Access
from tools.load.resources import RESOURCES, Resource

CONCURRENCY = 8  # requests in flight at once
TIMEOUT_SECONDS = 30


class SeedError(Exception):
    """The API refused a request; the message names the resource and the problem."""


class TokenAuth(httpx.Auth):
    """Bearer authentication that signs in at the token endpoint first (unless given a token),
    and again when the API answers 401 because the token expired."""

    requires_response_body = True

    def __init__(self, access: Access) -> None:
        self._access = access
        self._token = access.token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self._token:
            yield from self._sign_in(request)
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == httpx.codes.UNAUTHORIZED and self._access.email:
            yield from self._sign_in(request)
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request

    def _sign_in(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        url = request.url.copy_with(path=SIGN_IN_PATH, query=None)
        response = yield httpx.Request("POST", url, json=self._access.credentials)
        if response.status_code != httpx.codes.OK:
            raise SeedError(f"signing in as {self._access.email}: {_problem(response)}")
        self._token = response.json()["access_token"]


def _problem(response: httpx.Response) -> str:
    """The status and, for a problem document, its title and detail."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = " - ".join(str(body[key]) for key in ("title", "detail") if body.get(key))
    return f"{response.status_code} {detail or response.reason_phrase}"


async def _create(api: httpx.AsyncClient, resource: Resource, body: dict[str, Any]) -> str:
    """POST a new row, waiting out the rate limit; its id."""
    while True:
        response = await api.post(resource.url, json=body)
        if response.status_code != httpx.codes.TOO_MANY_REQUESTS:
            break
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
    if response.status_code != httpx.codes.CREATED:
        raise SeedError(f"creating a {resource.name}: {_problem(response)}")
    return str(response.json()["id"])


async def seed(
    api: httpx.AsyncClient, rows: int, resources: Iterable[Resource] = RESOURCES
) -> dict[str, int]:
    """Create ``rows`` rows of each of ``resources``; how many of each were made."""
    made: dict[str, list[str]] = {}
    in_flight = asyncio.Semaphore(CONCURRENCY)

    async def create(resource: Resource, n: int) -> str:
        references = {
            field: secrets.choice(made[target]) for field, target in resource.references.items()
        }
        async with in_flight:
            return await _create(api, resource, resource.new(n, references))

    for resource in resources:
        made[resource.name] = list(
            await asyncio.gather(*(create(resource, n) for n in range(rows)))
        )
    return {name: len(ids) for name, ids in made.items()}


async def _seed_at(url: str, rows: int, resources: list[Resource]) -> dict[str, int]:
    auth = TokenAuth(Access.from_environment())
    async with httpx.AsyncClient(base_url=url, auth=auth, timeout=TIMEOUT_SECONDS) as api:
        return await seed(api, rows, resources)


def main(argv: list[str] | None = None) -> int:
    contexts = sorted({resource.context for resource in RESOURCES})
    parser = argparse.ArgumentParser(prog="python -m tools.load.seed")
    parser.add_argument("--url", required=True, help="the API's base URL")
    parser.add_argument("--rows", type=int, default=100, help="rows per resource (100)")
    parser.add_argument(
        "contexts",
        nargs="*",
        metavar="CONTEXT",
        help=f"fill only these: {', '.join(contexts)} (every one when none is named)",
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    if unknown := sorted(set(args.contexts) - set(contexts)):
        parser.error(f"no context named {', '.join(unknown)}; they are {', '.join(contexts)}")
    chosen = [r for r in RESOURCES if not args.contexts or r.context in args.contexts]
    try:
        made = asyncio.run(_seed_at(args.url, args.rows, chosen))
    except (SeedError, httpx.HTTPError) as error:
        parser.exit(1, f"{parser.prog}: {error}\n")
    for name, count in made.items():
        print(f"made {count} {name} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
