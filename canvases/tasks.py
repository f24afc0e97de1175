"""Celery tasks of the canvases app: they take ids, load the job inside its programme and
run the Miro export or import (canvases.miro.sync). A duplicate delivery finds the job no
longer queued and does nothing."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="canvases.miro_export", acks_late=True)
def miro_export(program_id: int, job_id: int) -> None:
    from .miro.sync import export_canvas, run_job

    run_job(program_id=program_id, job_id=job_id, work=export_canvas)


@shared_task(name="canvases.miro_import", acks_late=True)
def miro_import(program_id: int, job_id: int) -> None:
    from .miro.sync import import_canvas, run_job

    run_job(program_id=program_id, job_id=job_id, work=import_canvas)
