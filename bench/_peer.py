"""s3rius's generated app, the peer: rendered at bench time from the PyPI package
``fastapi-template``, installed, migrated and seeded as the generated app is.

Nothing of it is committed here. The generator is installed into a throwaway virtual
environment and run non-interactively: a REST API on PostgreSQL through SQLAlchemy, with its
migrations, its example ``dummy`` model and routers, and none of its optional features (no
auth, Redis, metrics, tracing or Sentry). Its post-generation hook installs the project with
``uv sync`` and formats it with its own pre-commit hooks, as it does for its users.

Its API lists (``GET /api/dummy/?limit=50``) and creates (``PUT /api/dummy/``) rows but has no
route that reads one row by id. The benchmark compares that path too, so it appends one route
to the template's ``views.py``, written as the template's list route is (the same DAO
dependency and session); see ``GET_BY_ID``. That is the only change made to its code.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from bench._harness import clean_environment, run
from bench._serving import App

TEMPLATE = "fastapi-template==6.1.2"
APP = "s3rius"  # its name in the results
NAME = "peer"  # the project and package name; its settings read PEER_* variables
OPTIONS = (
    "--quiet", "--api-type", "rest", "--db", "postgresql", "--orm", "sqlalchemy",
    "--migrations", "--dummy", "--routers", "--ci", "none",
)  # fmt: skip
DUMMIES = "/api/dummy/"

GET_BY_ID = '''

# Appended by archgen's bench.throughput at bench time: the template has no route that reads
# one row by id.
from fastapi import HTTPException


@router.get("/{dummy_id}", response_model=DummyModelDTO)
async def get_dummy_model(dummy_id: int, dummy_dao: DummyDAO = Depends()) -> DummyModel:
    """Retrieve one dummy object by id."""
    dummy = await dummy_dao.session.get(DummyModel, dummy_id)
    if dummy is None:
        raise HTTPException(status_code=404)
    return dummy
'''


def prepare(workdir: Path, postgres: str, *, python: str, rows: int) -> App:
    """The peer, rendered in ``workdir``, with ``rows`` rows in its own database on the
    PostgreSQL server at ``postgres``, running on ``python``."""
    tool = workdir / "fastapi-template"
    run(["uv", "venv", "--quiet", "--python", python, str(tool)], workdir)
    run(
        ["uv", "pip", "install", "--quiet", "--python", str(tool / "bin/python"), TEMPLATE], workdir
    )
    env = clean_environment()
    env["UV_PYTHON"] = python  # the interpreter its hook's `uv sync` installs the project on
    run([str(tool / "bin/fastapi_template"), "--name", NAME, *OPTIONS], workdir, env)
    project = workdir / NAME
    views = project / NAME / "web/api/dummy/views.py"
    views.write_text(views.read_text(encoding="utf-8") + GET_BY_ID, encoding="utf-8")
    run(["uv", "sync", "--quiet", "--python", python], project, env)  # in case its hook failed

    server = urlsplit(postgres)
    run(["psql", postgres, "-qc", f"CREATE DATABASE {NAME}"], workdir)
    database = postgres.rsplit("/", 1)[0] + f"/{NAME}"
    prefix = f"{NAME.upper()}_"
    env.update({
        f"{prefix}DB_HOST": str(server.hostname), f"{prefix}DB_PORT": str(server.port),
        f"{prefix}DB_USER": str(server.username), f"{prefix}DB_PASS": server.password or "",
        f"{prefix}DB_BASE": NAME,
    })  # fmt: skip
    run([".venv/bin/alembic", "upgrade", "head"], project, env)
    seed = f"INSERT INTO dummy_model (name) SELECT 'seeded-' || n FROM generate_series(1, {rows}) n"
    run(["psql", database, "-qc", seed], project)
    ids = run(["psql", database, "-Atc", "SELECT id FROM dummy_model"], project).split()
    return App(
        APP, project, f"{NAME}.web.application:get_app", env, "/api/health",
        item_path=DUMMIES, list_path=f"{DUMMIES}?limit=50", create=("PUT", DUMMIES), ids=ids,
        factory=True, access_log=True,  # `python -m peer`, its entry point, logs each request
    )  # fmt: skip
