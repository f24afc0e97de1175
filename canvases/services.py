"""Writes of canvases: save a body (a new version), save a derived map, the Miro token,
and ask for a Miro export or import (a job).

Editors write their own clusters' canvases, admins every cluster's; analysts read only.
Every save validates first, then writes the canvas and its new version in one
transaction; a save that changes nothing writes no version.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from clusters import hooks
from clusters.access import Access
from clusters.crypto import encrypt_text
from clusters.errors import StaleVersion, StateConflict
from clusters.models import Cluster, Job, KpiDefinition
from clusters.numbers import number_text
from clusters.services.jobs import job_create, job_enqueue
from clusters.validation import (
    MAX_NAME,
    Problems,
    check_keys,
    check_list,
    check_text,
    invalid,
    require_body,
)
from impact.services.roadmaps import parse_roadmap, roadmaps_replace

from . import actuals
from . import kinds as k
from .bodies import PARSERS, KindContext
from .models import Canvas, CanvasVersion, MiroConnection
from .selectors import check_alternative, kind_context, roadmaps_body

MIRO_EXPORT, MIRO_IMPORT = "canvas.miro_export", "canvas.miro_import"
MAX_ROADMAPS = 50


def require_canvas_writer(access: Access, cluster: Cluster) -> None:
    if access.is_admin or (access.is_editor and access.holds_cluster(cluster.pk)):
        return
    raise PermissionDenied("Canvases are written by the program_admin or the cluster's editor.")


def _roadmap_alternative(access: Access, data: dict[str, Any]) -> dict[str, Any]:
    """A roadmap scenario: checked like the real roadmaps, stored only as a body."""
    listed = Problems()
    raw = check_list(data.get("roadmaps"), field="roadmaps", problems=listed, limit=MAX_ROADMAPS)
    listed.raise_if_any()
    kpis = {x.code: x for x in KpiDefinition.objects.for_program(access.program)}
    problems: dict[str, list[ValidationError]] = {}
    out = []
    for i, item in enumerate(raw):
        try:
            spec = parse_roadmap(item, kpis=kpis)
        except ValidationError as exc:
            problems.update({f"roadmaps.{i}.{f}": e for f, e in exc.error_dict.items()})
            continue
        out.append(
            {
                "kpi": spec.kpi.code,
                "statement": spec.statement,
                "baseline": {"year": spec.baseline_year, "value": number_text(spec.baseline_value)},
                "milestones": [{"year": y, "target": number_text(t)} for y, t in spec.milestones],
                "interpolation": spec.interpolation,
                "data_source": spec.data_source,
                "third_party_verified": spec.third_party_verified,
            }
        )
    if problems:
        raise ValidationError(problems)
    return {"roadmaps": out}


def _parse(
    access: Access, cluster: Cluster, kind: str, alternative: str, data: Any
) -> tuple[dict[str, Any], bool]:
    """The body to store, and whether impact's roadmaps must be replaced with it."""
    if kind == k.VALUE_IMPACT_ROADMAP:
        body = require_body(data)
        problems = Problems()
        check_keys(
            {key: v for key, v in body.items() if key not in k.READ_ONLY_KEYS},
            allowed=("roadmaps",),
            problems=problems,
            what="a value impact roadmap",
        )
        problems.raise_if_any()
        if alternative == k.CURRENT:
            return body, True
        return _roadmap_alternative(access, body), False
    ctx: KindContext = kind_context(access=access, cluster=cluster)
    return PARSERS[kind](data, ctx), False


def _if_match_ok(if_match: Any, version: int) -> bool:
    if if_match is None or if_match == "":
        return True
    text = str(if_match).strip()
    if text == "*":
        return version > 0
    return text.removeprefix("W/").strip('"') == str(version)


@transaction.atomic
def canvas_put(
    *,
    access: Access,
    cluster: Cluster,
    kind: str,
    data: Any,
    alternative: Any = None,
    if_match: Any = None,
) -> Canvas:
    """Save the canvas of ``kind`` (its ``alternative``, ``current`` by default).

    A new version is written with who and when; the value-impact roadmap's current body
    replaces the cluster's roadmaps in ``impact``. ``if_match`` (the version read) turns a
    concurrent change into ``StaleVersion``.
    """
    require_canvas_writer(access, cluster)
    name = check_alternative(alternative)
    body, is_roadmaps = _parse(access, cluster, kind, name, data)
    canvas = (
        Canvas.objects.for_program(access.program)
        .select_for_update()
        .filter(cluster=cluster, kind=kind, alternative=name)
        .first()
    )
    version = canvas.version if canvas is not None else 0
    if not _if_match_ok(if_match, version):
        raise StaleVersion(
            f"The {kind} is at version {version}, not {if_match}; read it again.",
            code="stale_version",
        )
    if is_roadmaps:
        roadmaps_replace(access=access, cluster=cluster, data=body.get("roadmaps"))
        body = roadmaps_body(access=access, cluster=cluster)
    return _record(access, cluster, kind, name, canvas, body)


def _record(
    access: Access,
    cluster: Cluster,
    kind: str,
    name: str,
    canvas: Canvas | None,
    body: dict[str, Any],
) -> Canvas:
    if canvas is None:
        canvas = Canvas(program=access.program, cluster=cluster, kind=kind, alternative=name)
        # tells the REST view to answer 201: not a model field.
        canvas.is_new = True  # type: ignore[attr-defined]
    elif canvas.version > 0 and canvas.body == body:
        return canvas  # nothing changed: no new version
    canvas.body = body
    canvas.version += 1
    canvas.updated_by = access.label
    canvas.save()
    CanvasVersion.objects.create(
        program=access.program,
        canvas=canvas,
        version=canvas.version,
        body=body,
        created_by=access.label,
        created_by_user=access.user if access.user_id else None,
        via=access.via,
    )
    # Who follows canvases (webhooks' canvas.updated) hears of the new version in this
    # transaction: a save that rolls back announces nothing.
    hooks.announce(
        hooks.Event(
            hooks.CANVAS_UPDATED,
            access.program.pk,
            (),
            {"cluster": cluster.slug, "kind": kind, "alternative": name, "version": canvas.version},
        )
    )
    return canvas


@transaction.atomic
def canvas_save_actual(*, access: Access, cluster: Cluster, kind: str, year: Any) -> Canvas:
    """Save the map or financing model derived from the approved submission of ``year`` as
    the cluster's current one (a new version)."""
    require_canvas_writer(access, cluster)
    if kind == k.BUSINESS_MODEL_MAP:
        derived = actuals.map_actual_body(access=access, cluster=cluster, year=year)
    elif kind == k.FINANCING_MODEL:
        derived = actuals.financing_actual_body(access=access, cluster=cluster, year=year)
    else:
        invalid("kind", actuals.NOT_DERIVED.format(kind=kind), "invalid_choice")
    body = PARSERS[kind](derived, kind_context(access=access, cluster=cluster))
    canvas = (
        Canvas.objects.for_program(access.program)
        .select_for_update()
        .filter(cluster=cluster, kind=kind, alternative=k.CURRENT)
        .first()
    )
    return _record(access.with_via("derived"), cluster, kind, k.CURRENT, canvas, body)


# --- Miro ---------------------------------------------------------------------------------

MAX_TOKEN = 2000


@transaction.atomic
def miro_token_set(*, access: Access, data: Any) -> MiroConnection | None:
    """Set (or with an empty ``access_token``, remove) the programme's Miro access token."""
    access.require_admin("Setting the Miro access token")
    body = require_body(data)
    problems = Problems()
    check_keys(body, allowed=("access_token",), problems=problems, what="the Miro integration")
    token = check_text(
        body.get("access_token"), field="access_token", problems=problems, limit=MAX_TOKEN
    )
    if token is not None and token != token.strip():
        problems.add("access_token", "The token has spaces around it.", "invalid")
    if "access_token" not in body:
        problems.add("access_token", "The Miro access token is required.", "required")
    problems.raise_if_any()
    existing = MiroConnection.objects.for_program(access.program).select_for_update().first()
    if not token:
        if existing is not None:
            existing.delete()
        return None
    connection = existing or MiroConnection(program=access.program)
    connection.token_encrypted = encrypt_text(token)
    connection.updated_by = access.label
    connection.save()
    return connection


def miro_configured(*, access: Access) -> bool:
    access.require_admin("Reading the Miro integration")
    return MiroConnection.objects.for_program(access.program).exists()


def _miro_request(
    *, access: Access, cluster: Cluster, kind: str, data: Any, job_kind: str
) -> tuple[Job, dict[str, Any]]:
    if not (access.is_admin or (access.is_editor and access.holds_cluster(cluster.pk))):
        raise PermissionDenied(
            "Miro export and import are for the program_admin and the cluster's editor."
        )
    body = require_body(data)
    problems = Problems()
    check_keys(body, allowed=("board_id", "alternative"), problems=problems, what="a Miro request")
    board = check_text(
        body.get("board_id"), field="board_id", problems=problems, limit=MAX_NAME, required=True
    )
    if board is not None and (not board.strip() or any(c in board for c in "/?#\\ ")):
        problems.add("board_id", "A Miro board id has no spaces, slashes, '?' or '#'.", "invalid")
    problems.raise_if_any()
    name = check_alternative(body.get("alternative"))
    if job_kind == MIRO_IMPORT and kind not in IMPORTABLE:
        raise ValidationError(
            {
                "kind": [
                    ValidationError(
                        f"Importing from Miro is offered for {', '.join(IMPORTABLE)}.",
                        code="import_not_supported",
                    )
                ]
            }
        )
    if not MiroConnection.objects.for_program(access.program).exists():
        raise StateConflict(
            "Miro is not set up for this programme: an admin PUTs its access token to "
            "/integrations/miro/ first.",
            code="miro_not_configured",
            field="access_token",
        )
    params = {"kind": kind, "alternative": name, "board_id": board}
    return job_create(access=access, kind=job_kind, cluster=cluster, params=params), params


IMPORTABLE = (k.BUSINESS_MODEL_CANVAS, k.STRATEGY, k.VALUE_TRIANGLE)


@transaction.atomic
def miro_export_request(*, access: Access, cluster: Cluster, kind: str, data: Any) -> Job:
    """Queue an export of the canvas to a Miro board (a job)."""
    from .tasks import miro_export

    job, _ = _miro_request(
        access=access, cluster=cluster, kind=kind, data=data, job_kind=MIRO_EXPORT
    )
    job_enqueue(job=job, run=miro_export.delay)
    return job


@transaction.atomic
def miro_import_request(*, access: Access, cluster: Cluster, kind: str, data: Any) -> Job:
    """Queue an import of the canvas from a Miro board (a job)."""
    from .tasks import miro_import

    job, _ = _miro_request(
        access=access, cluster=cluster, kind=kind, data=data, job_kind=MIRO_IMPORT
    )
    job_enqueue(job=job, run=miro_import.delay)
    return job
