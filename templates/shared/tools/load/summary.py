"""The line a load run ends with, and whether the run met its p95 target.

Kept apart from the Locust scenario so that it can be tested without importing Locust (which
patches the standard library with gevent as it is imported).
"""

from dataclasses import dataclass
from typing import Protocol


class Totals(Protocol):
    """The figures of Locust's aggregated statistics (``environment.stats.total``) used here."""

    num_requests: int
    num_failures: int

    @property
    def total_rps(self) -> float: ...

    def get_response_time_percentile(self, percent: float) -> float: ...


@dataclass(frozen=True)
class Verdict:
    """What to print, and whether the run passes."""

    report: str
    met: bool


def verdict(totals: Totals, p95_target_ms: int) -> Verdict:
    """Requests per second, p50/p95/p99 and errors, against a p95 target in milliseconds.

    A run that sent nothing fails: it measured nothing.
    """
    if totals.num_requests == 0:
        return Verdict("no requests were sent: nothing was measured", met=False)
    p50, p95, p99 = (totals.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99))
    met = p95 <= p95_target_ms
    errors_percent = 100 * totals.num_failures / totals.num_requests
    report = (
        f"requests/s {totals.total_rps:.1f} | p50 {p50:.0f} ms | p95 {p95:.0f} ms | "
        f"p99 {p99:.0f} ms | errors {totals.num_failures} of {totals.num_requests} "
        f"({errors_percent:.2f} %) | p95 target {p95_target_ms} ms: {'met' if met else 'missed'}"
    )
    return Verdict(report, met)
