"""/api/v1/ordering/orders: create, read, update, list and delete orders.

The read and the list declare their response model (the OpenAPI contract) and answer with the
JSON the service's validated data serializes to: FastAPI does not validate it a second time.
"""

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from acme_shop.modules.ordering.order.dependencies import OrderServiceDep
from acme_shop.modules.ordering.order.schemas import OrderCreate, OrderRead, OrderUpdate
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

router = APIRouter(prefix="/orders", tags=["ordering"], responses=SECURED_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_order",
    responses=CREATE_RESPONSES,
)
async def create_order(
    data: OrderCreate,
    service: OrderServiceDep,
    request: Request,
    response: Response,
    _: IdempotentEditorDep,
) -> OrderRead:
    """Create an order."""
    created = await service.create(data)
    response.headers["Location"] = f"{request.url.path}/{created.id}"
    return created


@router.get(
    "",
    operation_id="list_orders",
    response_model=Page[OrderRead],
    responses=LIST_RESPONSES,
)
async def list_orders(
    service: OrderServiceDep,
    _: ViewerDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_PAGE_SIZE,
) -> Response:
    """List orders, oldest first, one page at a time."""
    page = await service.list_page(cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/{order_id}",
    operation_id="get_order",
    response_model=OrderRead,
    responses={
        304: {"description": "Not modified since the ETag given in If-None-Match"},
        **READ_RESPONSES,
    },
)
async def get_order(
    order_id: uuid.UUID,
    service: OrderServiceDep,
    _: ViewerDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Read one order; send its ETag back in If-None-Match to skip an unchanged body."""
    body = await service.get_json(order_id)
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.patch("/{order_id}", operation_id="update_order", responses=UPDATE_RESPONSES)
async def update_order(
    order_id: uuid.UUID, data: OrderUpdate, service: OrderServiceDep, _: EditorDep
) -> OrderRead:
    """Change some fields of an order."""
    return await service.update(order_id, data)


@router.delete(
    "/{order_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_order",
    responses=DELETE_RESPONSES,
)
async def delete_order(order_id: uuid.UUID, service: OrderServiceDep, _: AdminDep) -> None:
    """Delete an order (admins only)."""
    await service.delete(order_id)
