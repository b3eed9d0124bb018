"""Generic create/read/update/list/delete over one entity: the repository and service bases.

Each resource subclasses these with its own model and schemas; what differs per resource
(lookups, events, rules) lives in the subclass, what is the same lives here once.
"""

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import DateTime, Row, Uuid, inspect, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from acme_shop.platform.cache import Cache
from acme_shop.platform.database import Entity
from acme_shop.platform.events import DomainEvent, EventPublisher
from acme_shop.platform.pagination import Cursor, Page
from acme_shop.platform.problems import NotFoundError

EntityT = TypeVar("EntityT", bound=Entity)
CreateT = TypeVar("CreateT", bound=BaseModel)
UpdateT = TypeVar("UpdateT", bound=BaseModel)
ReadT = TypeVar("ReadT", bound=BaseModel)


class SqlRepository(Generic[EntityT]):
    """Loads and stores one entity type in the request's session."""

    model: ClassVar[type[Any]]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: uuid.UUID) -> EntityT | None:
        entity: EntityT | None = await self.session.get(self.model, key)
        return entity

    async def row(self, key: uuid.UUID) -> Row[Any] | None:
        """The entity's columns as a row, for a read that changes nothing (no ORM object)."""
        result = await self.session.execute(select(*self._columns()).where(self.model.id == key))
        return result.first()

    def add(self, entity: EntityT) -> None:
        self.session.add(entity)

    async def delete(self, entity: EntityT) -> None:
        await self.session.delete(entity)

    async def page_after(self, cursor: Cursor | None, limit: int) -> Sequence[Row[Any]]:
        """Up to ``limit`` rows in (created_at, id) order, after ``cursor``.

        Rows of the entity's columns rather than entities: a page is only read, so it skips
        the identity map and the change tracking of each object.
        """
        order = (self.model.created_at, self.model.id)
        query = select(*self._columns()).order_by(*order).limit(limit)
        if cursor is not None:
            after = (
                literal(cursor.created_at, DateTime(timezone=True)),
                literal(cursor.id, Uuid()),
            )
            query = query.where(tuple_(*order) > tuple_(*after))
        result = await self.session.execute(query)
        return result.all()

    def _columns(self) -> list[Any]:
        """The entity's mapped columns, each named as its attribute."""
        return [getattr(self.model, column.key) for column in inspect(self.model).column_attrs]


class CrudService(Generic[EntityT, CreateT, UpdateT, ReadT]):
    """Use cases shared by every resource: each commits its own transaction.

    A subclass announces changes to other modules by returning events from
    ``created_events``, ``updated_events`` or ``deleted_events``; they are staged in the
    change's transaction and dispatched after its commit.
    """

    resource: ClassVar[str]
    read_schema: type[ReadT]

    def __init__(
        self,
        session: AsyncSession,
        repository: SqlRepository[EntityT],
        *,
        events: EventPublisher,
        cache: Cache,
    ) -> None:
        self.session = session
        self.repository = repository
        self.events = events
        self.cache = cache

    async def create(self, data: CreateT) -> ReadT:
        entity: EntityT = self.repository.model(**data.model_dump())
        self.repository.add(entity)
        await self.session.flush()
        created = self.read_schema.model_validate(entity)
        await self._commit(self.created_events(created))
        return created

    async def get(self, key: uuid.UUID) -> ReadT:
        return self.read_schema.model_validate_json(await self.get_json(key))

    async def get_json(self, key: uuid.UUID) -> bytes:
        """The resource as JSON bytes, from the cache when it holds them."""
        return await self.cache.get_or_load(self._cache_key(key), lambda: self._load_json(key))

    async def _load_json(self, key: uuid.UUID) -> bytes:
        row = await self.repository.row(key)
        if row is None:
            raise NotFoundError(self.resource, key)
        return self.read_schema.model_validate(row._mapping).model_dump_json().encode()

    async def list_page(self, cursor: str | None, limit: int) -> Page[ReadT]:
        after = Cursor.decode(cursor) if cursor else None
        # One row more than asked tells whether another page follows, without a COUNT.
        rows = await self.repository.page_after(after, limit + 1)
        items = [self.read_schema.model_validate(row._mapping) for row in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        next_cursor = Cursor(last.created_at, last.id).encode() if last else None
        return Page(items=items, next_cursor=next_cursor)

    async def update(self, key: uuid.UUID, data: UpdateT) -> ReadT:
        entity = await self._load(key)
        # A PATCH body holds the fields it changes; the ones it leaves out are not set.
        for name, value in data.model_dump(exclude_unset=True).items():
            setattr(entity, name, value)
        await self.session.flush()  # reads the new updated_at back
        updated = self.read_schema.model_validate(entity)
        await self._commit(self.updated_events(updated), changed=key)
        return updated

    async def delete(self, key: uuid.UUID) -> None:
        entity = await self._load(key)
        deleted = self.read_schema.model_validate(entity)
        await self.repository.delete(entity)
        await self._commit(self.deleted_events(deleted), changed=key)

    def created_events(self, created: ReadT) -> list[DomainEvent]:
        return []

    def updated_events(self, updated: ReadT) -> list[DomainEvent]:
        return []

    def deleted_events(self, deleted: ReadT) -> list[DomainEvent]:
        return []

    async def _commit(self, events: list[DomainEvent], *, changed: uuid.UUID | None = None) -> None:
        """Commit the change with its events, then hand them on."""
        self.events.stage(self.session, events)
        await self.session.commit()
        if changed is not None:  # forget the stale copy before anyone reacts to the change
            await self.cache.delete(self._cache_key(changed))
        await self.events.dispatch(self.session)

    async def _load(self, key: uuid.UUID) -> EntityT:
        entity = await self.repository.get(key)
        if entity is None:
            raise NotFoundError(self.resource, key)
        return entity

    def _cache_key(self, key: uuid.UUID) -> str:
        return f"{self.resource}:{key}"
