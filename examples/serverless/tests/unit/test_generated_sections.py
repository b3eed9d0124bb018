"""How the generated sections of docs/architecture.md read migration SQL and OpenAPI."""

import pytest

from tools.architecture_doc import (
    api_contracts,
    data_schema,
    replace_sections,
    schema_tables,
)

MIGRATION_SQL = """
BEGIN;

-- Running upgrade  -> 0001

CREATE TABLE users (
    id UUID NOT NULL,
    email VARCHAR(320) NOT NULL,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE orders (
    id UUID NOT NULL,
    user_id UUID NOT NULL,
    CONSTRAINT pk_orders PRIMARY KEY (id),
    CONSTRAINT fk_orders_user FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX ix_orders_user_id ON orders (user_id);

-- Running upgrade 0001 -> 0002

ALTER TABLE orders ADD COLUMN referrer UUID;

ALTER TABLE orders ADD CONSTRAINT fk_orders_referrer FOREIGN KEY(referrer) REFERENCES users (id);

DROP INDEX ix_orders_user_id;

INSERT INTO alembic_version (version_num) VALUES ('0002') RETURNING alembic_version.version_num;

COMMIT;
"""


def test_tables_follow_every_revision_in_order() -> None:
    users, orders = schema_tables(MIGRATION_SQL)

    assert users.name == "users"
    assert list(orders.columns) == ["id", "user_id", "referrer"]
    assert list(orders.keys) == [
        "pk_orders",
        "fk_orders_user",
        "fk_orders_referrer",
    ]
    assert orders.statements[-1] == "DROP INDEX ix_orders_user_id;"


def test_the_schema_section_marks_keys_and_relationships() -> None:
    section = data_schema(schema_tables(MIGRATION_SQL))

    assert "        uuid id PK\n" in section
    assert "        varchar email UK\n" in section
    assert "        uuid referrer FK\n" in section
    assert 'users ||--o{ orders : "user_id"' in section
    assert 'users |o--o{ orders : "referrer"' in section
    assert "| `fk_orders_user` | foreign key | `user_id` → " in section
    assert "`users.id`, on delete restrict |" in section
    assert "alembic_version" not in section


OPENAPI = {
    "paths": {
        "/api/v1/notes": {
            "post": {
                "tags": ["notes"],
                "description": "Create a note.",
                "security": [{"HTTPBearer": []}],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NoteCreate"}}
                    }
                },
                "responses": {
                    "201": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/NoteRead"}
                            }
                        }
                    },
                    "422": {"description": "The request does not validate"},
                },
            }
        }
    },
    "components": {
        "schemas": {
            "NoteCreate": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "pinned": {"type": "boolean"}},
                "examples": [{"pinned": False, "text": "Buy milk"}],
            },
            "NoteRead": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "text": {"type": "string"},
                    "due": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                },
            },
        }
    },
}


def test_the_api_section_shows_each_operation_with_samples_from_the_document() -> None:
    section = api_contracts(OPENAPI)

    assert "| `POST` | `/api/v1/notes` | bearer | Create a note. | `201` | `422` |" in section
    assert "POST /api/v1/notes HTTP/1.1\nAuthorization: Bearer <access token>\n" in section
    # The schema's own example, in the order of its properties:
    assert '{\n  "text": "Buy milk",\n  "pinned": false\n}' in section
    # No example: one built from the types, with null for what may be null.
    assert "HTTP/1.1 201 Created" in section
    assert (
        '"id": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",\n  "text": "string",\n  "due": null'
        in section
    )


def test_only_the_named_sections_are_replaced() -> None:
    document = (
        "# Title\n"
        "<!-- BEGIN api: generated -->\nold api\n<!-- END api -->\n"
        "<!-- BEGIN schema: generated -->\nold schema\n<!-- END schema -->\n"
    )

    updated = replace_sections(document, {"api": "new api\n"})

    assert "<!-- BEGIN api: generated -->\nnew api\n<!-- END api -->" in updated
    assert "old schema" in updated
    with pytest.raises(LookupError, match="BEGIN schema of orders"):
        replace_sections(document, {"schema of orders": "text"})
