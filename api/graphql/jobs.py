"""GraphQL: the generic job (Miro export and import, reports), shared by the modules that
start jobs."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.scalars import JSON

from clusters.models import Job
from clusters.selectors.jobs import job_data


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@strawberry.type(name="Job")
class JobType:
    id: int
    kind: str
    state: str
    progress: float
    result: JSON | None
    error: str | None
    cluster: str | None
    requested_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def job_type(job: Job) -> JobType:
    data = job_data(job)
    return JobType(
        **{
            key: data[key]
            for key in (
                "id",
                "kind",
                "state",
                "progress",
                "result",
                "error",
                "cluster",
                "requested_by",
            )
        },
        created_at=_time(data["created_at"]),  # type: ignore[arg-type]
        started_at=_time(data["started_at"]),
        finished_at=_time(data["finished_at"]),
    )
