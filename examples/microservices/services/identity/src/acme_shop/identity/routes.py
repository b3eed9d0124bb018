"""/api/v1/auth and /api/v1/users: tokens, and user management for admins."""

from fastapi import APIRouter, status

from acme_shop.identity.dependencies import IdentityServiceDep
from acme_shop.identity.schemas import Credentials, RefreshRequest, UserCreate, UserRead
from acme_shop.platform.dependencies import ViewerDep
from acme_shop.platform.idempotency import IdempotentAdminDep
from acme_shop.platform.problems import SECURED_RESPONSES, problem_responses
from acme_shop.platform.security import TokenPair

auth_router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    responses=problem_responses(
        400, 413, 422, 429, 503, described={401: "The email, password or refresh token is wrong"}
    ),
)
users_router = APIRouter(prefix="/users", tags=["users"], responses=SECURED_RESPONSES)


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
    responses=problem_responses(
        400,
        413,
        described={
            409: "A user with this email exists, or a request with this Idempotency-Key is "
            "still in progress",
            422: "The body does not validate, or reuses an Idempotency-Key that came with "
            "another body",
        },
    ),
)
async def create_user(
    data: UserCreate, service: IdentityServiceDep, _: IdempotentAdminDep
) -> UserRead:
    """Register a user (admins only)."""
    return await service.register(data)


@users_router.get(
    "/me",
    operation_id="get_current_user",
    responses=problem_responses(described={404: "The user of this token no longer exists"}),
)
async def get_current_user(principal: ViewerDep, service: IdentityServiceDep) -> UserRead:
    """The calling user."""
    return await service.get(principal)
