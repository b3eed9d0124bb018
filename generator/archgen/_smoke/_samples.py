"""Valid request bodies for any entity of a domain spec, for the smoke checks."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from archgen._domain import FieldSpec, FieldType

_SAMPLES: dict[FieldType, Callable[[FieldSpec, int], Any]] = {
    FieldType.STRING: lambda f, n: f"{f.name}-{n}"[: f.length],
    FieldType.TEXT: lambda f, n: f"{f.name} number {n}",
    FieldType.INTEGER: lambda f, n: n,
    FieldType.DECIMAL: lambda f, n: (
        f"{n % 10 ** (f.precision - f.scale)}" + (f".{'0' * f.scale}" if f.scale else "")
    ),
    FieldType.BOOLEAN: lambda f, n: n % 2 == 0,
    FieldType.DATE: lambda f, n: f"2026-01-{n % 28 + 1:02d}",
    FieldType.DATETIME: lambda f, n: f"2026-01-{n % 28 + 1:02d}T10:30:00Z",
    FieldType.UUID: lambda f, n: str(uuid.uuid4()),
    FieldType.ENUM: lambda f, n: f.values[n % len(f.values)],
}


def sample_value(field: FieldSpec, n: int) -> Any:
    """A value of ``field`` that passes validation; ``n`` keeps unique values distinct."""
    return _SAMPLES[field.type](field, n)
