"""The generated modular monolith and the bare reference app, ready to serve side by side.

The monolith is rendered with its defaults, installed, migrated on the given PostgreSQL and
seeded with 10,000 categories, with an admin to log in as. It runs with production settings
and everything on: bearer auth, the rate limiter (its limit set high enough never to refuse,
so every request is still counted in Redis), the Redis read cache, JSON access logs and
metrics; tracing only when an OTLP endpoint is given. The bare app is FastAPI and an asyncpg
pool running the same queries on the same table, written into the project and served from
its environment.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

import archgen
from archgen._smoke._services import HOST, free_port
from bench._harness import clean_environment, run
from bench._serving import App

SEEDED_ROWS = 10_000
PASSWORD = "a long benchmark passphrase"
CATEGORIES = "/api/v1/catalog/categories"

BARE_APP = '''"""The reference: FastAPI and an asyncpg pool, the same queries, nothing else."""

import os
import uuid
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel

COLUMNS = "id, name, description, created_at, updated_at"
pools = {}


@asynccontextmanager
async def lifespan(app):
    pools["db"] = await asyncpg.create_pool(os.environ["BARE_DATABASE_URL"], min_size=5, max_size=5)
    yield
    await pools["db"].close()


app = FastAPI(lifespan=lifespan)


class CategoryCreate(BaseModel):
    name: str
    description: str | None = None


@app.get("/api/v1/catalog/categories/{category_id}")
async def get_category(category_id: uuid.UUID) -> dict:
    query = f"SELECT {COLUMNS} FROM catalog_categories WHERE id = $1"
    row = await pools["db"].fetchrow(query, category_id)
    if row is None:
        raise HTTPException(404)
    return dict(row)


@app.get("/api/v1/catalog/categories")
async def list_categories(limit: int = 50) -> dict:
    rows = await pools["db"].fetch(
        f"SELECT {COLUMNS} FROM catalog_categories ORDER BY created_at, id LIMIT $1", limit
    )
    return {"items": [dict(row) for row in rows], "next_cursor": None}


@app.post("/api/v1/catalog/categories", status_code=201)
async def create_category(data: CategoryCreate, response: Response) -> dict:
    row = await pools["db"].fetchrow(
        "INSERT INTO catalog_categories (id, name, description) VALUES ($1, $2, $3) "
        f"RETURNING {COLUMNS}",
        uuid.uuid4(), data.name, data.description,
    )
    response.headers["Location"] = f"/api/v1/catalog/categories/{row['id']}"
    return dict(row)
'''


class _TraceSink(BaseHTTPRequestHandler):
    """Accepts OTLP/HTTP exports and drops them: tracing stays on, at no collector's cost."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def trace_sink() -> Iterator[str]:
    """A loopback OTLP/HTTP endpoint for the block."""
    server = ThreadingHTTPServer((HOST, free_port()), _TraceSink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()


def prepare(
    workdir: Path, postgres: str, redis: str, *, python: str | None, otlp: str | None
) -> tuple[App, App]:
    """The generated app and the bare one, on ``postgres``'s seeded tables; traces go to
    ``otlp`` if given. ``python`` picks the interpreter (uv's default if None)."""
    result = archgen.generate(workdir / "project", pattern="modular-monolith", answers={})
    project, package = result.destination, str(result.answers["package_name"])
    run(["uv", "sync", "--quiet", "--no-dev", *(["--python", python] if python else [])], project)
    env = clean_environment()
    env.pop("OTLP_ENDPOINT", None)
    env.update(
        ENVIRONMENT="production",
        JWT_SECRET=secrets.token_urlsafe(48),
        DATABASE_URL=postgres.replace("postgresql://", "postgresql+asyncpg://"),
        BARE_DATABASE_URL=postgres,
        REDIS_URL=redis,
        LOG_LEVEL="INFO",
        RATE_LIMIT_PER_MINUTE="100000000",
    )
    if otlp is not None:
        env["OTLP_ENDPOINT"] = otlp
    run([".venv/bin/alembic", "upgrade", "head"], project, env)
    seed = (
        "INSERT INTO catalog_categories (id, name) "
        f"SELECT gen_random_uuid(), 'seeded-' || n FROM generate_series(1, {SEEDED_ROWS}) n"
    )
    run(["psql", postgres, "-qc", seed], project)
    manage = [".venv/bin/python", "-m", f"{package}.manage", "create-user", "bench@example.com"]
    run([*manage, "--role", "admin"], project, env, stdin=PASSWORD + "\n")
    (project / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
    ids = run(["psql", postgres, "-Atc", "SELECT id FROM catalog_categories"], project).split()
    routes: dict[str, Any] = {
        "item_path": f"{CATEGORIES}/",
        "list_path": f"{CATEGORIES}?limit=50",
        "create": ("POST", CATEGORIES),
        "ids": ids,
    }
    generated = App(
        "generated", project, f"{package}.main:create_app", env, "/health/live", **routes,
        factory=True, login=token,
    )  # fmt: skip
    bare = App("bare", project, "bare_app:app", env, "/docs", **routes)
    return generated, bare


def token(url: str) -> str:
    """An access token of the benchmark's admin from the generated app at ``url``."""
    credentials = {"email": "bench@example.com", "password": PASSWORD}
    response = httpx.post(f"{url}/api/v1/auth/token", json=credentials)
    response.raise_for_status()
    return str(response.json()["access_token"])


def cache_hit_ratio(url: str) -> float | None:
    """The share of cache lookups that hit, from the metrics of the worker that answers."""
    counts = dict.fromkeys(("hit", "miss"), 0.0)
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        match = re.match(r'cache_lookups_total\{result="(hit|miss)"\} ([\d.e+]+)', line)
        if match:
            counts[match[1]] = float(match[2])
    total = counts["hit"] + counts["miss"]
    return counts["hit"] / total if total else None
