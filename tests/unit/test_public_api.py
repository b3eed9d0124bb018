"""The public API is what archgen exports; this pins it so a change is deliberate."""

from __future__ import annotations

import archgen


def test_exported_names() -> None:
    assert archgen.__all__ == [
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
    for name in archgen.__all__:
        assert getattr(archgen, name) is not None


def test_blueprints_feed_the_catalogue() -> None:
    names = {b.name: b.available for b in archgen.list_blueprints()}
    assert names == {"modular-monolith": True, "microservices": True, "serverless": True}
