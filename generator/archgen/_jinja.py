"""The Jinja extension the Copier template loads: validation filters and derived names.

Copier imports it by name (``_jinja_extensions`` in ``copier.yml``), so it needs archgen to be
installed next to Copier. It keeps the domain spec's rules in one place: the same pydantic
models validate answers in Copier's questionnaire, in ``archgen new`` and in ``copier update``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

from archgen._advisor import Recommendation, recommend, warnings_for
from archgen._answers import identity_change_problem
from archgen._blueprints import list_blueprints
from archgen._discovery import (
    advisor_answers,
    background_jobs_errors,
    discovery_defaults,
    realtime_errors,
)
from archgen._domain import EXAMPLE_DOMAIN_PATH, DomainSpec, parse_domain_cached
from archgen._domain_jobs import eventbridge_cron, export_filters
from archgen._errors import UserError
from archgen._free_text import (
    check_description,
    check_project_name,
    docstring,
    python_constant,
    string_literal,
)
from archgen._names import (
    camel_case,
    check_package_name,
    check_project_slug,
    pascal_case,
    slugify,
    with_article,
)
from archgen._schema_history import check_history, initial_domain, schema_revisions

# The microservices' identity service, shaped like a bounded context for the per-service
# templates it shares with them (it owns no entity of the domain spec).
IDENTITY_SERVICE = {
    "name": "identity",
    "url_segment": "identity",
    "title": "Identity",
    "description": "Users, their roles, and the tokens that prove who is calling.",
    "entity_list": [],
}


def domain_model(data: Any) -> DomainSpec:
    """The validated domain spec, with every derived name the templates use."""
    return parse_domain_cached(data)


def _rendered_answers(context: Context) -> dict[str, Any]:
    return advisor_answers(context.get_all())


@pass_context
def advice(context: Context) -> Recommendation:
    """The advisor's view of the answers being rendered, but the deployment target: it
    follows from the pattern chosen, so it cannot argue for that pattern."""
    answers = _rendered_answers(context)
    answers.pop("deployment", None)
    return recommend(answers)


@pass_context
def advice_warnings(context: Context) -> list[str]:
    """The advisor's warnings for the pattern being rendered, given every answer."""
    answers = {**discovery_defaults(), **_rendered_answers(context)}
    return [warning.text for warning in warnings_for(str(context["pattern"]), answers)]


def fit_warnings(pattern: str, answers: Mapping[str, Any]) -> list[str]:
    """Why the discovery ``answers`` make ``pattern`` a poor fit.

    Templates up to 0.2.0 call it (later ones call ``advice_warnings``): released versions
    render with this extension, so what they call stays.
    """
    blueprint = next((b for b in list_blueprints() if b.name == pattern), None)
    return blueprint.fit_warnings(answers) if blueprint is not None else []


def domain_errors(data: Any, pattern: str | None = None) -> str:
    """An empty string when the domain spec is valid (and suits ``pattern``), else the message
    naming the problem."""
    try:
        domain = parse_domain_cached(data)
    except UserError as error:
        return error.message
    blueprint = next((b for b in list_blueprints() if b.name == pattern), None)
    return blueprint.domain_problem(domain) if blueprint is not None else ""


def domain_history_errors(history: Any, domain: Any) -> str:
    """An empty string when ``history`` is a valid growth path to ``domain``, else why not."""
    try:
        check_history(domain, history)
    except UserError as error:
        return error.message
    return ""


def identity_change_errors(identity: str, destination: Any) -> str:
    """An empty string unless ``destination`` holds a project generated with another identity
    mode (its ``.copier-answers.yml`` says so): then why it cannot switch. A fresh render
    (``copier copy``, an update's scratch copies) has no answers there to compare with."""
    answers_file = Path(str(destination)) / ".copier-answers.yml"
    try:
        recorded = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    if not isinstance(recorded, dict):
        return ""
    return identity_change_problem(recorded, identity)


def _problem(check: Callable[[str], object], value: str) -> str:
    """The message of the ValueError ``check`` raises for ``value``, or "" when it passes."""
    try:
        check(value)
    except ValueError as error:
        return str(error)
    return ""


def project_name_errors(name: str) -> str:
    return _problem(check_project_name, name)


def description_errors(description: str) -> str:
    return _problem(check_description, description)


def package_name_errors(name: str) -> str:
    return _problem(check_package_name, name)


def project_slug_errors(slug: str) -> str:
    return _problem(check_project_slug, slug)


class ArchgenExtension(Extension):
    """Adds archgen's filters and globals to Copier's Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            domain_model=domain_model,
            domain_errors=domain_errors,
            background_jobs_errors=background_jobs_errors,
            realtime_errors=realtime_errors,
            export_filters=export_filters,
            eventbridge_cron=eventbridge_cron,
            domain_history_errors=domain_history_errors,
            identity_change_errors=identity_change_errors,
            initial_domain=initial_domain,
            schema_revisions=schema_revisions,
            project_name_errors=project_name_errors,
            description_errors=description_errors,
            string_literal=string_literal,
            docstring=docstring,
            python_constant=python_constant,
            package_name_errors=package_name_errors,
            project_slug_errors=project_slug_errors,
            slugify=slugify,
            pascal=pascal_case,
            camel=camel_case,
            with_article=with_article,
        )
        environment.globals["example_domain_yaml"] = EXAMPLE_DOMAIN_PATH.read_text(encoding="utf-8")
        environment.globals["identity_service"] = IDENTITY_SERVICE
        environment.globals["advice"] = advice
        environment.globals["advice_warnings"] = advice_warnings
        environment.globals["fit_warnings"] = fit_warnings  # released templates up to 0.2.0
