"""The domain spec: bounded contexts, their entities and fields, and the events between them.

The spec is YAML written by people; this module validates it with pydantic, reports the path of
any bad field, and derives the names the templates need (classes, tables, URL segments, column
types), so no template has to compute a name on its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from archgen._errors import DomainSpecError
from archgen._names import (
    RESERVED_CONTEXT_NAMES,
    RESERVED_FIELD_NAMES,
    check_identifier,
    pascal_case,
    pluralize,
    title_case,
)

Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class FieldType(StrEnum):
    """The column types a field can have."""

    STRING = "string"
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    UUID = "uuid"
    ENUM = "enum"


_PYTHON_TYPES = {
    FieldType.STRING: "str",
    FieldType.TEXT: "str",
    FieldType.INTEGER: "int",
    FieldType.DECIMAL: "Decimal",
    FieldType.BOOLEAN: "bool",
    FieldType.DATE: "date",
    FieldType.DATETIME: "datetime",
    FieldType.UUID: "uuid.UUID",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """One attribute of an entity, stored as one column."""

    type: FieldType = FieldType.STRING
    required: bool = True
    unique: bool = False
    indexed: bool = False
    max_length: int | None = Field(default=None, ge=1, le=10_000)
    precision: int = Field(default=12, ge=1, le=38)
    scale: int = Field(default=2, ge=0, le=20)
    values: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], ...] = ()
    references: str | None = None
    pii: bool = False
    description: Description = ""

    # Set by the owning entity once names are known.
    name: str = Field(default="", exclude=True)
    entity: str = Field(default="", exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _references_default_to_uuid(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("references") and "type" not in data:
            return {**data, "type": FieldType.UUID}
        return data

    @model_validator(mode="after")
    def _options_fit_type(self) -> FieldSpec:
        if self.references is not None and self.type is not FieldType.UUID:
            raise ValueError("a field with 'references' must have type 'uuid' (the default)")
        if self.type is FieldType.ENUM:
            if not self.values:
                raise ValueError("an enum field needs a non-empty 'values' list")
            if len(set(self.values)) != len(self.values):
                raise ValueError("enum 'values' must not repeat")
        elif self.values:
            raise ValueError("'values' only applies to fields of type 'enum'")
        if self.max_length is not None and self.type is not FieldType.STRING:
            raise ValueError("'max_length' only applies to fields of type 'string'")
        if self.scale > self.precision:
            raise ValueError("'scale' cannot exceed 'precision'")
        if self.pii and (self.unique or self.indexed):
            raise ValueError(
                "a 'pii' field is stored encrypted and cannot be 'unique' or 'indexed'"
            )
        if self.pii and self.type not in (FieldType.STRING, FieldType.TEXT):
            raise ValueError("only 'string' and 'text' fields can be marked 'pii'")
        return self

    @property
    def length(self) -> int:
        """Column length of a string field (enums use the longest value)."""
        if self.type is FieldType.ENUM:
            # Room to add values later without widening the column.
            return max(32, *(len(value) for value in self.values))
        return self.max_length or 255

    @property
    def enum_class(self) -> str:
        """Python class name of an enum field's values (e.g. OrderStatus)."""
        return pascal_case(f"{self.entity}_{self.name}")

    @property
    def is_reference(self) -> bool:
        return self.references is not None

    @property
    def has_index(self) -> bool:
        """A plain (non-unique) index: asked for, or implied by a foreign key."""
        return not self.unique and (self.indexed or self.is_reference)

    @property
    def python_type(self) -> str:
        """The annotation used in models and schemas."""
        if self.type is FieldType.ENUM:
            return self.enum_class
        return _PYTHON_TYPES[self.type]


class EntitySpec(_Strict):
    """A thing the context stores and serves: one table, one resource, one set of routes."""

    # Declared first so that the field validators below can read them.
    name: str = Field(default="", exclude=True)
    context: str = Field(default="", exclude=True)

    description: Description = ""
    plural: str | None = None
    fields: dict[str, FieldSpec] = Field(min_length=1)

    @field_validator("plural")
    @classmethod
    def _plural_is_identifier(cls, plural: str | None) -> str | None:
        return None if plural is None else check_identifier(plural, "plural")

    @field_validator("fields")
    @classmethod
    def _field_names(
        cls, fields: dict[str, FieldSpec], info: ValidationInfo
    ) -> dict[str, FieldSpec]:
        entity = info.data.get("name", "")
        named = {}
        for name, spec in fields.items():
            check_identifier(name, "field name")
            if name in RESERVED_FIELD_NAMES:
                raise ValueError(
                    f"field name {name!r} is reserved: every entity already has "
                    f"{', '.join(sorted(RESERVED_FIELD_NAMES))}"
                )
            named[name] = spec.model_copy(update={"name": name, "entity": entity})
        return named

    @property
    def class_name(self) -> str:
        return pascal_case(self.name)

    @property
    def plural_name(self) -> str:
        return self.plural or pluralize(self.name)

    @property
    def table(self) -> str:
        """Table name: the context is the prefix, so each module owns its tables."""
        return f"{self.context}_{self.plural_name}"

    @property
    def url_segment(self) -> str:
        return self.plural_name.replace("_", "-")

    @property
    def title(self) -> str:
        return title_case(self.name)

    @property
    def field_list(self) -> list[FieldSpec]:
        return list(self.fields.values())

    @property
    def enum_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.type is FieldType.ENUM]

    @property
    def reference_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.is_reference]

    @property
    def unique_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.unique]

    @property
    def pii_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.pii]

    @property
    def field_types(self) -> set[str]:
        return {f.type.value for f in self.fields.values()}


class ContextSpec(_Strict):
    """A bounded context: one module of the monolith, one service of the microservices."""

    name: str = Field(default="", exclude=True)

    description: Description = ""
    entities: dict[str, EntitySpec] = Field(min_length=1)

    @property
    def class_name(self) -> str:
        return pascal_case(self.name)

    @property
    def title(self) -> str:
        return title_case(self.name)

    @property
    def url_segment(self) -> str:
        return self.name.replace("_", "-")

    @property
    def entity_list(self) -> list[EntitySpec]:
        return list(self.entities.values())

    @property
    def field_types(self) -> set[str]:
        """Types of the fields that are not references, across the context's entities."""
        return {
            f.type.value
            for e in self.entities.values()
            for f in e.fields.values()
            if not f.is_reference
        }

    @property
    def entities_in_creation_order(self) -> list[EntitySpec]:
        """Entities ordered so that every referenced table comes before its referrers."""
        ordered: list[EntitySpec] = []
        placed: set[str] = set()
        while len(ordered) < len(self.entities):
            for entity in self.entities.values():
                targets = {f.references for f in entity.reference_fields} - {entity.name}
                if entity.name not in placed and targets <= placed:
                    ordered.append(entity)
                    placed.add(entity.name)
        return ordered


class EventTrigger(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


class EventSpec(_Strict):
    """A fact one context publishes and other contexts react to."""

    source: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+\.[a-z0-9_]+$")]
    trigger: EventTrigger = EventTrigger.CREATED
    consumers: tuple[str, ...] = Field(min_length=1)
    description: Description = ""

    name: str = Field(default="", exclude=True)

    @property
    def class_name(self) -> str:
        return pascal_case(self.name)

    @property
    def source_context(self) -> str:
        return self.source.split(".")[0]

    @property
    def source_entity(self) -> str:
        return self.source.split(".")[1]

    @property
    def handler_name(self) -> str:
        return f"on_{self.name}"


class DomainSpec(_Strict):
    """The whole domain: contexts and the events that cross between them."""

    contexts: dict[str, ContextSpec] = Field(min_length=1)
    events: dict[str, EventSpec] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _name_children(cls, data: Any) -> Any:
        """Copy each mapping key into its value so every node knows its own name."""
        if not isinstance(data, dict):
            return data
        contexts = data.get("contexts")
        if isinstance(contexts, dict):
            data = {**data, "contexts": {k: _named_context(k, v) for k, v in contexts.items()}}
        events = data.get("events")
        if isinstance(events, dict):
            data = {**data, "events": {k: _with_name(k, v) for k, v in events.items()}}
        return data

    @field_validator("contexts")
    @classmethod
    def _context_names(cls, contexts: dict[str, ContextSpec]) -> dict[str, ContextSpec]:
        seen: dict[str, str] = {}
        for name, context in contexts.items():
            check_identifier(name, "context name")
            if name in RESERVED_CONTEXT_NAMES:
                raise ValueError(f"context name {name!r} is reserved for the generated platform")
            for entity in context.entities:
                check_identifier(entity, "entity name")
                if entity in seen:
                    raise ValueError(
                        f"duplicate entity name {entity!r}: in contexts {seen[entity]!r} "
                        f"and {name!r} (entity names must be unique across the domain)"
                    )
                seen[entity] = name
        return contexts

    @model_validator(mode="after")
    def _references_resolve(self) -> DomainSpec:
        for context in self.contexts.values():
            tables: set[str] = set()
            for entity in context.entities.values():
                if entity.table in tables:
                    raise ValueError(
                        f"contexts.{context.name}.entities.{entity.name}: table name "
                        f"{entity.table!r} is used twice; set a distinct 'plural'"
                    )
                tables.add(entity.table)
                for field in entity.reference_fields:
                    where = f"contexts.{context.name}.entities.{entity.name}.fields.{field.name}"
                    if field.references not in context.entities:
                        raise ValueError(
                            f"{where}.references: {field.references!r} is not an entity "
                            f"of context {context.name!r} (references stay inside a context)"
                        )
                    if field.references == entity.name and field.required:
                        raise ValueError(
                            f"{where}: a reference to the entity itself must be "
                            "'required: false', or no first row could ever be stored"
                        )
            _check_no_reference_cycle(context)
        for event in self.events.values():
            self._check_event(event)
        return self

    def _check_event(self, event: EventSpec) -> None:
        where = f"events.{event.name}"
        check_identifier(event.name, "event name")
        source = self.contexts.get(event.source_context)
        if source is None:
            raise ValueError(f"{where}.source: unknown context {event.source_context!r}")
        if event.source_entity not in source.entities:
            raise ValueError(
                f"{where}.source: context {source.name!r} has no entity {event.source_entity!r}"
            )
        for consumer in event.consumers:
            if consumer not in self.contexts:
                raise ValueError(f"{where}.consumers: unknown context {consumer!r}")
            if consumer == source.name:
                raise ValueError(
                    f"{where}.consumers: {consumer!r} publishes this event; events cross "
                    "between contexts"
                )

    @property
    def context_list(self) -> list[ContextSpec]:
        return list(self.contexts.values())

    @property
    def entity_list(self) -> list[EntitySpec]:
        return [e for c in self.contexts.values() for e in c.entities.values()]

    @property
    def event_list(self) -> list[EventSpec]:
        return list(self.events.values())

    @property
    def field_types(self) -> set[str]:
        """Types of the fields that are not references, across the whole domain."""
        return {f.type.value for _, _, f in self.walk_fields() if not f.is_reference}

    @property
    def has_pii(self) -> bool:
        return any(e.pii_fields for e in self.entity_list)

    @property
    def publishing_contexts(self) -> list[ContextSpec]:
        """The contexts that publish at least one event, in declaration order."""
        return [c for c in self.contexts.values() if self.events_published_by(c.name)]

    def published_entities(self, context: str) -> list[EntitySpec]:
        """The entities of ``context`` whose changes are announced as events."""
        return [e for e in self.contexts[context].entity_list if self.events_of_entity(e)]

    def events_published_by(self, context: str) -> list[EventSpec]:
        return [e for e in self.events.values() if e.source_context == context]

    def events_consumed_by(self, context: str) -> list[EventSpec]:
        return [e for e in self.events.values() if context in e.consumers]

    def events_of_entity(self, entity: EntitySpec) -> list[EventSpec]:
        return [
            e
            for e in self.events.values()
            if e.source_context == entity.context and e.source_entity == entity.name
        ]

    def walk_fields(self) -> Iterator[tuple[ContextSpec, EntitySpec, FieldSpec]]:
        for context in self.contexts.values():
            for entity in context.entities.values():
                for field in entity.fields.values():
                    yield context, entity, field

    @cached_property
    def as_data(self) -> dict[str, Any]:
        """The spec as plain data, the form recorded in ``.copier-answers.yml``."""
        return self.model_dump(mode="json", exclude_defaults=True)


def _check_no_reference_cycle(context: ContextSpec) -> None:
    """Refuse references between entities that form a loop (a reference to itself is fine).

    Tables of a loop could not be created one after the other, and with required references
    no row of the loop could ever be stored.
    """
    graph = {
        entity.name: {f.references for f in entity.reference_fields if f.references} - {entity.name}
        for entity in context.entities.values()
    }
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        if node in path:
            loop = " -> ".join((*path[path.index(node) :], node))
            raise ValueError(
                f"contexts.{context.name}: references form a loop ({loop}); "
                "drop one of them and link the entities the other way"
            )
        if node not in done:
            for target in sorted(graph[node]):
                visit(target, (*path, node))
            done.add(node)

    for name in graph:
        visit(name, ())


def _with_name(name: str, value: Any) -> Any:
    return {**value, "name": name} if isinstance(value, dict) else value


def _named_context(name: str, value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("entities"), dict):
        return _with_name(name, value)
    entities = {
        entity: ({**spec, "name": entity, "context": name} if isinstance(spec, dict) else spec)
        for entity, spec in value["entities"].items()
    }
    return {**value, "name": name, "entities": entities}


def _error_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    path = _error_path(first["loc"])
    if message.startswith(("contexts.", "events.")) or not path:
        return message
    return f"{path}: {message}"


def parse_domain(data: Any) -> DomainSpec:
    """Validate plain data as a domain spec; raise DomainSpecError naming the bad path."""
    if not isinstance(data, dict):
        raise DomainSpecError("domain spec: must be a mapping with a 'contexts' key")
    try:
        return DomainSpec.model_validate(data)
    except ValidationError as error:
        raise DomainSpecError(f"domain spec: {_describe(error)}") from None


@lru_cache(maxsize=32)
def _parse_cached(serialized: str) -> DomainSpec:
    return parse_domain(json.loads(serialized))


def parse_domain_cached(data: Any) -> DomainSpec:
    """Like parse_domain, memoized on content: templates ask for the same spec many times."""
    return _parse_cached(json.dumps(data, sort_keys=False, default=str))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate mapping keys instead of keeping the last one."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML written by a user, refusing duplicate keys; errors name ``source``."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise DomainSpecError(f"{source}: invalid YAML: {detail}") from None


def load_domain_file(path: Path) -> DomainSpec:
    """Read and validate a domain spec file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DomainSpecError(f"domain spec {path}: {error.strerror}") from None
    return parse_domain(load_yaml(text, f"domain spec {path}"))


EXAMPLE_DOMAIN_PATH = Path(__file__).parent / "example_domain.yml"


def example_domain() -> DomainSpec:
    """The built-in example domain, used when the user gives none."""
    return load_domain_file(EXAMPLE_DOMAIN_PATH)
