"""RabbitMQ for smoke runs and tests: a local node and a container, each a real broker.

Each accepts a connection, routes a message through a queue, and leaves nothing running.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager

import docker
import pika
import psutil
import pytest

from archgen._smoke._containers import (
    DEFAULT_RABBITMQ_IMAGE,
    RABBITMQ_IMAGE_VARIABLE,
    docker_rabbitmq,
)
from archgen._smoke._services import local_rabbitmq

# Its leftover checks look at the whole machine: no other test may start servers meanwhile.
pytestmark = [pytest.mark.e2e, pytest.mark.alone]


def erlang_processes() -> set[int]:
    return {p.pid for p in psutil.process_iter(["name"]) if p.info["name"] in ("beam.smp", "epmd")}


IMAGE = os.environ.get(RABBITMQ_IMAGE_VARIABLE, DEFAULT_RABBITMQ_IMAGE)


def broker_containers() -> set[str]:
    engine = docker.from_env()
    return {c.id for c in engine.containers.list(all=True, filters={"ancestor": IMAGE})}


def docker_broker() -> AbstractContextManager[str]:
    return docker_rabbitmq(IMAGE)


@pytest.mark.parametrize("broker", [local_rabbitmq, docker_broker], ids=["local", "docker"])
def test_a_broker_routes_a_message_and_is_gone_afterwards(
    broker: Callable[[], AbstractContextManager[str]],
) -> None:
    containers, processes = broker_containers(), erlang_processes()
    with broker() as url:
        connection = pika.BlockingConnection(pika.URLParameters(url))
        channel = connection.channel()
        channel.queue_declare("smoke", auto_delete=True)
        channel.basic_publish("", "smoke", b"hello")
        method, _, body = next(channel.consume("smoke", inactivity_timeout=10))
        assert (method is not None, body) == (True, b"hello")
        connection.close()
    assert broker_containers() <= containers
    live = {
        pid for pid in erlang_processes() - processes if psutil.Process(pid).status() != "zombie"
    }
    assert not live
