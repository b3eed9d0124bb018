"""The tests that share a generated project run on one pytest-xdist worker, which builds it once.

``scripts/test`` relies on it: each matrix cell's project is rendered and installed once per
run, not once per worker. The grouping is easy to lose without a failure (a hook that runs too
late, a pytest release that xdist's ``loadgroup`` does not follow), so a real two-worker run of
a small module proves it here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]

# Two projects, each built by a module-scoped fixture and used by three tests; beside them,
# tests that share nothing.
MODULE = """
import json, os, pytest

LOG = os.environ["GROUPS_LOG"]

def record(**fields):
    with open(LOG, "a") as log:
        log.write(json.dumps({"worker": os.environ.get("PYTEST_XDIST_WORKER"), **fields}) + "\\n")

@pytest.fixture(scope="module", params=["first", "second"])
def project(request):
    record(built=request.param)
    return request.param

@pytest.mark.parametrize("check", ["lint", "types", "suite"])
def test_check(project, check):
    record(project=project, check=check)

@pytest.mark.parametrize("n", range(6))
def test_alone(n):
    pass
"""

CONFTEST = "from tests.conftest import pytest_addoption, pytest_collection_modifyitems\n"


def test_each_projects_tests_run_on_one_worker_that_builds_it_once(tmp_path: Path) -> None:
    (tmp_path / "test_projects.py").write_text(MODULE)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    log = tmp_path / "groups.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(REPOSITORY), "GROUPS_LOG": str(log), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    records = [json.loads(line) for line in log.read_text().splitlines()]

    builds = sorted(record["built"] for record in records if "built" in record)
    workers_per_project: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if "check" in record:
            workers_per_project[record["project"]].add(record["worker"])
    assert builds == ["first", "second"]
    assert all(len(workers) == 1 for workers in workers_per_project.values()), workers_per_project
    assert set(workers_per_project) == {"first", "second"}
