"""Export a canvas to a Miro board and import it back: the work of the Miro jobs.

Export: the frame first (created, or updated when this canvas was exported to the board
before), then every block's shape and note's sticky: remembered items are updated
(PATCH), new ones created in bulk calls of at most 20 (Miro's limit; each call is
all-or-nothing), and items of notes that no longer exist are deleted. The ids are saved
after every call, so an export that fails midway is finished by the next one instead of
duplicating what it had created.

Import: every sticky note of the board is read (cursor pagination); a sticky whose centre
lies in a block's area becomes a note of that block, coloured orange means to-be; the others
are reported in ``unplaced``. The canvas is then saved once, as a new version, through the
same service as any other save; if anything fails before that, nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusters.access import Access, system_access
from clusters.crypto import SecretUnreadable, decrypt_text
from clusters.models import Cluster, Job, Program
from clusters.services.jobs import job_fail, job_progress, job_start, job_succeed

from .. import kinds as k
from ..models import MiroBoardLink, MiroConnection
from ..selectors import canvas_view, kind_context
from ..services import canvas_put
from . import board as b
from .client import BULK_LIMIT, MiroClient, MiroError, MiroNotFound

logger = logging.getLogger(__name__)

# Tests replace these (a fake clock and a recorder) so no test ever waits.
sleep: Callable[[float], None] | None = None
transport: Any = None


def client_for(program: Program) -> MiroClient:
    connection = MiroConnection.objects.for_program(program).first()
    if connection is None:
        raise MiroError("Miro is not set up for this programme any more.")
    try:
        token = decrypt_text(connection.token_encrypted)
    except SecretUnreadable as exc:
        raise MiroError("The stored Miro access token cannot be read; set it again.") from exc
    return MiroClient(
        token=token,
        base_url=settings.MIRO_API_URL,
        timeout=settings.MIRO_TIMEOUT_SECONDS,
        max_retries=settings.MIRO_MAX_RETRIES,
        sleep=sleep,
        transport=transport,
    )


def board_url(board: object, board_id: str) -> str:
    link = board.get("viewLink") if isinstance(board, dict) else None
    return (
        link
        if isinstance(link, str) and link.startswith("https://")
        else f"https://miro.com/app/board/{board_id}/"
    )


def _job_access(job: Job) -> Access:
    return system_access(job.program, label=job.requested_by or "miro", via="miro")


def _job_cluster(job: Job) -> Cluster:
    """A Miro job is always about one cluster: the view that queues it names one."""
    if job.cluster is None:
        raise ValueError(f"Miro job {job.pk} names no cluster.")
    return job.cluster


def _model(access: Access, job: Job) -> b.BoardModel:
    kind, alternative = job.params["kind"], job.params["alternative"]
    cluster = _job_cluster(job)
    view = canvas_view(access=access, cluster=cluster, kind=kind, alternative=alternative)
    ctx = kind_context(access=access, cluster=cluster)
    title = f"{cluster.name}: {k.TITLES[kind]}"
    if alternative != k.CURRENT:
        title += f" ({alternative})"
    return b.board_model(kind, view, title=title, sources=ctx.sources, names=ctx.source_names)


def _frame_position(kind: str) -> tuple[float, float]:
    # Each kind gets its own place on a shared board, side by side.
    return (k.KINDS.index(kind) * 2200.0, 0.0)


def export_canvas(job: Job) -> dict[str, Any]:
    access = _job_access(job)
    board_id, kind = job.params["board_id"], job.params["kind"]
    model = _model(access, job)
    link, _ = MiroBoardLink.objects.for_program(access.program).get_or_create(
        program=access.program,
        cluster=job.cluster,
        kind=kind,
        alternative=job.params["alternative"],
        board_id=board_id,
    )
    with client_for(access.program) as client:
        board = client.get_board(board_id)
        job_progress(job=job, progress=0.05)
        frame = b.frame_body(model, _frame_position(kind))
        if link.frame_id:
            try:
                client.update_item(board_id, "frames", link.frame_id, frame)
            except MiroNotFound:  # removed on the board: start again
                link.frame_id, link.items = "", {}
        if not link.frame_id:
            link.frame_id = client.create_frame(board_id, frame)["id"]
            link.items = {}
            link.save(update_fields=["frame_id", "items"])
        wanted: list[tuple[str, str, dict[str, Any]]] = [
            (
                f"block:{block.code}",
                "shapes",
                {"type": "shape", **b.shape_body(block, link.frame_id)},
            )
            for block in model.blocks
        ]
        wanted += [
            (
                key,
                "sticky_notes",
                {"type": "sticky_note", **b.sticky_body(note, cell, link.frame_id)},
            )
            for key, note, cell in model.placed_notes()
        ]
        steps = max(len(wanted), 1)
        done = updated = deleted = 0
        create: list[tuple[str, dict[str, Any]]] = []
        for key, collection, item in wanted:
            item_id = link.items.get(key)
            if item_id:
                body = {name: value for name, value in item.items() if name != "type"}
                try:
                    client.update_item(board_id, collection, item_id, body)
                    updated += 1
                except MiroNotFound:
                    create.append((key, item))
                    link.items.pop(key)
            else:
                create.append((key, item))
            done += 1
            job_progress(job=job, progress=0.05 + 0.45 * done / steps)
        for start in range(0, len(create), BULK_LIMIT):
            chunk = create[start : start + BULK_LIMIT]
            created = client.bulk_create(board_id, [item for _, item in chunk])
            for (key, _), item in zip(chunk, created, strict=True):
                link.items[key] = str(item["id"])
            link.save(update_fields=["items"])
            job_progress(job=job, progress=0.5 + 0.45 * (start + len(chunk)) / len(create))
        keys = {key for key, _, _ in wanted}
        for key in sorted(set(link.items) - keys):
            collection = "shapes" if key.startswith("block:") else "sticky_notes"
            try:
                client.delete_item(board_id, collection, link.items[key])
            except MiroNotFound:
                pass  # already gone from the board: nothing to delete
            del link.items[key]
            deleted += 1
        link.exported_at = timezone.now()
        link.save(update_fields=["items", "exported_at"])
    return {
        "board_url": board_url(board, board_id),
        "board_id": board_id,
        "frame_id": link.frame_id,
        "created": len(create),
        "updated": updated,
        "deleted": deleted,
    }


def _relative(
    item: dict[str, Any], frame: dict[str, Any], frame_id: str
) -> tuple[float, float] | None:
    """A sticky's centre relative to the frame's top-left corner, or None when it is in
    another frame."""
    pos = item.get("position") or {}
    x, y = float(pos.get("x", 0)), float(pos.get("y", 0))
    parent = (item.get("parent") or {}).get("id")
    if parent is not None and str(parent) == frame_id:
        return x, y
    if parent is not None:
        return None
    fpos, fgeo = frame.get("position") or {}, frame.get("geometry") or {}
    left = float(fpos.get("x", 0)) - float(fgeo.get("width", 0)) / 2
    top = float(fpos.get("y", 0)) - float(fgeo.get("height", 0)) / 2
    return x - left, y - top


def _find_frame(client: MiroClient, board_id: str, title: str) -> str | None:
    for item in client.items(board_id, item_type="frame"):
        if (item.get("data") or {}).get("title") == title:
            return str(item["id"])
    return None


def import_canvas(job: Job) -> dict[str, Any]:
    access = _job_access(job)
    board_id, kind, alternative = (
        job.params["board_id"],
        job.params["kind"],
        job.params["alternative"],
    )
    model = _model(access, job)
    link = (
        MiroBoardLink.objects.for_program(access.program)
        .filter(cluster=job.cluster, kind=kind, alternative=alternative, board_id=board_id)
        .first()
    )
    with client_for(access.program) as client:
        board = client.get_board(board_id)
        job_progress(job=job, progress=0.1)
        frame_id = link.frame_id if link is not None and link.frame_id else None
        frame_id = frame_id or _find_frame(client, board_id, model.title)
        if frame_id is None:
            raise MiroError(
                f"The board has no frame '{model.title}': export the canvas to it first."
            )
        try:
            frame = client.get_frame(board_id, frame_id)
        except MiroNotFound as exc:
            raise MiroError(
                "The canvas's frame was removed from the board: export it again."
            ) from exc
        job_progress(job=job, progress=0.2)
        found: list[tuple[str, float, float, str, str]] = []
        unplaced: list[dict[str, str]] = []
        for item in client.items(board_id, item_type="sticky_note"):
            text = b.plain_text((item.get("data") or {}).get("content"))
            where = _relative(item, frame, frame_id)
            block = model.block_at(*where) if where is not None else None
            if where is None or block is None or not text:
                if text:
                    unplaced.append({"text": text, "item_id": str(item.get("id", ""))})
                continue
            colour = (item.get("style") or {}).get("fillColor", "")
            state = k.TO_BE if colour in b.TO_BE_COLOURS else k.AS_IS
            found.append((block, where[1], where[0], text, state))
        job_progress(job=job, progress=0.7)
    order = {block.code: i for i, block in enumerate(model.blocks)}
    notes: dict[str, list[tuple[str, str]]] = {}
    for block, _, _, text, state in sorted(found, key=lambda f: (order[f[0]], f[1], f[2], f[3])):
        notes.setdefault(block, []).append((text, state))
    body = b.body_from_notes(kind, notes)
    canvas = canvas_put(
        access=access, cluster=_job_cluster(job), kind=kind, data=body, alternative=alternative
    )
    if link is not None:
        link.imported_at = timezone.now()
        link.save(update_fields=["imported_at"])
    return {
        "board_url": board_url(board, board_id),
        "board_id": board_id,
        "imported": len(found),
        "unplaced": sorted(unplaced, key=lambda u: (u["item_id"], u["text"])),
        "version": canvas.version,
    }


def _validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        parts = [
            f"{field}: {'; '.join(m for e in errors for m in e.messages)}"
            for field, errors in exc.error_dict.items()
        ]
    else:
        parts = list(exc.messages)
    return "The board's notes do not make a valid canvas: " + " | ".join(parts[:10])


def run_job(*, program_id: int, job_id: int, work: Callable[[Job], dict[str, Any]]) -> None:
    """Load the job inside its programme, run it once, and record how it ended."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return
    job = (
        Job.objects.for_program(program)
        .select_related("cluster", "program")
        .filter(pk=job_id)
        .first()
    )
    if job is None or not job_start(job=job):
        return  # gone, or already run (a duplicate delivery)
    try:
        result = work(job)
    except MiroNotFound as exc:
        job_fail(
            job=job,
            error=f"Miro: the board '{job.params.get('board_id')}' or an item on it was not found ({exc}).",
        )
    except MiroError as exc:
        job_fail(job=job, error=f"Miro: {exc}")
    except ValidationError as exc:
        job_fail(job=job, error=_validation_text(exc))
    except Exception:  # the job is where a failure is reported: record it, never lose it
        logger.exception("Miro job %s failed", job_id)
        job_fail(job=job, error="Internal error while talking to Miro; the canvas is unchanged.")
    else:
        job_succeed(job=job, result=result)
