"""How `archgen smoke` reads a text/event-stream: as a browser's EventSource parses it."""

from __future__ import annotations

from archgen._smoke._checks import _server_sent_events


def test_events_are_read_with_their_name_and_json_data_and_comments_are_skipped() -> None:
    lines = iter(
        [
            ": following",
            "retry: 1000",
            "",
            "id: 1700000000000-0",
            "event: OrderPlaced",
            'data: {"order": {"id": "a"}}',
            "",
            ": ping",
            "",
            "id: 1700000000000-1",
            'data: {"n": 2}',
            "",
        ]
    )
    assert list(_server_sent_events(lines)) == [
        ("OrderPlaced", {"order": {"id": "a"}}),
        ("message", {"n": 2}),
    ]


def test_an_event_cut_off_before_its_blank_line_is_not_read() -> None:
    lines = iter(["event: OrderPlaced", 'data: {"order": {}}'])
    assert list(_server_sent_events(lines)) == []
