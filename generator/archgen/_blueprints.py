"""The catalogue of architecture patterns, read from ``blueprints/*.yml``."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from archgen._advisor import fit_warnings
from archgen._domain import DomainSpec
from archgen._domain_jobs import lambda_problem
from archgen._errors import UserError
from archgen._package_data import data_dir


class Blueprint(BaseModel):
    """One architecture pattern: what it contains and when to choose it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    # preview: renders and passes its own checks, but lacks what ``preview_gaps`` lists.
    status: Literal["available", "preview", "planned"]
    summary: str
    contains: tuple[str, ...]
    choose_when: tuple[str, ...]
    avoid_when: tuple[str, ...]
    next_step: str
    # The fewest bounded contexts the pattern makes sense for, and what to choose below it.
    min_contexts: int = 1
    fewer_contexts_choice: str | None = None
    preview_gaps: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.status != "planned"

    @property
    def preview_warning(self) -> str:
        """What a preview pattern does not generate yet; "" for a complete one."""
        if self.status != "preview":
            return ""
        return f"pattern {self.name!r} is a preview; not generated yet: " + "; ".join(
            self.preview_gaps
        )

    def fit_warnings(self, answers: Mapping[str, Any]) -> list[str]:
        """Why the discovery ``answers`` make this pattern a poor fit (the advisor's warnings)."""
        return fit_warnings(self.name, answers)

    def domain_problem(self, domain: DomainSpec) -> str:
        """Why ``domain`` does not suit this pattern, or "" when it does."""
        if self.name == "serverless":
            for job in domain.job_list:
                if problem := lambda_problem(job):
                    return problem
        contexts = domain.context_list
        if len(contexts) >= self.min_contexts:
            return ""
        names = ", ".join(repr(context.name) for context in contexts)
        problem = (
            f"pattern {self.name!r} needs at least {self.min_contexts} bounded contexts, "
            f"one per service; this domain has {len(contexts)} ({names})"
        )
        if self.fewer_contexts_choice:
            problem += f": choose --pattern {self.fewer_contexts_choice} instead"
        return problem


@cache
def list_blueprints() -> tuple[Blueprint, ...]:
    """Every known pattern: available ones first (the default, the modular monolith, leading),
    then previews, then planned ones."""
    blueprints = [
        Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(data_dir("blueprints").glob("*.yml"))
    ]
    rank = {"available": 0, "preview": 1, "planned": 2}
    return tuple(
        sorted(blueprints, key=lambda b: (rank[b.status], b.name != "modular-monolith", b.name))
    )


def get_blueprint(name: str) -> Blueprint:
    """The available blueprint called ``name``, or a UserError that lists the choices."""
    by_name = {b.name: b for b in list_blueprints()}
    available = ", ".join(b.name for b in by_name.values() if b.available)
    blueprint = by_name.get(name)
    if blueprint is None:
        raise UserError(f"unknown pattern {name!r}; choose one of: {available}")
    if not blueprint.available:
        raise UserError(
            f"pattern {name!r} is planned but not available in this version; "
            f"choose one of: {available}"
        )
    return blueprint
