"""Render a project: validate the answers, run Copier into a scratch folder, move it into place.

Nothing is half-written: the project appears at its destination only when rendering succeeded.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier
import yaml
from copier.errors import CopierError
from jinja2 import TemplateError

from archgen._answers import check_answers
from archgen._api_documents import export_api_documents
from archgen._blueprints import get_blueprint
from archgen._domain import DomainSpec, load_domain_file, parse_domain
from archgen._errors import ArchgenError, UserError
from archgen._template import default_ref, tag_template, template_source


@dataclass(frozen=True)
class GenerationResult:
    """What ``generate`` produced."""

    destination: Path
    pattern: str
    answers: dict[str, Any]


def _check_destination(destination: Path) -> None:
    if destination.exists() and not destination.is_dir():
        raise UserError(f"destination {destination} exists and is not a folder")
    if destination.is_dir() and any(destination.iterdir()):
        raise UserError(f"destination {destination} exists and is not empty")


def _check_all_answers_used(given: Mapping[str, Any], recorded: Mapping[str, Any]) -> None:
    """Refuse answers the template never asked for: most often a misspelt question name."""
    unused = sorted(set(given) - set(recorded))
    if unused:
        raise UserError(
            f"answers not used by the template: {', '.join(unused)} (unknown question names, "
            "or questions not asked for these answers)"
        )


def _domain_data(domain: DomainSpec | Path | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if domain is None:
        return None
    if isinstance(domain, Path):
        domain = load_domain_file(domain)
    elif not isinstance(domain, DomainSpec):
        domain = parse_domain(dict(domain))
    return domain.as_data


def _read_answers(destination: Path) -> dict[str, Any]:
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text(encoding="utf-8"))
    return dict(answers)


def generate(
    destination: Path,
    *,
    pattern: str,
    answers: Mapping[str, Any] | None = None,
    domain: DomainSpec | Path | Mapping[str, Any] | None = None,
    interactive: bool = False,
    template: str | None = None,
    vcs_ref: str | None = None,
    export_openapi: bool = True,
) -> GenerationResult:
    """Render a new project of ``pattern`` at ``destination``.

    ``answers`` pre-fill Copier questions; unanswered ones take their (derived) defaults, or
    are asked when ``interactive``. ``domain`` is a spec file, mapping or model (default: the
    built-in example). ``export_openapi`` installs the project in a scratch environment to
    write its ``openapi.json`` (and each service's ``asyncapi.json``; needs the package
    index); render-only checks turn it off.
    Raises UserError on bad input, leaving nothing on disk.
    """
    blueprint = get_blueprint(pattern)
    check_answers(answers or {}, pattern=pattern)  # before anything touches the disk
    destination = destination.resolve()
    _check_destination(destination)
    data: dict[str, Any] = {**(answers or {}), "pattern": pattern}
    if (domain_data := _domain_data(domain)) is not None:
        data["domain"] = domain_data
    elif "domain" in data:
        data["domain"] = parse_domain(data["domain"]).as_data
    if "domain" in data and (problem := blueprint.domain_problem(parse_domain(data["domain"]))):
        raise UserError(problem)
    source = template_source(template)
    tag_template(source)  # so the project records its version against the listed releases
    vcs_ref = vcs_ref or default_ref(source)

    destination.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
    try:
        _render(source, scratch, data, interactive=interactive, vcs_ref=vcs_ref)
        recorded = _read_answers(scratch)
        _check_all_answers_used(data, recorded)
        if export_openapi:
            export_api_documents(scratch, pattern, recorded["package_name"])
        if destination.exists():
            destination.rmdir()  # empty, checked above; rename needs the name free
        scratch.rename(destination)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return GenerationResult(destination, pattern, recorded)


def _render(
    source: str, scratch: Path, data: dict[str, Any], *, interactive: bool, vcs_ref: str | None
) -> None:
    try:
        copier.run_copy(
            source,
            scratch,
            data=data,
            defaults=not interactive,
            unsafe=True,  # the template's only unsafe feature is archgen's own Jinja extension
            quiet=True,
            vcs_ref=vcs_ref,
        )
    except (CopierError, ValueError) as error:
        message = " ".join(str(error).split()) or type(error).__name__
        raise UserError(f"the template refused the answers: {message}") from None
    except TemplateError as error:
        # Not the user's fault: a template bug. Say where, without a Jinja traceback.
        raise ArchgenError(f"the template failed to render: {error}") from None
