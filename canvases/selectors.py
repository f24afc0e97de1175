"""Reads of canvases: the current body or a named alternative, versions, a diff.

Every read takes the caller's ``access`` and a cluster already resolved inside it
(``clusters.selectors.registry.cluster_get``), so another programme's or an unheld
cluster never gets this far. A canvas nobody has saved reads as its empty body, version 0.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from clusters.access import Access
from clusters.models import Cluster, FundingSource
from clusters.validation import Problems, check_slug, invalid, shown, whole_number
from impact.selectors.roadmaps import roadmap_body, roadmap_list

from . import kinds as k
from .bodies import KindContext, body_out, empty_body
from .models import Canvas, CanvasVersion

MAX_VERSION = 2**31 - 1  # what the version column holds on every database


def check_kind(raw: Any) -> str:
    """One of the eight kinds (GraphQL arguments; REST URLs only match these)."""
    if raw not in k.KINDS:
        invalid("kind", f"'{raw}' is not one of {', '.join(k.KINDS)}.", "invalid_choice")
    return str(raw)


def check_alternative(raw: Any) -> str:
    """The name of an alternative (a slug; ``current`` when absent)."""
    if raw is None or raw == "":
        return k.CURRENT
    problems = Problems()
    value = check_slug(raw, field="alternative", problems=problems)
    problems.raise_if_any()
    assert value is not None
    return value


def kind_context(*, access: Access, cluster: Cluster, with_sources: bool = True) -> KindContext:
    """What bodies are checked against and drawn with (one query for the catalogue)."""
    sources: dict[str, str] = {}
    names: dict[str, str] = {}
    if with_sources:
        for code, category, name in FundingSource.objects.for_program(access.program).values_list(
            "code", "category", "name"
        ):
            sources[code], names[code] = category, name
    return KindContext(sources=sources, founded_year=cluster.founded_year, source_names=names)


def canvas_row(*, access: Access, cluster: Cluster, kind: str, alternative: str) -> Canvas | None:
    return (
        Canvas.objects.for_program(access.program)
        .filter(cluster=cluster, kind=kind, alternative=alternative)
        .first()
    )


def _stamp(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def roadmaps_body(*, access: Access, cluster: Cluster) -> dict[str, Any]:
    """The cluster's roadmaps as the value-impact-roadmap body (read from ``impact``)."""
    return {
        "roadmaps": [roadmap_body(r) for r in roadmap_list(access=access, cluster_id=cluster.pk)]
    }


def canvas_view(
    *,
    access: Access,
    cluster: Cluster,
    kind: str,
    alternative: str = k.CURRENT,
    year: int | None = None,
) -> dict[str, Any]:
    """The canvas as the API shows it: the body and ``alternative``, ``version``,
    ``created_by``, ``created_at`` beside it. ``Canvas.DoesNotExist`` for an unknown
    alternative. ``year`` picks a self-assessment's latest version of that year."""
    canvas = canvas_row(access=access, cluster=cluster, kind=kind, alternative=alternative)
    if canvas is None and alternative != k.CURRENT:
        raise Canvas.DoesNotExist(f"No alternative '{alternative}' of the {kind}.")
    ctx = KindContext(sources={}, founded_year=cluster.founded_year)
    if year is not None:
        if canvas is None:
            raise CanvasVersion.DoesNotExist(f"No {kind} of {year}.")
        found = (
            CanvasVersion.objects.for_program(access.program)
            .filter(canvas=canvas, body__year=year)
            .order_by("-version")
            .first()
        )
        if found is None:
            raise CanvasVersion.DoesNotExist(f"No {kind} of {year}.")
        return version_view(kind, found, ctx, alternative=alternative)
    if kind == k.VALUE_IMPACT_ROADMAP and alternative == k.CURRENT:
        body = roadmaps_body(access=access, cluster=cluster)
    else:
        body = canvas.body if canvas is not None else empty_body(kind)
    return {
        **body_out(kind, body, ctx),
        "alternative": alternative,
        "version": canvas.version if canvas is not None else 0,
        "created_by": canvas.updated_by if canvas is not None else None,
        "created_at": _stamp(canvas.updated_at) if canvas is not None else None,
    }


def version_view(
    kind: str, version: CanvasVersion, ctx: KindContext, *, alternative: str
) -> dict[str, Any]:
    return {
        **body_out(kind, version.body, ctx),
        "alternative": alternative,
        "version": version.version,
        "created_by": version.created_by,
        "created_at": _stamp(version.created_at),
    }


def canvas_versions(
    *, access: Access, cluster: Cluster, kind: str, alternative: str = k.CURRENT
) -> QuerySet[CanvasVersion]:
    """The canvas's earlier versions, newest first: every saved version but the current one
    (which ``canvas_view`` reads; ``canvas_diff`` still compares with it)."""
    return (
        CanvasVersion.objects.for_program(access.program)
        .filter(canvas__cluster=cluster, canvas__kind=kind, canvas__alternative=alternative)
        .filter(version__lt=F("canvas__version"))
        .order_by("-version")
        .only("version", "created_by", "created_at", "via")
    )


def version_meta(version: CanvasVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "created_by": version.created_by,
        "created_at": _stamp(version.created_at),
        "via": version.via,
    }


def _version(
    access: Access, cluster: Cluster, kind: str, alternative: str, number: Any, field: str
) -> CanvasVersion:
    value = whole_number(number, maximum=MAX_VERSION)
    if value is None:
        invalid(field, f"'{shown(number)}' is not a version number.", "invalid")
    return (
        CanvasVersion.objects.for_program(access.program)
        .filter(canvas__cluster=cluster, canvas__kind=kind, canvas__alternative=alternative)
        .get(version=value)
    )


def canvas_version_view(
    *, access: Access, cluster: Cluster, kind: str, version: Any, alternative: str = k.CURRENT
) -> dict[str, Any]:
    """One saved version; ``CanvasVersion.DoesNotExist`` when there is none."""
    row = _version(access, cluster, kind, alternative, version, "version")
    ctx = KindContext(sources={}, founded_year=cluster.founded_year)
    return version_view(kind, row, ctx, alternative=alternative)


ID_KEYS = ("source", "category", "kpi")


def flatten(value: Any, prefix: str = "") -> dict[str, str | None]:
    """A body as ``{field path: text}``: list items that carry a code (``source``,
    ``category``, ``kpi``) are keyed by it, others by their position."""
    out: dict[str, str | None] = {}

    def join(key: Any) -> str:
        return f"{prefix}.{key}" if prefix else str(key)

    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, join(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            id_key = next((x for x in ID_KEYS if isinstance(item, dict) and x in item), None)
            if id_key is None:
                out.update(flatten(item, join(i)))
            else:
                rest = {key: v for key, v in item.items() if key != id_key}
                out.update(flatten(rest, join(item[id_key])))
                if not rest:
                    out.setdefault(join(item[id_key]), None)
    elif value is None:
        out[prefix] = None
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)
    return out


def body_diff(old: Any, new: Any) -> list[dict[str, str | None]]:
    a, b = flatten(old), flatten(new)
    return [
        {"field": f, "from": a.get(f), "to": b.get(f)}
        for f in sorted(set(a) | set(b))
        if a.get(f) != b.get(f)
    ]


def canvas_diff(
    *,
    access: Access,
    cluster: Cluster,
    kind: str,
    from_version: Any,
    to_version: Any,
    alternative: str = k.CURRENT,
) -> dict[str, Any]:
    """What changed from one saved version to another, field by field."""
    old = _version(access, cluster, kind, alternative, from_version, "from")
    new = _version(access, cluster, kind, alternative, to_version, "to")
    return {
        "from": version_meta(old),
        "to": version_meta(new),
        "changes": body_diff(old.body, new.body),
    }


def canvas_alternatives(*, access: Access, cluster: Cluster, kind: str) -> list[dict[str, Any]]:
    """Every named alternative of the kind side by side, ``current`` first."""
    rows = list(
        Canvas.objects.for_program(access.program)
        .filter(cluster=cluster, kind=kind)
        .order_by("alternative")
    )
    ctx = KindContext(sources={}, founded_year=cluster.founded_year)
    out = []
    if not any(r.alternative == k.CURRENT for r in rows):
        out.append(canvas_view(access=access, cluster=cluster, kind=kind))
    for row in sorted(rows, key=lambda r: (r.alternative != k.CURRENT, r.alternative)):
        if kind == k.VALUE_IMPACT_ROADMAP and row.alternative == k.CURRENT:
            body = roadmaps_body(access=access, cluster=cluster)
        else:
            body = row.body
        out.append(
            {
                **body_out(kind, body, ctx),
                "alternative": row.alternative,
                "version": row.version,
                "created_by": row.updated_by,
                "created_at": _stamp(row.updated_at),
            }
        )
    return out
