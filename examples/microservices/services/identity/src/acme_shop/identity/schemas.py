"""Request and response bodies of the identity routes."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from acme_shop.platform.security import Role

# An address: one "@" with no space or control character around it. The class is spelled out
# so that Python and the ECMA-262 regexes of the OpenAPI document (they disagree on \s) agree.
_ADDRESS_PART = r"[^@\s\x00-\x1f\x7f-\x9f\ufeff]+"
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=320,
        pattern=rf"^{_ADDRESS_PART}@{_ADDRESS_PART}$",
    ),
]
Password = Annotated[str, StringConstraints(min_length=12, max_length=128)]


class Credentials(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "password": "correct horse battery staple",
                }
            ]
        },
    )

    email: Email
    password: str


class RefreshRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "refresh_token": "<the refresh token of the last pair>",
                }
            ]
        },
    )

    refresh_token: str


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "grace@example.com",
                    "password": "a long and unguessable passphrase",
                    "role": "editor",
                }
            ]
        },
    )

    email: Email
    password: Password
    role: Role = Role.VIEWER


class UserRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "7e3b9c1d-5a2f-4e8b-9c6d-1f0a2b3c4d5e",
                    "email": "grace@example.com",
                    "role": "editor",
                    "is_active": True,
                    "created_at": "2026-01-15T10:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    email: str
    role: Role
    is_active: bool
    created_at: datetime
