"""/api/v1/ordering/customers: create, read, update, list and delete customers.

The read and the list declare their response model (the OpenAPI contract) and answer with the
JSON the service's validated data serializes to: FastAPI does not validate it a second time.
"""

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from acme_shop.modules.ordering.customer.dependencies import CustomerServiceDep
from acme_shop.modules.ordering.customer.schemas import CustomerCreate, CustomerRead, CustomerUpdate
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

router = APIRouter(prefix="/customers", tags=["ordering"], responses=SECURED_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_customer",
    responses=CREATE_RESPONSES,
)
async def create_customer(
    data: CustomerCreate,
    service: CustomerServiceDep,
    request: Request,
    response: Response,
    _: IdempotentEditorDep,
) -> CustomerRead:
    """Create a customer."""
    created = await service.create(data)
    response.headers["Location"] = f"{request.url.path}/{created.id}"
    return created


@router.get(
    "",
    operation_id="list_customers",
    response_model=Page[CustomerRead],
    responses=LIST_RESPONSES,
)
async def list_customers(
    service: CustomerServiceDep,
    _: ViewerDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_PAGE_SIZE,
) -> Response:
    """List customers, oldest first, one page at a time."""
    page = await service.list_page(cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/{customer_id}",
    operation_id="get_customer",
    response_model=CustomerRead,
    responses={
        304: {"description": "Not modified since the ETag given in If-None-Match"},
        **READ_RESPONSES,
    },
)
async def get_customer(
    customer_id: uuid.UUID,
    service: CustomerServiceDep,
    _: ViewerDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Read one customer; send its ETag back in If-None-Match to skip an unchanged body."""
    body = await service.get_json(customer_id)
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.patch("/{customer_id}", operation_id="update_customer", responses=UPDATE_RESPONSES)
async def update_customer(
    customer_id: uuid.UUID, data: CustomerUpdate, service: CustomerServiceDep, _: EditorDep
) -> CustomerRead:
    """Change some fields of a customer."""
    return await service.update(customer_id, data)


@router.delete(
    "/{customer_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_customer",
    responses=DELETE_RESPONSES,
)
async def delete_customer(customer_id: uuid.UUID, service: CustomerServiceDep, _: AdminDep) -> None:
    """Delete a customer (admins only)."""
    await service.delete(customer_id)
