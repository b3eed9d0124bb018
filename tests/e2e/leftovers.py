"""What a run could leave behind: server processes and archgen's images."""

from __future__ import annotations

import docker
import psutil

SERVERS = ("postgres", "redis-server", "uvicorn", "rabbit")


def server_processes() -> set[int]:
    """Processes of the servers a run starts: PostgreSQL, Redis, RabbitMQ, the apps."""
    return {
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if any(name in " ".join(p.info["cmdline"] or []) for name in SERVERS)
    }


def containers(engine: docker.DockerClient) -> set[str]:
    return {c.id for c in engine.containers.list(all=True)}


def archgen_images(engine: docker.DockerClient) -> set[str]:
    return {tag for image in engine.images.list() for tag in image.tags if "archgen" in tag}
