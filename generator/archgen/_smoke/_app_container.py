"""The project built from its own Dockerfiles and run as containers next to its services.

This is what ``archgen smoke --in-container`` runs: it proves each app's Dockerfile (the
monolith's, or every service's) builds an image that migrates, runs its commands and serves.
Images are built with BuildKit through the ``docker`` CLI (the Dockerfiles use cache mounts,
which the Engine API's legacy builder lacks); the app containers are run through the Docker
SDK. Every container shares the host's network so
the apps reach the services' published loopback ports and the harness's OTLP receiver, and
serve on loopback ports themselves. The images and every container are removed at the end of
the block, on success, failure and Ctrl-C alike.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import docker
from docker.errors import DockerException, NotFound
from docker.models.containers import Container

from archgen._smoke._project import (
    LOG_LINES_ON_FAILURE,
    ProjectUnderTest,
    ServiceUrls,
    run_command,
    wait_until_live,
)
from archgen._smoke._report import SmokeError
from archgen._smoke._services import HOST, free_port
from archgen._smoke._target import AppUnderTest, SmokeTarget

LABEL = "archgen.smoke"
_STOP_TIMEOUT_SECONDS = 15
# Waits for commands to be exec'd into it; exits at once on SIGTERM (it runs as PID 1).
_IDLE = [
    "python",
    "-c",
    "import signal, sys; signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); signal.pause()",
]


class ContainerProject(ProjectUnderTest):
    """Each app as an image built from its Dockerfile; every command runs in a container."""

    install_step = "build"

    def __init__(
        self, target: SmokeTarget, services: ServiceUrls, *, python_image: str | None = None
    ) -> None:
        super().__init__(target, services)
        self.python_image = python_image
        self.run_id = secrets.token_hex(4)
        self.images = {
            app.key: f"archgen-smoke/{target.slug}-{app.key}:{self.run_id}" for app in target.apps
        }
        self.cli_environment = {**os.environ, "DOCKER_BUILDKIT": "1"}
        self.client = docker.from_env()
        self.toolboxes: dict[str, Container] = {}

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
        """The images, built from the apps' Dockerfiles, and a toolbox container of each.

        Commands run in the toolboxes with ``docker exec``: one container per app for all of
        them, not one per command, which matters on slow storage drivers. All of it goes away
        after the block.
        """
        try:
            with ExitStack() as toolboxes:
                for app in self.target.apps:
                    self._build(app)
                    toolbox = toolboxes.enter_context(self._container("build", app, _IDLE))
                    self.toolboxes[app.key] = toolbox
                yield
        finally:
            for image in self.images.values():
                self._docker("teardown", "image", "rm", "--force", image)
            self.client.close()

    def _build(self, app: AppUnderTest) -> None:
        build_arguments = ["--build-arg", f"PYTHON_IMAGE={self.python_image}"]
        self._docker(
            "build",
            "build",
            "--network",
            "host",
            "--label",
            f"{LABEL}={self.run_id}",
            "--tag",
            self.images[app.key],
            "--file",
            app.dockerfile,
            *(build_arguments if self.python_image else []),
            ".",
        )

    def run(self, step: str, app: AppUnderTest, *command: str, stdin: str | None = None) -> str:
        toolbox = self.toolboxes[app.key].id
        # Settings given after the toolbox started (the identity service's key) go along.
        late = [f"--env={name}={value}" for name, value in self.own_settings[app.key].items()]
        return self._docker(step, "exec", "--interactive", *late, toolbox, *command, stdin=stdin)

    @contextmanager
    def _container(
        self,
        step: str,
        app: AppUnderTest,
        command: list[str] | None,
        extra_settings: dict[str, str] | None = None,
    ) -> Iterator[Container]:
        """A container of the app's image on the host's network, with the run's settings.

        It runs as production should: as the image's own non-root user, with a read-only root
        filesystem and only /tmp writable (in memory), so a write elsewhere fails the smoke.
        """
        try:
            container: Container = self.client.containers.run(
                self.images[app.key],
                command,
                detach=True,
                network_mode="host",
                labels={LABEL: self.run_id},
                environment={**self.app_settings(app), **(extra_settings or {})},
                read_only=True,
                tmpfs={"/tmp": "rw,nosuid,nodev,size=64m"},
            )
        except DockerException as error:
            raise SmokeError(step, f"cannot run the image of {app.name}: {error}") from None
        try:
            _refuse_root(step, app, container)
            yield container
        finally:
            _remove(container)

    @contextmanager
    def serving(self, app: AppUnderTest, extra_settings: dict[str, str]) -> Iterator[str]:
        """The image's own command (uvicorn), told through its settings to serve on loopback."""
        port = free_port()
        address = {"UVICORN_HOST": HOST, "UVICORN_PORT": str(port)}
        with self._container("start", app, None, {**extra_settings, **address}) as container:
            base_url = f"http://{HOST}:{port}"
            wait_until_live(
                base_url, lambda: _exit_code(container), lambda: _tail(container), app.name
            )
            yield base_url

    @contextmanager
    def running_jobs(
        self, app: AppUnderTest, role: str, extra_settings: dict[str, str]
    ) -> Iterator[None]:
        """The image running the job ``role`` instead of the app, its health on loopback."""
        port = free_port()
        health = {"JOBS_HEALTH_HOST": HOST, "JOBS_HEALTH_PORT": str(port)}
        command = ["python", "-m", f"{app.module}.jobs", role]
        with self._container("start", app, command, {**extra_settings, **health}) as container:
            wait_until_live(
                f"http://{HOST}:{port}",
                lambda: _exit_code(container),
                lambda: _tail(container),
                f"{app.name} {role}",
            )
            yield


def _refuse_root(step: str, app: AppUnderTest, container: Container) -> None:
    user = str(container.attrs["Config"].get("User") or "root")
    if user.split(":")[0] in {"root", "0"}:
        raise SmokeError(step, f"the image of {app.name} runs as root; its Dockerfile needs a USER")


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
