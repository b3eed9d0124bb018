"""The advisor follows the architect's pattern table (SPEC §3), line by line.

- modular monolith: fits teams under ~20, domains still unclear, fast iteration; avoid it
  when parts need independent scaling or deploys.
- microservices (RabbitMQ): fit several teams, clear bounded contexts, independent scaling;
  avoid them with a small team, at an early stage.
- serverless (AWS Lambda): fits spiky or event-driven load, cost that follows use; avoid it
  under tight latency targets, for long-running work.

Each scenario below is written from one line of the table (as ``blueprints/advisor/rules.yml``
words it) and puts the answers on one side of that line's boundary; together they cover every
boundary: 19 against 20 engineers, unclear, evolving and clear domains, independent scaling or
not, spiky against steady load, a tight p95 target, long-running work. A rule change that
breaks the table fails the scenario that names the line it breaks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import archgen.cli._new
from archgen import GenerationResult
from archgen._advisor import load_rules, recommend
from archgen.cli import app

# The table's lines, as rules.yml words them.
SMALL_TEAMS = "modular monolith fits teams under ~20"
UNCLEAR_DOMAINS = "modular monolith fits domains still unclear"
NOT_ONE_DEPLOYABLE = "avoid the modular monolith when parts need independent scaling or deploys"
INDEPENDENT_CONTEXTS = (
    "microservices fit clear bounded contexts that need independent scaling or deploys"
)
SEVERAL_TEAMS = "microservices fit several teams with clear bounded contexts"
NOT_A_SMALL_TEAM = "avoid microservices with a small team"
NOT_EARLY = "avoid microservices at an early stage"
SPIKY_LOAD = "serverless fits spiky or event-driven load"
COST_FOLLOWS_USE = "serverless fits where cost should follow use"
NOT_TIGHT_LATENCY = "avoid serverless under tight latency targets"
NOT_LONG_RUNNING = "avoid serverless for long-running work"
START_SIMPLE = "start simple, and let the other patterns earn their cost"
NO_DISTRIBUTED_MONOLITH = (
    "beware a distributed monolith (services sharing data or chained by synchronous calls)"
)

# Every answer but the one a scenario turns: a mid-sized team with clear bounded contexts,
# under daily peaks, with none of the load, latency or duration that would decide alone, and
# eventual consistency between contexts (strong consistency warns of a distributed monolith).
CLEAR_CONTEXTS = {"team_size": 12, "domain_clarity": "clear", "consistency": "eventual"}
# Everything else that might argue for services: big load, four nines, a practised team.
MICROSERVICES_LEANING = {
    "expected_users": "10M+",
    "peak_rps": 20000,
    "availability": "99.99",
    "team_expertise": "high",
    "consistency": "eventual",
    "deployment": "kubernetes",
}
SPIKY = {"team_size": 6, "traffic_shape": "unpredictable-spikes"}


@dataclass(frozen=True)
class Scenario:
    line: str  # the table line it checks, cited by a reason of the advice
    side: str  # which side of the line's boundary the answers are on
    answers: dict[str, Any]
    pattern: str
    warnings: frozenset[str] = field(default_factory=frozenset)

    def __str__(self) -> str:
        return f"{self.line} | {self.side}"


SCENARIOS = [
    # Team size: 19 against 20 engineers, with clear contexts.
    Scenario(SMALL_TEAMS, "19 engineers, clear contexts", {**CLEAR_CONTEXTS, "team_size": 19},
             "modular-monolith"),
    Scenario(SEVERAL_TEAMS, "20 engineers, clear contexts", {**CLEAR_CONTEXTS, "team_size": 20},
             "microservices"),
    Scenario(SMALL_TEAMS, "10 engineers and every other answer leaning to services",
             {**CLEAR_CONTEXTS, **MICROSERVICES_LEANING, "team_size": 10}, "modular-monolith"),
    Scenario(SMALL_TEAMS, "the issue's dozen engineers: clear contexts, modest load, Kubernetes",
             {**CLEAR_CONTEXTS, "expected_users": "100k", "peak_rps": 200,
              "deployment": "kubernetes"}, "modular-monolith"),
    Scenario(NOT_A_SMALL_TEAM, "9 engineers, clear contexts, independent parts",
             {**CLEAR_CONTEXTS, "team_size": 9, "independent_scaling": True}, "modular-monolith",
             frozenset({"monolith-with-independent-parts"})),
    Scenario(INDEPENDENT_CONTEXTS, "10 engineers, clear contexts, independent parts",
             {**CLEAR_CONTEXTS, "team_size": 10, "independent_scaling": True}, "microservices"),
    # Domain boundaries: unclear, evolving, clear, for several teams with independent parts.
    Scenario(UNCLEAR_DOMAINS, "40 engineers, unclear domains, independent parts",
             {"team_size": 40, "domain_clarity": "unclear", "independent_scaling": True},
             "modular-monolith", frozenset({"monolith-with-independent-parts"})),
    Scenario(UNCLEAR_DOMAINS, "40 engineers, evolving domains, independent parts",
             {"team_size": 40, "domain_clarity": "evolving", "independent_scaling": True},
             "modular-monolith", frozenset({"monolith-with-independent-parts"})),
    Scenario(SEVERAL_TEAMS, "40 engineers, clear contexts, independent parts",
             {**CLEAR_CONTEXTS, "team_size": 40, "independent_scaling": True}, "microservices"),
    # Independent scaling or deploys: no and yes, for the same dozen engineers.
    Scenario(INDEPENDENT_CONTEXTS, "12 engineers, clear contexts, independent parts",
             {**CLEAR_CONTEXTS, "independent_scaling": True}, "microservices"),
    Scenario(NOT_ONE_DEPLOYABLE, "12 engineers, evolving domains, independent parts",
             {**CLEAR_CONTEXTS, "domain_clarity": "evolving", "independent_scaling": True},
             "modular-monolith", frozenset({"monolith-with-independent-parts"})),
    Scenario(START_SIMPLE, "12 engineers, clear contexts, no independent parts",
             {**CLEAR_CONTEXTS, "independent_scaling": False}, "modular-monolith"),
    # Load shape: spiky against steady, for a small team.
    Scenario(SPIKY_LOAD, "unpredictable spikes", SPIKY, "serverless"),
    Scenario(SPIKY_LOAD, "unpredictable spikes, 40 engineers, unclear domains",
             {**SPIKY, "team_size": 40, "domain_clarity": "unclear"}, "serverless"),
    Scenario(COST_FOLLOWS_USE, "steady load", {**SPIKY, "traffic_shape": "steady"},
             "modular-monolith"),
    Scenario(START_SIMPLE, "daily peaks", {**SPIKY, "traffic_shape": "daily-peaks"},
             "modular-monolith"),
    Scenario(COST_FOLLOWS_USE, "a thousand users in spikes", {**SPIKY, "expected_users": "1k"},
             "serverless"),
    # Latency: a tight p95 target under spiky load; 100 ms is the first that is not tight.
    Scenario(NOT_TIGHT_LATENCY, "spikes with a p95 target of 99 ms",
             {**SPIKY, "p95_latency_ms": 99}, "modular-monolith"),
    Scenario(SPIKY_LOAD, "spikes with a p95 target of 100 ms", {**SPIKY, "p95_latency_ms": 100},
             "serverless"),
    Scenario(NOT_TIGHT_LATENCY, "a thousand users in spikes, p95 target of 50 ms",
             {**SPIKY, "expected_users": "1k", "p95_latency_ms": 50}, "modular-monolith"),
    # Duration: long-running work under spiky load.
    Scenario(NOT_LONG_RUNNING, "spikes with work that runs for minutes",
             {**SPIKY, "long_running_work": True}, "modular-monolith"),
    # Early stage and data shape: cited, and the warning that goes with them.
    Scenario(NOT_EARLY, "a thousand users, 20 engineers, clear contexts",
             {**CLEAR_CONTEXTS, "team_size": 20, "expected_users": "1k"}, "microservices"),
    Scenario(NO_DISTRIBUTED_MONOLITH, "20 engineers, clear contexts, strongly consistent writes",
             {**CLEAR_CONTEXTS, "team_size": 20, "consistency": "strong",
              "read_write_ratio": "write-heavy"}, "microservices",
             frozenset({"distributed-monolith"})),
    # A deployment target that rules out the best fit says so, loudly.
    Scenario(SEVERAL_TEAMS, "40 engineers, clear contexts, told to run on AWS Lambda",
             {"team_size": 40, "domain_clarity": "clear", "deployment": "aws-lambda"},
             "serverless", frozenset({"deployment-rules-out-the-best-fit"})),
]  # fmt: skip


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_the_advice_follows_the_line_of_the_table(scenario: Scenario) -> None:
    advice = recommend(scenario.answers)
    scores = {score.pattern: score.score for score in advice.scores}
    assert advice.pattern == scenario.pattern, f"table: {scenario.line}; scores: {scores}"
    cited = {reason.line for score in advice.scores for reason in score.reasons}
    assert scenario.line in cited, f"no reason cites the table line {scenario.line!r}"
    assert {warning.name for warning in advice.warnings} == scenario.warnings


def test_every_line_of_the_table_has_a_scenario() -> None:
    assert {scenario.line for scenario in SCENARIOS} == set(load_rules().table.values())


def _data(answers: dict[str, Any]) -> list[str]:
    """``answers`` as --data options; JSON is YAML, so each value reads back as given."""
    return [
        option
        for name, value in answers.items()
        for option in ("-d", f"{name}={json.dumps(value)}")
    ]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_recommend_and_new_without_a_pattern_follow_it_too(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    advised = CliRunner().invoke(app, ["recommend", "--json", *_data(scenario.answers)])
    assert advised.exit_code == 0, advised.output
    assert json.loads(advised.output)["recommended"] == scenario.pattern

    rendered: list[str] = []

    def fake_generate(destination: Path, *, pattern: str, **_: Any) -> GenerationResult:
        rendered.append(pattern)
        return GenerationResult(destination, pattern, {"project_name": "Shop"})

    monkeypatch.setattr(archgen.cli._new, "generate", fake_generate)
    created = CliRunner().invoke(
        app, ["new", str(tmp_path / "shop"), "--defaults", *_data(scenario.answers)]
    )
    assert created.exit_code == 0, created.output
    assert rendered == [scenario.pattern]
