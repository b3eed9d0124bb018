"""The render's last step: export the project's API documents with the project's own code.

``openapi.json`` (and each service's ``asyncapi.json``) is committed in every generated
project and checked by its drift test, so it must be exactly what the app produces; so must
the sections of ``docs/architecture.md`` generated from it and from the migrations. The only
faithful way to get them is to install the project into a throwaway virtual environment and
ask the app.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
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


def export_api_documents(project: Path, pattern: str, package: str) -> None:
    """Install ``project`` in a scratch environment and write each app's API documents.

    The monolith and the serverless app have one app at the root and write ``openapi.json``;
    microservices install the platform, the contracts and every service together, and write
    ``openapi.json`` and ``asyncapi.json`` (the events it publishes and consumes) in each
    service's folder. Then each app writes its generated sections of ``docs/architecture.md``
    (the API from its OpenAPI document, the schema from its migrations).
    """
    if pattern != "microservices":
        distributions, apps = [project], {project: f"{package}.manage"}
        documents = ["openapi", "docs"]
    else:
        services = sorted(path for path in (project / "services").iterdir() if path.is_dir())
        distributions = [project / "platform", project / "contracts", *services]
        apps = {path: f"{package}.services.{path.name}.manage" for path in services}
        documents = ["openapi", "asyncapi", "docs"]
    uv = find_uv_bin()
    with tempfile.TemporaryDirectory(prefix="archgen-venv-") as venv:
        python = str(Path(venv) / "bin" / "python")
        _run([uv, "venv", "--quiet", venv], project, "create a scratch environment")
        _run(
            [uv, "pip", "install", "--quiet", "--python", python, *map(str, distributions)],
            project,
            "install the generated project (is the package index reachable?)",
        )
        for folder, module in apps.items():
            for document in documents:
                _run(
                    [python, "-m", module, document, "--write"],
                    folder,
                    f"export the {document} document of {module}",
                )
