"""/api/v1/catalog/products: create, read, update, list and delete products.

The read and the list declare their response model (the OpenAPI contract) and answer with the
JSON the service's validated data serializes to: FastAPI does not validate it a second time.
"""

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from acme_shop.modules.catalog.product.dependencies import ProductServiceDep
from acme_shop.modules.catalog.product.schemas import ProductCreate, ProductRead, ProductUpdate
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

router = APIRouter(prefix="/products", tags=["catalog"], responses=SECURED_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_product",
    responses=CREATE_RESPONSES,
)
async def create_product(
    data: ProductCreate,
    service: ProductServiceDep,
    request: Request,
    response: Response,
    _: IdempotentEditorDep,
) -> ProductRead:
    """Create a product."""
    created = await service.create(data)
    response.headers["Location"] = f"{request.url.path}/{created.id}"
    return created


@router.get(
    "",
    operation_id="list_products",
    response_model=Page[ProductRead],
    responses=LIST_RESPONSES,
)
async def list_products(
    service: ProductServiceDep,
    _: ViewerDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_PAGE_SIZE,
) -> Response:
    """List products, oldest first, one page at a time."""
    page = await service.list_page(cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/{product_id}",
    operation_id="get_product",
    response_model=ProductRead,
    responses={
        304: {"description": "Not modified since the ETag given in If-None-Match"},
        **READ_RESPONSES,
    },
)
async def get_product(
    product_id: uuid.UUID,
    service: ProductServiceDep,
    _: ViewerDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Read one product; send its ETag back in If-None-Match to skip an unchanged body."""
    body = await service.get_json(product_id)
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.patch("/{product_id}", operation_id="update_product", responses=UPDATE_RESPONSES)
async def update_product(
    product_id: uuid.UUID, data: ProductUpdate, service: ProductServiceDep, _: EditorDep
) -> ProductRead:
    """Change some fields of a product."""
    return await service.update(product_id, data)


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_product",
    responses=DELETE_RESPONSES,
)
async def delete_product(product_id: uuid.UUID, service: ProductServiceDep, _: AdminDep) -> None:
    """Delete a product (admins only)."""
    await service.delete(product_id)
