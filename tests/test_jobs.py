"""Jobs: visible to whoever may see what they work on; their state as the worker left it."""

from __future__ import annotations

import pytest

from clusters.models import Job
from clusters.services.jobs import job_fail, job_progress, job_start, job_succeed

pytestmark = pytest.mark.django_db


def _job(cast, cluster=None, pk=None):
    return Job.objects.create(pk=pk, program=cast.prog_a, cluster=cluster, kind="report.annual")


def test_a_job_moves_queued_running_succeeded_with_progress(cast):
    job = _job(cast, cast.a1)
    assert job_start(job=job) is True
    assert job_start(job=job) is False  # a duplicate delivery does not run it again
    job_progress(job=job, progress=0.25)
    mid = cast.editor_a1.client().get(f"/api/v1/programs/prog-a/jobs/{job.pk}/").json()
    job_succeed(job=job, result={"board_url": "https://miro.com/app/board/x/"})

    done = cast.editor_a1.client().get(f"/api/v1/programs/prog-a/jobs/{job.pk}/").json()

    assert (mid["state"], mid["progress"]) == ("running", 0.25)
    assert {
        k: done[k] for k in ("id", "kind", "state", "progress", "result", "error", "cluster")
    } == {
        "id": job.pk,
        "kind": "report.annual",
        "state": "succeeded",
        "progress": 1.0,
        "result": {"board_url": "https://miro.com/app/board/x/"},
        "error": None,
        "cluster": "a1",
    }


def test_a_failed_job_says_why(cast):
    job = _job(cast, cast.a1)
    job_start(job=job)
    job_fail(job=job, error="Miro: the board was not found.")

    got = cast.analyst_a.client().get(f"/api/v1/programs/prog-a/jobs/{job.pk}/").json()

    assert (got["state"], got["error"]) == ("failed", "Miro: the board was not found.")


def test_who_sees_which_job(cast):
    on_a2, programme_wide = _job(cast, cast.a2), _job(cast)

    def status(member, job):
        return member.client().get(f"/api/v1/programs/prog-a/jobs/{job.pk}/").status_code

    assert [status(m, on_a2) for m in (cast.admin_a, cast.analyst_a, cast.editor_a1)] == [
        200,
        200,
        404,
    ]
    assert [status(m, programme_wide) for m in (cast.admin_a, cast.analyst_a, cast.editor_a1)] == [
        200,
        200,
        404,
    ]
    assert cast.admin_a.client().get("/api/v1/programs/prog-a/jobs/999999/").status_code == 404
    assert cast.admin_b.client().get(f"/api/v1/programs/prog-b/jobs/{on_a2.pk}/").status_code == 404


def test_a_job_the_broker_cannot_take_fails_with_a_reason(cast, django_capture_on_commit_callbacks):
    from clusters.services.jobs import job_enqueue

    def broker_down(program_id, job_id):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    job = _job(cast, cast.a1)
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job=job, run=broker_down)

    body = cast.admin_a.client().get(f"/api/v1/programs/prog-a/jobs/{job.pk}/").json()
    assert (body["state"], body["error"]) == (
        "failed",
        "The job could not be queued (the task broker is unavailable); ask for it again in a "
        "moment.",
    )
