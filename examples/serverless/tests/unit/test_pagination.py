"""Cursors: opaque to clients, exact to the server, and refused when tampered with."""

import uuid
from datetime import UTC, datetime

import pytest

from acme_shop.platform.pagination import Cursor
from acme_shop.platform.problems import ProblemError


def test_a_cursor_round_trips() -> None:
    cursor = Cursor(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("token", ["", "%%%", "bm90IGpzb24", "WyJub3QgYSBkYXRlIiwgIngiXQ"])
def test_a_damaged_cursor_is_a_400(token: str) -> None:
    with pytest.raises(ProblemError) as raised:
        Cursor.decode(token)
    assert raised.value.status == 400
