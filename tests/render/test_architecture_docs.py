"""Each example's docs/architecture.md documents the code it ships.

Its API sections list every operation of the app's own openapi.json, with the examples its
schemas carry; its schema sections show every table, key and index the migrations create, as
DDL. (Each project's own drift test keeps these sections equal to a fresh export; the
examples' drift test keeps the examples equal to a fresh render; Mermaid's parser checks the
diagrams in test_mermaid_diagrams.)
"""

from __future__ import annotations

import json
import re

import pytest

from tests.git_projects import ROOT

EXAMPLES = ROOT / "examples"
APPS = {
    "modular-monolith": ["."],
    "serverless": ["."],
    "microservices": ["services/identity", "services/catalog", "services/ordering"],
}
SECTION = re.compile(
    r"<!-- BEGIN (?P<name>[\w -]+): [^>]*-->\n(?P<body>.*?)<!-- END (?P=name) -->", re.S
)
NAMED = re.compile(r'op\.create_(?:table|index)\(\s*"(\w+)"|name=op\.f\("(\w+)"\)')


def document(pattern: str) -> str:
    return (EXAMPLES / pattern / "docs/architecture.md").read_text()


@pytest.mark.parametrize("pattern", APPS)
def test_every_generated_section_is_filled(pattern: str) -> None:
    sections = {match["name"]: match["body"] for match in SECTION.finditer(document(pattern))}
    if pattern == "microservices":
        expected = {
            f"{kind} of {app.split('/')[1]}" for kind in ("api", "schema") for app in APPS[pattern]
        }
    else:
        expected = {"api", "schema"}
    assert set(sections) == expected
    assert all(body.strip() for body in sections.values())


@pytest.mark.parametrize("pattern", APPS)
def test_every_operation_is_documented_with_the_examples_of_its_schemas(pattern: str) -> None:
    text = document(pattern)
    for app in APPS[pattern]:
        openapi = json.loads((EXAMPLES / pattern / app / "openapi.json").read_text())
        for path, item in openapi["paths"].items():
            for method in item:
                assert f"| `{method.upper()}` | `{path}` |" in text, (app, method, path)
        for name, schema in openapi["components"]["schemas"].items():
            if name.endswith("Create") and "examples" in schema:
                for key, value in schema["examples"][0].items():
                    assert f'  "{key}": {json.dumps(value)}' in text, (app, name, key)


@pytest.mark.parametrize("pattern", APPS)
def test_every_table_key_and_index_of_the_migrations_is_in_the_ddl(pattern: str) -> None:
    text = document(pattern)
    for app in APPS[pattern]:
        migrations = (EXAMPLES / pattern / app / "migrations/versions").glob("*.py")
        names = {
            name
            for file in migrations
            for match in NAMED.finditer(file.read_text())
            for name in match.groups()
            if name
        }
        assert names
        for name in names:
            assert re.search(
                rf"^(CREATE TABLE|CREATE (UNIQUE )?INDEX|    CONSTRAINT) {name} ", text, re.M
            ), (
                app,
                name,
            )
    assert "```sql\nCREATE TABLE " in text
    assert re.search(r"^        uuid id PK$", text, re.M)


def test_a_microservices_diagram_shows_every_service_database_and_event() -> None:
    text = document("microservices")
    for service in ("identity", "catalog", "ordering"):
        assert f'svc_{service}["{service} service<br/>FastAPI"]' in text
        assert f'[("PostgreSQL<br/>acme_shop_{service}")]' in text
    assert 'exchange_ordering -->|"order_placed"| svc_catalog' in text
