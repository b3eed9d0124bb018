"""Identity use cases: sign in, refresh a session, register a user."""

from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.identity.models import User
from acme_shop.identity.repository import UserRepository
from acme_shop.identity.schemas import UserCreate, UserRead
from acme_shop.platform.problems import ProblemError
from acme_shop.platform.security import Passwords, Principal, TokenPair, TokenService

_BAD_CREDENTIALS = "Unknown email or wrong password"


class IdentityService:
    def __init__(self, session: AsyncSession, tokens: TokenService, passwords: Passwords) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.tokens = tokens
        self.passwords = passwords

    async def sign_in(self, email: str, password: str) -> TokenPair:
        user = await self.users.by_email(email)
        if user is None or not user.is_active:
            raise ProblemError(401, _BAD_CREDENTIALS)
        if not await self.passwords.verify(user.password_hash, password):
            raise ProblemError(401, _BAD_CREDENTIALS)
        return self.tokens.issue(Principal(user_id=user.id, role=user.role))

    async def refresh(self, refresh_token: str) -> TokenPair:
        claimed = await self.tokens.verify(refresh_token, kind="refresh")
        user = await self.users.get(claimed.user_id)
        if user is None or not user.is_active:
            raise ProblemError(401, "The user of this token no longer exists or is disabled")
        # The role is read again: a demoted user's next tokens carry the new role.
        return self.tokens.issue(Principal(user_id=user.id, role=user.role))

    async def register(self, data: UserCreate) -> UserRead:
        if await self.users.by_email(data.email) is not None:
            raise ProblemError(409, f"A user with email {data.email} exists")
        password_hash = await self.passwords.hash(data.password)
        user = User(email=data.email, password_hash=password_hash, role=data.role)
        self.users.add(user)
        await self.session.commit()
        return UserRead.model_validate(user)

    async def get(self, principal: Principal) -> UserRead:
        user = await self.users.get(principal.user_id)
        if user is None:
            raise ProblemError(404, "This user no longer exists")
        return UserRead.model_validate(user)
