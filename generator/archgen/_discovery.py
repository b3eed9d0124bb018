"""The discovery questions, read from the template's own Copier question files.

``templates/questions/20-discovery.yml`` is the one definition of every discovery question
(its type, choices, default and validator) and ``40-options.yml`` of the options derived from
them; the advisor reads both here, so ``archgen recommend`` accepts exactly what ``archgen
new`` does and derives options exactly as the template does. Every question file is read for
the answers' checks (``archgen._answers``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict

from archgen._domain import parse_domain_cached
from archgen._errors import UserError
from archgen._package_data import data_dir

DISCOVERY_QUESTIONS = "20-discovery.yml"
OPTION_QUESTIONS = "40-options.yml"
_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined)


# The patterns whose projects run background jobs in this version.
JOB_PATTERNS = ("modular-monolith", "microservices", "serverless")


def background_jobs_errors(enabled: Any, data: Any, pattern: str = "modular-monolith") -> str:
    """Why ``enabled`` cannot be the background_jobs answer for ``data`` and ``pattern``, or ""."""
    if pattern not in JOB_PATTERNS:
        if enabled:
            return f"background jobs are generated for {', '.join(JOB_PATTERNS)} in this version"
        return ""
    try:
        domain = parse_domain_cached(data)
    except UserError:
        return ""  # the domain question reports it
    if enabled or not domain.has_jobs:
        return ""
    names = ", ".join(job.qualified_name for job in domain.job_list)
    return f"the domain declares jobs ({names}); background_jobs cannot be false"


# The patterns that stream domain events to subscribers in this version, and why the others do not.
REALTIME_PATTERNS = ("modular-monolith", "microservices")
_NO_REALTIME = {
    "serverless": (
        "live updates need a connection held open, and a Lambda function's response ends when "
        "it returns (API Gateway cuts it at 30 s); choose modular-monolith or microservices for "
        "server-sent events"
    ),
}


def realtime_errors(enabled: Any, data: Any, pattern: str = "modular-monolith") -> str:
    """Why ``enabled`` cannot be the realtime answer for ``data`` and ``pattern``, or ""."""
    if not enabled:
        return ""
    if pattern not in REALTIME_PATTERNS:
        return f"realtime: {_NO_REALTIME.get(pattern, 'not generated for ' + pattern)}"
    try:
        domain = parse_domain_cached(data)
    except UserError:
        return ""  # the domain question reports it
    if not domain.events:
        return "realtime: no module of the domain publishes an event to stream; declare events"
    return ""


# Option defaults and validators may read the domain spec, as Copier renders them with
# archgen's extension.
_JINJA.filters.update(
    domain_model=parse_domain_cached,
    background_jobs_errors=background_jobs_errors,
    realtime_errors=realtime_errors,
)


def parse_template(source: str) -> jinja2.nodes.Template:
    """``source`` parsed as the questions' Jinja expressions are (archgen's filters known)."""
    return _JINJA.parse(source)


class Question(BaseModel):
    """One Copier question: what ``archgen recommend`` needs of it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    type: str = "str"
    help: str = ""
    choices: list[Any] | dict[str, Any] | None = None
    multiselect: bool = False
    default: Any = None
    validator: str | None = None

    @property
    def values(self) -> list[Any] | None:
        """The accepted answers, or None for a free answer."""
        if self.choices is None:
            return None
        return list(self.choices.values() if isinstance(self.choices, dict) else self.choices)

    def trial_answers(self) -> list[Any]:
        """Every answer worth trying when the question is left open."""
        if self.type == "bool":
            return [False, True]
        if self.multiselect:
            return [[value] for value in self.values or []]
        return self.values or []

    def default_for(self, context: Mapping[str, Any]) -> Any:
        """The default, rendered with ``context`` when it is a Jinja expression."""
        if not isinstance(self.default, str) or "{" not in self.default:
            return self.default
        rendered = _JINJA.from_string(self.default).render(context).strip()
        return _cast(self.type, rendered)

    def type_problem(self, answer: Any) -> str:
        """Why ``answer`` (as YAML read it) is not of the question's type, or "".

        Only str, int and bool questions and multiselects have a type to check here; a YAML
        question's answer (the domain spec) is its own validator's to judge.
        """
        if self.multiselect:
            if not isinstance(answer, list):
                return f"must be a list of {_listed(self.values or [])}, not {described(answer)}"
            return ""
        expected = _TYPES.get(self.type)
        if expected is None or _has_type(answer, expected):
            return ""
        article = "an" if self.type == "int" else "a"
        # YAML reads 3.12, 2024 or yes as numbers and booleans: quoted, they stay text.
        hint = ": quote it to give text" if self.type == "str" and _is_scalar(answer) else ""
        return f"must be {article} {self.type}, not {described(answer)}{hint}"

    def problem(self, answer: Any, context: Mapping[str, Any]) -> str:
        """Why ``answer`` is not accepted (its type, choices or validator), or ""."""
        if problem := self.type_problem(answer):
            return problem
        if self.multiselect:
            unknown = [value for value in answer if value not in (self.values or [])]
            if unknown:
                return (
                    f"must be a list of {_listed(self.values or [])}; "
                    f"{described(unknown[0])} is not one of them"
                )
            return ""
        if self.values is not None and answer not in self.values:
            return f"must be one of {_listed(self.values)}, not {described(answer)}"
        # A validator that reads Copier's own configuration (the destination, to compare
        # with the answers recorded there) is Copier's to run; archgen makes the same check
        # itself where it knows the project (``archgen._answers.check_answer_changes``).
        if self.validator and "_copier_conf" not in self.validator:
            return " ".join(
                _JINJA.from_string(self.validator).render({**context, self.name: answer}).split()
            )
        return ""


_TYPES: dict[str, type] = {"str": str, "int": int, "bool": bool}


def _has_type(value: Any, expected: type) -> bool:
    # A bool is an int to Python, not to YAML: true is no answer to "how many".
    if isinstance(value, bool):
        return expected is bool
    return isinstance(value, expected)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list | tuple | set) and value is not None


def described(value: Any) -> str:
    """A value as an error message names it: its YAML kind, and the value itself when short."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"the {type(value).__name__} {shown}"


def _listed(values: list[Any]) -> str:
    return ", ".join(repr(value) for value in values)


def _cast(kind: str, rendered: str) -> Any:
    if kind == "bool":
        return rendered == "True"
    if kind == "int":
        return int(rendered)
    return rendered


@cache
def questions(file: str) -> tuple[Question, ...]:
    """The questions of one file in ``templates/questions/``, in the order asked."""
    raw = yaml.safe_load((data_dir("templates/questions") / file).read_text(encoding="utf-8"))
    return tuple(Question.model_validate({"name": name, **spec}) for name, spec in raw.items())


@cache
def every_question() -> dict[str, Question]:
    """Every question of every file in ``templates/questions/``, by name."""
    files = sorted(path.name for path in data_dir("templates/questions").glob("*.yml"))
    return {question.name: question for file in files for question in questions(file)}


@cache
def _advisor_question_names() -> frozenset[str]:
    return frozenset(q.name for f in (DISCOVERY_QUESTIONS, OPTION_QUESTIONS) for q in questions(f))


def advisor_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers the advisor reads: the discovery questions and the options they derive."""
    names = _advisor_question_names()
    return {name: value for name, value in answers.items() if name in names}


def discovery_defaults() -> dict[str, Any]:
    """The default of every discovery question but ``deployment`` (it follows the pattern)."""
    return {
        question.name: question.default
        for question in questions(DISCOVERY_QUESTIONS)
        if question.name != "deployment"
    }


def deployment_default(pattern: str, answers: Mapping[str, Any]) -> str:
    question = next(q for q in questions(DISCOVERY_QUESTIONS) if q.name == "deployment")
    return str(question.default_for({**answers, "pattern": pattern}))
