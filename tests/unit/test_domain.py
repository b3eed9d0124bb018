"""The domain spec: what validates, what is refused, and the path each error names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archgen import DomainSpecError, example_domain, load_domain_file, parse_domain


def spec(**entity_fields: Any) -> dict[str, Any]:
    """A one-context, one-entity spec whose entity has ``entity_fields``."""
    return {"contexts": {"shop": {"entities": {"item": {"fields": entity_fields}}}}}


def refusal(data: Any) -> str:
    with pytest.raises(DomainSpecError) as raised:
        parse_domain(data)
    return raised.value.message


def test_the_built_in_example_has_two_contexts_five_entities_and_an_event() -> None:
    domain = example_domain()
    assert [c.name for c in domain.context_list] == ["catalog", "ordering"]
    assert len(domain.entity_list) == 5
    assert [(e.source, e.consumers) for e in domain.event_list] == [
        ("ordering.order", ("catalog",))
    ]


def test_names_are_derived_once_for_the_templates() -> None:
    product = example_domain().contexts["catalog"].entities["product"]
    assert (product.class_name, product.table, product.url_segment) == (
        "Product",
        "catalog_products",
        "products",
    )
    status = product.fields["status"]
    assert (status.enum_class, status.python_type, status.length) == (
        "ProductStatus",
        "ProductStatus",
        32,
    )
    assert product.fields["category_id"].has_index


def test_every_field_type_is_accepted() -> None:
    kinds = ["string", "text", "integer", "decimal", "boolean", "date", "datetime", "uuid"]
    fields: dict[str, Any] = {f"f_{kind}": {"type": kind} for kind in kinds}
    fields["f_enum"] = {"type": "enum", "values": ["a", "b"]}
    entity = parse_domain(spec(**fields)).entity_list[0]
    assert [f.type.value for f in entity.field_list] == [*kinds, "enum"]


def test_a_reference_defaults_to_uuid_and_orders_table_creation() -> None:
    domain = parse_domain(
        {
            "contexts": {
                "shop": {
                    "entities": {
                        "line": {"fields": {"basket_id": {"references": "basket"}}},
                        "basket": {"fields": {"label": {}}},
                    }
                }
            }
        }
    )
    shop = domain.contexts["shop"]
    assert shop.entities["line"].fields["basket_id"].type.value == "uuid"
    assert [e.name for e in shop.entities_in_creation_order] == ["basket", "line"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            spec(price={"type": "money"}),
            "contexts.shop.entities.item.fields.price.type: Input should be",
        ),
        (spec(Name={}), "field name 'Name' must be snake_case"),
        (spec(id={}), "field name 'id' is reserved"),
        (spec(kind={"type": "enum"}), "fields.kind: an enum field needs a non-empty 'values' list"),
        (spec(note={"type": "text", "max_length": 5}), "'max_length' only applies"),
        (spec(ssn={"pii": True, "unique": True}), "cannot be 'unique' or 'indexed'"),
        (
            spec(owner_id={"references": "nobody"}),
            "fields.owner_id.references: 'nobody' is not an entity",
        ),
        (
            spec(parent_id={"references": "item"}),
            "fields.parent_id: a reference to the entity itself",
        ),
        (spec(), "contexts.shop.entities.item.fields: Dictionary should have at least 1 item"),
        (
            {"contexts": {"class": {"entities": {"x": {"fields": {"a": {}}}}}}},
            "reserved Python keyword",
        ),
        (
            {"contexts": {"identity": {"entities": {"x": {"fields": {"a": {}}}}}}},
            "reserved for the generated platform",
        ),
        ({"contexts": {}}, "contexts: Dictionary should have at least 1 item"),
        ([1, 2], "must be a mapping"),
    ],
)
def test_invalid_specs_are_refused_naming_the_path(data: Any, message: str) -> None:
    assert message in refusal(data)


def test_entity_names_are_unique_across_contexts() -> None:
    item = {"fields": {"label": {}}}
    data = {"contexts": {"a": {"entities": {"item": item}}, "b": {"entities": {"item": item}}}}
    assert "duplicate entity name 'item': in contexts 'a' and 'b'" in refusal(data)


def test_reference_loops_are_refused() -> None:
    data = {
        "contexts": {
            "c": {
                "entities": {
                    "a": {"fields": {"b_id": {"references": "b"}}},
                    "b": {"fields": {"a_id": {"references": "a", "required": False}}},
                }
            }
        }
    }
    assert "references form a loop (a -> b -> a)" in refusal(data)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"source": "nowhere.item", "consumers": ["shop"]},
            "events.gone.source: unknown context 'nowhere'",
        ),
        ({"source": "shop.ghost", "consumers": ["shop"]}, "context 'shop' has no entity 'ghost'"),
        ({"source": "shop.item", "consumers": ["shop"]}, "events.gone.consumers: 'shop' publishes"),
        ({"source": "shop.item", "consumers": ["mars"]}, "unknown context 'mars'"),
        (
            {"source": "shop.item", "consumers": []},
            "events.gone.consumers: Tuple should have at least 1 item",
        ),
    ],
)
def test_invalid_events_are_refused(event: dict[str, Any], message: str) -> None:
    data = {**spec(label={}), "events": {"gone": event}}
    assert message in refusal(data)


def test_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "domain.yml"
    path.write_text(
        "contexts:\n  shop:\n    entities:\n"
        "      item: {fields: {a: {}}}\n"
        "      item: {fields: {b: {}}}\n"
    )
    with pytest.raises(DomainSpecError, match="duplicate key 'item'"):
        load_domain_file(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DomainSpecError, match=r"nope\.yml: No such file"):
        load_domain_file(tmp_path / "nope.yml")
