"""Liveness and readiness probes.

Ready means the database answers; Redis only accelerates, so without it the service is
"degraded" but still ready.
"""

import asyncio
from collections.abc import Awaitable
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from acme_shop.platform.dependencies import ResourcesDep

CHECK_TIMEOUT_SECONDS = 2.0

router = APIRouter(prefix="/health", tags=["health"])
# Asked every few seconds by the orchestrator: not counted in the request metrics.
PROBE_PATHS = ("/health/live", "/health/ready")

CheckResult = Literal["ok", "failing"]


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "degraded", "failing"]
    checks: dict[str, CheckResult]


async def _probe(check: Awaitable[object]) -> CheckResult:
    try:
        await asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS)
    except Exception:
        return "failing"
    return "ok"


async def _ping_database(resources: ResourcesDep) -> None:
    async with resources.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


@router.get("/live", operation_id="health_live")
async def live() -> Liveness:
    """The process is up and serving HTTP."""
    return Liveness()


@router.get(
    "/ready",
    operation_id="health_ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "The database is unreachable"}},
)
async def ready(resources: ResourcesDep) -> JSONResponse:
    """Every dependency answers within its timeout."""
    database, redis = await asyncio.gather(
        _probe(_ping_database(resources)), _probe(resources.redis.ping())
    )
    if database == "failing":
        status: Literal["ok", "degraded", "failing"] = "failing"
    else:
        status = "ok" if redis == "ok" else "degraded"
    body = Readiness(status=status, checks={"database": database, "redis": redis})
    return JSONResponse(body.model_dump(), status_code=503 if status == "failing" else 200)
