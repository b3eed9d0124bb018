"""Alembic environment: migrates the database named by the application settings.

Tests hand in an open connection through ``config.attributes["connection"]``; otherwise an
async engine is created from DATABASE_URL.
"""

import asyncio

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

# Importing the app imports every module, so every table is registered on Base.metadata.
from acme_shop import main  # noqa: F401
from acme_shop.platform.database import Base
from acme_shop.platform.settings import Settings

target_metadata = Base.metadata


def run_with_connection(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_with_new_engine() -> None:
    engine = create_async_engine(Settings().database_url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(run_with_connection)
    await engine.dispose()


def run_offline() -> None:
    context.configure(
        url=Settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
elif (shared := context.config.attributes.get("connection")) is not None:
    run_with_connection(shared)
else:
    asyncio.run(run_with_new_engine())
