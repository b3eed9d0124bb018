"""The sections of docs/architecture.md that are generated from the code itself.

Two sections describe what the code really is, so no one writes them by hand: the API
contracts, rendered from the app's OpenAPI document (with the examples its schemas carry),
and the data schema, rendered from the SQL the Alembic migrations emit in offline mode. Each
sits between a pair of markers in the document, and everything outside the markers is prose.
``documents docs --write`` (beside this module) refreshes them; a test fails when they drift
from the code.
"""

import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

Json = Any
_SECTION = re.compile(
    r"(<!-- BEGIN (?P<name>[\w -]+): [^>]*-->\n).*?(<!-- END (?P=name) -->)", re.DOTALL
)
_STRING_SAMPLES = {
    "uuid": "5c2e8f9a-3b1d-4c7e-9a6f-2d4b8e1c7a35",
    "date-time": "2026-01-15T10:30:00Z",
    "date": "2026-01-15",
    "email": "ada@example.com",
}
_SAMPLE_DEPTH = 6
_OPEN = "{"  # Mermaid's brace, kept out of f-strings to keep them readable


def replace_sections(document: str, sections: Mapping[str, str]) -> str:
    """``document`` with the text between each named pair of markers replaced.

    Raises ``LookupError`` when a section has no markers in the document.
    """
    filled: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in sections:
            return match[0]
        filled.add(name)
        return f"{match[1]}{sections[name]}{match[3]}"

    updated = _SECTION.sub(fill, document)
    if missing := sorted(set(sections) - filled):
        raise LookupError(f"docs/architecture.md has no '<!-- BEGIN {missing[0]}: ... -->' marker")
    return updated


# --- API contracts, from the OpenAPI document ---------------------------------------------


def api_contracts(openapi: Mapping[str, Json], heading: str = "###") -> str:
    """Markdown for every operation, grouped by tag under ``heading``s, with samples."""
    schemas = openapi.get("components", {}).get("schemas", {})
    groups: dict[str, list[tuple[str, str, Mapping[str, Json]]]] = {}
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append((method.upper(), path, operation))
    return "".join(
        _operation_group(f"{heading} `{tag}`", operations, schemas)
        for tag, operations in groups.items()
    )


def _operation_group(
    title: str, operations: list[tuple[str, str, Mapping[str, Json]]], schemas: Mapping[str, Json]
) -> str:
    lines = [
        title,
        "",
        "| Method | Path | Token | Purpose | Success | Errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    samples: list[str] = []
    shown: set[str] = set()
    for method, path, operation in operations:
        statuses = list(operation["responses"])
        success = [status for status in statuses if int(status) < 400]
        errors = sorted(status for status in statuses if int(status) >= 400)
        purpose = (operation.get("description") or operation.get("summary", "")).replace("|", "\\|")
        token = _token(operation)
        cells = [f"`{method}`", f"`{path}`", token, purpose, _codes(success), _codes(errors)]
        lines.append(f"| {' | '.join(cells)} |")
        samples.extend(_exchange(method, path, operation, success[0], schemas, shown))
    return "\n".join([*lines, *samples, ""]) + "\n"


def _token(operation: Mapping[str, Json]) -> str:
    """``none``, or ``bearer`` with the role (or, for an OAuth2 scheme, the scope) the
    operation's security requirement names."""
    requirements: list[dict[str, list[str]]] = operation.get("security") or []
    if not requirements:
        return "none"
    roles = sorted({role for needs in requirements for scopes in needs.values() for role in scopes})
    # An OpenID Connect provider's scheme names scopes; built-in identity's bearer names roles.
    kind = "scope" if any("oauth2" in needs for needs in requirements) else "role"
    return f"bearer, {' or '.join(roles)} {kind}" if roles else "bearer"


def _codes(statuses: list[str]) -> str:
    return ", ".join(f"`{status}`" for status in statuses) or "none"


def _exchange(
    method: str,
    path: str,
    operation: Mapping[str, Json],
    status: str,
    schemas: Mapping[str, Json],
    shown: set[str],
) -> Iterator[str]:
    """A sample request (when it has a body) and its response (unless one like it was shown)."""
    request = _json_content(operation.get("requestBody", {}))
    response = _json_content(operation["responses"][status])
    response_key = json.dumps(response, sort_keys=True)
    if request is None and (response is None or response_key in shown):
        return
    shown.add(response_key)
    yield ""
    yield f"`{method} {path}`:"
    if request is not None:
        yield from _http_block(
            [f"{method} {path} HTTP/1.1", *_request_headers(operation)], _sample(request, schemas)
        )
    phrase = HTTPStatus(int(status)).phrase
    headers = [f"HTTP/1.1 {status} {phrase}"]
    if response is None:
        yield from _http_block(headers, None)
    else:
        yield from _http_block(
            [*headers, "Content-Type: application/json"], _sample(response, schemas)
        )


def _request_headers(operation: Mapping[str, Json]) -> list[str]:
    headers = ["Authorization: Bearer <access token>"] if operation.get("security") else []
    return [*headers, "Content-Type: application/json"]


def _json_content(part: Mapping[str, Json]) -> Json | None:
    content = part.get("content", {}).get("application/json")
    return None if content is None else content.get("schema", {})


def _http_block(head: list[str], body: Json | None) -> Iterator[str]:
    yield ""
    yield "```http"
    yield from head
    if body is not None:
        yield ""
        yield json.dumps(body, indent=2, ensure_ascii=False)
    yield "```"


def _sample(schema: Mapping[str, Json], schemas: Mapping[str, Json], depth: int = 0) -> Json:
    """A value valid for ``schema``: its own example when it has one, else one built from types."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("examples", "example", "const", "enum"):
        if key in schema:
            value = schema[key][0] if key in ("examples", "enum") else schema[key]
            return _in_property_order(value, schema)
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        if len(options) < len(schema["anyOf"]) or depth > _SAMPLE_DEPTH:
            return None
        return _sample(options[0], schemas, depth + 1)
    kind = schema.get("type", "")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _sample(value, schemas, depth + 1) for name, value in properties.items()}
    if kind == "array" and depth <= _SAMPLE_DEPTH:
        return [_sample(schema.get("items", {}), schemas, depth + 1)]
    if kind == "string":
        return _STRING_SAMPLES.get(schema.get("format", ""), "string")
    return {"array": [], "integer": 1, "number": 1.5, "boolean": True}.get(kind)


def _in_property_order(value: Json, schema: Mapping[str, Json]) -> Json:
    """An object example with its keys in the order of the schema's properties, not sorted."""
    if not isinstance(value, dict) or "properties" not in schema:
        return value
    order = list(schema["properties"])
    return dict(
        sorted(
            value.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
        )
    )


# --- Data schema, from the migrations -----------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A constraint or an index, as the migrations define it."""

    kind: str
    columns: tuple[str, ...]
    references: str = ""
    on_delete: str = ""

    def describe(self) -> str:
        covers = ", ".join(f"`{column}`" for column in self.columns)
        if self.references:
            covers += f" → `{self.references}`"
        return covers + (f", on delete {self.on_delete.lower()}" if self.on_delete else "")


@dataclass
class Table:
    """One table as the migrations leave it: its statements, columns, keys and indexes."""

    name: str
    statements: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    keys: dict[str, Key] = field(default_factory=dict)

    def foreign_keys(self) -> Iterator[Key]:
        return (key for key in self.keys.values() if key.kind == "foreign key")

    def marks(self, column: str) -> str:
        """PK, FK and UK for the keys ``column`` belongs to, as an ER diagram writes them."""
        marks = {"primary key": "PK", "foreign key": "FK", "unique": "UK"}
        found = {
            marks[key.kind]
            for key in self.keys.values()
            if key.kind in marks and column in key.columns
        }
        return ", ".join(sorted(found, key=list(marks.values()).index))


_CREATE_TABLE = re.compile(r"CREATE TABLE (\w+) \((.*)\)", re.DOTALL)
_ALTER_TABLE = re.compile(r"ALTER TABLE (\w+) (.*)", re.DOTALL)
_CREATE_INDEX = re.compile(r"CREATE (UNIQUE )?INDEX (\w+) ON (\w+) (?:USING \w+ )?\((.*)\)")
_DROP_INDEX = re.compile(r"DROP INDEX (\w+)")
_CONSTRAINT = re.compile(
    r"CONSTRAINT (\w+) (PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK) ?\(([^)]*)\)"
    r"(?: REFERENCES (\w+) \((\w+)\))?(?: ON DELETE (\w+(?: \w+)?))?"
)
_ADD_COLUMN = re.compile(r"ADD COLUMN (\w+) (.*)", re.DOTALL)


def migration_sql(alembic_ini: Path) -> str:
    """The SQL ``alembic upgrade head`` would run, produced without a database."""
    output = io.StringIO()
    command.upgrade(Config(alembic_ini, output_buffer=output), "head", sql=True)
    return output.getvalue()


def schema_tables(sql: str) -> list[Table]:
    """The tables the migration SQL creates, in order, leaving out Alembic's own."""
    tables: dict[str, Table] = {}
    index_tables: dict[str, str] = {}
    for statement in _statements(sql):
        if created := _CREATE_TABLE.match(statement):
            table = tables.setdefault(created[1], Table(created[1]))
            for definition in created[2].split(",\n"):
                _apply_definition(table, definition.strip())
        elif altered := _ALTER_TABLE.match(statement):
            table = tables[altered[1]]
            _apply_alteration(table, altered[2])
        elif index := _CREATE_INDEX.match(statement):
            table = tables[index[3]]
            kind = "unique index" if index[1] else "index"
            table.keys[index[2]] = Key(kind, _names(index[4]))
            index_tables[index[2]] = index[3]
        elif dropped := _DROP_INDEX.match(statement):
            table = tables[index_tables[dropped[1]]]
            del table.keys[dropped[1]]
        else:
            continue
        table.statements.append(statement + ";")
    return [table for name, table in tables.items() if name != "alembic_version"]


def _statements(sql: str) -> Iterator[str]:
    for chunk in sql.split(";\n"):
        lines = [line.rstrip() for line in chunk.splitlines() if not line.startswith("--")]
        if statement := "\n".join(lines).strip():
            yield statement


def _apply_definition(table: Table, definition: str) -> None:
    if constraint := _CONSTRAINT.match(definition):
        name, kind, columns, referenced, referenced_column, on_delete = constraint.groups()
        target = f"{referenced}.{referenced_column}" if referenced else ""
        table.keys[name] = Key(kind.lower(), _names(columns), target, on_delete or "")
    else:
        column, _, definition = definition.partition(" ")
        table.columns[column] = definition


def _apply_alteration(table: Table, change: str) -> None:
    if added := _ADD_COLUMN.match(change):
        table.columns[added[1]] = added[2]
    elif change.startswith("ADD "):
        _apply_definition(table, change.removeprefix("ADD "))
    elif change.startswith("DROP CONSTRAINT "):
        table.keys.pop(change.split()[2], None)
    elif change.startswith("DROP COLUMN "):
        table.columns.pop(change.split()[2], None)


def _names(columns: str) -> tuple[str, ...]:
    return tuple(column.strip() for column in columns.split(","))


def data_schema(tables: list[Table], heading: str = "###") -> str:
    """Markdown: an entity-relationship diagram, then each table's keys, indexes and DDL."""
    parts = [_er_diagram(tables)]
    for table in tables:
        rows = [f"| `{name}` | {key.kind} | {key.describe()} |" for name, key in table.keys.items()]
        title = [
            f"{heading} `{table.name}`",
            "",
            "| Key or index | Kind | Columns |",
            "| --- | --- | --- |",
        ]
        ddl = ["```sql", "\n\n".join(table.statements), "```"]
        parts.append("\n".join([*title, *rows, "", *ddl]))
    return "\n\n".join(parts) + "\n"


def _er_diagram(tables: list[Table]) -> str:
    """Mermaid: every table with its columns and key marks, and a line per foreign key."""
    lines = ["```mermaid", "erDiagram"]
    for table in tables:
        for key in table.foreign_keys():
            column = key.columns[0]
            required = "NOT NULL" in table.columns.get(column, "")
            referenced = key.references.split(".")[0]
            # Each row of the referenced table has zero or more rows here; a row here has
            # exactly one referenced row when the column is required, else zero or one.
            relation = ("||" if required else "|o") + "--o" + _OPEN
            lines.append(f'    {referenced} {relation} {table.name} : "{column}"')
    for table in tables:
        lines.append(f"    {table.name} {_OPEN}")
        for column, definition in table.columns.items():
            attribute = f"{_short_type(definition)} {column} {table.marks(column)}"
            lines.append(f"        {attribute.rstrip()}")
        lines.append("    }")
    return "\n".join([*lines, "```"])


def _short_type(definition: str) -> str:
    """The SQL type as one lower-case word, which is what Mermaid accepts."""
    if definition.startswith("TIMESTAMP WITH TIME ZONE"):
        return "timestamptz"
    return re.split(r"[ (]", definition, maxsplit=1)[0].lower()


def generated_sections(
    openapi: Mapping[str, Json], alembic_ini: Path, service: str | None = None
) -> dict[str, str]:
    """Every generated section of one app (of one ``service``, in a microservices system)."""
    suffix, heading = (f" of {service}", "####") if service else ("", "###")
    tables = schema_tables(migration_sql(alembic_ini))
    return {
        f"api{suffix}": api_contracts(openapi, heading),
        f"schema{suffix}": data_schema(tables, heading),
    }


def refreshed(document: Path, sections: Mapping[str, str]) -> str:
    """The document at ``document`` with ``sections`` regenerated."""
    return replace_sections(document.read_text(encoding="utf-8"), sections)
