"""The domain's growth as Alembic revisions, and the refusal of every change that is not growth."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from archgen._domain import parse_domain
from archgen._schema_history import (
    DomainGrowthError,
    check_growth,
    check_history,
    initial_domain,
    schema_revisions,
)

Spec = dict[str, Any]

BASE: Spec = {
    "contexts": {
        "catalog": {
            "entities": {
                "product": {
                    "fields": {
                        "name": {"max_length": 40},
                        "status": {"type": "enum", "values": ["draft", "live"]},
                    }
                }
            }
        },
        "sales": {"entities": {"order": {"fields": {"total": {"type": "decimal"}}}}},
    }
}


def grown(change: Callable[[Spec], object]) -> Spec:
    spec = copy.deepcopy(BASE)
    change(spec)
    return spec


def product(spec: Spec) -> Spec:
    fields: Spec = spec["contexts"]["catalog"]["entities"]["product"]["fields"]
    return fields


def add_review(spec: Spec) -> None:
    spec["contexts"]["catalog"]["entities"]["review"] = {
        "fields": {"product_id": {"references": "product"}, "stars": {"type": "integer"}}
    }


def test_a_domain_without_history_has_only_its_initial_migration() -> None:
    assert schema_revisions(BASE) == []
    assert initial_domain(BASE) == parse_domain(BASE)


def test_new_entities_columns_and_wider_strings_make_one_revision() -> None:
    def grow(spec: Spec) -> None:
        add_review(spec)
        product(spec)["sku"] = {"max_length": 12, "required": False, "unique": True}
        product(spec)["name"]["max_length"] = 80

    [revision] = schema_revisions(grown(grow), [BASE])

    assert (revision.id, revision.down_id) == ("0002", "0001")
    assert [entity.table for _, entity in revision.new_entities] == ["catalog_reviews"]
    assert [(new.entity.table, new.field.name) for new in revision.new_fields] == [
        ("catalog_products", "sku")
    ]
    assert [(w.field.name, w.old_length, w.field.length) for w in revision.widened] == [
        ("name", 40, 80)
    ]
    assert revision.filename == "0002_add_catalog_reviews_and_1_more.py"
    assert revision.changes == [
        "new table catalog_reviews",
        "new column catalog_products.sku",
        "catalog_products.name widened to 80 characters",
    ]
    assert initial_domain(grown(grow), [BASE]) == parse_domain(BASE)


def test_each_growth_adds_a_revision_on_the_one_before() -> None:
    second = grown(add_review)
    third = grown(
        lambda spec: (
            add_review(spec),
            product(spec).update(note={"type": "text", "required": False}),
        )
    )

    revisions = schema_revisions(third, [BASE, second])

    assert [(r.id, r.down_id, r.filename) for r in revisions] == [
        ("0002", "0001", "0002_add_catalog_reviews.py"),
        ("0003", "0002", "0003_add_catalog_products_note.py"),
    ]


def test_a_change_outside_the_schema_adds_no_revision() -> None:
    described = grown(lambda spec: spec["contexts"]["sales"].update(description="Orders."))
    more_values = grown(lambda spec: product(spec)["status"]["values"].append("retired"))
    assert schema_revisions(more_values, [BASE, described]) == []


def test_a_service_sees_only_its_context_and_a_new_one_starts_at_its_own_initial() -> None:
    with_billing = grown(
        lambda spec: spec["contexts"].update(
            billing={"entities": {"invoice": {"fields": {"number": {"max_length": 20}}}}}
        )
    )
    grown_billing = copy.deepcopy(with_billing)
    grown_billing["contexts"]["billing"]["entities"]["invoice"]["fields"]["memo"] = {
        "type": "text",
        "required": False,
    }
    history = [BASE, with_billing]

    assert schema_revisions(grown_billing, history, "sales") == []
    assert schema_revisions(grown_billing, history, "catalog") == []
    [billing] = schema_revisions(grown_billing, history, "billing")
    assert billing.id == "0002"
    assert [new.field.name for new in billing.new_fields] == ["memo"]
    assert "billing" in initial_domain(grown_billing, history, "billing").contexts
    monolith = schema_revisions(grown_billing, history)
    assert [r.filename for r in monolith] == [
        "0002_add_billing_invoices.py",
        "0003_add_billing_invoices_memo.py",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda spec: spec["contexts"].pop("sales"),
            "contexts.sales: removed from the domain spec",
        ),
        (
            lambda spec: spec["contexts"]["catalog"]["entities"]["product"].update(plural="items"),
            "contexts.catalog.entities.product.plural: changed (its table would move "
            "from catalog_products to catalog_items)",
        ),
        (
            lambda spec: product(spec).pop("name"),
            "contexts.catalog.entities.product.fields.name: removed from the domain spec",
        ),
        (
            lambda spec: product(spec)["name"].update(type="text", max_length=None),
            "contexts.catalog.entities.product.fields.name.type: changed ('string' -> 'text')",
        ),
        (
            lambda spec: product(spec)["name"].update(required=False),
            "fields.name.required: changed (True -> False)",
        ),
        (
            lambda spec: product(spec)["name"].update(max_length=20),
            "fields.name: changed (its length would shrink from 40 to 20)",
        ),
        (
            lambda spec: product(spec)["status"].update(values=["draft"]),
            "fields.status.values: changed (live would be removed)",
        ),
        (
            lambda spec: product(spec).update(sku={"max_length": 12}),
            "fields.sku: a field added to an existing entity must be 'required: false', "
            "because the catalog_products already stored have no value for it",
        ),
    ],
)
def test_a_change_that_is_not_growth_is_refused_by_its_path(
    change: Callable[[Spec], object], message: str
) -> None:
    with pytest.raises(DomainGrowthError) as raised:
        check_growth(parse_domain(BASE), parse_domain(grown(change)))
    assert message in raised.value.message
    assert "only grows a domain" in raised.value.message or "required: false" in message


def test_a_recorded_history_must_be_a_list_of_growth_steps() -> None:
    with pytest.raises(DomainGrowthError, match="must be a list"):
        check_history(BASE, {"contexts": {}})  # type: ignore[arg-type]
    shrunk = grown(lambda spec: spec["contexts"].pop("sales"))
    with pytest.raises(DomainGrowthError, match=r"contexts\.sales: removed"):
        check_history(shrunk, [BASE])
    check_history(grown(add_review), [BASE])
