"""The discovery interview: the template's questions on a terminal, then the advice."""

from __future__ import annotations

import io

from rich.console import Console

from archgen._advisor import recommend
from archgen.cli._interview import ask_discovery, choose_pattern, interview

# One line per discovery question, in the template's order (deployment is Copier's to ask).
SMALL_TEAM_WITH_HIPAA = [
    "1k",  # expected users
    "40",  # peak requests per second
    "",  # traffic shape: the default
    "balanced",
    "strong",
    "under-10gb",
    "0",  # team size: refused (at least 1), asked again
    "4",
    "low",
    "unclear",
    "n",  # no part must scale or deploy independently
    "300",  # p95 latency
    "99.9",
    "n",  # long-running work
    "first-party-apps, live-updates",  # the API's clients
    "hipaa, pii",
    "jwt",
]


class Typed(io.StringIO):
    """Lines typed at a terminal: like input(), without their newline (an empty one takes the
    default)."""

    def readline(self, size: int | None = -1) -> str:
        return super().readline(size).rstrip("\n")


def terminal() -> tuple[Console, io.StringIO]:
    screen = io.StringIO()
    return Console(file=screen, width=120, color_system=None), screen


def test_every_question_is_asked_and_a_refused_answer_asked_again() -> None:
    console, screen = terminal()
    answers = ask_discovery(console, Typed("\n".join(SMALL_TEAM_WITH_HIPAA) + "\n"))
    assert answers["team_size"] == 4
    assert answers["traffic_shape"] == "daily-peaks"
    assert answers["compliance"] == ["hipaa", "pii"]
    assert answers["api_clients"] == ["first-party-apps", "live-updates"]
    assert answers["long_running_work"] is False
    assert answers["independent_scaling"] is False
    assert "deployment" not in answers
    assert "team_size team size must be at least 1" in screen.getvalue()


def test_the_advice_is_taken_with_an_empty_answer() -> None:
    console, screen = terminal()
    typed = "\n".join([*SMALL_TEAM_WITH_HIPAA, ""]) + "\n"
    pattern, answers = interview(console, Typed(typed))
    assert pattern == "modular-monolith"
    assert answers["compliance"] == ["hipaa", "pii"]
    assert "Recommended: modular-monolith" in screen.getvalue()
    assert "encrypt_pii = True" in screen.getvalue()
    assert "realtime = True" in screen.getvalue()


def test_a_pattern_chosen_over_the_advice_is_warned_about() -> None:
    console, screen = terminal()
    advice = recommend({"team_size": 4, "domain_clarity": "unclear"})
    assert choose_pattern(advice, console, Typed("microservices\n")) == "microservices"
    shown = " ".join(screen.getvalue().split())
    assert "microservices is chosen over the advice (modular-monolith)" in shown
    assert "premature microservices: a team of 4 with unclear domain boundaries" in shown
