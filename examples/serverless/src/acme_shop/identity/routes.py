"""/api/v1/auth and /api/v1/users: tokens, and user management for admins."""

from fastapi import APIRouter, Depends, status

from acme_shop.identity.dependencies import IdentityServiceDep
from acme_shop.identity.schemas import Credentials, RefreshRequest, UserCreate, UserRead
from acme_shop.platform.dependencies import AdminDep, ViewerDep
from acme_shop.platform.idempotency import idempotency_key
from acme_shop.platform.problems import PROBLEM_RESPONSES
from acme_shop.platform.security import TokenPair

auth_router = APIRouter(prefix="/auth", tags=["auth"], responses=PROBLEM_RESPONSES)
users_router = APIRouter(prefix="/users", tags=["users"], responses=PROBLEM_RESPONSES)


@auth_router.post("/token", operation_id="issue_token")
async def issue_token(credentials: Credentials, service: IdentityServiceDep) -> TokenPair:
    """Exchange an email and password for an access and a refresh token."""
    return await service.sign_in(credentials.email, credentials.password)


@auth_router.post("/refresh", operation_id="refresh_token")
async def refresh_token(body: RefreshRequest, service: IdentityServiceDep) -> TokenPair:
    """Exchange a refresh token for a new pair of tokens."""
    return await service.refresh(body.refresh_token)


@users_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_user",
    dependencies=[Depends(idempotency_key)],
)
async def create_user(data: UserCreate, service: IdentityServiceDep, _: AdminDep) -> UserRead:
    """Register a user (admins only)."""
    return await service.register(data)


@users_router.get("/me", operation_id="get_current_user")
async def get_current_user(principal: ViewerDep, service: IdentityServiceDep) -> UserRead:
    """The calling user."""
    return await service.get(principal)
