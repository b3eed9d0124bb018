"""The line a load run ends with, and its verdict against the p95 target."""

from dataclasses import dataclass

from acme_shop.tools.load.summary import verdict


@dataclass
class Totals:
    num_requests: int
    num_failures: int
    total_rps: float
    percentiles: dict[float, float]

    def get_response_time_percentile(self, percent: float) -> float:
        return self.percentiles[percent]


RUN = Totals(1200, 3, 40.0, {0.5: 12, 0.95: 180, 0.99: 410})


def test_report_gives_rate_percentiles_and_errors() -> None:
    assert verdict(RUN, 200).report == (
        "requests/s 40.0 | p50 12 ms | p95 180 ms | p99 410 ms | errors 3 of 1200 (0.25 %) | "
        "p95 target 200 ms: met"
    )


def test_p95_at_the_target_meets_it_and_above_misses_it() -> None:
    assert verdict(RUN, 180).met
    missed = verdict(RUN, 179)
    assert not missed.met
    assert missed.report.endswith("p95 target 179 ms: missed")


def test_a_run_without_requests_fails() -> None:
    result = verdict(Totals(0, 0, 0.0, {}), 200)
    assert not result.met
    assert result.report == "no requests were sent: nothing was measured"
