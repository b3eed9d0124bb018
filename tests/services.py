"""Servers for archgen's end-to-end tests: archgen's own local runtime, or existing servers.

ARCHGEN_TEST_DATABASE_URL, ARCHGEN_TEST_REDIS_URL and ARCHGEN_TEST_RABBITMQ_URL point the
tests at existing servers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from archgen._smoke._services import local_postgres, local_rabbitmq, local_redis


@contextmanager
def postgres_server() -> Iterator[str]:
    if url := os.environ.get("ARCHGEN_TEST_DATABASE_URL"):
        yield url
        return
    with local_postgres() as url:
        yield url


@contextmanager
def redis_server() -> Iterator[str]:
    if url := os.environ.get("ARCHGEN_TEST_REDIS_URL"):
        yield url
        return
    with local_redis() as url:
        yield url


@contextmanager
def rabbitmq_server() -> Iterator[str]:
    if url := os.environ.get("ARCHGEN_TEST_RABBITMQ_URL"):
        yield url
        return
    with local_rabbitmq() as url:
        yield url
