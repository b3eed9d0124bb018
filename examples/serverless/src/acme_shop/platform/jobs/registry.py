"""What the app's jobs are: each job's name, payload, handler and running rules, by name.

Each module declares its jobs as ``JobSpec``s and registers them; the worker, the scheduler
and the API look them up here by their qualified name (``ordering.export_orders``).
"""

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from acme_shop.platform.jobs.context import JobContext, JobOutcome

Trigger = Literal["on_demand", "cron", "event"]
Handler = Callable[[JobContext, Any], Awaitable[JobOutcome]]


@dataclass(frozen=True)
class JobSpec:
    """One job: how it is started and run.

    ``timeout`` bounds one run (a step of a job that continues in steps); a run that fails is
    retried with growing delays until ``max_attempts`` runs have failed. An ``exclusive`` job
    never runs twice at the same time: a second start waits for the first to finish.
    """

    name: str
    context: str
    payload: type[BaseModel]
    handler: Handler
    trigger: Trigger = "on_demand"
    cron: str | None = None
    timezone: str = "UTC"
    timeout_seconds: int = 600
    max_attempts: int = 3
    exclusive: bool = False
    description: str = ""


class JobRegistry:
    """The jobs of one app, by qualified name (a plain dict underneath)."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobSpec] = {}

    def register(self, *specs: JobSpec) -> None:
        for spec in specs:
            if spec.name in self._jobs:
                raise ValueError(f"job {spec.name!r} is registered twice")
            self._jobs[spec.name] = spec

    def get(self, name: str) -> JobSpec | None:
        return self._jobs.get(name)

    def __iter__(self) -> Iterator[JobSpec]:
        return iter(self._jobs.values())

    def __len__(self) -> int:
        return len(self._jobs)

    @property
    def scheduled(self) -> list[JobSpec]:
        """The jobs that start on a cron schedule."""
        return [spec for spec in self._jobs.values() if spec.cron is not None]
