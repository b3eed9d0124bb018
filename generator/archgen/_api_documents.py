"""Export a generated project's API documents with the project's own code.

``openapi.json`` (and each service's ``asyncapi.json``) is committed in every generated
project and checked by its drift test, so it must be exactly what the app produces; so must
the sections of ``docs/architecture.md`` generated from it and from the migrations. The only
faithful way to get them is to install the project into a throwaway virtual environment and
run its own export command.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from uv import find_uv_bin

from archgen._errors import UserError

_TIMEOUT_SECONDS = 600


def _run(command: list[str], cwd: Path, what: str) -> None:
    # The project's settings must not pick up the caller's service URLs or secrets.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    try:
        subprocess.run(
            command,
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
        )
    except subprocess.CalledProcessError as error:
        tail = " | ".join((error.stderr or error.stdout or "").strip().splitlines()[-3:])
        raise UserError(f"could not {what}: {tail}") from None
    except subprocess.TimeoutExpired:
        raise UserError(f"could not {what}: timed out after {_TIMEOUT_SECONDS} s") from None


def _services(project: Path) -> list[Path]:
    return sorted(path for path in (project / "services").iterdir() if path.is_dir())


def _exports(project: Path, pattern: str, package: str) -> Iterator[tuple[Path, str, str]]:
    """Each document's export: the folder it runs in, the module that writes it, the document.

    Since template 0.3.0 the project's development tools (``tools/``) export them, from the
    project's root; before, each app's operator commands (``manage``) did, in its folder, and
    only the documents that project already holds are refreshed (0.2.0's ``manage`` has no
    ``docs`` command, and its architecture document no generated sections).
    """
    documents = (
        ["openapi", "docs"] if pattern != "microservices" else ["openapi", "asyncapi", "docs"]
    )
    if pattern != "microservices":
        tools, source = "tools.documents", project / "tools" / "documents.py"
    else:
        tools = f"{package}.tools.documents"
        source = project / "tools" / "src" / package / "tools" / "documents.py"
    if source.is_file():
        yield from ((project, tools, document) for document in documents)
    elif pattern != "microservices":
        held = [d for d in documents if _holds(project, project, d)]
        yield from ((project, f"{package}.manage", document) for document in held)
    else:
        for service in _services(project):
            module = f"{package}.services.{service.name}.manage"
            held = [d for d in documents if _holds(project, service, d)]
            yield from ((service, module, document) for document in held)


def _holds(project: Path, app: Path, document: str) -> bool:
    """Whether an app of a pre-0.3.0 project holds ``document``, which its ``manage`` writes."""
    if document == "docs":
        architecture = project / "docs" / "architecture.md"
        return architecture.is_file() and "<!-- BEGIN " in architecture.read_text("utf-8")
    return (app / f"{document}.json").is_file()


def export_api_documents(project: Path, pattern: str, package: str) -> None:
    """Install ``project`` in a scratch environment and write each app's API documents.

    The monolith and the serverless app have one app at the root and write ``openapi.json``;
    microservices install the platform, the contracts, the tools and every service together,
    and write ``openapi.json`` and ``asyncapi.json`` (the events it publishes and consumes) in
    each service's folder. Then each app's generated sections of ``docs/architecture.md`` are
    written (the API from its OpenAPI document, the schema from its migrations).
    """
    if pattern != "microservices":
        distributions = [project]
    else:
        members = [project / name for name in ("platform", "contracts", "tools")]
        distributions = [path for path in members if path.is_dir()] + _services(project)
    uv = find_uv_bin()
    with tempfile.TemporaryDirectory(prefix="archgen-venv-") as venv:
        python = str(Path(venv) / "bin" / "python")
        _run([uv, "venv", "--quiet", venv], project, "create a scratch environment")
        _run(
            [uv, "pip", "install", "--quiet", "--python", python, *map(str, distributions)],
            project,
            "install the generated project (is the package index reachable?)",
        )
        for folder, module, document in _exports(project, pattern, package):
            command = [python, "-m", module, document, "--write"]
            _run(command, folder, f"export the {document} document with {module}")
