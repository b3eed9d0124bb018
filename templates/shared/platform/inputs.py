"""Input types whose OpenAPI schema says exactly what the app accepts.

A client that follows the document never gets a validation error for it, and one that does
not gets a 422 naming the field, never a 500 from the database.
"""

from typing import Annotated

from pydantic import Field, StringConstraints

# PostgreSQL text cannot hold NUL (U+0000).
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
# The range of an INTEGER column.
Integer = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


def decimal_schema(precision: int, scale: int) -> dict[str, str]:
    """JSON Schema of a decimal with ``precision`` digits, ``scale`` of them after the point.

    It is documented as a string, which is how responses carry it: a JSON number cannot say
    how many digits it may have. Requests may send a number too.
    """
    whole = precision - scale
    integer = "0" if whole == 0 else "[0-9]{1," + str(whole) + "}"
    fraction = r"(\.[0-9]{1," + str(scale) + "})?" if scale else ""
    return {"type": "string", "pattern": f"^-?{integer}{fraction}$"}
