"""Installers that pytest-xdist workers may start together run once, never side by side."""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.installs import installed_once

# Fails when another install is under way in the same folder, as `npm ci` does harm then;
# counts its runs, and writes the marker last.
INSTALLER = """
import pathlib, sys, time
busy = pathlib.Path("busy")
if busy.exists():
    sys.exit("two installs at once")
busy.touch()
time.sleep(0.5)
with open("runs", "a") as runs:
    runs.write("run\\n")
busy.unlink()
pathlib.Path("marker").touch()
"""


def install(folder: Path) -> None:
    installed_once(folder, folder / "marker", [sys.executable, "-c", INSTALLER])


def test_installers_started_together_run_one_install(tmp_path: Path) -> None:
    with ProcessPoolExecutor(max_workers=4) as pool:
        for outcome in [pool.submit(install, tmp_path) for _ in range(4)]:
            outcome.result()

    assert (tmp_path / "runs").read_text() == "run\n"


def test_an_installed_folder_is_not_installed_again(tmp_path: Path) -> None:
    (tmp_path / "marker").touch()

    install(tmp_path)

    assert not (tmp_path / "runs").exists()
