"""`archgen smoke` itself: the local runtime, failures that name their step, and teardown.

After success, failure and Ctrl-C alike, no server process and no database of the run remain.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import docker
import pytest

import archgen
from archgen._smoke import _project
from archgen._smoke._runner import ExternalServices, Runtime, run_smoke
from tests.e2e.leftovers import archgen_images, server_processes
from tests.e2e.project import GeneratedProject
from tests.matrix import SUPPORTED

# Its leftover checks look at the whole machine: no other test may start servers meanwhile.
# The in-container runs build the app's image: their build cache goes with each test.
pytestmark = [pytest.mark.e2e, pytest.mark.alone, pytest.mark.usefixtures("no_build_cache_kept")]

ARCHGEN = Path(sys.executable).parent / "archgen"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> GeneratedProject:
    return GeneratedProject.create(SUPPORTED[0], tmp_path_factory.mktemp("smoke"))


@pytest.fixture
def broken(project: GeneratedProject, tmp_path: Path) -> Path:
    """A copy of the project that the test may break (its install is the copy's own)."""
    copy = tmp_path / "broken"
    shutil.copytree(project.path, copy, ignore=shutil.ignore_patterns(".venv"))
    return copy


def test_local_runtime_passes_and_leaves_nothing_running(project: GeneratedProject) -> None:
    before = server_processes()
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), "--runtime", "local", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert report["ok"] is True
    assert report["runtime"] == "local"
    assert [s["name"] for s in report["steps"][:5]] == [
        "provision", "install", "database", "migrate", "start"
    ]  # fmt: skip
    assert server_processes() <= before


def test_docker_runtime_passes_and_leaves_no_container(project: GeneratedProject) -> None:
    engine = docker.from_env()
    before = {c.id for c in engine.containers.list(all=True)}
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), "--runtime", "docker", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (report["ok"], report["runtime"]) == (True, "docker")
    assert {c.id for c in engine.containers.list(all=True)} <= before


def test_in_container_builds_the_dockerfile_and_leaves_no_container_or_image(
    project: GeneratedProject,
) -> None:
    engine = docker.from_env()
    containers, images = {c.id for c in engine.containers.list(all=True)}, archgen_images(engine)
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), "--runtime", "docker", "--in-container", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert [s["name"] for s in report["steps"][:2]] == ["provision", "build"]
    assert {c.id for c in engine.containers.list(all=True)} <= containers
    assert archgen_images(engine) <= images


def test_a_dockerfile_that_does_not_build_fails_the_build_phase(broken: Path) -> None:
    dockerfile = broken / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("COPY src ./src", "COPY nowhere ./src"))
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(broken), "--runtime", "docker", "--in-container", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    failure = json.loads(completed.stdout)["steps"][-1]
    assert completed.returncode == 1
    assert failure["name"] == "build"
    assert "nowhere" in failure["detail"]


def test_an_image_that_cannot_be_found_fails_the_provision_phase(project: GeneratedProject) -> None:
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), "--runtime", "docker", "--json",
         "--postgres-image", "local/no-such-image:1"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    report = json.loads(completed.stdout)
    assert completed.returncode == 1
    assert report["steps"][-1]["name"] == "provision"
    assert "local/no-such-image:1" in report["steps"][-1]["detail"]


def test_a_failing_migration_fails_the_migrate_phase(
    broken: Path, postgres_url: str, redis_url: str
) -> None:
    migration = next((broken / "migrations" / "versions").glob("0001_*.py"))
    migration.write_text(
        migration.read_text().replace(
            "def upgrade() -> None:\n", "def upgrade() -> None:\n    op.execute('SELECT nope')\n"
        )
    )
    report = run_smoke(
        broken, runtime=Runtime.EXTERNAL, external=ExternalServices(postgres_url, redis_url)
    )
    assert not report.ok
    assert report.failure is not None
    assert report.failure.name == "migrate"
    assert "nope" in report.failure.detail


def test_an_app_that_crashes_on_start_fails_the_start_phase_with_its_last_log_lines(
    broken: Path, postgres_url: str, redis_url: str
) -> None:
    main = broken / "src" / "acme_shop" / "main.py"
    main.write_text(
        main.read_text().replace(
            "    configure_logging(settings.log_level)\n",
            "    configure_logging(settings.log_level)\n"
            "    raise RuntimeError('the app cannot start')\n",
        )
    )
    report = run_smoke(
        broken, runtime=Runtime.EXTERNAL, external=ExternalServices(postgres_url, redis_url)
    )
    assert report.failure is not None
    assert report.failure.name == "start"
    assert "exited with" in report.failure.detail
    assert "the app cannot start" in report.failure.detail


def test_an_endpoint_that_fails_names_the_check(
    broken: Path, postgres_url: str, redis_url: str
) -> None:
    domain = archgen.parse_domain(archgen.example_domain().as_data)
    entity = domain.entity_list[1]
    routes = broken / "src" / "acme_shop" / "modules" / entity.context / entity.name / "routes.py"
    routes.write_text(
        routes.read_text().replace(
            '    """Change some fields', '    raise RuntimeError("boom")\n    """Change some fields'
        )
    )
    report = run_smoke(
        broken, runtime=Runtime.EXTERNAL, external=ExternalServices(postgres_url, redis_url)
    )
    assert report.failure is not None
    assert report.failure.name == f"crud:{entity.context}.{entity.name}"
    assert "PATCH" in report.failure.detail
    assert "500" in report.failure.detail


@pytest.mark.parametrize(
    "runtime",
    [["--runtime", "local"], ["--runtime", "docker", "--in-container"]],
    ids=["local", "in-container"],
)
def test_ctrl_c_tears_everything_down(project: GeneratedProject, runtime: list[str]) -> None:
    engine = docker.from_env()
    containers, images = {c.id for c in engine.containers.list(all=True)}, archgen_images(engine)
    before = server_processes()
    run = subprocess.Popen(
        [ARCHGEN, "smoke", str(project.path), *runtime, "--keep"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A test session started in the background by a shell without job control inherits
        # SIGINT ignored, and Python then never turns it into KeyboardInterrupt: restore it,
        # as a terminal's Ctrl-C would find it.
        preexec_fn=_default_sigint,
    )
    assert run.stdout is not None
    deadline = time.monotonic() + 240
    for line in run.stdout:
        if "press Ctrl-C" in line or time.monotonic() > deadline:
            break
    # Keep reading what the run prints while it tears down: a full pipe would block it.
    rest: list[str] = []
    drain = threading.Thread(target=lambda: rest.extend(run.stdout or ()), daemon=True)
    drain.start()
    up = (server_processes() - before) or ({c.id for c in engine.containers.list()} - containers)
    assert up, "the stack should be up while --keep waits"
    run.send_signal(signal.SIGINT)
    run.wait(timeout=90)
    drain.join(timeout=10)
    assert run.returncode != 0
    assert server_processes() <= before
    assert {c.id for c in engine.containers.list(all=True)} <= containers
    assert archgen_images(engine) <= images


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_folder_that_is_not_a_project_is_refused(tmp_path: Path) -> None:
    completed = subprocess.run([ARCHGEN, "smoke", str(tmp_path)], capture_output=True, text=True)
    assert completed.returncode == 2
    assert "is not a project generated by archgen" in completed.stderr
    assert os.listdir(tmp_path) == []


def test_a_port_taken_under_the_app_fails_the_start_phase(
    project: GeneratedProject,
    postgres_url: str,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ports are picked free, but another process may take one first: the run says so."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setattr(_project, "free_port", lambda: taken.getsockname()[1])
        report = run_smoke(
            project.path,
            runtime=Runtime.EXTERNAL,
            external=ExternalServices(postgres_url, redis_url),
        )
    assert report.failure is not None
    assert report.failure.name == "start"
    assert "address already in use" in report.failure.detail.lower()
