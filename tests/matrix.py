"""The option combinations archgen supports, and some it refuses: one list for every test.

Render tests render every supported cell; end-to-end tests install and run the cells marked
``e2e``; the template CI matrix is this same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOMAINS = Path(__file__).parent / "domains"


@dataclass(frozen=True)
class Cell:
    """One supported combination of answers."""

    name: str
    answers: dict[str, Any] = field(default_factory=dict)
    domain: Path | None = None
    e2e: bool = False
    pattern: str = "modular-monolith"


SUPPORTED = (
    Cell("default", e2e=True),
    Cell(
        "pii-hipaa",
        {"project_name": "Care Records", "compliance": ["pii", "hipaa"]},
        e2e=True,
    ),
    Cell(
        "write-heavy-library",
        {
            "project_name": "City Library",
            "read_write_ratio": "write-heavy",
            "peak_rps": 2000,
            "availability": "99.99",
            "compliance": ["gdpr"],
        },
        domain=DOMAINS / "library.yml",
        e2e=True,
    ),
    # Render-only cells: these machines have no Python 3.12 or 3.13 for uv to install into.
    Cell(
        "no-cache-with-audit",
        {"read_write_ratio": "balanced", "compliance": ["pci-dss"], "python_version": "3.12"},
    ),
    Cell("kubernetes-python-3-13", {"deployment": "kubernetes", "python_version": "3.13"}),
)


@dataclass(frozen=True)
class Refused:
    """A combination that must fail with a clear message."""

    name: str
    message: str
    answers: dict[str, Any] = field(default_factory=dict)
    pattern: str = "modular-monolith"


UNSUPPORTED = (
    Refused("unknown-pattern", "unknown pattern 'event-sourcing'", pattern="event-sourcing"),
    Refused("planned-pattern", "pattern 'microservices' is planned", pattern="microservices"),
    Refused("oauth2-scopes", "oauth2-scopes", {"auth_style": "oauth2-scopes"}),
    Refused("keyword-package", "package_name", {"package_name": "class"}),
    Refused("stdlib-package", "would shadow", {"package_name": "json"}),
    Refused("bad-slug", "project_slug", {"project_slug": "Bad Slug"}),
    Refused("empty-name", "project_name", {"project_name": "  "}),
    Refused("zero-rps", "peak requests per second", {"peak_rps": 0}),
)
