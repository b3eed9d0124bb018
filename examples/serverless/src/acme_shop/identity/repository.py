"""Loading and storing users."""

from sqlalchemy import select

from acme_shop.identity.models import User
from acme_shop.platform.crud import SqlRepository


class UserRepository(SqlRepository[User]):
    model = User

    async def by_email(self, email: str) -> User | None:
        result: User | None = await self.session.scalar(select(User).where(User.email == email))
        return result
