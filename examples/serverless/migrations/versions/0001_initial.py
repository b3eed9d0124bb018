"""Initial schema: identity, the platform tables, and one table per entity of the domain.

Revision ID: 0001
Revises:
Create Date: 2026-01-01 00:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _entity_columns() -> list[sa.Column[Any]]:
    """The key and timestamps every entity table has."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "identity_users",
        *_entity_columns(),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_users")),
        sa.UniqueConstraint("email", name=op.f("uq_identity_users_email")),
    )
    op.create_table(
        "platform_processed_events",
        sa.Column("consumer", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_name", sa.String(length=128), nullable=False),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_platform_processed_events")),
    )
    op.create_table(
        "platform_outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_name", sa.String(length=128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("trace_headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_platform_outbox_event_id")),
    )
    op.create_index(
        "ix_platform_outbox_pending",
        "platform_outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "platform_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("context", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("dedupe_key", sa.String(length=255), nullable=True),
        sa.Column("exclusive", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("max_attempts", sa.SmallInteger(), nullable=False),
        sa.Column("timeout_seconds", sa.Integer(), nullable=False),
        sa.Column(
            "run_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.REAL(), nullable=True),
        sa.Column("checkpoint", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "failures", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column(
            "trace_headers",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'retrying', 'succeeded', 'failed')",
            name=op.f("ck_platform_jobs_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_jobs")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_platform_jobs_dedupe_key")),
    )
    op.create_index(
        "uq_platform_jobs_exclusive_running",
        "platform_jobs",
        ["name"],
        unique=True,
        postgresql_where=sa.text("status = 'running' AND exclusive"),
    )
    op.create_index(
        "ix_platform_jobs_pending",
        "platform_jobs",
        ["run_at"],
        postgresql_where=sa.text("status IN ('queued', 'retrying')"),
    )
    op.create_index(
        "ix_platform_jobs_running_worker",
        "platform_jobs",
        ["worker"],
        postgresql_where=sa.text("status = 'running'"),
    )
    op.create_index(
        "ix_platform_jobs_context_status_created_at_id",
        "platform_jobs",
        ["context", "status", "created_at", "id"],
    )
    op.create_index(
        "ix_platform_jobs_created_by_created_at_id",
        "platform_jobs",
        ["created_by", "created_at", "id"],
        postgresql_where=sa.text("created_by IS NOT NULL"),
    )
    op.create_table(
        "platform_job_result_parts",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["platform_jobs.id"],
            name=op.f("fk_platform_job_result_parts_job_id_platform_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "part", name=op.f("pk_platform_job_result_parts")),
    )
    op.create_table(
        "platform_job_workers",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "heartbeat_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("draining", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_job_workers")),
    )
    op.create_table(
        "catalog_categories",
        *_entity_columns(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_categories")),
        sa.UniqueConstraint("name", name=op.f("uq_catalog_categories_name")),
    )
    op.create_index(
        "ix_catalog_categories_created_at_id", "catalog_categories", ["created_at", "id"]
    )
    op.create_table(
        "catalog_products",
        *_entity_columns(),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("in_stock", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["catalog_categories.id"],
            name=op.f("fk_catalog_products_category_id_catalog_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_catalog_products_sku")),
    )
    op.create_index("ix_catalog_products_created_at_id", "catalog_products", ["created_at", "id"])
    op.create_index(op.f("ix_catalog_products_name"), "catalog_products", ["name"])
    op.create_index(op.f("ix_catalog_products_category_id"), "catalog_products", ["category_id"])
    op.create_table(
        "catalog_daily_demand",
        *_entity_columns(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_daily_demand")),
        sa.UniqueConstraint("day", name=op.f("uq_catalog_daily_demand_day")),
    )
    op.create_index(
        "ix_catalog_daily_demand_created_at_id", "catalog_daily_demand", ["created_at", "id"]
    )
    op.create_table(
        "ordering_customers",
        *_entity_columns(),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ordering_customers")),
        sa.UniqueConstraint("email", name=op.f("uq_ordering_customers_email")),
    )
    op.create_index(
        "ix_ordering_customers_created_at_id", "ordering_customers", ["created_at", "id"]
    )
    op.create_table(
        "ordering_orders",
        *_entity_columns(),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["ordering_customers.id"],
            name=op.f("fk_ordering_orders_customer_id_ordering_customers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ordering_orders")),
    )
    op.create_index("ix_ordering_orders_created_at_id", "ordering_orders", ["created_at", "id"])
    op.create_index(op.f("ix_ordering_orders_customer_id"), "ordering_orders", ["customer_id"])


def downgrade() -> None:
    op.drop_table("ordering_orders")
    op.drop_table("ordering_customers")
    op.drop_table("catalog_daily_demand")
    op.drop_table("catalog_products")
    op.drop_table("catalog_categories")
    op.drop_table("platform_job_workers")
    op.drop_table("platform_job_result_parts")
    op.drop_table("platform_jobs")
    op.drop_table("platform_outbox")
    op.drop_table("platform_processed_events")
    op.drop_table("identity_users")
