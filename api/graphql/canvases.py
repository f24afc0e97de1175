"""GraphQL: canvases (bodies as JSON, the same objects as REST), versions and diffs, the
canvases derived from the approved submissions, Miro export/import jobs, and jobs.

Resolvers map arguments to the canvases selectors and services; every rule is there."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from canvases import actuals, selectors
from canvases import kinds as k
from canvases import services as svc
from clusters.selectors.jobs import job_get
from clusters.selectors.registry import cluster_get

from .context import Context
from .jobs import JobType, job_type


@strawberry.type(name="Canvas")
class CanvasType:
    kind: str
    alternative: str
    version: int
    created_by: str | None
    created_at: dt.datetime | None
    body: JSON = strawberry.field(description="The canvas body, as REST shows it.")


@strawberry.type(name="CanvasVersionInfo")
class VersionInfoType:
    version: int
    created_by: str
    created_at: dt.datetime
    via: str


@strawberry.type(name="CanvasChange")
class ChangeType:
    field: str
    from_: str | None = strawberry.field(name="from")
    to: str | None


@strawberry.type(name="CanvasDiff")
class DiffType:
    from_: VersionInfoType = strawberry.field(name="from")
    to: VersionInfoType
    changes: list[ChangeType]


META = ("alternative", "version", "created_by", "created_at")


def _moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _time(value: str | None) -> dt.datetime | None:
    return _moment(value) if value else None


def _canvas(kind: str, view: dict[str, Any]) -> CanvasType:
    return CanvasType(
        kind=kind,
        alternative=view["alternative"],
        version=view["version"],
        created_by=view["created_by"],
        created_at=_time(view["created_at"]),
        body=JSON({key: v for key, v in view.items() if key not in META}),
    )


def _info(meta: dict[str, Any]) -> VersionInfoType:
    return VersionInfoType(
        version=meta["version"],
        created_by=meta["created_by"],
        created_at=_moment(meta["created_at"]),
        via=meta["via"],
    )


def _scope(info: Info, program: str, cluster: str) -> tuple[Any, Any]:
    ctx: Context = info.context
    access = ctx.require_access(program)
    return access, cluster_get(access=access, slug=cluster)


AltArg = Annotated[
    str | None, strawberry.argument(description="A named alternative; current when absent.")
]


@strawberry.type
class Query:
    @strawberry.field(description="A cluster's canvas of a kind (e.g. business-model-map).")
    def canvas(
        self,
        info: Info,
        program: str,
        cluster: str,
        kind: str,
        alternative: AltArg = None,
        year: int | None = None,
    ) -> CanvasType:
        access, instance = _scope(info, program, cluster)
        kind = selectors.check_kind(kind)
        view = selectors.canvas_view(
            access=access,
            cluster=instance,
            kind=kind,
            alternative=selectors.check_alternative(alternative),
            year=year,
        )
        return _canvas(kind, view)

    @strawberry.field(description="Every named alternative of a kind side by side, current first.")
    def canvas_alternatives(
        self, info: Info, program: str, cluster: str, kind: str
    ) -> list[CanvasType]:
        access, instance = _scope(info, program, cluster)
        kind = selectors.check_kind(kind)
        views = selectors.canvas_alternatives(access=access, cluster=instance, kind=kind)
        return [_canvas(kind, v) for v in views]

    @strawberry.field(
        description="A canvas's earlier versions (not the current one), newest first."
    )
    def canvas_versions(
        self, info: Info, program: str, cluster: str, kind: str, alternative: AltArg = None
    ) -> list[VersionInfoType]:
        access, instance = _scope(info, program, cluster)
        rows = selectors.canvas_versions(
            access=access,
            cluster=instance,
            kind=selectors.check_kind(kind),
            alternative=selectors.check_alternative(alternative),
        )
        return [_info(selectors.version_meta(v)) for v in rows]

    @strawberry.field(description="One saved version of a canvas.")
    def canvas_version(
        self,
        info: Info,
        program: str,
        cluster: str,
        kind: str,
        version: int,
        alternative: AltArg = None,
    ) -> CanvasType:
        access, instance = _scope(info, program, cluster)
        kind = selectors.check_kind(kind)
        view = selectors.canvas_version_view(
            access=access,
            cluster=instance,
            kind=kind,
            version=version,
            alternative=selectors.check_alternative(alternative),
        )
        return _canvas(kind, view)

    @strawberry.field(description="What changed between two saved versions, field by field.")
    def canvas_diff(
        self,
        info: Info,
        program: str,
        cluster: str,
        kind: str,
        from_: Annotated[int, strawberry.argument(name="from")],
        to: int,
        alternative: AltArg = None,
    ) -> DiffType:
        access, instance = _scope(info, program, cluster)
        data = selectors.canvas_diff(
            access=access,
            cluster=instance,
            kind=selectors.check_kind(kind),
            from_version=from_,
            to_version=to,
            alternative=selectors.check_alternative(alternative),
        )
        return DiffType(
            from_=_info(data["from"]),
            to=_info(data["to"]),
            changes=[
                ChangeType(field=c["field"], from_=c["from"], to=c["to"]) for c in data["changes"]
            ],
        )

    @strawberry.field(
        description="The business-model map or financing model derived from the approved "
        "submission of a year (the REST `actual` object)."
    )
    def canvas_actual(self, info: Info, program: str, cluster: str, kind: str, year: int) -> JSON:
        access, instance = _scope(info, program, cluster)
        return JSON(actuals.actual_view(access=access, cluster=instance, kind=kind, year=year))

    @strawberry.field(
        description="Each evolution-map stage planned against the approved submission of its year."
    )
    def evolution_compare(
        self, info: Info, program: str, cluster: str, alternative: AltArg = None
    ) -> JSON:
        access, instance = _scope(info, program, cluster)
        canvas = selectors.canvas_row(
            access=access,
            cluster=instance,
            kind=k.EVOLUTION_MAP,
            alternative=selectors.check_alternative(alternative),
        )
        stages = canvas.body.get("stages", []) if canvas is not None else []
        return JSON(actuals.evolution_compare(access=access, cluster=instance, stages=stages))

    @strawberry.field(description="A job (Miro export or import, a report) the caller may see.")
    def job(self, info: Info, program: str, id: strawberry.ID) -> JobType:
        access = info.context.require_access(program)
        return job_type(job_get(access=access, job_id=id))

    @strawberry.field(description="Whether the programme's Miro access token is set (admins).")
    def miro_configured(self, info: Info, program: str) -> bool:
        return svc.miro_configured(access=info.context.require_access(program))


def _miro_job(
    request: Any,
    info: Info,
    program: str,
    cluster: str,
    kind: str,
    board_id: str,
    alternative: str | None,
) -> JobType:
    """A Miro export or import asked for over GraphQL: the same service as REST, its job."""
    access, instance = _scope(info, program, cluster)
    data = {"board_id": board_id, **({"alternative": alternative} if alternative else {})}
    job = request(access=access, cluster=instance, kind=selectors.check_kind(kind), data=data)
    job.refresh_from_db()
    return job_type(job)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Save a canvas: a new version (the cluster's editors, admins)."
    )
    def put_canvas(
        self,
        info: Info,
        program: str,
        cluster: str,
        kind: str,
        body: JSON,
        alternative: AltArg = None,
        if_match: int | None = None,
    ) -> CanvasType:
        access, instance = _scope(info, program, cluster)
        kind = selectors.check_kind(kind)
        name = selectors.check_alternative(alternative)
        svc.canvas_put(
            access=access,
            cluster=instance,
            kind=kind,
            data=body,
            alternative=name,
            if_match=if_match,
        )
        view = selectors.canvas_view(access=access, cluster=instance, kind=kind, alternative=name)
        return _canvas(kind, view)

    @strawberry.mutation(
        description="Save the map or financing model derived from a year's approved submission as the current one."
    )
    def save_actual_canvas(
        self, info: Info, program: str, cluster: str, kind: str, year: int
    ) -> CanvasType:
        access, instance = _scope(info, program, cluster)
        svc.canvas_save_actual(access=access, cluster=instance, kind=kind, year=year)
        view = selectors.canvas_view(access=access, cluster=instance, kind=kind)
        return _canvas(kind, view)

    @strawberry.mutation(description="Export a canvas to a Miro board: a job.")
    def export_canvas_to_miro(
        self,
        info: Info,
        program: str,
        cluster: str,
        kind: str,
        board_id: str,
        alternative: AltArg = None,
    ) -> JobType:
        return _miro_job(
            svc.miro_export_request, info, program, cluster, kind, board_id, alternative
        )

    @strawberry.mutation(description="Import a canvas from a Miro board: a job.")
    def import_canvas_from_miro(
        self,
        info: Info,
        program: str,
        cluster: str,
        kind: str,
        board_id: str,
        alternative: AltArg = None,
    ) -> JobType:
        return _miro_job(
            svc.miro_import_request, info, program, cluster, kind, board_id, alternative
        )

    @strawberry.mutation(
        description="Set (or with an empty token, remove) the programme's Miro access token (admins). Answers whether it is configured."
    )
    def set_miro_access_token(self, info: Info, program: str, access_token: str) -> bool:
        access = info.context.require_access(program)
        return svc.miro_token_set(access=access, data={"access_token": access_token}) is not None
