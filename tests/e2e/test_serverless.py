"""The serverless project under `archgen smoke`: its functions, fed API Gateway and SQS
payloads by the local runner, pass every check in the local and docker runtimes, and leave
nothing behind. (Its lint, types, migrations and own tests run in test_generated_projects.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.e2e.leftovers import containers, server_processes
from tests.e2e.project import GeneratedProject
from tests.matrix import cell_named

# Its leftover checks look at the whole machine: no other test may start servers meanwhile.
pytestmark = [pytest.mark.e2e, pytest.mark.alone]

ARCHGEN = Path(sys.executable).parent / "archgen"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> GeneratedProject:
    return GeneratedProject.create(cell_named("serverless"), tmp_path_factory.mktemp("lambda"))


def smoke(project: GeneratedProject, *arguments: str) -> tuple[int, dict[str, Any], str]:
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), *arguments, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stdout) if completed.stdout.strip() else {}
    return completed.returncode, report, completed.stdout + completed.stderr


@pytest.mark.parametrize("runtime", ["local", "docker"])
def test_smoke_passes_every_check_and_leaves_nothing_running(
    project: GeneratedProject, runtime: str
) -> None:
    engine = docker.from_env()
    processes, before = server_processes(), containers(engine)
    code, report, output = smoke(project, "--runtime", runtime)
    assert code == 0, output
    steps = [step["name"] for step in report["steps"]]
    for event in project.domain.event_list:
        assert f"event:{event.name}" in steps  # through SQS and the worker function
    assert {"readiness", "auth", "traces", "metrics", "rate-limit"} <= set(steps)
    assert server_processes() <= processes
    assert containers(engine) <= before


def test_in_container_is_refused_with_the_reason(project: GeneratedProject) -> None:
    completed = subprocess.run(
        [ARCHGEN, "smoke", str(project.path), "--runtime", "docker", "--in-container"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "deploys its functions to Lambda" in completed.stderr


def test_the_sam_build_bundle_holds_lambda_wheels_and_imports(
    project: GeneratedProject, tmp_path: Path
) -> None:
    """The Makefile `sam build` runs: locked wheels for Lambda's glibc, compiled, importable."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    project.run("make", "build-ApiFunction", f"ARTIFACTS_DIR={bundle}", timeout=900)
    for wheel in bundle.glob("*.dist-info/WHEEL"):
        lines = wheel.read_text().splitlines()
        tags = [line.removeprefix("Tag: ") for line in lines if line.startswith("Tag: ")]
        glibc = [_glibc(tag) for tag in tags if "manylinux" in tag]
        # Lambda's python3.11 runs on Amazon Linux 2: glibc 2.26 at most.
        assert not glibc or min(glibc) <= 26, f"{wheel.parent.name} needs glibc 2.{min(glibc)}"
    assert list((bundle / project.package / "functions").glob("__pycache__/api.*.pyc"))
    # The development tools (the local runner, the payloads) stay out of what Lambda runs.
    assert not (bundle / "tools").exists()
    assert not (bundle / project.package / "functions" / "local.py").exists()
    imported = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path[:0] = [{str(bundle)!r}]; "
            f"import {project.package}.functions.api as api; print(api.handler.__name__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.stdout.strip() == "handler", imported.stderr


def _glibc(tag: str) -> int:
    """The glibc minor version a manylinux platform tag requires (manylinux2014 is 2.17)."""
    platform = tag.rsplit("-", 1)[-1]
    return 17 if platform.startswith("manylinux2014") else int(platform.split("_")[2])
