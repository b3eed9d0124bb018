"""archgen: turn discovery answers and a pattern into a running FastAPI backend.

The public API is what this module exports; everything in ``archgen._*`` is private.
"""

from archgen._blueprints import Blueprint, get_blueprint, list_blueprints
from archgen._domain import (
    ContextSpec,
    DomainSpec,
    EntitySpec,
    EventSpec,
    FieldSpec,
    example_domain,
    load_domain_file,
    parse_domain,
)
from archgen._errors import ArchgenError, DomainSpecError, TemplateNotFoundError, UserError
from archgen._generate import GenerationResult, generate
from archgen._template import template_source

__version__ = "0.3.0"

__all__ = [
    "ArchgenError",
    "Blueprint",
    "ContextSpec",
    "DomainSpec",
    "DomainSpecError",
    "EntitySpec",
    "EventSpec",
    "FieldSpec",
    "GenerationResult",
    "TemplateNotFoundError",
    "UserError",
    "__version__",
    "example_domain",
    "generate",
    "get_blueprint",
    "list_blueprints",
    "load_domain_file",
    "parse_domain",
    "template_source",
]
