"""Naming rules shared by the domain spec and the project answers.

One place decides what a valid identifier is, how a name is spelled as a class, a table or a
URL segment, and which words are reserved because the generated code already uses them.
"""

from __future__ import annotations

import keyword
import re
import sys

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PROJECT_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# Packages the generated project depends on: a package of the same name would shadow them.
_DEPENDENCY_PACKAGES = frozenset(
    {
        "alembic",
        "argon2",
        "asyncpg",
        "cryptography",
        "fastapi",
        "httpx",
        "jwt",
        "limits",
        "opentelemetry",
        "prometheus_client",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "redis",
        "sqlalchemy",
        "starlette",
        "structlog",
        "testcontainers",
        "uvicorn",
    }
)

RESERVED_PACKAGE_NAMES = frozenset(
    set(sys.stdlib_module_names) | _DEPENDENCY_PACKAGES | {"src", "test", "tests", "migrations"}
)

# Columns every generated entity already has, and attributes SQLAlchemy reserves on models.
RESERVED_FIELD_NAMES = frozenset({"id", "created_at", "updated_at", "metadata", "registry"})

# Context names the generated project uses for its own packages and tables.
RESERVED_CONTEXT_NAMES = frozenset({"platform", "identity", "auth", "health", "api", "modules"})


def check_identifier(name: str, what: str) -> str:
    """Return ``name`` if it is a lowercase snake_case Python identifier, else raise ValueError."""
    if not SNAKE_CASE.match(name):
        raise ValueError(
            f"{what} {name!r} must be snake_case: lowercase letters, digits and single "
            "underscores, starting with a letter"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ValueError(f"{what} {name!r} is a reserved Python keyword")
    return name


def check_package_name(name: str) -> str:
    """Validate the generated project's import package name."""
    check_identifier(name, "package name")
    if name in RESERVED_PACKAGE_NAMES:
        raise ValueError(
            f"package name {name!r} would shadow a standard-library or dependency module"
        )
    return name


def check_project_slug(slug: str) -> str:
    """Validate the distribution name and folder name of the generated project."""
    if not PROJECT_SLUG.match(slug):
        raise ValueError(f"project slug {slug!r} must be lowercase words joined by single hyphens")
    return slug


def slugify(text: str) -> str:
    """Turn a human project name into a project slug ("Acme Shop!" -> "acme-shop")."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def pascal_case(name: str) -> str:
    """snake_case -> PascalCase ("order_line" -> "OrderLine")."""
    return "".join(part.capitalize() for part in name.split("_"))


def camel_case(name: str) -> str:
    """``name`` as GraphQL (Strawberry) names a snake_case field: ``in_stock`` gives ``inStock``."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() if part else "_" for part in rest)


def title_case(name: str) -> str:
    """snake_case -> words for people ("order_line" -> "Order line")."""
    return name.replace("_", " ").capitalize()


def pluralize(name: str) -> str:
    """English plural of a snake_case noun, for table names and URL segments."""
    head, _, last = name.rpartition("_")
    if re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head}_{plural}" if head else plural


_CONSONANT_SOUNDING_VOWELS = ("uni", "use", "usu", "uti", "eu", "one")


def with_article(words: str) -> str:
    """``words`` after "a" or "an", by how they are likely pronounced: "an order", "a user"."""
    vowel_sound = words[:1] in "aeiou" and not words.startswith(_CONSONANT_SOUNDING_VOWELS)
    return f"{'an' if vowel_sound else 'a'} {words}"
