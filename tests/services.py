"""Throwaway PostgreSQL and Redis servers for archgen's end-to-end tests.

They run from the binaries on PATH on free loopback ports, through the executors of
pytest-postgresql and pytest-redis. ARCHGEN_TEST_DATABASE_URL and ARCHGEN_TEST_REDIS_URL point
the tests at existing servers instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from port_for import get_port
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_redis.executor import RedisExecutor

REPO_ROOT = Path(__file__).resolve().parents[1]
_UNPRIVILEGED_PG_CTL = REPO_ROOT / "scripts" / "pg_ctl-unprivileged"


def _pg_ctl() -> str:
    if os.geteuid() == 0:
        return str(_UNPRIVILEGED_PG_CTL)
    found = shutil.which("pg_ctl")
    if found is None:
        raise RuntimeError("pg_ctl is not on PATH: install the PostgreSQL server binaries")
    return found


@contextmanager
def _scratch_dir(prefix: str) -> Iterator[Path]:
    """A directory in /tmp that the unprivileged postgres account can reach when we are root."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if os.geteuid() == 0:
            path.chmod(0o755)
            shutil.chown(path, user="postgres")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the block; yields a URL of its maintenance database."""
    if url := os.environ.get("ARCHGEN_TEST_DATABASE_URL"):
        yield url
        return
    with _scratch_dir("archgen-pg-") as workdir, _postgres_executor(workdir) as port:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"


@contextmanager
def _postgres_executor(workdir: Path) -> Iterator[int]:
    datadir = workdir / "data"
    port = get_port(None)
    executor = PostgreSQLExecutor(
        executable=_pg_ctl(),
        host="127.0.0.1",
        port=port,
        datadir=str(datadir),
        unixsocketdir=str(workdir),
        logfile=str(workdir / "postgresql.log"),
        startparams="-w",
        dbname="postgres",
        postgres_options="-c fsync=off -c full_page_writes=off -c max_connections=200",
    )
    with executor:
        yield port


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server for the block; yields its URL."""
    if url := os.environ.get("ARCHGEN_TEST_REDIS_URL"):
        yield url
        return
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("redis-server is not on PATH: install it (apt-get install redis-server)")
    port = get_port(None)
    with _scratch_dir("archgen-redis-") as datadir:
        executor = RedisExecutor(
            executable,
            databases=16,
            redis_timeout=30,
            loglevel="warning",
            host="127.0.0.1",
            port=port,
            datadir=datadir,
        )
        with executor:
            yield f"redis://127.0.0.1:{port}/0"
