"""Cursors: opaque to clients, exact to the server, and refused when tampered with."""

import base64
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from acme_shop.platform.pagination import CURSOR_MAX_LENGTH, CURSOR_PATTERN, Cursor
from acme_shop.platform.problems import ProblemError


def test_a_cursor_round_trips() -> None:
    cursor = Cursor(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(hours=-9, minutes=-30)])
def test_a_cursor_has_the_shape_the_document_gives_it(offset: timedelta) -> None:
    """The longest a cursor gets: microseconds, and a time zone that is not UTC."""
    moment = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(offset))
    token = Cursor(moment, uuid.uuid4()).encode()
    assert re.fullmatch(CURSOR_PATTERN, token)
    assert len(token) <= CURSOR_MAX_LENGTH


def test_a_cursor_without_a_time_zone_is_a_400() -> None:
    naive = json.dumps(["2026-01-02T03:04:05", str(uuid.uuid4())]).encode()
    with pytest.raises(ProblemError) as raised:
        Cursor.decode(base64.urlsafe_b64encode(naive).decode().rstrip("="))
    assert raised.value.status == 400


@pytest.mark.parametrize("token", ["", "%%%", "bm90IGpzb24", "WyJub3QgYSBkYXRlIiwgIngiXQ"])
def test_a_damaged_cursor_is_a_400(token: str) -> None:
    with pytest.raises(ProblemError) as raised:
        Cursor.decode(token)
    assert raised.value.status == 400
