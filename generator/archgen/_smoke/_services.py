"""Throwaway PostgreSQL and Redis servers, started from the binaries on PATH.

mirakuru runs each server in the foreground on a free loopback port (port-for) and kills its
whole process group when the block ends, on success, failure or Ctrl-C alike.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
from mirakuru import TCPExecutor
from mirakuru.base import ENV_UUID, cleanup_subprocesses
from port_for import get_port

from archgen._errors import UserError

HOST = "127.0.0.1"
_START_TIMEOUT_SECONDS = 60


def _kill_servers_started_by(owner_pid: int) -> None:
    """Kill the servers that process ``owner_pid`` started and did not stop.

    mirakuru marks each server with ``"<pid>:<uuid>"`` of the process that started it. Its own
    exit hook kills every process whose marker merely contains this process's id: the servers
    of other processes too (pid 248 matches a marker "31248:..."), which took down a test run's
    database whenever another run ended. This one matches the owner exactly.
    """
    owner = f"{owner_pid}:"
    for process in psutil.process_iter():
        with suppress(psutil.Error, OSError):
            if process.environ().get(ENV_UUID, "").startswith(owner):
                process.kill()


def _kill_own_leftover_servers() -> None:
    """At exit, kill the servers this process started and did not stop."""
    _kill_servers_started_by(os.getpid())


atexit.unregister(cleanup_subprocesses)
atexit.register(_kill_own_leftover_servers)


def free_port() -> int:
    port = get_port(None)
    if port is None:
        raise UserError("no free port on the loopback interface")
    return port


def _binary(name: str, package: str) -> str:
    """A server binary from PATH, or from Debian's PostgreSQL folder, which is off PATH."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    if found is None:
        raise UserError(f"{name} is not installed: install {package} (apt-get install {package})")
    return found


def _unprivileged(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres account instead."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def _scratch_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if os.geteuid() == 0:
            path.chmod(0o755)
            shutil.chown(path, user="postgres")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class _PostgresExecutor(TCPExecutor):
    """Started once the server accepts queries, not merely connections."""

    def __init__(self, command: list[str], port: int, pg_isready: str) -> None:
        super().__init__(
            command,
            host=HOST,
            port=port,
            timeout=_START_TIMEOUT_SECONDS,
            stop_signal=signal.SIGINT,  # "fast" shutdown: do not wait for clients to leave
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._ready_command = [pg_isready, "-q", "-h", HOST, "-p", str(port)]

    def after_start_check(self) -> bool:
        return super().after_start_check() and subprocess.run(self._ready_command).returncode == 0


@contextmanager
def local_postgres() -> Iterator[str]:
    """A PostgreSQL server for the block; yields the URL of its maintenance database."""
    initdb = _binary("initdb", "postgresql")
    with _scratch_dir("archgen-pg-") as workdir:
        data = workdir / "data"
        subprocess.run(
            _unprivileged(
                [
                    initdb,
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = [
            _binary("postgres", "postgresql"),
            "-D", str(data), "-p", str(port), "-h", HOST, "-k", str(workdir),
            "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
            "-c", "logging_collector=on", "-c", f"log_directory={workdir}",
        ]  # fmt: skip
        executor = _PostgresExecutor(
            _unprivileged(server), port, _binary("pg_isready", "postgresql")
        )
        with executor:
            yield f"postgresql://postgres@{HOST}:{port}/postgres"


@contextmanager
def local_redis() -> Iterator[str]:
    """A Redis server for the block, persisting nothing; yields its URL."""
    redis_server = _binary("redis-server", "redis-server")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="archgen-redis-") as workdir:
        command = [
            redis_server, "--port", str(port), "--bind", HOST, "--dir", workdir,
            "--save", "", "--appendonly", "no", "--logfile", f"{workdir}/redis.log",
        ]  # fmt: skip
        executor = TCPExecutor(
            command,
            host=HOST,
            port=port,
            timeout=_START_TIMEOUT_SECONDS,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with executor:
            yield f"redis://{HOST}:{port}/0"


_RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"  # Debian's, without the log wrapper
_RABBITMQ_CONFIG = """\
listeners.tcp.default = {host}:{port}
loopback_users.guest = true
log.console = false
log.file.level = warning
"""


_MANAGEMENT_CONFIG = """\
management.tcp.ip = {host}
management.tcp.port = {port}
"""


# An AMQP 0-9-1 client's first bytes; a node that is up answers with a frame (Connection.Start).
_AMQP_PROTOCOL_HEADER = b"AMQP\x00\x00\x09\x01"
_AMQP_METHOD_FRAME = b"\x01"


def amqp_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """Whether the broker at ``host:port`` opens an AMQP connection, not merely accepts TCP.

    RabbitMQ listens while it still boots and closes the connections it gets then: a client
    that connected at that moment reads nothing (aiormq's "Server connection unexpectedly
    closed").
    """
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.sendall(_AMQP_PROTOCOL_HEADER)
            return connection.recv(1) == _AMQP_METHOD_FRAME
    except OSError:
        return False


class _RabbitMQExecutor(TCPExecutor):
    """Started once the node opens AMQP connections, not merely accepts TCP ones."""

    def after_start_check(self) -> bool:
        return super().after_start_check() and amqp_answers(HOST, self.port)


@contextmanager
def local_rabbitmq(management_port: int | None = None) -> Iterator[str]:
    """A RabbitMQ node for the block, with its own Erlang port mapper; yields its AMQP URL.

    The node, its distribution port and its epmd all use free ports and a scratch directory,
    so it neither meets nor disturbs another node on the machine; epmd outlives the node's
    process group, so it is told to stop as well. With ``management_port`` the management
    API listens there too.
    """
    server = _RABBITMQ_SERVER if os.path.exists(_RABBITMQ_SERVER) else None
    server = server or _binary("rabbitmq-server", "rabbitmq-server")
    epmd = _binary("epmd", "erlang-base")
    port, epmd_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="archgen-rabbitmq-") as workdir:
        config = Path(workdir, "rabbitmq.conf")
        settings = _RABBITMQ_CONFIG.format(host=HOST, port=port)
        plugins = "[]."
        if management_port is not None:
            settings += _MANAGEMENT_CONFIG.format(host=HOST, port=management_port)
            plugins = "[rabbitmq_management]."
        config.write_text(settings, encoding="utf-8")
        Path(workdir, "enabled_plugins").write_text(plugins + "\n", encoding="utf-8")
        environment = {
            **os.environ,
            "HOME": workdir,  # the Erlang cookie is written here
            "RABBITMQ_NODENAME": f"archgen-{port}@localhost",
            "RABBITMQ_NODE_IP_ADDRESS": HOST,
            "RABBITMQ_NODE_PORT": str(port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "ERL_EPMD_PORT": str(epmd_port),
            "ERL_EPMD_ADDRESS": HOST,
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(Path(workdir, "enabled_plugins")),
            "RABBITMQ_MNESIA_BASE": str(Path(workdir, "mnesia")),
            "RABBITMQ_LOG_BASE": str(Path(workdir, "log")),
        }
        executor = _RabbitMQExecutor(
            [server],
            host=HOST,
            port=port,
            timeout=_START_TIMEOUT_SECONDS,
            envvars=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with executor:
                yield f"amqp://guest:guest@{HOST}:{port}/"
        finally:
            subprocess.run([epmd, "-port", str(epmd_port), "-kill"], capture_output=True)
