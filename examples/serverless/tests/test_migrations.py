"""The migrations: they build exactly the schema the models declare, and undo all of it."""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

# Importing the app imports every module, so every table is registered on Base.metadata.
from acme_shop import main  # noqa: F401
from acme_shop.platform.database import Base
from tests.support import migrate


def _differences(connection: Connection) -> list[Any]:
    """What autogenerate would still write: nothing when the revisions match the models."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_the_migrated_schema_is_the_models_schema(database_url: str) -> None:
    engine = create_async_engine(database_url, poolclass=NullPool)
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    await engine.dispose()
    assert differences == []


async def test_every_revision_downgrades_and_upgrades_again(empty_database_url: str) -> None:
    engine = create_async_engine(empty_database_url, poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(migrate)
        await connection.run_sync(migrate, "base", downgrade=True)
        assert await connection.run_sync(_tables) == {"alembic_version"}
        await connection.run_sync(migrate)
        assert await connection.run_sync(_differences) == []
    await engine.dispose()
