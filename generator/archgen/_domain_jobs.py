"""Background jobs in the domain spec: what a context runs outside requests, and when.

A job has a name, a trigger (on demand through the API, a cron schedule, or a domain event), a
payload, a timeout, a number of attempts, and optionally one kind of work the generator knows
how to write: an ``export`` (an entity as a CSV file), a ``cleanup`` (old rows changed or
deleted in batches) or a ``tally`` (an event folded into a counter row). A job with no kind gets
a typed stub for a developer to fill in.

The models here check each job on its own; ``check_jobs`` checks what needs the whole domain
(events, entities and fields the job names), once the domain is parsed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from archgen._names import check_identifier, pascal_case

if TYPE_CHECKING:
    from archgen._domain import DomainSpec, EntitySpec, EventSpec, FieldSpec

MAX_JOBS_PER_CONTEXT = 30
MAX_TIMEOUT_SECONDS = 24 * 60 * 60
# One AWS Lambda invocation runs for 15 minutes at most.
LAMBDA_LIMIT_SECONDS = 15 * 60
_DURATION = re.compile(r"^(\d+)\s*([smh]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}
_CRON_FIELDS = "minute hour day-of-month month day-of-week"
_MACROS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *",
           "@annually": "0 0 1 1 *"}  # fmt: skip
ROLES = ("viewer", "editor", "admin")
# Payload field types, as entity fields have them (references are plain uuids here).
PAYLOAD_TYPES = (
    "string",
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "uuid",
    "enum",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_duration(value: object) -> int:
    """Seconds from ``600``, ``"30s"``, ``"10m"`` or ``"2h"``; ValueError with the fix."""
    text = str(value).strip()
    match = _DURATION.match(text) if not isinstance(value, bool) else None
    if match is None:
        raise ValueError(f"{text!r} is not a duration; write seconds (600) or 30s, 10m, 2h")
    seconds = int(match[1]) * _UNIT_SECONDS[match[2]]
    if not 1 <= seconds <= MAX_TIMEOUT_SECONDS:
        raise ValueError(f"{text!r} must be between 1 s and 24 h")
    return seconds


def spoken_duration(seconds: int) -> str:
    """``600`` -> ``10m``: the shortest exact spelling."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def check_cron(expression: str) -> str:
    """The expression when it is a 5-field cron that fires; else ValueError saying why."""
    text = " ".join(expression.split())
    if text in _MACROS:
        raise ValueError(f"{text!r}: write the 5 fields ({_MACROS[text]!r} for {text})")
    fields = text.split(" ")
    if len(fields) != 5:
        raise ValueError(f"{text!r} has {len(fields)} fields; write 5 ({_CRON_FIELDS})")
    try:
        next(CronSim(text, datetime(2026, 1, 1, tzinfo=UTC)))
    except (CronSimError, StopIteration) as error:
        reason = str(error) or "it never fires"
        raise ValueError(f"{text!r} is not a cron expression ({reason})") from None
    return text


def check_timezone(zone: str) -> str:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{zone!r} is not an IANA time zone") from None
    return zone


class PayloadFieldSpec(_Strict):
    """One field of a job's payload: the subset of an entity field that makes sense there."""

    type: Literal[PAYLOAD_TYPES] = "string"  # type: ignore[valid-type]
    required: bool = True
    default: str | int | float | bool | None = None
    values: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], ...] = ()
    max_length: int | None = Field(default=None, ge=1, le=10_000)
    precision: int = Field(default=12, ge=1, le=38)
    scale: int = Field(default=2, ge=0, le=20)
    description: str = ""

    name: str = Field(default="", exclude=True)

    @classmethod
    def refused_option(cls, option: str) -> str | None:
        """Why an entity field's option cannot be a payload field's, or None."""
        if option == "references":
            return "'references' does not apply; use type: uuid"
        if option in ("unique", "indexed", "pii"):
            return f"{option!r} does not apply to a job payload"
        return None

    @property
    def optional(self) -> bool:
        return not self.required or self.default is not None

    def check_default(self) -> None:
        """Raise ValueError when ``default`` is not a value of the field's type."""
        value = self.default
        if value is None:
            return
        valid = {
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "decimal": _is_decimal(value),
            "enum": value in self.values,
            "string": isinstance(value, str),
            "text": isinstance(value, str),
        }.get(self.type, False)
        if not valid:
            raise ValueError(f"default: {value!r} is not {_a_type(self.type)}")


def _is_decimal(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


def _a_type(type_name: str) -> str:
    return f"an {type_name}" if type_name[0] in "aeiou" else f"a {type_name}"


class ExportWork(_Strict):
    """Write an entity of the job's context as a CSV file (its fields but personal data)."""

    entity: str
    format: Literal["csv"] = "csv"


class OlderThan(_Strict):
    field: str
    days: int | str  # a number, or the name of an integer payload field


class CleanupWork(_Strict):
    """Change (``set``) or ``delete`` an entity's old rows, a batch at a time."""

    entity: str
    where: dict[str, str | bool] = Field(default_factory=dict)
    older_than: OlderThan
    set: dict[str, str | bool] = Field(default_factory=dict)
    delete: bool = False


class TallyWork(_Strict):
    """Fold each event into one row of a counter entity, keyed by a unique field."""

    into: str
    key: dict[str, str] = Field(min_length=1, max_length=1)
    add: dict[str, int | str] = Field(min_length=1)


# "on_demand", {cron: "m h dom mon dow", timezone: UTC} or {event: <event name>}
Trigger = Literal["on_demand"] | dict[str, str]
_TRIGGER_KEYS = ({"cron"}, {"cron", "timezone"}, {"event"})


class JobSpec(_Strict):
    """Work a context runs outside a request: on demand, on a schedule, or on an event."""

    name: str = Field(default="", exclude=True)
    context: str = Field(default="", exclude=True)

    description: str = ""
    trigger: Trigger = "on_demand"
    role: Literal["viewer", "editor", "admin"] | None = None
    timeout: int = 600
    max_attempts: int = Field(default=3, ge=1, le=20)
    exclusive: bool = False
    payload: dict[str, PayloadFieldSpec] = Field(default_factory=dict, max_length=30)
    export: ExportWork | None = None
    cleanup: CleanupWork | None = None
    tally: TallyWork | None = None

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, value: object) -> int:
        return parse_duration(value)

    @model_validator(mode="after")
    def _trigger_is_known(self) -> JobSpec:
        where = f"contexts.{self.context}.jobs.{self.name}.trigger"
        if isinstance(self.trigger, str):
            return self
        if set(self.trigger) not in _TRIGGER_KEYS:
            raise ValueError(
                f"{where}: write on_demand, {{cron: 'm h dom mon dow', timezone: UTC}} or "
                "{event: <event name>}"
            )
        for key, check in (("cron", check_cron), ("timezone", check_timezone)):
            if key in self.trigger:
                try:
                    check(self.trigger[key])
                except ValueError as error:
                    raise ValueError(f"{where}.{key}: {error}") from None
        return self

    @field_validator("payload", mode="before")
    @classmethod
    def _payload_options(cls, payload: object) -> object:
        if not isinstance(payload, dict):
            return payload
        named = {}
        for name, spec in payload.items():
            check_identifier(str(name), "payload field name")
            if isinstance(spec, dict):
                for option in spec:
                    if (refusal := PayloadFieldSpec.refused_option(str(option))) is not None:
                        raise ValueError(f"{name}: {refusal}")
                spec = {**spec, "name": name}
            named[name] = spec
        return named

    @property
    def kind(self) -> str | None:
        """The work the generator writes: export, cleanup, tally, or None (a stub)."""
        kinds = [kind for kind in ("export", "cleanup", "tally") if getattr(self, kind)]
        return kinds[0] if kinds else None

    @property
    def trigger_kind(self) -> Literal["on_demand", "cron", "event"]:
        if self.cron is not None:
            return "cron"
        if self.event is not None:
            return "event"
        return "on_demand"

    @property
    def cron(self) -> str | None:
        if isinstance(self.trigger, str) or "cron" not in self.trigger:
            return None
        return " ".join(self.trigger["cron"].split())

    @property
    def timezone(self) -> str:
        return "UTC" if isinstance(self.trigger, str) else self.trigger.get("timezone", "UTC")

    @property
    def event(self) -> str | None:
        return None if isinstance(self.trigger, str) else self.trigger.get("event")

    @property
    def starting_role(self) -> str:
        """Who may start it through the API (on-demand jobs)."""
        return self.role or "editor"

    @property
    def qualified_name(self) -> str:
        return f"{self.context}.{self.name}"

    @property
    def class_name(self) -> str:
        return pascal_case(self.name)

    @property
    def payload_class(self) -> str:
        return f"{self.class_name}Payload"

    @property
    def constant(self) -> str:
        return self.name.upper()

    @property
    def url_segment(self) -> str:
        return self.name.replace("_", "-")

    @property
    def payload_fields(self) -> list[PayloadFieldSpec]:
        return list(self.payload.values())

    @property
    def timeout_text(self) -> str:
        return spoken_duration(self.timeout)

    @property
    def trigger_text(self) -> str:
        """The trigger in words, for documents."""
        if self.cron is not None:
            return f"cron `{self.cron}` ({self.timezone})"
        if self.event is not None:
            return f"event `{self.event}`"
        return f"on demand ({self.starting_role})"


def check_jobs(domain: DomainSpec) -> None:
    """Raise ValueError naming the first job that names what the domain does not have."""
    owners: dict[str, str] = {}
    for context in domain.context_list:
        for job in context.jobs.values():
            where = f"contexts.{context.name}.jobs.{job.name}"
            if job.name in owners:
                raise ValueError(
                    f"{where}: job name {job.name!r} is also used in context "
                    f"{owners[job.name]!r}; job names are unique across the domain"
                )
            owners[job.name] = context.name
            _check_job(domain, where, job)
        if context.jobs and any(e.url_segment == "jobs" for e in context.entity_list):
            raise ValueError(
                f"contexts.{context.name}: an entity's URL segment 'jobs' is taken by the "
                "context's job routes; set another 'plural'"
            )


def _check_job(domain: DomainSpec, where: str, job: JobSpec) -> None:
    kinds = [kind for kind in ("export", "cleanup", "tally") if getattr(job, kind)]
    if len(kinds) > 1:
        raise ValueError(
            f"{where}: declare one of export, cleanup, tally (found {' and '.join(kinds)})"
        )
    for field in job.payload_fields:
        try:
            field.check_default()
        except ValueError as error:
            raise ValueError(f"{where}.payload.{field.name}.{error}") from None
        if field.type == "enum" and not field.values:
            raise ValueError(f"{where}.payload.{field.name}: an enum field needs 'values'")
    if job.role is not None and job.trigger_kind != "on_demand":
        raise ValueError(f"{where}.role: only on-demand jobs are started by callers; remove 'role'")
    if job.trigger_kind == "cron":
        for field in job.payload_fields:
            if not field.optional:
                raise ValueError(
                    f"{where}.payload.{field.name}: a cron job's payload field needs a default "
                    "or 'required: false'"
                )
    if job.event is not None:
        _check_event_trigger(domain, where, job)
    if job.export is not None:
        _check_export(domain, where, job)
    if job.cleanup is not None:
        _check_cleanup(domain, where, job)
    if job.tally is not None:
        _check_tally(domain, where, job)


def _check_event_trigger(domain: DomainSpec, where: str, job: JobSpec) -> None:
    event = domain.events.get(job.event or "")
    if event is None:
        declared = ", ".join(domain.events) or "none"
        raise ValueError(
            f"{where}.trigger.event: unknown event {job.event!r}; declared events: {declared}"
        )
    if job.context not in event.consumers:
        raise ValueError(
            f"{where}.trigger.event: context {job.context!r} does not consume {event.name!r}; "
            f"add it to events.{event.name}.consumers"
        )
    if job.payload:
        raise ValueError(
            f"{where}.payload: an event job's payload is its event ({event.class_name}); "
            "remove 'payload'"
        )


def _entity(domain: DomainSpec, where: str, job: JobSpec, name: str) -> EntitySpec:
    entity = domain.contexts[job.context].entities.get(name)
    if entity is None:
        raise ValueError(f"{where}: {name!r} is not an entity of context {job.context!r}")
    return entity


_RANGE_TYPES = ("date", "datetime", "integer", "decimal")


def export_filters(
    job: JobSpec, entity: EntitySpec
) -> list[tuple[PayloadFieldSpec, FieldSpec, str]]:
    """(payload field, entity field, operator) for each payload field that filters rows."""
    filters = []
    for field in job.payload_fields:
        for suffix, operator in (("_from", ">="), ("_to", "<="), ("", "==")):
            base = field.name.removesuffix(suffix) if suffix else field.name
            if (suffix and not field.name.endswith(suffix)) or base not in entity.fields:
                continue
            filters.append((field, entity.fields[base], operator))
            break
    return filters


def _check_export(domain: DomainSpec, where: str, job: JobSpec) -> None:
    assert job.export is not None
    entity = _entity(domain, f"{where}.export.entity", job, job.export.entity)
    matched = {field.name for field, _, _ in export_filters(job, entity)}
    for field, column, operator in export_filters(job, entity):
        expected = column.type.value
        if operator != "==" and expected not in _RANGE_TYPES:
            raise ValueError(
                f"{where}.payload.{field.name}: {entity.name}.{column.name} is "
                f"{_a_type(expected)}; ranges apply to dates, times and numbers"
            )
        if field.type != expected and not (column.is_reference and field.type == "uuid"):
            raise ValueError(
                f"{where}.payload.{field.name}: filters {entity.name}.{column.name} "
                f"({expected}) but is {field.type!r}"
            )
        if field.required and field.default is None:
            raise ValueError(
                f"{where}.payload.{field.name}: a filter is optional; add 'required: false'"
            )
    for field in job.payload_fields:
        if field.name not in matched:
            raise ValueError(
                f"{where}.payload.{field.name}: names no field of {entity.name} to filter "
                f"({', '.join(entity.fields)}, or <field>_from / <field>_to)"
            )


def _value_fits(field: FieldSpec, value: str | bool) -> str | None:
    """Why ``value`` cannot be stored in ``field``, or None."""
    kind = field.type.value
    if kind == "enum":
        if value not in field.values:
            values = ", ".join(field.values)
            return f"{value!r} is not a value of {field.entity}.{field.name} ({values})"
    elif kind == "boolean":
        if not isinstance(value, bool):
            return f"{value!r} is not a boolean"
    elif kind in ("string", "text"):
        if not isinstance(value, str):
            return f"{value!r} is not a string"
    else:
        return (
            f"{field.entity}.{field.name} is {_a_type(kind)}; use an enum, boolean or string field"
        )
    return None


def _check_cleanup(domain: DomainSpec, where: str, job: JobSpec) -> None:
    cleanup = job.cleanup
    assert cleanup is not None
    here = f"{where}.cleanup"
    entity = _entity(domain, f"{here}.entity", job, cleanup.entity)
    for part, values in (("where", cleanup.where), ("set", cleanup.set)):
        for name, value in values.items():
            field = entity.fields.get(name)
            if field is None:
                raise ValueError(f"{here}.{part}.{name}: {entity.name} has no field {name!r}")
            if (problem := _value_fits(field, value)) is not None:
                raise ValueError(f"{here}.{part}.{name}: {problem}")
    if cleanup.delete == bool(cleanup.set):
        raise ValueError(
            f"{here}: say what to do with the rows: 'set' some fields, or 'delete: true'"
        )
    column = entity.fields.get(cleanup.older_than.field)
    if column is None:
        raise ValueError(
            f"{here}.older_than.field: {entity.name} has no field {cleanup.older_than.field!r}"
        )
    if column.type.value not in ("date", "datetime"):
        raise ValueError(
            f"{here}.older_than.field: {entity.name}.{column.name} is "
            f"{_a_type(column.type.value)}; use a date or datetime field"
        )
    days = cleanup.older_than.days
    if isinstance(days, str):
        source = job.payload.get(days)
        if source is None or source.type != "integer" or source.default is None:
            raise ValueError(
                f"{here}.older_than.days: {days!r} is not an integer payload field with a default"
            )
    elif days < 1:
        raise ValueError(f"{here}.older_than.days: must be at least 1")


def _check_tally(domain: DomainSpec, where: str, job: JobSpec) -> None:
    tally = job.tally
    assert tally is not None
    here = f"{where}.tally"
    if job.event is None:
        raise ValueError(f"{here}: a tally folds events; set trigger: {{event: ...}}")
    event = domain.events[job.event]
    into = _entity(domain, f"{here}.into", job, tally.into)
    source = domain.contexts[event.source_context].entities[event.source_entity]
    ((key, expression),) = tally.key.items()
    key_field = into.fields.get(key)
    if key_field is None:
        raise ValueError(f"{here}.key.{key}: {into.name} has no field {key!r}")
    if not key_field.unique:
        raise ValueError(
            f"{here}.key.{key}: {into.name}.{key} must be 'unique: true' to key a tally"
        )
    _check_expression(f"{here}.key.{key}", expression, key_field, source, event)
    for name, value in tally.add.items():
        field = into.fields.get(name)
        if field is None:
            raise ValueError(f"{here}.add.{name}: {into.name} has no field {name!r}")
        if field.type.value not in ("integer", "decimal"):
            raise ValueError(f"{here}.add.{name}: {into.name}.{name} is not a number")
        if isinstance(value, int):
            continue
        _check_expression(f"{here}.add.{name}", value, field, source, event)
    for field in into.field_list:
        if field.required and field.name != key and field.name not in tally.add:
            raise ValueError(
                f"{here}: {into.name}.{field.name} is required but the tally does not set it; "
                "add it to 'add' or make it 'required: false'"
            )


def _check_expression(
    where: str, expression: str, target: FieldSpec, source: EntitySpec, event: EventSpec
) -> None:
    entity, _, name = expression.partition(".")
    field = source.fields.get(name) if entity == source.name else None
    if field is None:
        raise ValueError(
            f"{where}: {expression!r} is not a field of {source.name} (the source of {event.name})"
        )
    if field.type is not target.type:
        raise ValueError(
            f"{where}: {expression} is {_a_type(field.type.value)}; "
            f"{target.entity}.{target.name} is {_a_type(target.type.value)}"
        )


def lambda_problem(job: JobSpec) -> str:
    """Why ``job`` cannot run on AWS Lambda as declared, or ""."""
    where = f"contexts.{job.context}.jobs.{job.name}"
    if job.timeout > LAMBDA_LIMIT_SECONDS:
        return (
            f"{where}.timeout: {job.timeout_text} exceeds AWS Lambda's 15-minute limit for one "
            "invocation; lower it to 15m or less and let the handler continue in steps "
            "(ctx.should_yield, Continue)"
        )
    if job.cron is not None:
        _, _, day_of_month, _, day_of_week = job.cron.split(" ")
        if day_of_month != "*" and day_of_week != "*":
            return (
                f"{where}.trigger.cron: {job.cron!r} restricts both day-of-month and "
                "day-of-week, which EventBridge cannot express; keep one of them '*'"
            )
        if "/" in day_of_week:
            return (
                f"{where}.trigger.cron: {job.cron!r}: EventBridge has no step in day-of-week; "
                "list the days"
            )
    return ""


_DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def eventbridge_cron(cron: str) -> str:
    """A 5-field cron as an EventBridge Scheduler expression, ``cron(m h dom mon dow year)``.

    EventBridge wants ``?`` in one of the day fields and numbers days 1-7 from Sunday, so the
    days of the week are written as names.
    """
    minute, hour, day_of_month, month, day_of_week = cron.split(" ")
    if day_of_week == "*":
        day_of_week = "?"
    else:
        day_of_month = "?"
        day_of_week = re.sub(r"\d", lambda m: _DAY_NAMES[int(m[0])], day_of_week)
    return f"cron({minute} {hour} {day_of_month} {month} {day_of_week} *)"
