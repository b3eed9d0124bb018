"""Generate each service's typed API clients from its committed openapi.json, at the
workspace's root:

    uv run python -m acme_shop.tools.clients [python | typescript]     (make clients)

- clients/python/<service>/: a Python package per service (openapi-python-client, pinned in
  pyproject.toml), one module per operation, named after its operation id.
- clients/typescript/src/<service>.ts: each service's TypeScript types (openapi-typescript,
  pinned in clients/typescript/package-lock.json), for calls through openapi-fetch.

They are committed and never edited by hand: each service's tests/test_clients.py fails when
its clients drift from its openapi.json. Run this after refreshing the documents, and review
the diff.
"""

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TYPESCRIPT_PACKAGE = Path("clients/typescript")
LANGUAGES = ("python", "typescript")


@dataclass(frozen=True)
class App:
    """An app's committed OpenAPI document and the clients generated from it."""

    openapi: Path
    python_client: Path
    python_project: str
    python_package: str
    typescript_types: Path


SERVICES = ["identity", "catalog", "ordering"]
APPS = {
    service: App(
        openapi=Path("services", service, "openapi.json"),
        python_client=Path("clients/python", service),
        python_project=f"acme-shop-{service.replace('_', '-')}-client",
        python_package=f"acme_shop_{service}_client",
        typescript_types=TYPESCRIPT_PACKAGE / "src" / f"{service}.ts",
    )
    for service in SERVICES
}


class NodeMissingError(RuntimeError):
    """npm, which runs the TypeScript generator, is not installed."""


def _run(command: list[str], cwd: Path) -> None:
    """Run ``command``; on failure, raise with its output (generators explain themselves)."""
    # The Python client's generator formats it with the ruff of the environment running this.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    completed = subprocess.run(  # noqa: S603 (a fixed command line, no shell)
        command,
        cwd=cwd,
        env={**os.environ, "PATH": path, "RUFF_NO_CACHE": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(command)}` exited {completed.returncode}:\n"
            f"{completed.stdout}{completed.stderr}"
        )


def write_python_client(app: App, destination: Path, root: Path = Path()) -> None:
    """Generate ``app``'s Python client package into ``destination``, replacing it."""
    config = {
        "project_name_override": app.python_project,
        "package_name_override": app.python_package,
    }
    with tempfile.TemporaryDirectory() as scratch:
        config_path = Path(scratch, "openapi-python-client.json")
        config_path.write_text(json.dumps(config), encoding="utf-8")
        _run(
            [
                str(Path(sys.executable).parent / "openapi-python-client"),
                "generate",
                "--path",
                str((root / app.openapi).resolve()),
                "--config",
                str(config_path),
                "--meta",
                "uv",
                "--output-path",
                str(destination.resolve()),
                "--overwrite",
                "--fail-on-warning",
            ],
            cwd=Path(scratch),
        )


def install_typescript_generator(root: Path = Path()) -> Path:
    """``npm ci`` in clients/typescript unless its node_modules matches package-lock.json;
    return the folder of the installed commands.

    Concurrent callers (pytest-xdist workers) queue on a lock on package-lock.json, so a second
    ``npm ci`` never deletes node_modules under a first one's generator; npm's cache makes a
    repeated install cheap.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise NodeMissingError(
            "npm is not installed: the TypeScript client needs Node.js 20 or later"
        )
    folder = root / TYPESCRIPT_PACKAGE
    lock_file = folder / "package-lock.json"
    installed = folder / "node_modules/.package-lock.json"  # npm writes it last

    def current() -> bool:
        return installed.is_file() and installed.stat().st_mtime >= lock_file.stat().st_mtime

    if not current():
        with lock_file.open("rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not current():
                    _run([npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"], folder)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return folder / "node_modules/.bin"


def write_typescript_types(app: App, destination: Path, root: Path = Path()) -> None:
    """Generate ``app``'s TypeScript types into the file ``destination``."""
    commands = install_typescript_generator(root)
    _run(
        [
            str(commands / "openapi-typescript"),
            str((root / app.openapi).resolve()),
            "--output",
            str(destination.resolve()),
        ],
        cwd=root,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acme_shop.tools.clients")
    parser.add_argument(
        "languages",
        nargs="*",
        metavar="LANGUAGE",
        help=f"{' or '.join(LANGUAGES)}; both when none is named",
    )
    args = parser.parse_args(argv)
    if unknown := sorted(set(args.languages) - set(LANGUAGES)):
        parser.error(
            f"no client for {', '.join(unknown)}; the languages are {', '.join(LANGUAGES)}"
        )
    for language in args.languages or LANGUAGES:
        for app in APPS.values():
            try:
                if language == "python":
                    write_python_client(app, app.python_client)
                else:
                    write_typescript_types(app, app.typescript_types)
            except RuntimeError as error:  # NodeMissingError too
                parser.exit(1, f"{parser.prog}: {error}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
