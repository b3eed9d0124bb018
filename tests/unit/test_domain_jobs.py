"""Jobs in the domain spec: what a job declaration may say, and the one line each mistake gets."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from archgen import DomainSpecError, example_domain, parse_domain
from archgen._blueprints import get_blueprint
from archgen._domain_jobs import eventbridge_cron, parse_duration


def shop(**jobs: Any) -> dict[str, Any]:
    """The example shop's data with ``jobs`` in place of the ordering context's jobs."""
    data = copy.deepcopy(example_domain().as_data)
    data["contexts"]["ordering"]["jobs"] = jobs
    return data


def refusal(data: Any) -> str:
    with pytest.raises(DomainSpecError) as raised:
        parse_domain(data)
    return raised.value.message


def test_the_example_shop_runs_a_job_of_each_trigger() -> None:
    jobs = {job.qualified_name: job for job in example_domain().job_list}
    assert {name: (job.trigger_kind, job.kind) for name, job in jobs.items()} == {
        "catalog.record_demand": ("event", "tally"),
        "ordering.export_orders": ("on_demand", "export"),
        "ordering.cancel_abandoned_orders": ("cron", "cleanup"),
    }
    cleanup = jobs["ordering.cancel_abandoned_orders"]
    assert (cleanup.cron, cleanup.timezone, cleanup.exclusive) == ("0 3 * * *", "UTC", True)
    export = jobs["ordering.export_orders"]
    assert (export.payload_class, export.url_segment, export.starting_role) == (
        "ExportOrdersPayload",
        "export-orders",
        "editor",
    )


def test_a_context_s_job_scopes_are_named_like_its_resources_scopes() -> None:
    """With identity oidc: ``<context>.jobs.<level>``, the context in URL spelling."""
    ordering = example_domain().contexts["ordering"]
    assert tuple(ordering.job_scopes) == (
        "ordering.jobs.read",
        "ordering.jobs.write",
        "ordering.jobs.admin",
    )
    assert list(ordering.job_scope_descriptions.values()) == [
        "Follow the ordering jobs one started",
        "Start ordering jobs",
        "See and retry every ordering job",
    ]
    data = {"contexts": {"order_desk": {"entities": {"ticket": {"fields": {"note": {}}}}}}}
    desk = parse_domain(data).contexts["order_desk"]
    assert desk.job_scopes.read == "order-desk.jobs.read"
    assert desk.entity_list[0].scopes.read == "order-desk.tickets.read"


def test_a_job_round_trips_through_the_recorded_answers() -> None:
    domain = example_domain()
    assert parse_domain(domain.as_data).job_list == domain.job_list


@pytest.mark.parametrize(
    ("duration", "seconds"), [(600, 600), ("30s", 30), ("10m", 600), ("2h", 7200), ("45", 45)]
)
def test_timeouts_are_seconds_or_a_unit(duration: object, seconds: int) -> None:
    assert parse_duration(duration) == seconds


@pytest.mark.parametrize(
    ("cron", "expression"),
    [
        ("0 3 * * *", "cron(0 3 * * ? *)"),
        ("*/5 * * * 1-5", "cron(*/5 * ? * MON-FRI *)"),
        ("30 2 1 * *", "cron(30 2 1 * ? *)"),
        ("0 0 * * 0,6", "cron(0 0 ? * SUN,SAT *)"),
    ],
)
def test_a_cron_becomes_an_eventbridge_expression(cron: str, expression: str) -> None:
    assert eventbridge_cron(cron) == expression


EXPORT = {"export": {"entity": "order"}}
ORDERING_JOB = "contexts.ordering.jobs.x"
OLD = {"field": "placed_on", "days": 1}


@pytest.mark.parametrize(
    ("job", "message"),
    [
        (
            {"trigger": {"event": "order_shipped"}},
            f"{ORDERING_JOB}.trigger.event: unknown event 'order_shipped'; "
            "declared events: order_placed",
        ),
        (
            {"trigger": {"event": "order_placed"}},
            f"{ORDERING_JOB}.trigger.event: context 'ordering' does not consume 'order_placed'",
        ),
        (
            {"trigger": {"cron": "0 25 * * *"}},
            f"{ORDERING_JOB}.trigger.cron: '0 25 * * *' is not a cron expression (Bad hour)",
        ),
        (
            {"trigger": {"cron": "0 3 31 2 *"}},
            "'0 3 31 2 *' is not a cron expression (Bad day-of-month)",
        ),
        ({"trigger": {"cron": "0 3 * * * *"}}, "'0 3 * * * *' has 6 fields; write 5"),
        ({"trigger": {"cron": "@daily"}}, "write the 5 fields ('0 0 * * *' for @daily)"),
        (
            {"trigger": {"cron": "0 3 * * *", "timezone": "Europe/Pariss"}},
            f"{ORDERING_JOB}.trigger.timezone: 'Europe/Pariss' is not an IANA time zone",
        ),
        ({"trigger": {"every": "day"}}, f"{ORDERING_JOB}.trigger: write on_demand"),
        (
            {"timeout": "90x"},
            f"{ORDERING_JOB}.timeout: '90x' is not a duration; write seconds (600) or 30s",
        ),
        ({"timeout": "25h"}, "'25h' must be between 1 s and 24 h"),
        ({"max_attempts": 0}, f"{ORDERING_JOB}.max_attempts: Input should be greater than"),
        (
            {"trigger": {"cron": "0 3 * * *"}, "payload": {"days": {"type": "integer"}}},
            f"{ORDERING_JOB}.payload.days: a cron job's payload field needs a default",
        ),
        (
            {"trigger": {"cron": "0 3 * * *"}, "role": "admin"},
            f"{ORDERING_JOB}.role: only on-demand jobs are started by callers",
        ),
        ({"payload": {"sku": {"unique": True}}}, "sku: 'unique' does not apply to a job payload"),
        ({"payload": {"owner": {"references": "customer"}}}, "'references' does not apply"),
        (
            {"payload": {"days": {"type": "integer", "default": "thirty"}}},
            f"{ORDERING_JOB}.payload.days.default: 'thirty' is not an integer",
        ),
        (
            {**EXPORT, "cleanup": {"entity": "order", "older_than": OLD, "delete": True}},
            f"{ORDERING_JOB}: declare one of export, cleanup, tally (found export and cleanup)",
        ),
        (
            {"export": {"entity": "orderz"}},
            f"{ORDERING_JOB}.export.entity: 'orderz' is not an entity of context 'ordering'",
        ),
        (
            {**EXPORT, "payload": {"placed_on_from": {"type": "datetime", "required": False}}},
            "payload.placed_on_from: filters order.placed_on (date) but is 'datetime'",
        ),
        (
            {**EXPORT, "payload": {"colour": {"required": False}}},
            "payload.colour: names no field of order to filter",
        ),
        (
            {
                "cleanup": {
                    "entity": "order",
                    "where": {"status": "abandoned"},
                    "older_than": {"field": "placed_on", "days": 30},
                    "set": {"status": "cancelled"},
                }
            },
            "cleanup.where.status: 'abandoned' is not a value of order.status (pending, paid,",
        ),
        (
            {
                "cleanup": {
                    "entity": "order",
                    "older_than": {"field": "total", "days": 30},
                    "delete": True,
                }
            },
            "cleanup.older_than.field: order.total is a decimal; use a date or datetime field",
        ),
        (
            {"cleanup": {"entity": "order", "older_than": {"field": "placed_on", "days": 30}}},
            "cleanup: say what to do with the rows",
        ),
        (
            {"tally": {"into": "order", "key": {"placed_on": "x"}, "add": {"total": 1}}},
            f"{ORDERING_JOB}.tally: a tally folds events; set trigger",
        ),
    ],
)
def test_a_bad_job_is_refused_in_one_line_naming_it(job: dict[str, Any], message: str) -> None:
    found = refusal(shop(x=job))
    assert message in found
    assert "\n" not in found


def test_job_names_are_unique_across_the_domain() -> None:
    data = shop(record_demand={"export": {"entity": "order"}})
    assert refusal(data) == (
        "domain spec: contexts.ordering.jobs.record_demand: job name 'record_demand' is also "
        "used in context 'catalog'; job names are unique across the domain"
    )


def tally(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(example_domain().as_data)
    data["contexts"]["catalog"]["jobs"]["record_demand"]["tally"].update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"key": {"orders": "order.item_count"}},
            "tally.key.orders: daily_demand.orders must be 'unique: true' to key a tally",
        ),
        (
            {"add": {"orders": 1, "items": "order.totl", "revenue": "order.total"}},
            "tally.add.items: 'order.totl' is not a field of order (the source of order_placed)",
        ),
        (
            {"add": {"orders": 1, "items": "order.total", "revenue": "order.total"}},
            "tally.add.items: order.total is a decimal; daily_demand.items is an integer",
        ),
        (
            {"add": {"orders": 1, "items": "order.item_count"}},
            "daily_demand.revenue is required but the tally does not set it",
        ),
    ],
)
def test_a_tally_names_fields_that_fit(changes: dict[str, Any], message: str) -> None:
    assert message in refusal(tally(**changes))


def test_serverless_refuses_a_job_longer_than_one_lambda_invocation() -> None:
    data = shop(export_orders={"export": {"entity": "order"}, "timeout": "20m"})
    problem = get_blueprint("serverless").domain_problem(parse_domain(data))
    assert problem == (
        "contexts.ordering.jobs.export_orders.timeout: 20m exceeds AWS Lambda's 15-minute limit "
        "for one invocation; lower it to 15m or less and let the handler continue in steps "
        "(ctx.should_yield, Continue)"
    )
    assert get_blueprint("modular-monolith").domain_problem(parse_domain(data)) == ""


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("0 3 1 * 1", "restricts both day-of-month and day-of-week"),
        ("0 3 * * */2", "EventBridge has no step in day-of-week"),
    ],
)
def test_serverless_refuses_a_cron_eventbridge_cannot_express(cron: str, message: str) -> None:
    data = shop(nightly={"trigger": {"cron": cron}, "export": {"entity": "order"}})
    assert message in get_blueprint("serverless").domain_problem(parse_domain(data))


def test_an_entity_cannot_take_the_job_routes_segment() -> None:
    data = shop(x=EXPORT)
    data["contexts"]["ordering"]["entities"]["job"] = {"fields": {"label": {}}}
    assert "URL segment 'jobs' is taken by the context's job routes" in refusal(data)
