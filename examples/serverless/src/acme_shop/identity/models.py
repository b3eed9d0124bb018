"""The user table."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from acme_shop.platform.database import Entity, string_enum
from acme_shop.platform.security import Role


class User(Entity):
    __tablename__ = "identity_users"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(string_enum(Role))
    is_active: Mapped[bool] = mapped_column(default=True)
