"""A RabbitMQ virtual host of the run's own on a server the user gave (the external runtime).

Queues and exchanges of the run live in it, so the run never meets the server's other
traffic; it is created, and deleted with everything in it, through the management API.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import httpx

from archgen._errors import UserError

MANAGEMENT_PORT = 15672


def management_url_of(amqp_url: str) -> str:
    """Where the management API usually is: the broker's host, on port 15672."""
    host = urlsplit(amqp_url).hostname or "127.0.0.1"
    return f"http://{host}:{MANAGEMENT_PORT}"


@contextmanager
def own_vhost(amqp_url: str, management_url: str | None = None) -> Iterator[str]:
    """A fresh virtual host for the block, with the URL's user allowed in; yields its URL."""
    parts = urlsplit(amqp_url)
    user, password = unquote(parts.username or "guest"), unquote(parts.password or "guest")
    api = (management_url or management_url_of(amqp_url)).rstrip("/") + "/api"
    name = f"smoke-{secrets.token_hex(4)}"
    with httpx.Client(base_url=api, auth=(user, password), timeout=10) as client:
        _call(client, "PUT", f"/vhosts/{name}", api)
        try:
            everything = {"configure": ".*", "write": ".*", "read": ".*"}
            _call(client, "PUT", f"/permissions/{name}/{quote(user, safe='')}", api, everything)
            yield urlunsplit(parts._replace(path="/" + quote(name, safe="")))
        finally:
            _call(client, "DELETE", f"/vhosts/{name}", api)


def _call(
    client: httpx.Client, method: str, path: str, api: str, body: object | None = None
) -> None:
    try:
        response = client.request(method, path, json=body)
    except httpx.TransportError as error:
        raise UserError(
            f"cannot reach RabbitMQ's management API at {api} ({error}): enable the "
            "rabbitmq_management plugin, or give its address with --rabbitmq-management-url"
        ) from None
    if response.status_code >= 400:
        raise UserError(
            f"RabbitMQ's management API refused {method} {path}: "
            f"{response.status_code} {response.text[:200]}"
        )
