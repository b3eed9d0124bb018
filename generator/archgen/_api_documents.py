"""Export a generated project's API documents and clients with the project's own code.

``openapi.json`` (and each service's ``asyncapi.json``) is committed in every generated
project and checked by its drift test, so it must be exactly what the app produces; so must
the sections of ``docs/architecture.md`` generated from it and from the migrations, and (since
template 0.4.0) the typed clients generated from it. The only faithful way to get them is to
install the project into a throwaway virtual environment and run its own commands.
"""

from __future__ import annotations

import os
import shutil
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
    platform = project / ("src" if pattern != "microservices" else "platform/src") / package
    if (platform / "platform" / "graphql.py").is_file():
        documents.append("graphql")  # schema.graphql (each service's), since template 0.4.0
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


def _clients_module(project: Path, pattern: str, package: str) -> str | None:
    """The project's client generator (``make clients``), when it has one (template 0.4.0 on)."""
    if pattern != "microservices":
        module, source = "tools.clients", project / "tools" / "clients.py"
    else:
        module = f"{package}.tools.clients"
        source = project / "tools" / "src" / package / "tools" / "clients.py"
    return module if source.is_file() else None


def export_api_documents(project: Path, pattern: str, package: str) -> list[str]:
    """Install ``project`` in a scratch environment and write each app's API documents and
    clients; return notes on what could not be made here.

    The monolith and the serverless app have one app at the root and write ``openapi.json``;
    microservices install the platform, the contracts, the tools and every service together,
    and write ``openapi.json`` and ``asyncapi.json`` (the events it publishes and consumes) in
    each service's folder. Then each app's generated sections of ``docs/architecture.md`` are
    written (the API from its OpenAPI document, the schema from its migrations), and its typed
    clients: the Python one always, the TypeScript one where npm is installed (its generator
    is an npm package; ``make clients`` in the project makes it later).
    """
    if pattern != "microservices":
        distributions = [project]
    else:
        members = [project / name for name in ("platform", "contracts", "tools")]
        distributions = [path for path in members if path.is_dir()] + _services(project)
    clients = _clients_module(project, pattern, package)
    # The project's pinned client generator comes with it (its pyproject's `clients` group).
    generator = ["--group", f"{project / 'pyproject.toml'}:clients"] if clients else []
    uv = find_uv_bin()
    notes = []
    with tempfile.TemporaryDirectory(prefix="archgen-venv-") as venv:
        python = str(Path(venv) / "bin" / "python")
        _run([uv, "venv", "--quiet", venv], project, "create a scratch environment")
        install = [uv, "pip", "install", "--quiet", "--python", python]
        _run(
            [*install, *map(str, distributions), *generator],
            project,
            "install the generated project (is the package index reachable?)",
        )
        for folder, module, document in _exports(project, pattern, package):
            command = [python, "-m", module, document, "--write"]
            _run(command, folder, f"export the {document} document with {module}")
        if clients:
            _run([python, "-m", clients, "python"], project, "generate the Python client")
            if shutil.which("npm"):
                node_modules = project / "clients" / "typescript" / "node_modules"
                installed_before = node_modules.exists()  # the owners' own install stays
                _run(
                    [python, "-m", clients, "typescript"],
                    project,
                    "generate the TypeScript client (is the npm registry reachable?)",
                )
                if not installed_before:
                    shutil.rmtree(node_modules, ignore_errors=True)
            else:
                notes.append(
                    "npm is not installed, so the TypeScript client was not generated: "
                    "install Node.js 20 or later and run `make clients` in the project"
                )
    return notes
