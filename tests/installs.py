"""Tools the tests install on first use, installed once per machine however many run at once.

Under pytest-xdist every worker may reach the same first use together. ``npm ci`` deletes
``node_modules`` before it fills it, so a second worker's install pulls the tree from under
the first one's running check. An exclusive file lock beside the folder serialises the
installers, and a marker written last tells the ones that waited that the work is done.
"""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path


def installed_once(folder: Path, marker: Path, command: list[str]) -> None:
    """Run ``command`` in ``folder`` unless ``marker`` exists; one process at a time.

    ``marker`` must be written by ``command`` as its last step (npm's
    ``node_modules/.package-lock.json`` is), so it exists only after a complete install.
    """
    if marker.is_file():
        return
    with open(folder / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not marker.is_file():
                subprocess.run(command, cwd=folder, check=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def npm_installed(folder: Path) -> None:
    """``npm ci`` in ``folder`` (its package-lock.json pins everything), once."""
    installed_once(
        folder,
        folder / "node_modules/.package-lock.json",
        ["npm", "ci", "--silent", "--no-audit", "--no-fund"],
    )
