"""The blueprint catalogue, and which domains each pattern accepts."""

from __future__ import annotations

from archgen import example_domain, parse_domain
from archgen._blueprints import Blueprint, list_blueprints
from archgen._jinja import domain_errors

ONE_CONTEXT: dict[str, object] = {
    "contexts": {"shop": {"entities": {"item": {"fields": {"name": {}}}}}}
}


def blueprint(name: str) -> Blueprint:
    return next(b for b in list_blueprints() if b.name == name)


def test_microservices_refuse_a_single_context_and_suggest_the_monolith() -> None:
    problem = blueprint("microservices").domain_problem(parse_domain(ONE_CONTEXT))
    assert problem == (
        "pattern 'microservices' needs at least 2 bounded contexts, one per service; this "
        "domain has 1 ('shop'): choose --pattern modular-monolith instead"
    )


def test_microservices_accept_two_contexts_and_the_monolith_accepts_one() -> None:
    assert blueprint("microservices").domain_problem(example_domain()) == ""
    assert blueprint("modular-monolith").domain_problem(parse_domain(ONE_CONTEXT)) == ""


def test_copier_validates_the_domain_against_the_chosen_pattern() -> None:
    assert "choose --pattern modular-monolith" in domain_errors(ONE_CONTEXT, "microservices")
    assert domain_errors(ONE_CONTEXT, "modular-monolith") == ""
    assert "contexts" in domain_errors({"contexts": {}}, "modular-monolith")


def test_serverless_warns_about_a_tight_latency_target_and_long_running_work() -> None:
    serverless = blueprint("serverless")
    assert serverless.fit_warnings({"p95_latency_ms": 200, "long_running_work": False}) == []
    warnings = serverless.fit_warnings({"p95_latency_ms": 50, "long_running_work": True})
    assert [w.split(":")[0] for w in warnings] == [
        "the p95 latency target is under 100 ms",
        "there is work that runs for minutes",
    ]


def test_patterns_without_rules_never_warn() -> None:
    answers = {"p95_latency_ms": 5, "long_running_work": True}
    assert blueprint("modular-monolith").fit_warnings(answers) == []
