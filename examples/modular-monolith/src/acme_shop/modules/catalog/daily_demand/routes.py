"""/api/v1/catalog/daily-demand: create, read, update, list and delete daily demand.

The read and the list declare their response model (the OpenAPI contract) and answer with the
JSON the service's validated data serializes to: FastAPI does not validate it a second time.
"""

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from acme_shop.modules.catalog.daily_demand.dependencies import DailyDemandServiceDep
from acme_shop.modules.catalog.daily_demand.schemas import (
    DailyDemandCreate,
    DailyDemandRead,
    DailyDemandUpdate,
)
from acme_shop.platform.dependencies import AdminDep, EditorDep, ViewerDep
from acme_shop.platform.idempotency import IdempotentEditorDep
from acme_shop.platform.pagination import DEFAULT_PAGE_SIZE, CursorQuery, LimitQuery, Page
from acme_shop.platform.problems import (
    CREATE_RESPONSES,
    DELETE_RESPONSES,
    LIST_RESPONSES,
    READ_RESPONSES,
    SECURED_RESPONSES,
    UPDATE_RESPONSES,
)

router = APIRouter(prefix="/daily-demand", tags=["catalog"], responses=SECURED_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_daily_demand",
    responses=CREATE_RESPONSES,
)
async def create_daily_demand(
    data: DailyDemandCreate,
    service: DailyDemandServiceDep,
    request: Request,
    response: Response,
    _: IdempotentEditorDep,
) -> DailyDemandRead:
    """Create a daily demand."""
    created = await service.create(data)
    response.headers["Location"] = f"{request.url.path}/{created.id}"
    return created


@router.get(
    "",
    operation_id="list_daily_demand",
    response_model=Page[DailyDemandRead],
    responses=LIST_RESPONSES,
)
async def list_daily_demand(
    service: DailyDemandServiceDep,
    _: ViewerDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_PAGE_SIZE,
) -> Response:
    """List daily demand, oldest first, one page at a time."""
    page = await service.list_page(cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/{daily_demand_id}",
    operation_id="get_daily_demand",
    response_model=DailyDemandRead,
    responses={
        304: {"description": "Not modified since the ETag given in If-None-Match"},
        **READ_RESPONSES,
    },
)
async def get_daily_demand(
    daily_demand_id: uuid.UUID,
    service: DailyDemandServiceDep,
    _: ViewerDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Read one daily demand; send its ETag back in If-None-Match to skip an unchanged body."""
    body = await service.get_json(daily_demand_id)
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.patch("/{daily_demand_id}", operation_id="update_daily_demand", responses=UPDATE_RESPONSES)
async def update_daily_demand(
    daily_demand_id: uuid.UUID,
    data: DailyDemandUpdate,
    service: DailyDemandServiceDep,
    _: EditorDep,
) -> DailyDemandRead:
    """Change some fields of a daily demand."""
    return await service.update(daily_demand_id, data)


@router.delete(
    "/{daily_demand_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_daily_demand",
    responses=DELETE_RESPONSES,
)
async def delete_daily_demand(
    daily_demand_id: uuid.UUID, service: DailyDemandServiceDep, _: AdminDep
) -> None:
    """Delete a daily demand (admins only)."""
    await service.delete(daily_demand_id)
