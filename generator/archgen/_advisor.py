"""The advisor: which pattern fits the discovery answers, why, and what to watch for.

The rules are data (``blueprints/advisor/rules.yml``): the architect's pattern table, one line
per claim; rules that each apply one line, adding points to patterns with a reason that cites
it; and warnings that each name a trap with the answers that spring it. ``recommend`` scores
every pattern, picks the highest (the simpler one on a tie), lists the warnings for it, the
options the answers imply (the Copier questions' own derived defaults, rendered), and which
unanswered questions would change the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import jinja2.meta
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from archgen._answers import check_answers
from archgen._discovery import (
    DISCOVERY_QUESTIONS,
    OPTION_QUESTIONS,
    Question,
    advisor_answers,
    deployment_default,
    discovery_defaults,
    parse_template,
    questions,
)
from archgen._errors import ArchgenError
from archgen._package_data import data_dir

Test = Any  # a value, a list of values, or {below|at_least|includes: value}


def _holds(test: Test, answer: Any) -> bool:
    if isinstance(test, dict):
        ((operator, operand),) = test.items()
        if operator == "below":
            return bool(answer < operand)
        if operator == "at_least":
            return bool(answer >= operand)
        return operand in (answer or [])  # includes
    if isinstance(test, list):
        return answer in test
    return bool(answer == test)


def matches(condition: Mapping[str, Test], answers: Mapping[str, Any]) -> bool:
    """Every test of ``condition`` holds for ``answers`` (a missing answer fails its test)."""
    return all(name in answers and _holds(test, answers[name]) for name, test in condition.items())


def _fill(text: str, answers: Mapping[str, Any]) -> str:
    shown = {name: _shown(value) for name, value in answers.items()}
    return " ".join(text.format_map(_Missing(shown)).split())


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"(unanswered {key})"


class ScoreRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str  # the key of the table line the rule applies
    when: dict[str, Test]  # empty: always
    scores: dict[str, int]
    reason: str


class TrapRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    pattern: str | None = None  # None: whatever the pattern
    when_any: tuple[dict[str, Test], ...]
    reason: str

    def applies(self, pattern: str, answers: Mapping[str, Any]) -> bool:
        if self.pattern not in (None, pattern):
            return False
        return any(matches(condition, answers) for condition in self.when_any)


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table: dict[str, str]  # key -> one line of the architect's pattern table
    simplest_first: tuple[str, ...]  # every pattern
    runs_on: dict[str, tuple[str, ...]]
    rules: tuple[ScoreRule, ...]
    warnings: tuple[TrapRule, ...]
    probes: dict[str, tuple[int, ...]]

    @model_validator(mode="after")
    def _cites_the_table_and_scores_known_patterns(self) -> Rules:
        for rule in self.rules:
            if rule.table not in self.table:
                raise ValueError(f"rule {rule.reason!r} cites {rule.table!r}, not a table line")
            if unknown := set(rule.scores) - set(self.simplest_first):
                raise ValueError(f"rule {rule.reason!r} scores unknown patterns {unknown}")
        return self


@cache
def load_rules() -> Rules:
    path = data_dir("blueprints") / "advisor" / "rules.yml"
    try:
        return Rules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValidationError) as error:
        raise ArchgenError(f"the advisor's rules in {path} are broken: {error}") from None


@dataclass(frozen=True)
class Reason:
    points: int
    text: str  # "table: <line> — <why, for these answers>"
    line: str  # the table line it applies


@dataclass(frozen=True)
class PatternScore:
    pattern: str
    score: int
    reasons: tuple[Reason, ...]
    runs_on_deployment: bool = True  # False: the given deployment target cannot run it


@dataclass(frozen=True)
class Warning:
    name: str
    text: str


@dataclass(frozen=True)
class ImpliedOption:
    """An option whose default the answers derive, with the answers it came from."""

    name: str
    value: Any
    because: tuple[str, ...]  # "question=answer"
    changed: bool  # differs from what the default answers give


@dataclass(frozen=True)
class OpenQuestion:
    """An unanswered question, and the pattern each of its answers would lead to."""

    name: str
    outcomes: dict[str, str]


@dataclass(frozen=True)
class Recommendation:
    answers: dict[str, Any]
    scores: tuple[PatternScore, ...]  # best first
    warnings: tuple[Warning, ...]
    options: tuple[ImpliedOption, ...]
    open_questions: tuple[OpenQuestion, ...] = field(default=())

    @property
    def pattern(self) -> str:
        return self.scores[0].pattern

    def as_data(self) -> dict[str, Any]:
        """The JSON form ``archgen recommend --json`` prints."""
        return {
            "recommended": self.pattern,
            "scores": [
                {
                    "pattern": score.pattern,
                    "score": score.score,
                    "runs_on_deployment": score.runs_on_deployment,
                    "reasons": [
                        {"points": r.points, "reason": r.text, "table": r.line}
                        for r in score.reasons
                    ],
                }
                for score in self.scores
            ],
            "warnings": [{"name": w.name, "reason": w.text} for w in self.warnings],
            "options": [
                {"name": o.name, "value": o.value, "because": list(o.because), "changed": o.changed}
                for o in self.options
            ],
            "open_questions": [
                {"question": q.name, "outcomes": q.outcomes} for q in self.open_questions
            ],
            "answers": self.answers,
        }


def score_patterns(answers: Mapping[str, Any]) -> tuple[PatternScore, ...]:
    """Every pattern's score and its reasons, best first: the patterns a given deployment runs
    before the others, then by score, then the simplest."""
    rules = load_rules()
    reasons: dict[str, list[Reason]] = {pattern: [] for pattern in rules.simplest_first}
    for rule in rules.rules:
        if matches(rule.when, answers):
            line = rules.table[rule.table]
            text = f"table: {line} — {_fill(rule.reason, answers)}"
            for pattern, points in rule.scores.items():
                reasons[pattern].append(Reason(points, text, line))
    runnable = rules.runs_on.get(answers.get("deployment", ""), rules.simplest_first)
    scores = [
        PatternScore(
            pattern,
            sum(r.points for r in found),
            tuple(found),
            pattern in runnable,
        )
        for pattern, found in reasons.items()
    ]
    order = rules.simplest_first
    return tuple(
        sorted(scores, key=lambda s: (not s.runs_on_deployment, -s.score, order.index(s.pattern)))
    )


def _ruled_out_best(scores: tuple[PatternScore, ...], answers: Mapping[str, Any]) -> list[Warning]:
    """A warning when the deployment given rules out the pattern that scores highest."""
    best = max(scores, key=lambda s: s.score)
    chosen = scores[0]
    if best.score <= chosen.score:
        return []
    text = (
        f"the answers fit {best.pattern} best ({best.score} against {chosen.score}), but "
        f"{answers['deployment']} runs only {chosen.pattern} of the patterns: weigh the "
        "deployment target against the warnings below before committing to it."
    )
    return [Warning("deployment-rules-out-the-best-fit", text)]


def warnings_for(pattern: str, answers: Mapping[str, Any]) -> tuple[Warning, ...]:
    """The traps ``answers`` spring for ``pattern``, each with its reason and way out."""
    return tuple(
        Warning(rule.name, _fill(rule.reason, answers))
        for rule in load_rules().warnings
        if rule.applies(pattern, answers)
    )


def _option_values(answers: Mapping[str, Any], pattern: str) -> dict[str, Any]:
    context = {**answers, "pattern": pattern}
    values: dict[str, Any] = {}
    for question in questions(OPTION_QUESTIONS):
        if question.name not in answers:
            context[question.name] = question.default_for(context)
        values[question.name] = context[question.name]
    return values


def _sources(question: Question) -> tuple[str, ...]:
    """The discovery questions a derived default reads."""
    if not isinstance(question.default, str) or "{" not in question.default:
        return ()
    parsed = parse_template(question.default)
    discovery = {q.name for q in questions(DISCOVERY_QUESTIONS)}
    return tuple(sorted(jinja2.meta.find_undeclared_variables(parsed) & discovery))


def _with_deployment(answers: Mapping[str, Any], pattern: str) -> dict[str, Any]:
    """``answers`` with the deployment the pattern defaults to when none was given."""
    if "deployment" in answers:
        return dict(answers)
    return {**answers, "deployment": deployment_default(pattern, answers)}


def implied_options(answers: Mapping[str, Any], pattern: str) -> tuple[ImpliedOption, ...]:
    """The options the answers derive for ``pattern``, and whether they move off the default."""
    values = _option_values(answers, pattern)
    baseline = _option_values(_with_deployment(discovery_defaults(), pattern), pattern)
    options = []
    for question in questions(OPTION_QUESTIONS):
        sources = _sources(question)
        if not sources and question.name not in answers:
            continue
        because = tuple(f"{name}={_shown(answers[name])}" for name in sources)
        value = values[question.name]
        changed = value != baseline[question.name]
        options.append(ImpliedOption(question.name, value, because, changed))
    return tuple(options)


def _open_questions(given: Mapping[str, Any], pattern: str) -> tuple[OpenQuestion, ...]:
    """The unanswered questions (but deployment) whose answer would change the pattern."""
    rules = load_rules()
    found = []
    for question in questions(DISCOVERY_QUESTIONS):
        if question.name in given or question.name == "deployment":
            continue
        trials = rules.probes.get(question.name) or question.trial_answers()
        outcomes = {
            _shown(trial): score_patterns({**discovery_defaults(), **given, question.name: trial})[
                0
            ].pattern
            for trial in trials
        }
        if set(outcomes.values()) != {pattern}:
            found.append(OpenQuestion(question.name, outcomes))
    return tuple(found)


def recommend(given: Mapping[str, Any]) -> Recommendation:
    """Advise a pattern for the discovery answers ``given`` (checked; the rest take defaults).

    ``deployment`` counts only when given, since its default follows the pattern.
    """
    check_answers(given)
    given = advisor_answers(given)
    scored = score_patterns({**discovery_defaults(), **given})
    pattern = scored[0].pattern
    answers = _with_deployment({**discovery_defaults(), **given}, pattern)
    return Recommendation(
        answers=answers,
        scores=scored,
        warnings=(*_ruled_out_best(scored, answers), *warnings_for(pattern, answers)),
        options=implied_options(answers, pattern),
        open_questions=_open_questions(given, pattern),
    )


def fit_warnings(pattern: str, answers: Mapping[str, Any]) -> list[str]:
    """The warnings' texts, for the templates' ADRs and ``archgen new``."""
    return [warning.text for warning in warnings_for(pattern, answers)]
