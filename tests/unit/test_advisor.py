"""The advisor: discovery scenarios get the pattern and the warnings an architect would give."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

import archgen.cli._new
from archgen import GenerationResult, UserError
from archgen._advisor import Rules, implied_options, load_rules, recommend, warnings_for
from archgen._discovery import DISCOVERY_QUESTIONS, discovery_defaults, questions, realtime_errors
from archgen.cli import app


@dataclass(frozen=True)
class Scenario:
    name: str
    answers: dict[str, Any]
    pattern: str
    warnings: set[str] = field(default_factory=set)
    reason: str = ""  # words of a reason that must back the recommended pattern


SCENARIOS = [
    Scenario(
        "small team with unclear domains",
        {"team_size": 4, "domain_clarity": "unclear", "expected_users": "1k", "peak_rps": 20},
        "modular-monolith",
        reason="unclear domain boundaries are cheap to move between modules",
    ),
    Scenario(
        "several teams with clear contexts needing independent scaling",
        {
            "team_size": 40,
            "domain_clarity": "clear",
            "team_expertise": "high",
            "peak_rps": 8000,
            "expected_users": "10M+",
            "deployment": "kubernetes",
            "consistency": "eventual",
        },
        "microservices",
        reason="independent deploys",
    ),
    Scenario(
        "spiky event-driven load on a budget",
        {
            "traffic_shape": "unpredictable-spikes",
            "expected_users": "1k",
            "peak_rps": 300,
            "team_size": 3,
            "consistency": "eventual",
        },
        "serverless",
        reason="cost follows use",
    ),
    Scenario(
        "latency-critical trading API",
        {
            "p95_latency_ms": 20,
            "traffic_shape": "unpredictable-spikes",
            "team_size": 8,
            "read_write_ratio": "write-heavy",
            "availability": "99.99",
        },
        "modular-monolith",
    ),
    Scenario(
        "long-running batch jobs",
        {
            "long_running_work": True,
            "traffic_shape": "unpredictable-spikes",
            "consistency": "eventual",
        },
        "modular-monolith",
        reason="runs it as background jobs",
    ),
    Scenario(
        "HIPAA with PII", {"compliance": ["hipaa", "pii"], "team_size": 5}, "modular-monolith"
    ),
    Scenario(
        "HIPAA with encryption and audit turned off",
        {"compliance": ["hipaa"], "encrypt_pii": False, "audit_log": False},
        "modular-monolith",
        {"pii-without-encryption", "regulated-data-without-audit"},
    ),
    Scenario(
        "four nines on one VM",
        {"deployment": "compose-vm", "availability": "99.99"},
        "modular-monolith",
        {"availability-on-one-vm"},
    ),
    Scenario(
        "internal tool on Kubernetes",
        {"expected_users": "1k", "peak_rps": 30, "deployment": "kubernetes", "team_size": 3},
        "modular-monolith",
        {"over-engineering"},
    ),
    Scenario(
        "steady load, told to run on Lambda",
        {"deployment": "aws-lambda", "traffic_shape": "steady", "peak_rps": 3000},
        "serverless",
        {"deployment-rules-out-the-best-fit", "serverless-steady-load"},
    ),
    Scenario(
        "Lambda with a tight latency target",
        {"deployment": "aws-lambda", "p95_latency_ms": 50, "traffic_shape": "unpredictable-spikes"},
        "serverless",
        {"deployment-rules-out-the-best-fit", "serverless-tight-latency"},
    ),
    Scenario(
        "strongly consistent heavy writes, medium team",
        {
            "team_size": 15,
            "domain_clarity": "clear",
            "read_write_ratio": "write-heavy",
            "consistency": "strong",
        },
        "modular-monolith",
        reason="one deployable is the simplest design",
    ),
    Scenario(
        "consumer-scale platform",
        {
            "expected_users": "10M+",
            "peak_rps": 20000,
            "team_size": 60,
            "domain_clarity": "clear",
            "team_expertise": "high",
            "consistency": "eventual",
            "deployment": "kubernetes",
            "availability": "99.99",
        },
        "microservices",
    ),
    Scenario(
        "many engineers, unclear domain",
        {"team_size": 30, "domain_clarity": "unclear"},
        "modular-monolith",
        reason="unclear domain boundaries",
    ),
    Scenario(
        "clear domains, little distributed experience",
        {"team_size": 12, "domain_clarity": "clear", "team_expertise": "low"},
        "modular-monolith",
    ),
    Scenario(
        "IoT ingestion in spikes",
        {
            "traffic_shape": "unpredictable-spikes",
            "consistency": "eventual",
            "read_write_ratio": "write-heavy",
            "expected_users": "1M",
            "peak_rps": 5000,
            "team_size": 8,
        },
        "serverless",
    ),
    Scenario(
        "two-person MVP",
        {"team_size": 2, "expected_users": "1k", "peak_rps": 10, "team_expertise": "low"},
        "modular-monolith",
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_each_scenario_gets_the_pattern_and_warnings_an_architect_would_give(
    scenario: Scenario,
) -> None:
    advice = recommend(scenario.answers)
    assert advice.pattern == scenario.pattern, advice.as_data()["scores"]
    assert {warning.name for warning in advice.warnings} == scenario.warnings
    best = advice.scores[0]
    assert best.reasons, "a recommendation always says why"
    assert scenario.reason in " ".join(reason.text for reason in best.reasons)


def test_microservices_chosen_anyway_by_a_small_team_is_warned_against() -> None:
    answers = recommend({"team_size": 4, "domain_clarity": "unclear"}).answers
    names = {warning.name for warning in warnings_for("microservices", answers)}
    assert names == {"premature-microservices", "distributed-monolith"}
    text = " ".join(warning.text for warning in warnings_for("microservices", answers))
    assert "a team of 4 with unclear domain boundaries" in text


def test_compliance_turns_on_encryption_and_the_audit_log() -> None:
    options = {o.name: o for o in recommend({"compliance": ["hipaa"]}).options}
    assert (options["encrypt_pii"].value, options["encrypt_pii"].changed) == (True, True)
    assert (options["audit_log"].value, options["audit_log"].changed) == (True, True)
    assert options["encrypt_pii"].because == ("compliance=hipaa",)


def test_a_close_call_names_the_questions_that_would_decide_it() -> None:
    advice = recommend({"team_size": 12, "domain_clarity": "clear"})
    assert advice.pattern == "modular-monolith"
    open_questions = {q.name: q.outcomes for q in advice.open_questions}
    assert open_questions["independent_scaling"] == {
        "False": "modular-monolith",
        "True": "microservices",
    }
    assert "compliance" not in open_questions  # no answer to it changes the pattern


def test_answers_that_decide_everything_leave_no_open_question() -> None:
    answers = {q.name: q.default for q in questions(DISCOVERY_QUESTIONS) if q.name != "deployment"}
    assert recommend(answers).open_questions == ()


def test_every_rule_names_real_questions_answers_and_patterns() -> None:
    rules = load_rules()
    known = {q.name: q for q in questions(DISCOVERY_QUESTIONS)}
    conditions = [rule.when for rule in rules.rules]
    conditions += [c for warning in rules.warnings for c in warning.when_any]
    for condition in conditions:
        for name, test in condition.items():
            if name in ("encrypt_pii", "audit_log"):
                continue
            assert name in known, name
            values = known[name].values
            if values is not None and not isinstance(test, dict):
                assert set(test if isinstance(test, list) else [test]) <= set(values), test
    for rule in rules.rules:
        assert rule.table in rules.table, rule
        assert set(rule.scores) <= set(rules.simplest_first), rule


def test_a_rule_that_cites_no_line_of_the_table_is_refused() -> None:
    data = load_rules().model_dump()
    data["rules"][0]["table"] = "gut-feeling"
    with pytest.raises(ValidationError, match="cites 'gut-feeling', not a table line"):
        Rules.model_validate(data)


def test_every_reason_cites_the_table_line_it_applies() -> None:
    advice = recommend({"team_size": 12, "domain_clarity": "clear"})
    lines = set(load_rules().table.values())
    for score in advice.scores:
        for reason in score.reasons:
            assert reason.line in lines
            assert reason.text.startswith(f"table: {reason.line} — ")
    best = advice.as_data()["scores"][0]["reasons"][1]
    assert best["table"] == "modular monolith fits teams under ~20"
    assert best["reason"] == (
        "table: modular monolith fits teams under ~20 — a team of 12 can share one codebase "
        "and one release train without queuing behind each other"
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"team": 4}, "answers: 'team' is not a question archgen asks"),
        ({"traffic_shape": "bursty"}, "answers: traffic_shape must be one of 'steady'"),
        ({"team_size": "four"}, "answers: team_size must be an int, not the str 'four'"),
        ({"team_size": 0}, "answers: team_size team size must be at least 1"),
        ({"compliance": ["sox"]}, "answers: compliance must be a list of 'pii'"),
        ({"deployment": "heroku"}, "answers: deployment must be one of 'kubernetes'"),
    ],
)
def test_a_bad_answer_is_refused_by_name(answers: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError) as raised:
        recommend(answers)
    assert raised.value.message.startswith(message)


def test_the_command_prints_json_and_refuses_bad_answers(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("team_size: 40\ndomain_clarity: clear\nproject_name: Big Shop\n")
    result = CliRunner().invoke(app, ["recommend", "--answers", str(answers), "--json"])
    assert result.exit_code == 0, result.output
    advice = json.loads(result.output)
    assert advice["recommended"] == "microservices"
    assert advice["scores"][0]["pattern"] == "microservices"
    assert "project_name" not in advice["answers"]

    refused = CliRunner().invoke(app, ["recommend", "-d", "traffic_shape=bursty"])
    assert refused.exit_code == 2
    assert "traffic_shape must be one of" in refused.output

    jinja = CliRunner().invoke(app, ["recommend", "-d", "description={{7*7}}"])
    assert (jinja.exit_code, jinja.output) == (
        2,
        "error: answers: description must be a str, not a mapping\n",
    )


def test_new_without_a_pattern_renders_the_recommended_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chosen: dict[str, str] = {}

    def fake_generate(destination: Path, *, pattern: str, **_: Any) -> GenerationResult:
        chosen["pattern"] = pattern
        return GenerationResult(destination, pattern, {"project_name": "Spiky"})

    monkeypatch.setattr(archgen.cli._new, "generate", fake_generate)
    spiky = ["-d", "traffic_shape=unpredictable-spikes", "-d", "consistency=eventual"]
    result = CliRunner().invoke(app, ["new", str(tmp_path / "x"), "--defaults", *spiky])
    assert result.exit_code == 0, result.output
    assert chosen == {"pattern": "serverless"}
    assert "Pattern: serverless, the advisor's choice for these answers" in result.output


def test_long_running_work_turns_background_jobs_on_and_says_why() -> None:
    options = {option.name: option for option in recommend({"long_running_work": True}).options}
    jobs = options["background_jobs"]
    because = ("long_running_work=True",)
    assert (jobs.value, jobs.because, jobs.changed) == (True, because, True)
    quiet = {option.name: option for option in recommend({}).options}
    assert quiet["background_jobs"].value is False


def test_clients_that_need_live_updates_turn_realtime_on_and_say_why() -> None:
    answers = {"api_clients": ["first-party-apps", "live-updates"]}
    options = {option.name: option for option in recommend(answers).options}
    live = options["realtime"]
    because = ("api_clients=first-party-apps, live-updates",)
    assert (live.value, live.because, live.changed) == (True, because, True)
    quiet = {option.name: option for option in recommend({"api_clients": ["third-party"]}).options}
    assert quiet["realtime"].value is False


def test_first_party_apps_turn_graphql_on_in_every_pattern_and_say_why() -> None:
    answers = {"api_clients": ["first-party-apps"]}
    for pattern in ("modular-monolith", "microservices", "serverless"):
        options = implied_options({**discovery_defaults(), **answers}, pattern)
        assert {option.name: option.value for option in options}["graphql"] is True, pattern
    graphql = {option.name: option for option in recommend(answers).options}["graphql"]
    assert (graphql.value, graphql.because, graphql.changed) == (
        True,
        ("api_clients=first-party-apps",),
        True,
    )
    integrators = {
        option.name: option for option in recommend({"api_clients": ["third-party"]}).options
    }
    assert integrators["graphql"].value is False


def test_live_updates_on_lambda_derive_no_stream_and_an_explicit_one_is_refused() -> None:
    options = implied_options(
        {**discovery_defaults(), "api_clients": ["live-updates"]}, "serverless"
    )
    assert {option.name: option.value for option in options}["realtime"] is False
    assert "Lambda function's response ends" in realtime_errors(True, None, "serverless")
    assert realtime_errors(True, None, "microservices") == realtime_errors(True, None) == ""
    assert realtime_errors(False, None, "serverless") == ""
