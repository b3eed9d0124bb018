"""The discovery questions, read from the template's own Copier question files.

``templates/questions/20-discovery.yml`` is the one definition of every discovery question
(its choices, default and validator) and ``40-options.yml`` of the options derived from them;
the advisor reads both here, so ``archgen recommend`` accepts exactly what ``archgen new``
does and derives options exactly as the template does.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict

from archgen._errors import UserError
from archgen._package_data import data_dir

DISCOVERY_QUESTIONS = "20-discovery.yml"
OPTION_QUESTIONS = "40-options.yml"
_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined)


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

    def problem(self, answer: Any, context: Mapping[str, Any]) -> str:
        """Why ``answer`` is not accepted, or ""."""
        expected = {"int": int, "bool": bool, "str": str}.get(self.type)
        if self.multiselect:
            if not isinstance(answer, list) or any(v not in (self.values or []) for v in answer):
                return f"must be a list of {_listed(self.values or [])}"
            return ""
        if expected is not None and (
            not isinstance(answer, expected) or (expected is int and isinstance(answer, bool))
        ):
            return f"must be {'an' if self.type == 'int' else 'a'} {self.type}, not {answer!r}"
        if self.values is not None and answer not in self.values:
            return f"must be one of {_listed(self.values)}, not {answer!r}"
        if self.validator:
            return " ".join(
                _JINJA.from_string(self.validator).render({**context, self.name: answer}).split()
            )
        return ""


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
def _every_question_name() -> frozenset[str]:
    folder = data_dir("templates/questions")
    return frozenset(
        name for path in folder.glob("*.yml") for name in yaml.safe_load(path.read_text()) or {}
    )


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


def check_answers(given: Mapping[str, Any]) -> None:
    """Refuse an answer to no known question, and a discovery answer the question refuses."""
    unknown = sorted(set(given) - _every_question_name())
    if unknown:
        names = ", ".join(q.name for q in questions(DISCOVERY_QUESTIONS))
        verb = "is not a question" if len(unknown) == 1 else "are not questions"
        raise UserError(
            f"answers: {_listed(unknown)} {verb} archgen asks; the discovery questions are {names}"
        )
    context = {**discovery_defaults(), **given}
    for question in questions(DISCOVERY_QUESTIONS):
        if question.name not in given:
            continue
        if question.name == "deployment":  # its validator ties it to a pattern: choices only
            question = question.model_copy(update={"validator": None})
        if problem := question.problem(given[question.name], context):
            raise UserError(f"answers: {question.name} {problem}")
