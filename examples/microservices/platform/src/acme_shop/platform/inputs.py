"""Input types whose OpenAPI schema says exactly what the app accepts.

A client that follows the document never gets a validation error for it, and one that does
not gets a 422 naming the field, never a 500 from the database. Nothing is converted from
another JSON type: ``true`` is not an integer, ``1`` is not a boolean, a number is not a date,
and a decimal is a string of the documented shape, as responses write it (a JSON number
cannot say how many digits it has).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Strict,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

# PostgreSQL text cannot hold NUL (U+0000).
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Boolean = Annotated[bool, Strict()]


def _a_number(value: Any) -> Any:
    """Refuse a string or a boolean where the document says integer (JSON Schema counts
    ``7.0`` as one: pydantic then refuses ``7.5``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a valid integer")
    return value


def _not_a_number(value: Any) -> Any:
    """Refuse a JSON number or boolean where the document says string."""
    if isinstance(value, int | float):  # a bool is an int too
        raise ValueError("Input should be a string")
    return value


# The range of an INTEGER column.
Integer = Annotated[int, Field(ge=-(2**31), le=2**31 - 1), BeforeValidator(_a_number)]
Date = Annotated[date, BeforeValidator(_not_a_number)]
DateTime = Annotated[datetime, BeforeValidator(_not_a_number)]


@dataclass(frozen=True)
class DecimalString:
    """A decimal of ``precision`` digits, ``scale`` of them after the point, written as a
    string: ``Annotated[Decimal, Field(max_digits=10, decimal_places=2), DecimalString(10, 2)]``.

    The document gives the string's pattern, and a request must match it: a number, or a
    string Python would read as a decimal in another shape (``1e3``, ``+1``, ``1_000``), is a 422.
    """

    precision: int
    scale: int

    @property
    def pattern(self) -> str:
        whole = self.precision - self.scale
        integer = "0" if whole == 0 else "[0-9]{1," + str(whole) + "}"
        fraction = r"(\.[0-9]{1," + str(self.scale) + "})?" if self.scale else ""
        return f"^-?{integer}{fraction}$"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        shape = re.compile(self.pattern)

        def as_documented(value: Any) -> Any:
            if isinstance(value, str) and not shape.fullmatch(value):
                raise ValueError(f"String should match pattern '{self.pattern}'")
            return _not_a_number(value)

        return core_schema.no_info_before_validator_function(as_documented, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": self.pattern}
