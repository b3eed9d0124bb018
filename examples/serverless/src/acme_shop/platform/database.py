"""PostgreSQL access: the declarative base, the entity columns every table shares, the engine."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import DateTime, Enum, MetaData, func
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names keep Alembic migrations reviewable and reversible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every table of the application."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


class Entity(Base):
    """Columns every stored entity has: a UUID key and server-side timestamps."""

    __abstract__ = True
    # Read server-generated values (timestamps) back in the same INSERT/UPDATE ... RETURNING.
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy API

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


def string_enum(enum_type: type[StrEnum]) -> Enum:
    """Store an enum's values as VARCHAR: adding a value needs no database type migration."""
    return Enum(
        enum_type,
        native_enum=False,
        length=max(32, *(len(member.value) for member in enum_type)),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def create_engine(
    url: str, *, pool_size: int, pool_timeout: float, command_timeout: float, name: str
) -> AsyncEngine:
    """An async engine whose pool holds ``pool_size`` connections open: no overflow churn."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout,
        pool_recycle=30 * 60,
        connect_args={
            "command_timeout": command_timeout,
            "server_settings": {"application_name": name},
        },
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return async_sessionmaker(engine, expire_on_commit=False)
