"""The job metrics, registered in the app's own registry next to its other metrics."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_DURATION_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600)


class JobMetrics:
    """Runs, failures and durations per job; queue depth per job and status."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.started = Counter(
            "jobs_started",
            "Jobs started, by job and trigger",
            ["job", "trigger"],
            registry=registry,
        )
        self.runs = Counter(
            "job_runs",
            "Job runs by outcome (succeeded, retried, failed, interrupted, deferred, duplicate,"
            " continued, lost)",
            ["job", "outcome"],
            registry=registry,
        )
        self.duration = Histogram(
            "job_duration_seconds",
            "How long one run of a job took, by outcome",
            ["job", "outcome"],
            buckets=_DURATION_BUCKETS,
            registry=registry,
        )
        self.queue_wait = Histogram(
            "job_queue_wait_seconds",
            "From a job's start (or retry time) to its run",
            ["job"],
            buckets=_DURATION_BUCKETS,
            registry=registry,
        )
        self.in_flight = Gauge(
            "jobs_in_flight", "Jobs this worker is running", ["job"], registry=registry
        )
        self.depth = Gauge(
            "jobs",
            "Jobs by status (queue depth, running, dead letters)",
            ["job", "status"],
            registry=registry,
        )
        self.backlog = Gauge(
            "jobs_broker_backlog", "Messages the broker holds undelivered", registry=registry
        )
        self.dispatches = Counter(
            "job_dispatches",
            "Doorbells rung on the queue, by outcome",
            ["outcome"],
            registry=registry,
        )
