"""PostgreSQL access: the declarative base, the entity columns every table shares, the engine."""

import asyncio
import uuid
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, ClassVar

from sqlalchemy import DateTime, Enum, MetaData, func
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

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


class FairQueue(AsyncAdaptedQueue[ConnectionPoolEntry]):
    """The pool's idle connections, handed to waiting checkouts in the order they came.

    SQLAlchemy's queue (an ``asyncio.Queue``) lets a checkout that arrives just as a connection
    comes back take it, ahead of those already waiting, which then wait again at the back.
    Under load some requests starve that way: seconds of latency while the median stays low.
    Here a checkout takes a free connection only when nobody waits; otherwise it queues behind
    the others (an ``asyncio.Lock`` wakes its waiters in order).
    """

    def get(self, block: bool = True, timeout: float | None = None) -> ConnectionPoolEntry:
        if not block or not self._line.locked():
            try:
                return self.get_nowait()
            except Empty:
                if not block:
                    raise
        return self.await_(self._wait_in_line(seconds=timeout))

    async def _wait_in_line(self, seconds: float | None) -> ConnectionPoolEntry:
        try:
            async with asyncio.timeout(seconds), self._line:
                return await self._queue.get()
        except TimeoutError as error:
            raise Empty from error

    @cached_property
    def _line(self) -> asyncio.Lock:
        return asyncio.Lock()  # made on first use, in the event loop that serves the app


class FairPool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio pool, with waiting checkouts served first come, first served."""

    _queue_class = FairQueue


def create_engine(
    url: str, *, pool_size: int, pool_timeout: float, command_timeout: float, name: str
) -> AsyncEngine:
    """An async engine whose pool holds ``pool_size`` connections open: no overflow churn."""
    return create_async_engine(
        url,
        poolclass=FairPool,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout,
        pool_recycle=30 * 60,
        connect_args={
            "command_timeout": command_timeout,
            "server_settings": {"application_name": name},
        },
    )


def create_session_factory(
    engine: AsyncEngine, *, autocommit: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (responses are built after it).

    With ``autocommit`` (on ``engine``'s pool) each statement runs on its own, outside a
    transaction: a read of one statement costs one round trip instead of three (BEGIN, the
    query, ROLLBACK). Only for work that does not write.
    """
    bind = engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine
    return async_sessionmaker(bind, expire_on_commit=False)
