"""Running the TypeScript client's test scripts (clients/typescript/test/) from the tests."""

import asyncio
import shutil
from pathlib import Path

import pytest

from tools import clients

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="Node.js (node and npm) is not installed: the TypeScript client needs it",
)


async def _succeeds(*command: str, cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run ``command`` without blocking the event loop; fail with its output unless it exits 0."""
    process = await asyncio.create_subprocess_exec(
        *command, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, (
        f"`{' '.join(command)}` exited {process.returncode}:\n{output.decode()}"
    )


async def run_script(root: Path, script: str, env: dict[str, str]) -> None:
    """Compile the package with tsc, which checks every call against the generated types, then
    run ``test/<script>.ts`` with node and ``env``; fail unless it exits 0."""
    package = root / clients.TYPESCRIPT_PACKAGE
    commands = await asyncio.to_thread(clients.install_typescript_generator, root)
    await _succeeds(str(commands / "tsc"), "--project", ".", cwd=package)
    await _succeeds("node", f"dist/test/{script}.js", cwd=package, env=env)
