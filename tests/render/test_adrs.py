"""The generated ADRs: MADR 4 records of the pattern, data store, messaging, auth and error-status
decisions, and of the options that add one (jobs, live updates, GraphQL).

Each record is ``# ADR NNNN: <decision>``, a ``- Status:`` line, then MADR's sections in
MADR's order; the options it weighs are the ones it lists, and ADR 0001 keeps the discovery
answers that drove the choice.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import archgen
from tests.matrix import SUPPORTED, Cell

Rendered = dict[str, tuple[Path, dict[str, object]]]

# Every section MADR 4 defines, in its order; the ones a record may leave out are marked.
MADR_SECTIONS = (
    ("## Context and Problem Statement", True),
    ("## Decision Drivers", True),
    ("## Considered Options", True),
    ("## Decision Outcome", True),
    ("### Consequences", True),
    ("### Confirmation", False),
    ("## Pros and Cons of the Options", False),
    ("## More Information", False),
)

STATUS = re.compile(r"- Status: (proposed|accepted|rejected|deprecated|superseded)\b.*")

CHOSEN = re.compile(r'^Chosen option: "([^"]+)",\s+because\s', flags=re.MULTILINE)

ADRS = {
    "modular-monolith": (
        "0001-modular-monolith.md",
        "0002-postgres-and-async-sqlalchemy.md",
        "0003-redis-as-accelerator.md",
        "0004-auth-jwt-and-roles.md",
        "0005-error-statuses.md",
    ),
    "serverless": (
        "0001-serverless-on-lambda.md",
        "0002-postgres-and-async-sqlalchemy.md",
        "0003-redis-as-accelerator.md",
        "0004-auth-jwt-and-roles.md",
        "0005-error-statuses.md",
    ),
    "microservices": (
        "0001-microservices.md",
        "0002-database-per-service.md",
        "0003-events-over-rabbitmq.md",
        "0004-tokens-signed-by-identity.md",
        "0005-error-statuses.md",
    ),
}

# The rows of the discovery table (templates/shared/docs/drivers.md.jinja) every ADR 0001 has.
DRIVERS = (
    "Team",
    "Domain boundaries",
    "Parts that must scale or deploy independently",
    "Expected users",
    "Peak load",
    "Read/write mix",
    "Consistency",
    "Data in the first two years",
    "p95 latency target",
    "Availability target",
    "Work that runs for minutes",
    "Compliance",
    "Deployment target",
)


def adrs(root: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted((root / "docs" / "adr").glob("*.md"))}


def sections(text: str) -> dict[str, str]:
    """Each ``##`` or ``###`` heading of ``text`` and the text under it, up to the next one."""
    parts = re.split(r"^(#{2,3} .+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def bullets(text: str) -> list[str]:
    """The items of the lists in ``text``, each with its wrapped lines joined into one."""
    items = re.findall(r"^- (.+(?:\n  .+)*)", text, flags=re.MULTILINE)
    return [" ".join(item.split()) for item in items]


def madr_problems(name: str, text: str) -> list[str]:
    """How ``text`` (the record ``name``) departs from MADR 4; empty when it does not."""
    lines = text.splitlines()
    problems = []
    if not re.fullmatch(rf"# ADR {name[:4]}: \S.*", lines[0]):
        problems.append(f"the first line is not '# ADR {name[:4]}: <decision>': {lines[0]!r}")
    if not STATUS.fullmatch(lines[2]):
        problems.append(f"the third line is not a '- Status:' line: {lines[2]!r}")
    madr = [heading for heading, _ in MADR_SECTIONS]
    headings = [line for line in lines if line.startswith(("## ", "### "))]
    present = [heading for heading in headings if heading in madr]
    if present != sorted(set(present), key=madr.index):
        problems.append(f"MADR's sections are repeated or out of order: {present}")
    problems += [f"no {h!r}" for h, required in MADR_SECTIONS if required and h not in present]
    # Any other top-level section would split MADR's; subsections within them are fine.
    problems += [f"not a MADR section: {h!r}" for h in headings if h[:3] == "## " and h not in madr]
    consequences = sections(text).get("### Consequences", "")
    problems += [
        f"a consequence that is not good, bad or neutral: {c!r}"
        for c in bullets(consequences)
        if not c.startswith(("Good, because ", "Bad, because ", "Neutral, because "))
    ]
    return problems


def chosen_and_weighed(text: str) -> tuple[str | None, list[str], list[str]]:
    """The chosen option, the options listed, and those whose pros and cons are given."""
    parts = sections(text)
    chosen = CHOSEN.search(parts["## Decision Outcome"])
    options = bullets(parts["## Considered Options"])
    pros_and_cons = text.partition("\n## Pros and Cons of the Options\n")[2].split("\n## ")[0]
    weighed = re.findall(r"^### (.+)$", pros_and_cons, flags=re.MULTILINE)
    return (" ".join(chosen[1].split()) if chosen else None), options, weighed


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_every_adr_follows_madr(cell: Cell, rendered: Rendered) -> None:
    root, answers = rendered[cell.name]
    records = adrs(root)
    expected = ADRS[cell.pattern]
    if cell.identity == "oidc":  # the sign-in decision is the provider's, in every pattern
        expected = (*expected[:3], "0004-auth-oidc-and-scopes.md", *expected[4:])
    jobs = ("0006-background-jobs.md",) if answers.get("background_jobs") else ()
    live = ("0007-live-updates.md",) if answers.get("realtime") else ()
    graphql = ("0008-graphql.md",) if answers.get("graphql") else ()
    assert tuple(records) == expected + jobs + live + graphql
    for name, text in records.items():
        assert madr_problems(name, text) == [], name
        chosen, options, weighed = chosen_and_weighed(text)
        assert chosen is not None, f"{name}: no 'Chosen option: \"...\", because' line"
        listed = [option.casefold() for option in options]
        assert chosen.casefold() in listed, f"{name}: the chosen option is not a considered one"
        for option in weighed:
            assert option.casefold() in listed, f"{name}: {option!r} is not a considered option"


@pytest.mark.parametrize("cell", SUPPORTED, ids=lambda cell: cell.name)
def test_adr_0001_names_the_discovery_facts_and_the_advice(cell: Cell, rendered: Rendered) -> None:
    root, answers = rendered[cell.name]
    text = next(text for name, text in adrs(root).items() if name.startswith("0001-"))
    drivers = sections(text)["## Decision Drivers"]
    rows = {row.split(" | ")[0].removeprefix("| "): row for row in drivers.splitlines()}
    assert [driver for driver in DRIVERS if driver not in rows] == []
    assert rows["Team"].startswith(f"| Team | {answers['team_size']} engineer")
    assert rows["p95 latency target"] == f"| p95 latency target | {answers['p95_latency_ms']} ms |"
    assert rows["Availability target"] == f"| Availability target | {answers['availability']} % |"
    independent = "yes" if answers["independent_scaling"] else "none"
    assert rows["Parts that must scale or deploy independently"].endswith(f" | {independent} |")
    assert "### What the advisor said" in sections(text)


def test_microservices_record_their_data_store_messaging_and_auth(rendered: Rendered) -> None:
    root, answers = rendered["microservices"]
    domain = archgen.parse_domain(answers["domain"])
    records = adrs(root)
    package = answers["package_name"]

    data = sections(records["0002-database-per-service.md"])["## Decision Outcome"]
    created = (root / "deploy/postgres/create-databases.sql").read_text()
    for service in ["identity", *(context.name for context in domain.context_list)]:
        assert f"- `services/{service}`: database `{package}_{service}`" in data
        assert f"CREATE DATABASE {package}_{service} " in created

    messaging = sections(records["0003-events-over-rabbitmq.md"])["## Decision Outcome"]
    assert domain.event_list
    for event in domain.event_list:
        routing_key = f"{event.source_context}.{event.name}"
        assert f"| `{event.class_name}` | {event.source_context} |" in messaging
        assert f"`{routing_key}`" in messaging
    assert "`platform_outbox`" in messaging
    assert "`platform_processed_events`" in messaging

    auth = sections(records["0004-tokens-signed-by-identity.md"])["## Decision Outcome"]
    assert "ES256" in auth
    security = root / "platform" / "src" / str(package) / "platform" / "security.py"
    assert '_ALGORITHM = "ES256"' in security.read_text()
    assert "`/.well-known/jwks.json`" in auth
    assert "`viewer` < `editor` < `admin`" in auth
