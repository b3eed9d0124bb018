"""Answers given on the command line or in a file, merged into Copier data, and their checks.

``check_answers`` is the one gate every answer passes before anything renders (``archgen
new``, ``recommend``, ``update``, and ``generate`` itself): an answer to no question, a value
of the wrong type (``--data`` values and answers files are YAML, so ``5`` is a number, ``[a]``
a list and ``{{ x }}`` a mapping), a value outside the question's choices, or one its
validator refuses is a UserError of one line naming the question.

Answers of earlier template versions are read under today's names (``LEGACY_ANSWERS``), and
``check_answer_changes`` refuses the changes no update can make (the identity mode).
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

# Questions an earlier template version asked under another name: old name -> (today's name,
# old value -> today's value). Template 0.4.0 asks for ``identity`` instead of ``auth_style``,
# whose only answer that ever rendered was ``jwt``.
LEGACY_ANSWERS: dict[str, tuple[str, dict[str, str]]] = {
    "auth_style": ("identity", {"jwt": "builtin", "oauth2-scopes": "oidc"}),
}
IDENTITY_MODES = ("builtin", "oidc")


def _with_todays_names(answers: dict[str, Any], source: str) -> dict[str, Any]:
    """``answers`` with every legacy question renamed and its value translated; a question
    given under both names with different values is a UserError naming both."""
    renamed = dict(answers)
    for old, (new, values) in LEGACY_ANSWERS.items():
        if old not in renamed:
            continue
        value = renamed.pop(old)
        translated = values.get(value, value) if isinstance(value, str) else value
        if new in renamed and renamed[new] != translated:
            raise UserError(
                f"{source}: {old}={value!r} (the earlier name of {new}) contradicts "
                f"{new}={renamed[new]!r}; give {new} only"
            )
        renamed.setdefault(new, translated)
    return renamed


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
    answers = {str(key): value for key, value in data.items() if not str(key).startswith("_")}
    return _with_todays_names(answers, f"answers file {path}")


def parse_data_pairs(pairs: list[str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into answers; the value is read as YAML (``5`` is a number)."""
    data: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--data {pair!r}: expected KEY=VALUE")
        data[key.strip()] = load_yaml(raw, f"--data {key.strip()}") if raw else ""
    return _with_todays_names(data, "--data")


def recorded_identity(answers: Mapping[str, Any]) -> str:
    """The identity mode a project's recorded answers name: ``identity``, or before template
    0.4.0 ``auth_style`` (always built-in)."""
    renamed = _with_todays_names(dict(answers), "recorded answers")
    return str(renamed.get("identity", "builtin"))


def identity_change_problem(recorded: Mapping[str, Any], requested: str) -> str:
    """Why a project generated with the ``recorded`` answers cannot switch to the identity mode
    ``requested``, or "" when it stays in its mode.

    The mode is fixed at generation: built-in to oidc would drop the users table (every
    account and password hash) and, for microservices, the identity service with its database;
    oidc to built-in would start keeping passwords for accounts the provider holds. Both
    change how the audit log names actors. An update never drops data, so both are refused;
    archgen's ADR 0008 gives the manual path.
    """
    current = recorded_identity(recorded)
    if requested == current or requested not in IDENTITY_MODES:
        return ""
    if current == "builtin":
        loses = "drop the identity_users table (every account and password hash)"
        if recorded.get("pattern") == "microservices":
            loses += " with the identity service and its database"
    else:
        loses = "add a users table and password storage beside the provider's accounts"
    return (
        f"identity is fixed at generation ({current}): switching to {requested} would {loses} "
        "and change how the audit log names actors, and an update never drops or rebuilds "
        "data; generate a new project and move across (archgen's docs/adr/0008-identity-modes.md)"
    )


def check_answer_changes(recorded: Mapping[str, Any], given: Mapping[str, Any]) -> None:
    """Refuse, before anything is touched, answers an update of a project generated with the
    ``recorded`` answers cannot change (today: the identity mode), with the reason."""
    given = _with_todays_names(dict(given), "--data")
    if "identity" in given and (problem := identity_change_problem(recorded, given["identity"])):
        raise UserError(f"--data identity: {problem}")


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
