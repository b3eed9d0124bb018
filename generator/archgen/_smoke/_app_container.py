"""The project built from its own Dockerfile and run as containers next to its services.

This is what ``archgen smoke --in-container`` runs: it proves the Dockerfile builds an image
that migrates, creates users and serves. The image is built with BuildKit through the
``docker`` CLI (the Dockerfile uses cache mounts, which the Engine API's legacy builder lacks);
the app container is run through the Docker SDK. Every container shares the host's network so
the app reaches the services' published loopback ports and the harness's OTLP receiver, and
serves on a loopback port itself. The image and every container are removed at the end of the
block, on success, failure and Ctrl-C alike.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import docker
from docker.errors import DockerException, NotFound
from docker.models.containers import Container

from archgen._smoke._project import (
    LOG_LINES_ON_FAILURE,
    ProjectUnderTest,
    run_command,
    wait_until_live,
)
from archgen._smoke._report import SmokeError
from archgen._smoke._services import HOST, free_port
from archgen._smoke._target import SmokeTarget

LABEL = "archgen.smoke"
_STOP_TIMEOUT_SECONDS = 15
# Waits for commands to be exec'd into it; exits at once on SIGTERM (it runs as PID 1).
_IDLE = [
    "python",
    "-c",
    "import signal, sys; signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); signal.pause()",
]


class ContainerProject(ProjectUnderTest):
    """The project as an image built from its Dockerfile; every command runs in a container."""

    install_step = "build"

    def __init__(
        self,
        target: SmokeTarget,
        *,
        postgres_url: str,
        redis_url: str,
        python_image: str | None = None,
    ) -> None:
        super().__init__(target, postgres_url=postgres_url, redis_url=redis_url)
        self.python_image = python_image
        self.run_id = secrets.token_hex(4)
        self.image = f"archgen-smoke/{target.answers['project_slug']}:{self.run_id}"
        self.cli_environment = {**os.environ, "DOCKER_BUILDKIT": "1"}
        self.client = docker.from_env()
        self.toolbox: Container

    def _docker(self, step: str, *arguments: str, stdin: str | None = None) -> str:
        return run_command(
            step,
            ["docker", *arguments],
            cwd=self.target.path,
            env=self.cli_environment,
            stdin=stdin,
        )

    @contextmanager
    def installed(self) -> Iterator[None]:
        """The image, built from the project's Dockerfile, and a toolbox container of it.

        Commands run in the toolbox with ``docker exec``: one container for all of them, not
        one per command, which matters on slow storage drivers. Both go away after the block.
        """
        build_arguments = ["--build-arg", f"PYTHON_IMAGE={self.python_image}"]
        self._docker(
            "build",
            "build",
            "--network",
            "host",
            "--label",
            f"{LABEL}={self.run_id}",
            "--tag",
            self.image,
            *(build_arguments if self.python_image else []),
            ".",
        )
        try:
            with self._container("build", _IDLE) as toolbox:
                self.toolbox = toolbox
                yield
        finally:
            self._docker("teardown", "image", "rm", "--force", self.image)
            self.client.close()

    def run(self, step: str, *command: str, stdin: str | None = None) -> str:
        return self._docker(step, "exec", "--interactive", self.toolbox.id, *command, stdin=stdin)

    @contextmanager
    def _container(
        self, step: str, command: list[str] | None, extra_settings: dict[str, str] | None = None
    ) -> Iterator[Container]:
        """A container of the image on the host's network, with the run's settings."""
        try:
            container: Container = self.client.containers.run(
                self.image,
                command,
                detach=True,
                network_mode="host",
                labels={LABEL: self.run_id},
                environment={**self.settings, **(extra_settings or {})},
            )
        except DockerException as error:
            raise SmokeError(step, f"cannot run the app's image: {error}") from None
        try:
            yield container
        finally:
            _remove(container)

    @contextmanager
    def serving(self, extra_settings: dict[str, str]) -> Iterator[str]:
        """The image's own command (uvicorn), told through its settings to serve on loopback."""
        port = free_port()
        address = {"UVICORN_HOST": HOST, "UVICORN_PORT": str(port)}
        with self._container("start", None, {**extra_settings, **address}) as app:
            base_url = f"http://{HOST}:{port}"
            wait_until_live(base_url, lambda: _exit_code(app), lambda: _tail(app))
            yield base_url


def _exit_code(container: Container) -> int | None:
    container.reload()
    if container.status in ("exited", "dead"):
        return int(container.attrs["State"]["ExitCode"])
    return None


def _tail(container: Container) -> str:
    logs: bytes = container.logs(tail=LOG_LINES_ON_FAILURE)
    return logs.decode(errors="replace").rstrip()


def _remove(container: Container) -> None:
    try:
        container.stop(timeout=_STOP_TIMEOUT_SECONDS)
        container.remove(force=True)
    except NotFound:
        pass
    except DockerException:
        container.remove(force=True)
