"""/api/v1/catalog/categories: create, read, update, list and delete categories.

The read and the list declare their response model (the OpenAPI contract) and answer with the
JSON the service's validated data serializes to: FastAPI does not validate it a second time.
"""

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from acme_shop.modules.catalog.category.dependencies import CategoryServiceDep
from acme_shop.modules.catalog.category.schemas import CategoryCreate, CategoryRead, CategoryUpdate
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

router = APIRouter(prefix="/categories", tags=["catalog"], responses=SECURED_RESPONSES)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_category",
    responses=CREATE_RESPONSES,
)
async def create_category(
    data: CategoryCreate,
    service: CategoryServiceDep,
    request: Request,
    response: Response,
    _: IdempotentEditorDep,
) -> CategoryRead:
    """Create a category."""
    created = await service.create(data)
    response.headers["Location"] = f"{request.url.path}/{created.id}"
    return created


@router.get(
    "",
    operation_id="list_categories",
    response_model=Page[CategoryRead],
    responses=LIST_RESPONSES,
)
async def list_categories(
    service: CategoryServiceDep,
    _: ViewerDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_PAGE_SIZE,
) -> Response:
    """List categories, oldest first, one page at a time."""
    page = await service.list_page(cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/{category_id}",
    operation_id="get_category",
    response_model=CategoryRead,
    responses={
        304: {"description": "Not modified since the ETag given in If-None-Match"},
        **READ_RESPONSES,
    },
)
async def get_category(
    category_id: uuid.UUID,
    service: CategoryServiceDep,
    _: ViewerDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Read one category; send its ETag back in If-None-Match to skip an unchanged body."""
    body = await service.get_json(category_id)
    etag = f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
    if if_none_match == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.patch("/{category_id}", operation_id="update_category", responses=UPDATE_RESPONSES)
async def update_category(
    category_id: uuid.UUID, data: CategoryUpdate, service: CategoryServiceDep, _: EditorDep
) -> CategoryRead:
    """Change some fields of a category."""
    return await service.update(category_id, data)


@router.delete(
    "/{category_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_category",
    responses=DELETE_RESPONSES,
)
async def delete_category(category_id: uuid.UUID, service: CategoryServiceDep, _: AdminDep) -> None:
    """Delete a category (admins only)."""
    await service.delete(category_id)
