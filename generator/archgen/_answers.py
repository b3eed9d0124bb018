"""Answers given on the command line or in a file, merged into Copier data, and their checks.

``check_answers`` is the one gate every answer passes before anything renders (``archgen
new``, ``recommend``, ``update``, and ``generate`` itself): an answer to no question, a value
of the wrong type (``--data`` values and answers files are YAML, so ``5`` is a number, ``[a]``
a list and ``{{ x }}`` a mapping), a value outside the question's choices, or one its
validator refuses is a UserError of one line naming the question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from archgen._discovery import DISCOVERY_QUESTIONS, every_question, questions
from archgen._domain import example_domain, load_yaml, parse_domain
from archgen._errors import UserError
from archgen._free_text import check_description, check_project_name
from archgen._names import check_package_name, check_project_slug
from archgen._schema_history import check_history


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML mapping of question -> answer (a ``.copier-answers.yml`` works too)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"answers file {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"answers file {path}: not UTF-8 text") from None
    data = load_yaml(text, f"answers file {path}")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"answers file {path}: must be a mapping of question names to answers")
    # Copier's own bookkeeping keys (_src_path, _commit) are not answers.
    return {str(key): value for key, value in data.items() if not str(key).startswith("_")}


def parse_data_pairs(pairs: list[str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into answers; the value is read as YAML (``5`` is a number)."""
    data: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--data {pair!r}: expected KEY=VALUE")
        data[key.strip()] = load_yaml(raw, f"--data {key.strip()}") if raw else ""
    return data


# Free text and names: checked by the functions the template's own validators call.
_TEXT_CHECKS: dict[str, Callable[[str], object]] = {
    "project_name": check_project_name,
    "project_slug": check_project_slug,
    "package_name": check_package_name,
    "description": check_description,
}
# Questions whose validators are archgen's own checks, called here rather than through Jinja.
_OWN_CHECKS = frozenset({*_TEXT_CHECKS, "domain", "domain_history"})


def check_answers(
    answers: Mapping[str, Any], *, pattern: str | None = None, source: str = "answers"
) -> None:
    """Refuse the first answer archgen would not take, with one line naming its question.

    Types come first, so the choices and validators after them see well-typed answers. The
    deployment target is checked against ``pattern`` only when it is known. ``source`` starts
    the message (``answers``, or the file the answers came from).
    """
    every = every_question()
    unknown = sorted(str(name) for name in answers if name not in every)
    if unknown:
        names = ", ".join(q.name for q in questions(DISCOVERY_QUESTIONS))
        listed = ", ".join(repr(name) for name in unknown)
        verb = "is not a question" if len(unknown) == 1 else "are not questions"
        raise UserError(
            f"{source}: {listed} {verb} archgen asks; the discovery questions are {names}"
        )
    for name, answer in answers.items():
        if problem := every[name].type_problem(answer):
            raise UserError(f"{source}: {name} {problem}")
    for name, check in _TEXT_CHECKS.items():
        if name in answers:
            try:
                check(answers[name])
            except ValueError as error:
                raise UserError(f"{source}: {name}: {error}") from None
    if "domain" in answers:
        parse_domain(answers["domain"])
    if "domain_history" in answers:
        domain = answers.get("domain", example_domain().as_data)
        check_history(domain, answers["domain_history"])
    context = {**{q.name: q.default for q in every.values()}, **answers}
    if pattern is not None:
        context["pattern"] = pattern
    for name, answer in answers.items():
        question = every[name]
        if name in _OWN_CHECKS:
            continue
        if name == "deployment" and pattern is None:  # its validator ties it to the pattern
            question = question.model_copy(update={"validator": None})
        if problem := question.problem(answer, context):
            raise UserError(f"{source}: {name} {problem}")
