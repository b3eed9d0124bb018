"""The domain's history as a chain of Alembic revisions, and the rule that it only grows.

A generated project records the domain specs it was rendered from before the current one
(``domain_history`` in its answers, appended by ``archgen update --domain``). The first spec is
the schema of the initial migration; every later spec that changes the schema adds one
revision holding just the change: new tables, new columns, wider strings. An applied revision
is therefore never edited, however the domain grows.

Growth is what a migration can do to a database that holds data without a person deciding
something: new contexts, new entities, new optional fields, longer strings and more enum
values. Anything else (a removal, a rename, a new required column on a filled table) is
refused with the path of the change and what to do instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from itertools import pairwise
from typing import Any

from archgen._domain import ContextSpec, DomainSpec, EntitySpec, FieldSpec, parse_domain_cached
from archgen._errors import UserError

_SLUG_LIMIT = 60


class DomainGrowthError(UserError):
    """A new domain spec changes the old one in a way no generated migration may apply."""


@dataclass(frozen=True)
class NewField:
    """A column added to an existing table."""

    context: ContextSpec
    entity: EntitySpec
    field: FieldSpec


@dataclass(frozen=True)
class WidenedField:
    """A string (or enum) column whose length grows."""

    entity: EntitySpec
    field: FieldSpec
    old_length: int


@dataclass(frozen=True)
class SchemaRevision:
    """One Alembic revision after the initial one: what one domain change adds."""

    number: int
    new_entities: tuple[tuple[ContextSpec, EntitySpec], ...]
    new_fields: tuple[NewField, ...]
    widened: tuple[WidenedField, ...]
    # The job tables, when background jobs were turned on after the first render.
    adds_jobs: bool = False

    @property
    def id(self) -> str:
        return f"{self.number:04d}"

    @property
    def down_id(self) -> str:
        return f"{self.number - 1:04d}"

    @property
    def changes(self) -> list[str]:
        """The change in words, one item per table or column."""
        return [
            *(["the background job tables"] if self.adds_jobs else []),
            *(f"new table {entity.table}" for _, entity in self.new_entities),
            *(f"new column {new.entity.table}.{new.field.name}" for new in self.new_fields),
            *(
                f"{wide.entity.table}.{wide.field.name} widened to {wide.field.length} characters"
                for wide in self.widened
            ),
        ]

    @property
    def slug(self) -> str:
        """Names the first thing added, and counts the rest (``add_reviews_and_2_more``)."""
        added = [
            *(entity.table for _, entity in self.new_entities),
            *(f"{new.entity.table}_{new.field.name}" for new in self.new_fields),
        ]
        if self.adds_jobs and not added:
            return "add_background_jobs"
        verb, names = ("add", added) if added else ("widen", self._widened_names)
        more = f"_and_{len(names) - 1}_more" if len(names) > 1 else ""
        return f"{verb}_{names[0]}"[: _SLUG_LIMIT - len(more)].rstrip("_") + more

    @property
    def _widened_names(self) -> list[str]:
        return [f"{wide.entity.table}_{wide.field.name}" for wide in self.widened]

    @property
    def filename(self) -> str:
        return f"{self.id}_{self.slug}.py"

    @property
    def is_empty(self) -> bool:
        return not (self.new_entities or self.new_fields or self.widened or self.adds_jobs)


def _snapshots(history: Sequence[Any] | None, domain: Any) -> list[DomainSpec]:
    return [parse_domain_cached(spec) for spec in (*(history or ()), domain)]


def _contexts(spec: DomainSpec, only: str | None) -> list[ContextSpec]:
    if only is None:
        return spec.context_list
    return [spec.contexts[only]] if only in spec.contexts else []


def initial_domain(
    domain: Any, history: Sequence[Any] | None = None, context: str | None = None
) -> DomainSpec:
    """The spec the initial migration creates: the first recorded (holding ``context``)."""
    for spec in _snapshots(history, domain):
        if context is None or context in spec.contexts:
            return spec
    raise DomainGrowthError(f"the domain has no context {context!r}")


def schema_revisions(
    domain: Any,
    history: Sequence[Any] | None = None,
    context: str | None = None,
    jobs_revision: int = 1,
) -> list[SchemaRevision]:
    """The revisions after the initial one, for the whole domain or one ``context``'s service.

    ``jobs_revision`` above 1 is the revision that adds the job tables to an app that turned
    background jobs on after its first render (``archgen update`` records it): the revisions
    that came before keep their numbers, the later ones follow it. A service ignores it: it
    gains its job tables with the revision of the domain growth that gave its context its
    first job (or its first migration, when its context had jobs from the start).
    """
    if context is not None:
        # A service's job tables come with its context's first job, whenever jobs were
        # turned on: a service whose context has none never gets them.
        jobs_revision = 1
    specs = [s for s in _snapshots(history, domain) if context is None or context in s.contexts]
    revisions: list[SchemaRevision] = []

    def number() -> int:
        taken = len(revisions) + 2
        return taken + 1 if jobs_revision > 1 and taken >= jobs_revision else taken

    for old, new in pairwise(specs):
        revision = _revision(number(), old, new, context)
        if context is not None and new.contexts[context].jobs and not _had_jobs(old, context):
            revision = replace(revision, adds_jobs=True)
        if not revision.is_empty:
            revisions.append(revision)
    if jobs_revision > 1:
        revisions.append(SchemaRevision(jobs_revision, (), (), (), adds_jobs=True))
    return sorted(revisions, key=lambda revision: revision.number)


def _had_jobs(spec: DomainSpec, context: str) -> bool:
    return context in spec.contexts and bool(spec.contexts[context].jobs)


def check_growth(old: DomainSpec, new: DomainSpec) -> None:
    """Raise DomainGrowthError when ``new`` is not ``old`` grown (see the module docstring)."""
    _revision(2, old, new, None)


def check_history(domain: Any, history: Sequence[Any] | None) -> None:
    """Raise a UserError unless every recorded spec is valid and each grows the one before."""
    if history is not None and not isinstance(history, list):
        raise DomainGrowthError("domain_history: must be a list of earlier domain specs")
    specs = _snapshots(history, domain)
    for old, new in pairwise(specs):
        check_growth(old, new)


def _revision(number: int, old: DomainSpec, new: DomainSpec, only: str | None) -> SchemaRevision:
    new_entities: list[tuple[ContextSpec, EntitySpec]] = []
    new_fields: list[NewField] = []
    widened: list[WidenedField] = []
    for context in _contexts(old, only):
        if context.name not in new.contexts:
            raise _removed(f"contexts.{context.name}")
    for context in _contexts(new, only):
        before = old.contexts.get(context.name)
        for entity in context.entities_in_creation_order:
            known = before.entities.get(entity.name) if before else None
            if known is None:
                new_entities.append((context, entity))
                continue
            fields, wider = _entity_growth(context, known, entity)
            new_fields += fields
            widened += wider
        for name in before.entities if before else ():
            if name not in context.entities:
                raise _removed(f"contexts.{context.name}.entities.{name}")
    return SchemaRevision(number, tuple(new_entities), tuple(new_fields), tuple(widened))


def _entity_growth(
    context: ContextSpec, old: EntitySpec, new: EntitySpec
) -> tuple[list[NewField], list[WidenedField]]:
    where = f"contexts.{context.name}.entities.{new.name}"
    if old.table != new.table:
        raise _changed(f"{where}.plural", f"its table would move from {old.table} to {new.table}")
    added: list[NewField] = []
    widened: list[WidenedField] = []
    for name in old.fields:
        if name not in new.fields:
            raise _removed(f"{where}.fields.{name}")
    for field in new.fields.values():
        before = old.fields.get(field.name)
        if before is None:
            if field.required:
                raise DomainGrowthError(
                    f"{where}.fields.{field.name}: a field added to an existing entity must "
                    f"be 'required: false', because the {new.table} already stored have no "
                    "value for it"
                )
            added.append(NewField(context, new, field))
            continue
        old_length = _widened_from(f"{where}.fields.{field.name}", before, field)
        if old_length is not None:
            widened.append(WidenedField(new, field, old_length))
    return added, widened


_KEPT = ("type", "required", "unique", "indexed", "references", "pii", "precision", "scale")


def _widened_from(where: str, old: FieldSpec, new: FieldSpec) -> int | None:
    """The old length when ``new`` only widens ``old``; None when the column is unchanged."""
    for option in _KEPT:
        if getattr(old, option) != getattr(new, option):
            before, after = (_plain(getattr(spec, option)) for spec in (old, new))
            raise _changed(f"{where}.{option}", f"{before!r} -> {after!r}")
    if missing := _missing(old.values, new.values):
        raise _changed(f"{where}.values", f"{', '.join(missing)} would be removed")
    if new.length < old.length:
        raise _changed(f"{where}", f"its length would shrink from {old.length} to {new.length}")
    return old.length if new.length > old.length else None


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def _missing(old: Iterable[str], new: Iterable[str]) -> list[str]:
    kept = set(new)
    return [value for value in old if value not in kept]


_ONLY_GROWTH = (
    "archgen update --domain only grows a domain (new contexts, entities and optional fields, "
    "longer strings, more enum values); make this change by hand, with an Alembic revision "
    "of your own"
)


def _removed(where: str) -> DomainGrowthError:
    return DomainGrowthError(f"{where}: removed from the domain spec. {_ONLY_GROWTH}")


def _changed(where: str, how: str) -> DomainGrowthError:
    return DomainGrowthError(f"{where}: changed ({how}). {_ONLY_GROWTH}")
