"""What a run could leave behind: server processes, archgen's images, and build cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import docker
import psutil

# The apps run under uvicorn, or under the serverless project's local Lambda runner next to
# moto's SQS server.
SERVERS = ("postgres", "redis-server", "uvicorn", "tools.local", "moto_server")


def _is_server(cmdline: str) -> bool:
    # A RabbitMQ node is its Erlang VM; the node's own short-lived helpers (its disk monitor
    # shell) come and go while it runs and are not servers of their own.
    if "beam.smp" in cmdline:
        return "rabbit" in cmdline
    return any(name in cmdline for name in SERVERS)


def server_processes() -> set[int]:
    """Processes of the servers a run starts: PostgreSQL, Redis, RabbitMQ, moto, the apps."""
    return {
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if _is_server(" ".join(p.info["cmdline"] or []))
    }


def containers(engine: docker.DockerClient) -> set[str]:
    return {c.id for c in engine.containers.list(all=True)}


def archgen_images(engine: docker.DockerClient) -> set[str]:
    return {tag for image in engine.images.list() for tag in image.tags if "archgen" in tag}


def _build_cache(engine: docker.DockerClient) -> set[str]:
    return {record["ID"] for record in engine.df().get("BuildCache") or []}


@contextmanager
def build_cache_dropped(engine: docker.DockerClient) -> Iterator[None]:
    """Drop the build cache records made inside the block, and only those.

    On the vfs storage driver (the one these machines can run) every record is a full copy of
    the image built so far: one app build leaves about 4 GB, which filled a CI machine's disk.
    The engine prunes one id per call and keeps a record while a newer one builds on it, so
    the newest go first, round after round, until nothing more goes.
    """
    before = _build_cache(engine)
    try:
        yield
    finally:
        made = _build_cache(engine) - before
        while made:
            for record in made:
                engine.api.prune_builds(filters={"id": record})
            left = _build_cache(engine) & made
            if left == made:
                break
            made = left
