"""The SAM template: valid CloudFormation by cfn-lint's rules, and wired to the code it runs."""

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from cfnlint.decode import decode

from acme_shop import bootstrap
from acme_shop.platform.settings import Settings

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"
# Read by Powertools' metrics, not by the app's settings.
POWERTOOLS_VARIABLES = {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    decoded, problems = decode(str(TEMPLATE))
    assert problems == []
    return dict(decoded)


def test_cfn_lint_finds_nothing() -> None:
    assert [str(match) for match in lint_file(TEMPLATE)] == []


def test_every_function_handler_exists(template: dict[str, Any]) -> None:
    functions = {
        name: resource["Properties"]["Handler"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert set(functions) == {
        "ApiFunction",
        "WorkerFunction",
        "RelayFunction",
        "JobsFunction",
        "ScheduleFunction",
    }
    for handler in functions.values():
        module, _, name = handler.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name))


def test_every_environment_variable_is_a_setting(template: dict[str, Any]) -> None:
    variables = set(template["Globals"]["Function"]["Environment"]["Variables"])
    settings = {name.upper() for name in Settings.model_fields}
    assert variables - POWERTOOLS_VARIABLES <= settings


def test_the_worker_reports_partial_batch_failures_and_the_queue_dead_letters(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    source = resources["WorkerFunction"]["Properties"]["Events"]["Events"]["Properties"]
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    redrive = resources["EventsQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["EventsDeadLetterQueue", "Arn"]}


def test_the_jobs_function_reports_partial_batch_failures_and_outlasts_every_job(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    function = resources["JobsFunction"]["Properties"]
    source = function["Events"]["Jobs"]["Properties"]
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    redrive = resources["JobsQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]}
    longest = max(spec.timeout_seconds for spec in bootstrap.job_registry())
    assert longest < function["Timeout"] <= 900  # Lambda's limit


def test_each_cron_job_has_a_schedule_in_its_time_zone_and_the_sweep_runs_every_minute(
    template: dict[str, Any],
) -> None:
    events = template["Resources"]["ScheduleFunction"]["Properties"]["Events"].values()
    schedules = {json.loads(e["Properties"]["Input"]).get("job"): e["Properties"] for e in events}
    scheduled = bootstrap.job_registry().scheduled
    assert set(schedules) == {None} | {spec.name for spec in scheduled}
    for spec in scheduled:
        assert schedules[spec.name]["ScheduleExpressionTimezone"] == spec.timezone
        assert schedules[spec.name]["ScheduleExpression"].startswith("cron(")
    assert schedules[None]["ScheduleExpression"] == "rate(1 minute)"  # the sweep
