"""archgen's own Python (the generator, the benchmarks, the tests, the scripts) is held to the
standard it sets for the projects it generates: ruff's lint and format, and strict mypy."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECKS = {
    "lint": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "format": [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
    "types": [sys.executable, "-m", "mypy", "--cache-dir", "/dev/null", "-p", "archgen"],
}


@pytest.mark.parametrize("check", CHECKS)
def test_own_code_passes(check: str) -> None:
    completed = subprocess.run(CHECKS[check], cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
