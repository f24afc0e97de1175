"""Writes of value-impact roadmaps: create, replace, delete.

One validator (``parse_roadmap``) for REST and GraphQL. Roadmaps are written by the
programme's admin or by an editor of the cluster; analysts read only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from clusters.access import Access
from clusters.models import Cluster, KpiDefinition
from clusters.validation import (
    Problems,
    check_flag,
    check_kpi_value,
    check_text,
    check_year,
    require_body,
)

from ..models import Interpolation, Milestone, Roadmap

ROADMAP_KEYS = {
    "kpi",
    "statement",
    "baseline",
    "milestones",
    "interpolation",
    "data_source",
    "third_party_verified",
}
MAX_MILESTONES = 50


@dataclass
class RoadmapSpec:
    kpi: KpiDefinition
    baseline_year: int
    baseline_value: Decimal
    milestones: list[tuple[int, Decimal]] = field(default_factory=list)
    interpolation: str = Interpolation.LINEAR
    statement: str = ""
    data_source: str = ""
    third_party_verified: bool = False


def parse_roadmap(
    data: Any, *, kpis: dict[str, KpiDefinition], kpi_code: str | None = None
) -> RoadmapSpec:
    """Validate a roadmap body; raise one ValidationError listing every problem.

    ``kpi_code`` is the KPI of the URL for a replace (PUT): the body may repeat it but not
    change it.
    """
    errors = Problems()
    data = require_body(data)
    for key in sorted(set(data) - ROADMAP_KEYS):
        errors.add(key, f"'{key}' is not a field of a roadmap.", "unknown_field")

    code = data.get("kpi", kpi_code)
    kpi = None
    if kpi_code is not None and code != kpi_code:
        errors.add("kpi", f"The KPI of a roadmap cannot change (it is '{kpi_code}').", "immutable")
    elif not isinstance(code, str) or not code:
        errors.add("kpi", "The roadmap's metric (a KPI code) is required.", "required")
    elif code not in kpis:
        errors.add("kpi", f"Unknown KPI '{code}'; define it in /kpis/ first.", "unknown_kpi")
    else:
        kpi = kpis[code]

    interpolation = data.get("interpolation", Interpolation.LINEAR)
    if interpolation not in Interpolation.values:
        errors.add(
            "interpolation",
            f"'{interpolation}' is not one of {', '.join(Interpolation.values)}.",
            "invalid_choice",
        )

    baseline = data.get("baseline")
    baseline_year = baseline_value = None
    if not isinstance(baseline, dict):
        errors.add("baseline", 'The baseline {"year", "value"} is required.', "required")
    else:
        for key in sorted(set(baseline) - {"year", "value"}):
            errors.add(
                f"baseline.{key}", f"'{key}' is not a field of the baseline.", "unknown_field"
            )
        baseline_year = check_year(baseline.get("year"), field="baseline.year", problems=errors)
        baseline_value = check_kpi_value(
            baseline.get("value"), field="baseline.value", problems=errors
        )

    milestones: list[tuple[int, Decimal]] = []
    raw_milestones = data.get("milestones")
    if not isinstance(raw_milestones, list) or not raw_milestones:
        errors.add(
            "milestones", 'At least one milestone {"year", "target"} is required.', "required"
        )
        raw_milestones = []
    elif len(raw_milestones) > MAX_MILESTONES:
        errors.add("milestones", f"At most {MAX_MILESTONES} milestones.", "too_many")
        raw_milestones = []
    seen: dict[int, int] = {}
    targets: dict[int, Decimal] = {}
    for i, row in enumerate(raw_milestones):
        where = f"milestones.{i}"
        if not isinstance(row, dict):
            errors.add(where, "Expected an object.", "invalid")
            continue
        for key in sorted(set(row) - {"year", "target"}):
            errors.add(f"{where}.{key}", f"'{key}' is not a field of a milestone.", "unknown_field")
        year = check_year(row.get("year"), field=f"{where}.year", problems=errors)
        target = check_kpi_value(row.get("target"), field=f"{where}.target", problems=errors)
        if target is not None:
            targets[i] = target
        if year is not None:
            if baseline_year is not None and year <= baseline_year:
                errors.add(
                    f"{where}.year",
                    f"Milestone year {year} is not after the baseline year {baseline_year}.",
                    "not_after_baseline",
                )
            elif year in seen:
                errors.add(
                    f"{where}.year",
                    f"Year {year} appears twice (milestones {seen[year]} and {i}).",
                    "duplicate_year",
                )
            else:
                seen[year] = i
        if year is not None and target is not None:
            milestones.append((year, target))

    if interpolation == Interpolation.COMPOUND:
        if baseline_value is not None and baseline_value <= 0:
            errors.add(
                "baseline.value",
                "Compound interpolation needs a baseline value above 0.",
                "not_positive",
            )
        for i, target in targets.items():
            if target <= 0:
                errors.add(
                    f"milestones.{i}.target",
                    "Compound interpolation needs targets above 0.",
                    "not_positive",
                )

    statement = check_text(data.get("statement"), field="statement", problems=errors, limit=5000)
    data_source = check_text(
        data.get("data_source"), field="data_source", problems=errors, limit=300
    )
    verified = check_flag(
        data.get("third_party_verified"), field="third_party_verified", problems=errors
    )

    errors.raise_if_any()
    assert kpi is not None and baseline_year is not None and baseline_value is not None
    return RoadmapSpec(
        kpi=kpi,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        milestones=sorted(milestones),
        interpolation=interpolation,
        statement=statement or "",
        data_source=data_source or "",
        third_party_verified=verified,
    )


def _require_writer(access: Access, cluster: Cluster) -> None:
    if access.is_admin or (access.is_editor and access.holds_cluster(cluster.pk)):
        return
    raise PermissionDenied("Roadmaps are written by the program_admin or the cluster's editor.")


def _kpis(access: Access) -> dict[str, KpiDefinition]:
    return {k.code: k for k in KpiDefinition.objects.for_program(access.program)}


def _write_milestones(access: Access, roadmap: Roadmap, spec: RoadmapSpec) -> None:
    Milestone.objects.bulk_create(
        Milestone(program=access.program, roadmap=roadmap, year=year, target=target)
        for year, target in spec.milestones
    )


@transaction.atomic
def roadmap_create(*, access: Access, cluster: Cluster, data: Any) -> Roadmap:
    """Give a cluster a roadmap for one KPI (one roadmap per cluster and KPI)."""
    _require_writer(access, cluster)
    spec = parse_roadmap(data, kpis=_kpis(access))
    exists = Roadmap.objects.for_program(access.program).filter(cluster=cluster, kpi=spec.kpi)
    if exists.exists():
        raise ValidationError(
            {
                "kpi": [
                    ValidationError(
                        f"{cluster.slug} already has a roadmap for '{spec.kpi.code}'; PUT to change it.",
                        code="unique",
                    )
                ]
            }
        )
    roadmap = Roadmap.objects.create(
        program=access.program,
        cluster=cluster,
        kpi=spec.kpi,
        statement=spec.statement,
        baseline_year=spec.baseline_year,
        baseline_value=spec.baseline_value,
        interpolation=spec.interpolation,
        data_source=spec.data_source,
        third_party_verified=spec.third_party_verified,
    )
    _write_milestones(access, roadmap, spec)
    return roadmap


@transaction.atomic
def roadmap_replace(*, access: Access, roadmap: Roadmap, data: Any) -> Roadmap:
    """Replace a roadmap's baseline, milestones and description (the KPI stays)."""
    _require_writer(access, roadmap.cluster)
    spec = parse_roadmap(data, kpis=_kpis(access), kpi_code=roadmap.kpi.code)
    roadmap.statement = spec.statement
    roadmap.baseline_year = spec.baseline_year
    roadmap.baseline_value = spec.baseline_value
    roadmap.interpolation = spec.interpolation
    roadmap.data_source = spec.data_source
    roadmap.third_party_verified = spec.third_party_verified
    roadmap.save()
    Milestone.objects.for_program(access.program).filter(roadmap=roadmap).delete()
    _write_milestones(access, roadmap, spec)
    return roadmap


@transaction.atomic
def roadmap_delete(*, access: Access, roadmap: Roadmap) -> None:
    _require_writer(access, roadmap.cluster)
    roadmap.delete()


def _prefixed(exc: ValidationError, prefix: str) -> dict[str, list[ValidationError]]:
    return {f"{prefix}.{field}": errors for field, errors in exc.error_dict.items()}


@transaction.atomic
def roadmaps_replace(*, access: Access, cluster: Cluster, data: Any) -> list[Roadmap]:
    """Replace every roadmap of a cluster with ``data`` (a list of roadmap bodies).

    Roadmaps of KPIs in the list are replaced in place (they keep their creation time),
    new ones are created and the others removed. Problems name the item, e.g.
    ``roadmaps.1.baseline.value``; nothing is written unless every item is valid.
    """
    _require_writer(access, cluster)
    problems: dict[str, list[ValidationError]] = {}
    if not isinstance(data, list):
        raise ValidationError({"roadmaps": [ValidationError("Expected a list.", code="invalid")]})
    if len(data) > MAX_MILESTONES:
        raise ValidationError(
            {"roadmaps": [ValidationError(f"At most {MAX_MILESTONES} roadmaps.", code="too_many")]}
        )
    kpis = _kpis(access)
    specs: list[RoadmapSpec] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        try:
            spec = parse_roadmap(item, kpis=kpis)
        except ValidationError as exc:
            problems.update(_prefixed(exc, f"roadmaps.{i}"))
            continue
        if spec.kpi.code in seen:
            problems[f"roadmaps.{i}.kpi"] = [
                ValidationError(
                    f"'{spec.kpi.code}' appears twice (roadmaps {seen[spec.kpi.code]} and {i}).",
                    code="duplicate",
                )
            ]
            continue
        seen[spec.kpi.code] = i
        specs.append(spec)
    if problems:
        raise ValidationError(problems)
    existing = {
        r.kpi_id: r for r in Roadmap.objects.for_program(access.program).filter(cluster=cluster)
    }
    kept = {spec.kpi.pk for spec in specs}
    Roadmap.objects.for_program(access.program).filter(cluster=cluster).exclude(
        kpi_id__in=kept
    ).delete()
    out = []
    for spec in specs:
        roadmap = existing.get(spec.kpi.pk) or Roadmap(
            program=access.program, cluster=cluster, kpi=spec.kpi
        )
        roadmap.statement = spec.statement
        roadmap.baseline_year = spec.baseline_year
        roadmap.baseline_value = spec.baseline_value
        roadmap.interpolation = spec.interpolation
        roadmap.data_source = spec.data_source
        roadmap.third_party_verified = spec.third_party_verified
        roadmap.save()
        Milestone.objects.for_program(access.program).filter(roadmap=roadmap).delete()
        _write_milestones(access, roadmap, spec)
        out.append(roadmap)
    return out
