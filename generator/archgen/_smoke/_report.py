"""The outcome of a smoke run: each phase and check, named, timed, with what went wrong."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from archgen._errors import ArchgenError


class SmokeError(ArchgenError):
    """A phase or check failed; the message names it and says why."""

    def __init__(self, step: str, detail: str) -> None:
        super().__init__(f"{step}: {detail}")
        self.step = step
        self.detail = detail


@dataclass(frozen=True)
class StepResult:
    name: str
    kind: str  # "phase" or "check"
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class SmokeReport:
    project: str
    runtime: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def failure(self) -> StepResult | None:
        return next((step for step in self.steps if not step.ok), None)

    def to_json(self) -> str:
        return json.dumps({"ok": self.ok, **asdict(self)}, indent=2)
