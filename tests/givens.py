"""The givens the test files share: periods, submissions, the demo, request bodies and URLs.

A given is not the behaviour under test, so submissions, their lines, periods and fx rates
are written straight into the scoped models (the services have their own tests); the
standing cast (conftest.py) and factories (tests/factories.py) go through the services.
The fixtures at the end (`demo`, `staff_of_a`, `recomputes`) reach every test through the
root conftest.py.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.utils import timezone

from clusters import hooks
from clusters.demo import DEMO_CLUSTERS, DEMO_FX_RATES, DEMO_SUBMISSIONS
from clusters.models import (
    Cluster,
    CostLine,
    FundingLine,
    FundingSource,
    FxRate,
    KpiDefinition,
    KpiValue,
    Membership,
    Program,
    ReportingPeriod,
    Role,
    Submission,
)
from tests.factories import ClusterFactory, UserFactory

YEAR = 2021

# --- periods ---------------------------------------------------------------------------


def open_period(
    program: Program,
    year: int = YEAR,
    *,
    state: str = "open",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> ReportingPeriod:
    """The period of ``year``, open today (editors may write) unless told otherwise."""
    today = timezone.localdate()
    period, _ = ReportingPeriod.objects.for_program(program).update_or_create(
        program=program,
        year=year,
        defaults={
            "opens_on": opens_on or today - dt.timedelta(days=30),
            "closes_on": closes_on or today + dt.timedelta(days=30),
            "state": state,
        },
    )
    return period


def past_period(program: Program, year: int) -> ReportingPeriod:
    """The period of ``year`` as years are reported, January to March of the next year; an
    existing period is kept as it is."""
    period, _ = ReportingPeriod.objects.for_program(program).get_or_create(
        program=program,
        year=year,
        defaults={"opens_on": dt.date(year + 1, 1, 1), "closes_on": dt.date(year + 1, 3, 31)},
    )
    return period


# --- submissions -----------------------------------------------------------------------


def _line_details(details: tuple[Any, ...]) -> dict[str, Any]:
    if not details:
        return {}
    if isinstance(details[0], dict):
        return details[0]
    in_kind, restricted, note = (*details, False, False, "")[:3]
    return {"in_kind": bool(in_kind), "restricted": bool(restricted), "note": note or ""}


def add_submission(
    cluster: Cluster,
    year: int = YEAR,
    *,
    currency: str | None = None,
    state: str = "approved",
    funding: Iterable[tuple[Any, ...]] = (),
    costs: Iterable[tuple[str, ...]] = (),
    kpis: Iterable[tuple[str, str]] = (),
    version: int = 1,
) -> Submission:
    """A submission of ``cluster`` in ``state`` (approved: it counts in the figures), in the
    programme's currency unless told, with its period. Funding rows are (source, amount),
    (source, amount, {"in_kind": ..., "restricted": ..., "note": ...}) or (source, amount,
    in_kind, restricted, note); cost rows (category, amount) or (category, amount, note)."""
    program = cluster.program
    past_period(program, year)
    sub = Submission.objects.create(
        program=program,
        cluster=cluster,
        year=year,
        currency=currency or program.currency,
        state=state,
        version=version,
    )
    sources = {s.code: s for s in FundingSource.objects.for_program(program)}
    definitions = {k.code: k for k in KpiDefinition.objects.for_program(program)}
    FundingLine.objects.bulk_create(
        FundingLine(
            program=program,
            submission=sub,
            source=sources[row[0]],
            amount=Decimal(row[1]),
            **_line_details(row[2:]),
        )
        for row in funding
    )
    CostLine.objects.bulk_create(
        CostLine(
            program=program,
            submission=sub,
            category=c,
            amount=Decimal(a),
            note=details[0] if details else "",
        )
        for c, a, *details in costs
    )
    KpiValue.objects.bulk_create(
        KpiValue(program=program, submission=sub, kpi=definitions[c], value=Decimal(v))
        for c, v in kpis
    )
    return sub


def fx(program: Program, year: int, currency: str, rate: str) -> FxRate:
    return FxRate.objects.create(program=program, year=year, currency=currency, rate=Decimal(rate))


def load_demo(program: Program, *, years: Iterable[int] | None = None) -> dict[str, Cluster]:
    """The demo's clusters, fx rates and submissions (clusters/demo.py, the worked examples
    of docs/) in ``program``; only the submissions of ``years`` when given."""
    clusters = {d["slug"]: ClusterFactory.create(program=program, **d) for d in DEMO_CLUSTERS}
    for year, currency, rate in DEMO_FX_RATES:
        fx(program, year, currency, rate)
    for d in DEMO_SUBMISSIONS:
        if years is not None and d["year"] not in years:
            continue
        add_submission(
            clusters[d["cluster"]],
            d["year"],
            currency=d["currency"],
            state=d["state"],
            funding=d["funding"],
            costs=d["costs"],
            kpis=d["kpis"],
        )
    return clusters


# --- request bodies and URLs -----------------------------------------------------------

# The ocean tech cluster's 2021 submission (in EUR), as a PUT body.
OCEAN_2021: dict[str, Any] = {
    "currency": "EUR",
    "funding": [
        {"source": "national_cluster_programme", "amount": "400000.00"},
        {"source": "local_government", "amount": "50000.00"},
        {"source": "membership_fees", "amount": "200000.00"},
        {"source": "member_activities", "amount": "50000.00"},
        {"source": "eu_projects", "amount": "300000.00", "restricted": True, "note": "Horizon"},
    ],
    "costs": [
        {"category": "staff", "amount": "650000.00"},
        {"category": "operations", "amount": "100000.00"},
        {"category": "projects", "amount": "250000.00"},
    ],
    "kpis": [{"code": "members_total", "value": "165"}, {"code": "members_capital", "value": "9"}],
    "staff_fte": "3",
    "notes": "10th year",
}


def body(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(OCEAN_2021)
    data.update(changes)
    return data


def sub_url(
    program: str = "prog-a", cluster: str = "a1", year: int | None = YEAR, suffix: str = ""
) -> str:
    base = f"/api/v1/programs/{program}/clusters/{cluster}/submissions/"
    if year is None:
        return base
    return f"{base}{year}/{suffix}"  # suffix: "", "submit", "approve", "history"...


# --- facts files -----------------------------------------------------------------------

FACTS_HEADER = "cluster,year,currency,line,code,amount\n"


def csv_text(*rows: str) -> str:
    return FACTS_HEADER + "".join(f"{r}\n" for r in rows)


def content(program: Program, *, details: bool = False) -> dict[tuple[str, int], dict]:
    """Every submission of the programme as comparable plain data; with ``details``, the
    lines' flags and notes too."""
    out: dict[tuple[str, int], dict] = {}
    subs = (
        Submission.objects.for_program(program)
        .select_related("cluster")
        .prefetch_related("funding__source", "costs", "kpis__kpi")
    )
    for s in subs:
        out[(s.cluster.slug, s.year)] = {
            "currency": s.currency,
            "state": s.state,
            "funding": sorted(
                (f.source.code, f.amount, f.in_kind, f.restricted, f.note)[: 5 if details else 2]
                for f in s.funding.all()
            ),
            "costs": sorted(
                (c.category, c.amount, c.note)[: 3 if details else 2] for c in s.costs.all()
            ),
            "kpis": sorted((k.kpi.code, k.value) for k in s.kpis.all()),
        }
    return out


# --- expected answers ------------------------------------------------------------------

UNAUTHENTICATED_GRAPHQL = {
    "errors": [
        {
            "message": "Send a token as 'Authorization: Bearer <token>'.",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
}


def problem(status: int, detail: str, code: str | None = None, **extra: Any) -> dict[str, Any]:
    """The exact RFC 9457 body the API answers with."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if code is not None:
        body["code"] = code
    return body | extra


NOT_FOUND = problem(404, "Not found.", "not_found")
BAD_TOKEN = problem(401, "The token is unknown, expired or revoked.", "invalid_token")
PORTFOLIO_ROLES = problem(
    403,
    "Portfolio figures are for the program_admin and program_analyst roles.",
    "permission_denied",
)


def stale(version: int, if_match: str) -> dict[str, Any]:
    message = (
        f"The submission is at version {version}; your If-Match ({if_match}) is stale. "
        "GET it again and reapply your change."
    )
    return problem(
        412,
        message,
        "precondition_failed",
        errors=[{"field": "If-Match", "code": "precondition_failed", "message": message}],
    )


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture
def demo(cast):
    """The cast, with the whole demo (clusters, fx rates, submissions) in programme A."""
    load_demo(cast.prog_a)
    return cast


@pytest.fixture
def staff_of_a(cast):
    """Programme staff: is_staff (to use the admin) and a program_admin membership of A only."""
    user = UserFactory.create(username="staff_a", is_staff=True)
    Membership.objects.create(user=user, program=cast.prog_a, role=Role.PROGRAM_ADMIN)
    return user


@pytest.fixture
def recomputes(monkeypatch) -> list[dict[str, Any]]:
    """Every recompute the hook list would queue ({"program_id", "years"}), none run."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(hooks, "figure_inputs_changed", lambda **kw: calls.append(kw))
    return calls
