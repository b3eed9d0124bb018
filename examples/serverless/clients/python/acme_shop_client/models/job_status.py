from enum import StrEnum


class JobStatus(StrEnum):
    FAILED = "failed"
    QUEUED = "queued"
    RETRYING = "retrying"
    RUNNING = "running"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
