"""The cross-tenant matrix: every REST endpoint, called by every member of the cast.

Each ``Endpoint`` names a route, how to call it on programme A's objects, and the status
each member of programme A should get. The matrix test (tests/test_isolation.py) then
also checks that programme B's admin gets 404 on A's objects, that the editor of a1 gets
404 on a2 wherever a cluster is in the path, and that no body ever shows the other
programme's data. A route under /api/v1/ without a row here fails the test suite.

Add one row per (route, method) you create. Keep bodies valid for admin_a so the statuses
test the role, not the validation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.givens import add_submission, open_period, past_period

OK, CREATED, NO_CONTENT = 200, 201, 204
FORBIDDEN, NOT_FOUND = 403, 404


@dataclass
class Endpoint:
    name: str  # the URL name in api/rest/urls.py
    method: str
    # Path under /api/v1/ with {program}, {cluster} and, if needed, {year} placeholders.
    path: str
    # Expected status for admin_a, analyst_a, editor_a1 calling on A's programme and a1.
    admin: int
    analyst: int
    editor: int
    body: Any = None
    # Builds extra rows the call needs (a period, a submission...): fn(cast) -> None.
    setup: Callable[[Any], None] | None = None
    year: int = 2021
    format: str = "json"
    # Query string appended to the path (without '?').
    query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_cluster(self) -> bool:
        return "{cluster}" in self.path

    def url(self, program: str, cluster: str = "a1") -> str:
        # extra placeholders ({comment}) may be callables, resolved once setup has run.
        values = {k: (v() if callable(v) else v) for k, v in self.extra.items()}
        path = self.path.format(program=program, cluster=cluster, year=self.year, **values)
        return f"/api/v1/{path}" + (f"?{self.query}" if self.query else "")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS: list[Endpoint] = [
    Endpoint("program-detail", "GET", "programs/{program}/", OK, OK, OK),
    Endpoint(
        "program-detail",
        "PATCH",
        "programs/{program}/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"name": "Renamed"},
    ),
    Endpoint("cluster-list", "GET", "programs/{program}/clusters/", OK, OK, OK),
    Endpoint(
        "cluster-list",
        "POST",
        "programs/{program}/clusters/",
        CREATED,
        FORBIDDEN,
        FORBIDDEN,
        body={
            "slug": "new-one",
            "name": "New One",
            "country": "NO",
            "stage": "baby",
            "category": "build",
        },
    ),
    Endpoint("cluster-detail", "GET", "programs/{program}/clusters/{cluster}/", OK, OK, OK),
    Endpoint(
        "cluster-detail",
        "PATCH",
        "programs/{program}/clusters/{cluster}/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"region": "Agder"},
    ),
    Endpoint(
        "cluster-detail",
        "DELETE",
        "programs/{program}/clusters/{cluster}/",
        NO_CONTENT,
        FORBIDDEN,
        FORBIDDEN,
    ),
    Endpoint("funding-source-list", "GET", "programs/{program}/funding-sources/", OK, OK, OK),
    Endpoint(
        "funding-source-list",
        "POST",
        "programs/{program}/funding-sources/",
        CREATED,
        FORBIDDEN,
        FORBIDDEN,
        body={"code": "crowdfunding", "name": "Crowdfunding", "category": "private"},
    ),
    Endpoint("kpi-list", "GET", "programs/{program}/kpis/", OK, OK, OK),
    Endpoint(
        "kpi-list",
        "POST",
        "programs/{program}/kpis/",
        CREATED,
        FORBIDDEN,
        FORBIDDEN,
        body={"code": "patents", "name": "Patents filed", "unit": "patents", "kind": "output"},
    ),
    Endpoint("period-list", "GET", "programs/{program}/periods/", OK, OK, OK),
    Endpoint(
        "period-list",
        "POST",
        "programs/{program}/periods/",
        CREATED,
        FORBIDDEN,
        FORBIDDEN,
        body={"year": 2030, "opens_on": "2031-01-01", "closes_on": "2031-03-31"},
    ),
    Endpoint(
        "period-detail",
        "GET",
        "programs/{program}/periods/{year}/",
        OK,
        OK,
        OK,
        setup=lambda cast: _period(cast, 2021),
    ),
    Endpoint(
        "period-detail",
        "PATCH",
        "programs/{program}/periods/{year}/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"state": "closed"},
        setup=lambda cast: _period(cast, 2021),
    ),
    Endpoint("fx-rate-list", "GET", "programs/{program}/fx-rates/", OK, OK, OK),
    Endpoint(
        "fx-rate-list",
        "PUT",
        "programs/{program}/fx-rates/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body=[{"year": 2021, "currency": "MXN", "rate": "0.0416"}],
    ),
    # Annual submissions (issue 3): an open 2021 period and a submission for a1, a2 and b1.
    Endpoint(
        "submission-list",
        "GET",
        "programs/{program}/clusters/{cluster}/submissions/",
        OK,
        OK,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
    ),
    Endpoint(
        "submission-detail",
        "GET",
        "programs/{program}/clusters/{cluster}/submissions/{year}/",
        OK,
        OK,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
    ),
    Endpoint(
        "submission-detail",
        "PUT",
        "programs/{program}/clusters/{cluster}/submissions/{year}/",
        OK,
        FORBIDDEN,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
        body={"currency": "EUR", "funding": [{"source": "membership_fees", "amount": "10.00"}]},
    ),
    Endpoint(
        "submission-detail",
        "PATCH",
        "programs/{program}/clusters/{cluster}/submissions/{year}/",
        OK,
        FORBIDDEN,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
        body={"notes": "Patched"},
    ),
    Endpoint(
        "submission-submit",
        "POST",
        "programs/{program}/clusters/{cluster}/submissions/{year}/submit",
        OK,
        FORBIDDEN,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
    ),
    Endpoint(
        "submission-approve",
        "POST",
        "programs/{program}/clusters/{cluster}/submissions/{year}/approve",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        setup=lambda cast: _submissions(cast, "submitted"),
    ),
    Endpoint(
        "submission-return",
        "POST",
        "programs/{program}/clusters/{cluster}/submissions/{year}/return",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        setup=lambda cast: _submissions(cast, "submitted"),
        body={"comment": "Costs are missing."},
    ),
    Endpoint(
        "submission-reopen",
        "POST",
        "programs/{program}/clusters/{cluster}/submissions/{year}/reopen",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        setup=lambda cast: _submissions(cast, "approved"),
    ),
    Endpoint(
        "submission-history",
        "GET",
        "programs/{program}/clusters/{cluster}/submissions/{year}/history",
        OK,
        OK,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
    ),
    Endpoint(
        "period-status",
        "GET",
        "programs/{program}/periods/{year}/status",
        OK,
        OK,
        FORBIDDEN,
        setup=lambda cast: _submissions(cast, "submitted"),
    ),
    # Portfolio figures (issue 4): program_admin and program_analyst only.
    Endpoint(
        "portfolio-funding-mix",
        "GET",
        "programs/{program}/portfolio/funding-mix",
        OK,
        OK,
        FORBIDDEN,
        query="year=2021",
        setup=lambda cast: _portfolio(cast),
    ),
    Endpoint(
        "portfolio-funding-mix-trend",
        "GET",
        "programs/{program}/portfolio/funding-mix/trend",
        OK,
        OK,
        FORBIDDEN,
        query="from=2020&to=2021",
        setup=lambda cast: _portfolio(cast),
    ),
    Endpoint(
        "portfolio-clusters",
        "GET",
        "programs/{program}/portfolio/clusters",
        OK,
        OK,
        FORBIDDEN,
        query="year=2021",
        setup=lambda cast: _portfolio(cast),
    ),
    Endpoint(
        "portfolio-costs",
        "GET",
        "programs/{program}/portfolio/costs",
        OK,
        OK,
        FORBIDDEN,
        query="year=2021",
        setup=lambda cast: _portfolio(cast),
    ),
    Endpoint(
        "portfolio-public-reliance",
        "GET",
        "programs/{program}/portfolio/public-reliance",
        OK,
        OK,
        FORBIDDEN,
        query="year=2021&threshold=0.1",
        setup=lambda cast: _portfolio(cast),
    ),
    # impact: value impact, roadmaps, progress, scenarios (portfolio figures: no editors)
    Endpoint(
        "value-impact",
        "GET",
        "programs/{program}/portfolio/value-impact",
        OK,
        OK,
        FORBIDDEN,
        query="year=2021",
    ),
    Endpoint(
        "roadmap-progress",
        "GET",
        "programs/{program}/portfolio/roadmap-progress",
        OK,
        OK,
        FORBIDDEN,
        query="year=2021",
        setup=lambda cast: _roadmaps(cast),
    ),
    Endpoint(
        "scenario-run",
        "POST",
        "programs/{program}/portfolio/scenarios",
        OK,
        OK,
        FORBIDDEN,
        body={"year": 2021, "changes": [{"source": "national_cluster_programme", "factor": "0"}]},
    ),
    Endpoint("scenario-list", "GET", "programs/{program}/portfolio/scenarios/", OK, OK, FORBIDDEN),
    Endpoint(
        "roadmap-list",
        "GET",
        "programs/{program}/clusters/{cluster}/roadmaps/",
        OK,
        OK,
        OK,
        setup=lambda cast: _roadmaps(cast),
    ),
    Endpoint(
        "roadmap-list",
        "POST",
        "programs/{program}/clusters/{cluster}/roadmaps/",
        CREATED,
        FORBIDDEN,
        CREATED,
        body={
            "kpi": "jobs_created",
            "baseline": {"year": 2021, "value": "10"},
            "milestones": [{"year": 2030, "target": "100"}],
        },
    ),
    Endpoint(
        "roadmap-detail",
        "GET",
        "programs/{program}/clusters/{cluster}/roadmaps/members_total/",
        OK,
        OK,
        OK,
        setup=lambda cast: _roadmaps(cast),
    ),
    Endpoint(
        "roadmap-detail",
        "PUT",
        "programs/{program}/clusters/{cluster}/roadmaps/members_total/",
        OK,
        FORBIDDEN,
        OK,
        setup=lambda cast: _roadmaps(cast),
        body={
            "baseline": {"year": 2021, "value": "50"},
            "milestones": [{"year": 2030, "target": "80"}],
        },
    ),
    Endpoint(
        "roadmap-detail",
        "DELETE",
        "programs/{program}/clusters/{cluster}/roadmaps/members_total/",
        NO_CONTENT,
        FORBIDDEN,
        NO_CONTENT,
        setup=lambda cast: _roadmaps(cast),
    ),
]

# Routes that are not tenant-scoped and so are not in the matrix (with the reason).
UNSCOPED_ROUTES = {
    "program-list": "lists only the caller's own programmes; tested in tests/test_programs.py",
    "my-notifications": "only the caller's own mail preferences; tested in tests/test_notifications.py",
    "shared-report-html": "opened by a shared link's secret, not a token; tested in tests/test_reports_share.py",
    "shared-report-pdf": "opened by a shared link's secret, not a token; tested in tests/test_reports_share.py",
}


def _period(cast: Any, year: int) -> None:
    for program in (cast.prog_a, cast.prog_b):
        past_period(program, year)


def _roadmaps(cast: Any) -> None:
    """A members_total roadmap for every cluster of the cast (a1, a2 and b1)."""
    from decimal import Decimal

    from clusters.models import KpiDefinition
    from impact.models import Milestone, Roadmap

    for cluster in (cast.a1, cast.a2, cast.b1):
        kpi = KpiDefinition.objects.for_program(cluster.program).get(code="members_total")
        roadmap, _ = Roadmap.objects.for_program(cluster.program).get_or_create(
            program=cluster.program,
            cluster=cluster,
            kpi=kpi,
            defaults={"baseline_year": 2020, "baseline_value": Decimal("100")},
        )
        Milestone.objects.for_program(cluster.program).get_or_create(
            program=cluster.program, roadmap=roadmap, year=2030, defaults={"target": Decimal("200")}
        )


def _portfolio(cast: Any) -> None:
    """Approved 2021 submissions in both programmes, so a leak would show in the figures."""
    for cluster in (cast.a1, cast.a2, cast.b1):
        add_submission(
            cluster,
            2021,
            funding=[("national_cluster_programme", "100.00")],
            costs=[("staff", "120.00")],
        )


def _submissions(cast: Any, state: str, year: int = 2021) -> None:
    """An open period of ``year`` in both programmes and a submission in ``state`` for a1, a2, b1."""
    for program in (cast.prog_a, cast.prog_b):
        open_period(program, year)
    for cluster in (cast.a1, cast.a2, cast.b1):
        add_submission(cluster, year, state=state, currency="EUR")


# --- data in and out (issue 3): facts CSV export/import, submission XLSX template/upload ---


class _UploadBody:
    """A multipart file whose content is rebuilt on every read (rows are reused by tests)."""

    def __init__(self, name: str, build: Callable[[], bytes], content_type: str) -> None:
        self.name, self._build, self.content_type = name, build, content_type

    def read(self) -> bytes:
        return self._build()


def _open_period_2021(cast: Any) -> None:
    for program in (cast.prog_a, cast.prog_b):
        open_period(program, 2021)


_FACTS_CSV = _UploadBody(
    "facts.csv",
    lambda: b"cluster,year,currency,line,code,amount\na1,2021,EUR,funding,membership_fees,100.00\n",
    "text/csv",
)

ENDPOINTS += [
    Endpoint(
        "facts-export",
        "GET",
        "programs/{program}/exports/facts.csv",
        OK,
        OK,
        OK,
        query="state=any",
        setup=lambda cast: _submissions(cast, "approved"),
    ),
    Endpoint(
        "facts-import",
        "POST",
        "programs/{program}/imports/facts",
        OK,
        FORBIDDEN,
        OK,
        body={"file": _FACTS_CSV},
        format="multipart",
        setup=_open_period_2021,
    ),
]


def _workbook() -> bytes:
    """A minimal filled-in submission workbook (the template's four sheets)."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "Funding"
    wb["Funding"].append(
        ["source code", "name", "category", "amount", "in_kind", "restricted", "note"]
    )
    wb["Funding"].append(
        ["membership_fees", "Membership fees", "private", "100.00", False, False, None]
    )
    wb.create_sheet("Costs").append(["category", "name", "amount", "note"])
    wb.create_sheet("KPIs").append(["code", "name", "unit", "kind", "value"])
    info = wb.create_sheet("Info")
    for row in (["cluster", "a1"], ["year", 2021], ["currency", "EUR"]):
        info.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_WORKBOOK = _UploadBody(
    "submission.xlsx",
    _workbook,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

ENDPOINTS += [
    Endpoint(
        "submission-template-xlsx",
        "GET",
        "programs/{program}/clusters/{cluster}/submissions/{year}/template.xlsx",
        OK,
        FORBIDDEN,
        OK,
        setup=lambda cast: _submissions(cast, "draft"),
    ),
    Endpoint(
        "submission-upload-xlsx",
        "POST",
        "programs/{program}/clusters/{cluster}/submissions/{year}/upload.xlsx",
        OK,
        FORBIDDEN,
        OK,
        body={"file": _WORKBOOK},
        format="multipart",
        setup=lambda cast: _submissions(cast, "draft"),
    ),
]


# --- canvases, Miro and jobs (issue 9) -------------------------------------------------------

JOB_OF_A1 = 9001  # a Miro job on a1 (jobs on a2 and b1 are 9002 and 9003)


def _canvases(cast: Any) -> None:
    """Every kind saved for a1, a2 and b1; approved 2021 submissions; Miro set up in both
    programmes; a job on each cluster."""
    from canvases.models import MiroConnection
    from canvases.services import canvas_put
    from clusters.access import system_access
    from clusters.crypto import encrypt_text
    from clusters.models import Job
    from tests.canvas_helpers import bodies, ocean_2021

    for number, cluster in enumerate((cast.a1, cast.a2, cast.b1), start=1):
        access = system_access(cluster.program, label="setup")
        for kind, body in bodies().items():
            canvas_put(access=access, cluster=cluster, kind=kind, data=body)
        ocean_2021(cluster.program, cluster)
        Job.objects.create(
            pk=9000 + number,
            program=cluster.program,
            cluster=cluster,
            kind="canvas.miro_export",
            params={"kind": "business-model-canvas", "alternative": "current", "board_id": "x"},
        )
    for program in (cast.prog_a, cast.prog_b):
        MiroConnection.objects.for_program(program).get_or_create(
            program=program, defaults={"token_encrypted": encrypt_text("token")}
        )


ACCEPTED = 202
CANVAS_PATH = "programs/{program}/clusters/{cluster}/canvases/"


def _canvas_rows() -> list[Endpoint]:
    from tests.canvas_helpers import bodies

    rows: list[Endpoint] = []
    for kind, body in bodies().items():
        rows += [
            Endpoint("canvas-detail", "GET", f"{CANVAS_PATH}{kind}/", OK, OK, OK, setup=_canvases),
            Endpoint(
                "canvas-detail",
                "PUT",
                f"{CANVAS_PATH}{kind}/",
                OK,
                FORBIDDEN,
                OK,
                body=body,
                setup=_canvases,
            ),
        ]
    canvas = f"{CANVAS_PATH}business-model-canvas"
    rows += [
        Endpoint("canvas-svg", "GET", f"{canvas}.svg", OK, OK, OK, setup=_canvases),
        Endpoint("canvas-png", "GET", f"{CANVAS_PATH}strategy.png", OK, OK, OK, setup=_canvases),
        Endpoint(
            "canvas-alternatives", "GET", f"{canvas}/alternatives/", OK, OK, OK, setup=_canvases
        ),
        Endpoint("canvas-versions", "GET", f"{canvas}/versions/", OK, OK, OK, setup=_canvases),
        Endpoint(
            "canvas-version-detail", "GET", f"{canvas}/versions/1/", OK, OK, OK, setup=_canvases
        ),
        Endpoint(
            "canvas-diff", "GET", f"{canvas}/diff", OK, OK, OK, query="from=1&to=1", setup=_canvases
        ),
        Endpoint(
            "canvas-map-actual",
            "GET",
            f"{CANVAS_PATH}business-model-map/actual",
            OK,
            OK,
            OK,
            query="year=2021",
            setup=_canvases,
        ),
        Endpoint(
            "canvas-map-actual",
            "POST",
            f"{CANVAS_PATH}business-model-map/actual",
            OK,
            FORBIDDEN,
            OK,
            query="year=2021",
            setup=_canvases,
        ),
        Endpoint(
            "canvas-financing-actual",
            "GET",
            f"{CANVAS_PATH}financing-model/actual",
            OK,
            OK,
            OK,
            query="year=2021",
            setup=_canvases,
        ),
        Endpoint(
            "canvas-financing-actual",
            "POST",
            f"{CANVAS_PATH}financing-model/actual",
            OK,
            FORBIDDEN,
            OK,
            query="year=2021",
            setup=_canvases,
        ),
        Endpoint(
            "canvas-evolution-compare",
            "GET",
            f"{CANVAS_PATH}evolution-map/compare",
            OK,
            OK,
            OK,
            setup=_canvases,
        ),
        Endpoint(
            "canvas-miro-export",
            "POST",
            f"{canvas}/miro/export",
            ACCEPTED,
            FORBIDDEN,
            ACCEPTED,
            body={"board_id": "uXjVOD6LSME="},
            setup=_canvases,
        ),
        Endpoint(
            "canvas-miro-import",
            "POST",
            f"{canvas}/miro/import",
            ACCEPTED,
            FORBIDDEN,
            ACCEPTED,
            body={"board_id": "uXjVOD6LSME="},
            setup=_canvases,
        ),
        Endpoint(
            "miro-integration",
            "GET",
            "programs/{program}/integrations/miro/",
            OK,
            FORBIDDEN,
            FORBIDDEN,
            setup=_canvases,
        ),
        Endpoint(
            "miro-integration",
            "PUT",
            "programs/{program}/integrations/miro/",
            OK,
            FORBIDDEN,
            FORBIDDEN,
            body={"access_token": "new-token"},
            setup=_canvases,
        ),
        Endpoint(
            "job-detail",
            "GET",
            f"programs/{{program}}/jobs/{JOB_OF_A1}/",
            OK,
            OK,
            OK,
            setup=_canvases,
        ),
    ]
    return rows


ENDPOINTS += _canvas_rows()


@dataclass
class GraphqlOperation:
    """One GraphQL field called by every member of the cast, like a REST row: ``query`` is
    %-formatted with ``p`` (programme slug) and ``c`` (cluster slug); the outcome per role
    is "ok" or an ``extensions.code`` (FORBIDDEN, NOT_FOUND)."""

    name: str
    query: str
    admin: str = "ok"
    analyst: str = "ok"
    editor: str = "ok"
    setup: Callable[[Any], None] | None = _canvases
    has_cluster: bool = True  # False: programme-wide, no cluster to hide from an editor

    def __str__(self) -> str:
        return self.name


def _graphql_rows() -> list[GraphqlOperation]:
    c = '(program: "%(p)s", cluster: "%(c)s", kind: "business-model-canvas"'
    body = '{blocks: {members: [{text: "x", state: "as_is"}]}}'
    return [
        GraphqlOperation("canvas", "{ canvas%s) { version body } }" % c),
        GraphqlOperation("canvasAlternatives", "{ canvasAlternatives%s) { alternative } }" % c),
        GraphqlOperation("canvasVersions", "{ canvasVersions%s) { version createdBy } }" % c),
        GraphqlOperation("canvasVersion", "{ canvasVersion%s, version: 1) { body } }" % c),
        GraphqlOperation(
            "canvasDiff", "{ canvasDiff%s, from: 1, to: 1) { changes { field } } }" % c
        ),
        GraphqlOperation(
            "canvasActual",
            '{ canvasActual(program: "%(p)s", cluster: "%(c)s", kind: "business-model-map", year: 2021) }',
        ),
        GraphqlOperation(
            "evolutionCompare", '{ evolutionCompare(program: "%(p)s", cluster: "%(c)s") }'
        ),
        GraphqlOperation(
            "putCanvas",
            "mutation { putCanvas%s, body: %s) { version } }" % (c, body),
            analyst="FORBIDDEN",
        ),
        GraphqlOperation(
            "saveActualCanvas",
            'mutation { saveActualCanvas(program: "%(p)s", cluster: "%(c)s", '
            'kind: "business-model-map", year: 2021) { version } }',
            analyst="FORBIDDEN",
        ),
        GraphqlOperation(
            "exportCanvasToMiro",
            'mutation { exportCanvasToMiro%s, boardId: "b") { state } }' % c,
            analyst="FORBIDDEN",
        ),
        GraphqlOperation(
            "importCanvasFromMiro",
            'mutation { importCanvasFromMiro%s, boardId: "b") { state } }' % c,
            analyst="FORBIDDEN",
        ),
        GraphqlOperation(
            "miroConfigured",
            '{ miroConfigured(program: "%(p)s") }',
            analyst="FORBIDDEN",
            editor="FORBIDDEN",
            has_cluster=False,
        ),
        GraphqlOperation(
            "setMiroAccessToken",
            'mutation { setMiroAccessToken(program: "%(p)s", accessToken: "t") }',
            analyst="FORBIDDEN",
            editor="FORBIDDEN",
            has_cluster=False,
        ),
        # the job of each side's first cluster: 9001 on a1, 9003 on b1
        GraphqlOperation("job", '{ job(program: "%(p)s", id: "%(job)s") { state cluster } }'),
    ]


GRAPHQL_OPERATIONS = _graphql_rows()


# --- review (issue 12): field comments, the thread, warning rules, bulk review ------------


def _returned_with_comment(cast: Any) -> None:
    """a1, a2 and b1 returned in 2021, each with one comment on a field."""
    from clusters.models import FieldComment, Submission

    _submissions(cast, "returned")
    for cluster in (cast.a1, cast.a2, cast.b1):
        submission = Submission.objects.for_program(cluster.program).get(cluster=cluster, year=2021)
        FieldComment.objects.for_program(cluster.program).get_or_create(
            program=cluster.program,
            submission=submission,
            field="costs",
            defaults={"comment": "Costs are missing.", "version": submission.version},
        )


def _a1_comment_id() -> int:
    """The id of a1's comment (0 when the call needs no setup, e.g. without a token)."""
    from clusters.models import FieldComment

    found = (
        FieldComment.objects.unscoped()
        .filter(submission__program__slug="prog-a", submission__cluster__slug="a1")
        .values_list("pk", flat=True)
        .first()
    )
    return found or 0


ENDPOINTS += [
    Endpoint(
        "field-comment-list",
        "GET",
        "programs/{program}/clusters/{cluster}/submissions/{year}/comments",
        OK,
        OK,
        OK,
        setup=_returned_with_comment,
    ),
    Endpoint(
        "field-comment-detail",
        "PATCH",
        "programs/{program}/clusters/{cluster}/submissions/{year}/comments/{comment}",
        OK,
        FORBIDDEN,
        OK,
        body={"resolved": True},
        setup=_returned_with_comment,
        extra={"comment": _a1_comment_id},
    ),
    Endpoint(
        "submission-thread",
        "GET",
        "programs/{program}/clusters/{cluster}/submissions/{year}/thread",
        OK,
        OK,
        OK,
        setup=lambda cast: _submissions(cast, "submitted"),
    ),
    Endpoint(
        "submission-thread",
        "POST",
        "programs/{program}/clusters/{cluster}/submissions/{year}/thread",
        CREATED,
        FORBIDDEN,
        CREATED,
        body={"comment": "Where do the project costs come from?"},
        setup=lambda cast: _submissions(cast, "submitted"),
    ),
    Endpoint("warning-rule-list", "GET", "programs/{program}/warning-rules/", OK, OK, OK),
    Endpoint(
        "warning-rule-detail",
        "GET",
        "programs/{program}/warning-rules/costs_over_funding/",
        OK,
        OK,
        OK,
    ),
    Endpoint(
        "warning-rule-detail",
        "PATCH",
        "programs/{program}/warning-rules/costs_over_funding/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"blocking": True, "params": {"max_excess_percent": "5"}},
    ),
    Endpoint(
        "bulk-approve",
        "POST",
        "programs/{program}/periods/{year}/approve",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"clusters": ["a1", "a2"]},
        setup=lambda cast: _submissions(cast, "submitted"),
    ),
    Endpoint(
        "bulk-return",
        "POST",
        "programs/{program}/periods/{year}/return",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"clusters": ["a1"], "comment": "Costs are missing."},
        setup=lambda cast: _submissions(cast, "submitted"),
    ),
]


# --- BI tables (issue 10): every table as a file; the funding mix is for admins and analysts ---

_TABLES = ["clusters", "funding-sources", "kpis", "funding", "costs", "kpi-values", "submissions"]
_FACT_TABLES = {"funding", "costs", "kpi-values", "submissions"}

ENDPOINTS += [
    Endpoint(
        "table-export",
        "GET",
        f"programs/{{program}}/exports/{table}.csv",
        OK,
        OK,
        OK,
        # fact tables in every state (dimension tables take no filters)
        query="state=any" if table in _FACT_TABLES else "",
        setup=lambda cast: _portfolio(cast),
    )
    for table in _TABLES
]
ENDPOINTS += [
    Endpoint(
        "table-export",
        "GET",
        "programs/{program}/exports/funding-mix.csv",
        OK,
        OK,
        FORBIDDEN,
        setup=lambda cast: _portfolio(cast),
    ),
]
ENDPOINTS += [
    Endpoint(
        "table-export",
        "GET",
        f"programs/{{program}}/exports/funding.{fmt}",
        OK,
        OK,
        OK,
        setup=lambda cast: _portfolio(cast),
    )
    for fmt in ("json", "xlsx", "parquet")
]


# --- webhooks (issue 10): programme admins only; A's endpoint 9101, B's 9102 -------------

WEBHOOK_IDS = {"prog-a": (9101, 9201), "prog-b": (9102, 9202)}


def _webhooks(cast: Any) -> None:
    """An endpoint with one delivered event in each programme, at known ids."""
    from django.utils import timezone

    from webhooks.models import Delivery, Endpoint, Event
    from webhooks.secrets import new_secret, seal

    for program in (cast.prog_a, cast.prog_b):
        endpoint_id, delivery_id = WEBHOOK_IDS[program.slug]
        endpoint = Endpoint.objects.create(
            pk=endpoint_id,
            program=program,
            url=f"https://hooks.example.org/{program.slug}",
            events=["submission.approved"],
            secret=seal(new_secret()),
        )
        event = Event.objects.create(
            program=program,
            msg_id=f"msg_{program.slug.replace('-', '')}",
            type="submission.approved",
            body='{"type":"submission.approved"}',
            created_at=timezone.now(),
        )
        Delivery.objects.create(
            pk=delivery_id, program=program, endpoint=endpoint, event=event, state="succeeded"
        )


_HOOK = "programs/{program}/webhooks/9101/"

ENDPOINTS += [
    Endpoint(
        "webhook-list",
        "GET",
        "programs/{program}/webhooks/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        setup=_webhooks,
    ),
    Endpoint(
        "webhook-list",
        "POST",
        "programs/{program}/webhooks/",
        CREATED,
        FORBIDDEN,
        FORBIDDEN,
        body={"url": "https://hooks.example.org/in", "events": ["period.closed"]},
    ),
    Endpoint("webhook-detail", "GET", _HOOK, OK, FORBIDDEN, FORBIDDEN, setup=_webhooks),
    Endpoint(
        "webhook-detail",
        "PATCH",
        _HOOK,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        body={"description": "Ministry warehouse"},
        setup=_webhooks,
    ),
    Endpoint("webhook-detail", "DELETE", _HOOK, NO_CONTENT, FORBIDDEN, FORBIDDEN, setup=_webhooks),
    Endpoint(
        "webhook-deliveries",
        "GET",
        f"{_HOOK}deliveries/",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        setup=_webhooks,
    ),
    Endpoint(
        "webhook-redeliver",
        "POST",
        f"{_HOOK}deliveries/9201/redeliver",
        202,
        FORBIDDEN,
        FORBIDDEN,
        setup=_webhooks,
    ),
    Endpoint("webhook-ping", "POST", f"{_HOOK}ping", 202, FORBIDDEN, FORBIDDEN, setup=_webhooks),
    Endpoint(
        "webhook-rotate-secret",
        "POST",
        f"{_HOOK}rotate-secret",
        OK,
        FORBIDDEN,
        FORBIDDEN,
        setup=_webhooks,
    ),
]


# --- annual reports (issue 11) -----------------------------------------------------------------

_SHARES: dict[str, int] = {}


def _reports(cast: Any) -> None:
    """A stored 2021 report (en) of a1, a2 and b1, of both programmes and both zips, and a
    link to each (the ids of A's are kept for the revoke rows)."""
    import datetime as dt

    from clusters.access import system_access
    from reports.models import ReportKind
    from reports.services.shares import share_create
    from reports.services.store import report_store

    as_of = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    targets = [
        (cast.prog_a, ReportKind.CLUSTER, cast.a1),
        (cast.prog_a, ReportKind.CLUSTER, cast.a2),
        (cast.prog_b, ReportKind.CLUSTER, cast.b1),
        (cast.prog_a, ReportKind.PROGRAM, None),
        (cast.prog_b, ReportKind.PROGRAM, None),
        (cast.prog_a, ReportKind.CLUSTERS, None),
        (cast.prog_b, ReportKind.CLUSTERS, None),
    ]
    for program, kind, cluster in targets:
        owner = cluster.name if cluster is not None else program.name
        files = (
            {"zip": f"zip of {owner}".encode()}
            if kind == ReportKind.CLUSTERS
            else {"html": f"<p>{owner}</p>".encode(), "pdf": f"%PDF {owner}".encode()}
        )
        report_store(
            program=program,
            kind=kind,
            cluster=cluster,
            year=2021,
            language="en",
            files=files,
            pages=1,
            as_of=as_of,
        )
        if kind != ReportKind.CLUSTERS:
            share, _raw = share_create(
                access=system_access(program, label="setup"),
                kind=kind,
                cluster=cluster,
                year=2021,
                lang="en",
                data={},
            )
            _SHARES[f"{program.slug}/{cluster.slug if cluster else ''}"] = share.pk


CR = "programs/{program}/clusters/{cluster}/reports/{year}"
PR = "programs/{program}/reports/{year}"

ENDPOINTS += [
    Endpoint("cluster-report-generate", "POST", f"{CR}/", ACCEPTED, FORBIDDEN, ACCEPTED, body={}),
    Endpoint("cluster-report-html", "GET", f"{CR}.html", OK, OK, OK, setup=_reports),
    Endpoint("cluster-report-pdf", "GET", f"{CR}.pdf", OK, OK, OK, setup=_reports),
    Endpoint(
        "cluster-report-share",
        "POST",
        f"{CR}/share",
        CREATED,
        FORBIDDEN,
        CREATED,
        body={},
        setup=_reports,
    ),
    Endpoint("cluster-report-share", "GET", f"{CR}/share", OK, FORBIDDEN, OK, setup=_reports),
    Endpoint(
        "cluster-report-share-detail",
        "DELETE",
        f"{CR}/share/{{share}}",
        NO_CONTENT,
        FORBIDDEN,
        NO_CONTENT,
        setup=_reports,
        extra={"share": lambda: _SHARES["prog-a/a1"]},
    ),
    Endpoint("program-report-generate", "POST", f"{PR}/", ACCEPTED, FORBIDDEN, FORBIDDEN, body={}),
    Endpoint("program-report-html", "GET", f"{PR}.html", OK, OK, FORBIDDEN, setup=_reports),
    Endpoint("program-report-pdf", "GET", f"{PR}.pdf", OK, OK, FORBIDDEN, setup=_reports),
    Endpoint(
        "program-report-share",
        "POST",
        f"{PR}/share",
        CREATED,
        FORBIDDEN,
        FORBIDDEN,
        body={},
        setup=_reports,
    ),
    Endpoint(
        "program-report-share", "GET", f"{PR}/share", OK, FORBIDDEN, FORBIDDEN, setup=_reports
    ),
    Endpoint(
        "program-report-share-detail",
        "DELETE",
        f"{PR}/share/{{share}}",
        NO_CONTENT,
        FORBIDDEN,
        FORBIDDEN,
        setup=_reports,
        extra={"share": lambda: _SHARES["prog-a/"]},
    ),
    Endpoint(
        "program-reports-batch",
        "POST",
        f"{PR}/clusters",
        ACCEPTED,
        FORBIDDEN,
        FORBIDDEN,
        body={},
    ),
    Endpoint("program-reports-zip", "GET", f"{PR}/clusters.zip", OK, OK, FORBIDDEN, setup=_reports),
]
