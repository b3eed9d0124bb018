"""PostgreSQL, Redis and RabbitMQ as Docker containers, through testcontainers.

Image names are settings: flags, or ARCHGEN_POSTGRES_IMAGE / ARCHGEN_REDIS_IMAGE /
ARCHGEN_RABBITMQ_IMAGE (and ARCHGEN_PYTHON_IMAGE for the app's base with ``--in-container``),
with the official images as defaults. Machines without a registry build stand-ins with
``scripts/build-stand-in-images``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import docker
from docker.errors import DockerException
from testcontainers.community.postgres import PostgresContainer
from testcontainers.community.rabbitmq import RabbitMqContainer
from testcontainers.community.redis import RedisContainer

from archgen._errors import UserError

DEFAULT_POSTGRES_IMAGE = "postgres:16-alpine"
DEFAULT_REDIS_IMAGE = "redis:7-alpine"
DEFAULT_RABBITMQ_IMAGE = "rabbitmq:4-alpine"
POSTGRES_IMAGE_VARIABLE = "ARCHGEN_POSTGRES_IMAGE"
REDIS_IMAGE_VARIABLE = "ARCHGEN_REDIS_IMAGE"
RABBITMQ_IMAGE_VARIABLE = "ARCHGEN_RABBITMQ_IMAGE"
PYTHON_IMAGE_VARIABLE = "ARCHGEN_PYTHON_IMAGE"


def docker_engine_answers() -> bool:
    """Whether a Docker engine is reachable from here (DOCKER_HOST or the default socket)."""
    try:
        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except DockerException:
        return False


@contextmanager
def _running(container: Any, image: str) -> Iterator[Any]:
    try:
        container.start()
    except DockerException as error:
        container.stop()
        raise UserError(f"cannot start a container from image {image!r}: {error}") from None
    try:
        yield container
    finally:
        container.stop()


@contextmanager
def docker_postgres(image: str) -> Iterator[str]:
    """A PostgreSQL container for the block; yields the URL of its maintenance database."""
    container = PostgresContainer(
        image, username="postgres", password=secrets.token_hex(16), dbname="postgres", driver=None
    )
    with _running(container, image) as postgres:
        yield postgres.get_connection_url().replace("@localhost:", "@127.0.0.1:")


@contextmanager
def docker_redis(image: str) -> Iterator[str]:
    """A Redis container for the block; yields its URL."""
    with _running(RedisContainer(image), image) as redis:
        host = redis.get_container_host_ip().replace("localhost", "127.0.0.1")
        yield f"redis://{host}:{redis.get_exposed_port(6379)}/0"


@contextmanager
def docker_rabbitmq(image: str) -> Iterator[str]:
    """A RabbitMQ container for the block; yields its AMQP URL (default vhost)."""
    container = RabbitMqContainer(image, username="smoke", password=secrets.token_hex(16))
    with _running(container, image) as rabbitmq:
        host = rabbitmq.get_container_host_ip().replace("localhost", "127.0.0.1")
        port = rabbitmq.get_exposed_port(rabbitmq.port)
        yield f"amqp://{rabbitmq.username}:{rabbitmq.password}@{host}:{port}/"
