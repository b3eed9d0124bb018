"""Naming rules: identifiers, slugs, and spellings derived from them."""

from __future__ import annotations

import pytest

from archgen._names import (
    check_package_name,
    check_project_slug,
    pascal_case,
    pluralize,
    slugify,
)


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("order", "orders"),
        ("category", "categories"),
        ("box", "boxes"),
        ("day", "days"),
        ("order_line", "order_lines"),
        ("address", "addresses"),
        ("branch", "branches"),
    ],
)
def test_plurals(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural


def test_spellings() -> None:
    assert slugify("  Acme Shop! 2 ") == "acme-shop-2"
    assert pascal_case("order_line") == "OrderLine"


@pytest.mark.parametrize("name", ["shop", "acme_shop2"])
def test_valid_package_names(name: str) -> None:
    assert check_package_name(name) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Shop", "snake_case"),
        ("2shop", "snake_case"),
        ("shop__x", "snake_case"),
        ("import", "keyword"),
        ("match", "keyword"),
        ("asyncio", "shadow"),
        ("fastapi", "shadow"),
        ("tests", "shadow"),
    ],
)
def test_invalid_package_names(name: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_package_name(name)


@pytest.mark.parametrize("slug", ["Acme", "acme--shop", "-acme", "acme_shop", ""])
def test_invalid_slugs(slug: str) -> None:
    with pytest.raises(ValueError, match="lowercase words"):
        check_project_slug(slug)
