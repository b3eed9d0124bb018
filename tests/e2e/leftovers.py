"""What a run could leave behind: server processes and archgen's images."""

from __future__ import annotations

import docker
import psutil

# The apps run under uvicorn, or under the serverless project's local Lambda runner next to
# moto's SQS server.
SERVERS = ("postgres", "redis-server", "uvicorn", "functions.local", "moto_server")


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
