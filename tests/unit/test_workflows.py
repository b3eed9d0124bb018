"""archgen's own CI workflow: valid for actionlint, and driven by the same matrix as pytest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.matrix import SUPPORTED

ROOT = Path(__file__).parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACTIONLINT, *map(str, paths)], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_every_workflow_passes_actionlint() -> None:
    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert workflows
    linted = actionlint(*workflows)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    template = (WORKFLOWS / "template-matrix.yml").read_text()
    broken.write_text(template.replace("outputs.cells)", "outputs.cels)"))
    linted = actionlint(broken)
    assert linted.returncode == 1
    assert "cels" in linted.stdout


def test_the_workflow_matrix_is_the_pytest_matrix() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "tests.matrix", "github"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    cells = json.loads(listed.stdout)
    assert [cell["name"] for cell in cells] == [cell.name for cell in SUPPORTED]
    assert [cell["python"] for cell in cells] == [cell.python for cell in SUPPORTED]
    assert [cell["smoke"] for cell in cells] == [cell.smoke for cell in SUPPORTED]
    assert [cell["in_container"] for cell in cells] == [cell.in_container for cell in SUPPORTED]

    workflow = yaml.safe_load((WORKFLOWS / "template-matrix.yml").read_text())
    job = workflow["jobs"]["cell"]
    assert job["strategy"]["matrix"]["cell"] == "${{ fromJSON(needs.cells.outputs.cells) }}"
    steps = " ".join(step.get("run", "") for step in job["steps"])
    assert 'pytest --cell "$CELL"' in steps
    assert "archgen smoke" in steps
    assert "--in-container" in steps
    smoke_steps = {
        step["run"]: step["if"] for step in job["steps"] if "archgen smoke" in step.get("run", "")
    }
    for run, condition in smoke_steps.items():
        wanted = "matrix.cell.in_container" if "--in-container" in run else "matrix.cell.smoke"
        assert condition == wanted
