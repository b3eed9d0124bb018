from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus

if TYPE_CHECKING:
    from ..models.job_read_error_type_0 import JobReadErrorType0
    from ..models.job_read_failures_item import JobReadFailuresItem
    from ..models.job_result_link import JobResultLink


T = TypeVar("T", bound="JobRead")


@_attrs_define
class JobRead:
    """A job: poll it until its status is succeeded or failed.

    Attributes:
        id (UUID):
        name (str):
        status (JobStatus):
        progress (float | None):
        attempts (int):
        max_attempts (int):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        next_attempt_at (datetime.datetime | None):
        error (JobReadErrorType0 | None):
        result (JobResultLink | None):
        failures (list[JobReadFailuresItem]):
    """

    id: UUID
    name: str
    status: JobStatus
    progress: float | None
    attempts: int
    max_attempts: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    next_attempt_at: datetime.datetime | None
    error: JobReadErrorType0 | None
    result: JobResultLink | None
    failures: list[JobReadFailuresItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_read_error_type_0 import JobReadErrorType0  # noqa: PLC0415
        from ..models.job_result_link import JobResultLink  # noqa: PLC0415

        id = str(self.id)

        name = self.name

        status = self.status.value

        progress: float | None
        progress = self.progress

        attempts = self.attempts

        max_attempts = self.max_attempts

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        error: dict[str, Any] | None
        if isinstance(self.error, JobReadErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        result: dict[str, Any] | None
        if isinstance(self.result, JobResultLink):
            result = self.result.to_dict()
        else:
            result = self.result

        failures = []
        for failures_item_data in self.failures:
            failures_item = failures_item_data.to_dict()
            failures.append(failures_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "progress": progress,
                "attempts": attempts,
                "max_attempts": max_attempts,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "next_attempt_at": next_attempt_at,
                "error": error,
                "result": result,
                "failures": failures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_read_error_type_0 import JobReadErrorType0  # noqa: PLC0415
        from ..models.job_read_failures_item import JobReadFailuresItem  # noqa: PLC0415
        from ..models.job_result_link import JobResultLink  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = JobStatus(d.pop("status"))

        def _parse_progress(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        progress = _parse_progress(d.pop("progress"))

        attempts = d.pop("attempts")

        max_attempts = d.pop("max_attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_error(data: object) -> JobReadErrorType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobReadErrorType0.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobReadErrorType0 | None, data)

        error = _parse_error(d.pop("error"))

        def _parse_result(data: object) -> JobResultLink | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = JobResultLink.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobResultLink | None, data)

        result = _parse_result(d.pop("result"))

        failures = []
        _failures = d.pop("failures")
        for failures_item_data in _failures:
            failures_item = JobReadFailuresItem.from_dict(failures_item_data)

            failures.append(failures_item)

        job_read = cls(
            id=id,
            name=name,
            status=status,
            progress=progress,
            attempts=attempts,
            max_attempts=max_attempts,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            next_attempt_at=next_attempt_at,
            error=error,
            result=result,
            failures=failures,
        )

        job_read.additional_properties = d
        return job_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
