"""A local RabbitMQ counts as started when it opens AMQP connections, not when its port accepts.

The node listens while it still boots and closes what connects then; a job worker that
connected at that moment in a smoke run read nothing and exited. Loopback servers stand in for
the three states a node's port can be in.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from archgen._smoke._services import HOST, amqp_answers, free_port

# The start of Connection.Start: a method frame on channel 0.
CONNECTION_START = b"\x01\x00\x00"


@contextmanager
def listening(answer: Callable[[socket.socket], None]) -> Iterator[int]:
    """A loopback server that hands its one connection to ``answer``; yields its port."""
    with socket.create_server((HOST, 0)) as server:
        server.settimeout(5)

        def serve() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(8)  # the client's protocol header
                answer(connection)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        yield server.getsockname()[1]
        thread.join(timeout=5)


def test_a_node_that_answers_the_protocol_header_is_up() -> None:
    with listening(lambda connection: connection.sendall(CONNECTION_START)) as port:
        assert amqp_answers(HOST, port)


def test_a_booting_node_that_closes_the_connection_is_not() -> None:
    with listening(lambda connection: None) as port:
        assert not amqp_answers(HOST, port)


def test_a_port_nobody_listens_on_is_not() -> None:
    assert not amqp_answers(HOST, free_port())
