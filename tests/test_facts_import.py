"""Importing the facts CSV: POST /programs/{program}/imports/facts and manage.py import_facts."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from clusters.access import system_access
from clusters.models import KpiDefinition, Submission, SubmissionEvent
from clusters.services.documents import (
    CostItem,
    Document,
    FundingItem,
    KpiItem,
    ReferenceData,
)
from clusters.services.facts import changes as facts_changes
from clusters.services.facts import tuning as facts_tuning
from clusters.services.history import document_diff
from clusters.validation import MAX_LINES
from tests.givens import add_submission, content, csv_text, open_period, past_period

URL = "/api/v1/programs/prog-a/imports/facts"

GOOD = csv_text(
    "a1,2021,EUR,funding,national_cluster_programme,400000.00",
    "a1,2021,EUR,funding,membership_fees,200000",
    "a1,2021,EUR,cost,staff,650000.00",
    "a1,2021,EUR,kpi,members_total,165",
    "a2,2021,NOK,funding,eu_projects,1000.5",
    "a2,2020,NOK,kpi,gdp_share,0.042512",
)


def _upload(client, text: str, **fields):
    file = SimpleUploadedFile("facts.csv", text.encode(), content_type="text/csv")
    return client.post(URL, {"file": file, **fields}, format="multipart")


@pytest.fixture
def periods(cast):
    past_period(cast.prog_a, 2020)
    past_period(cast.prog_a, 2021)
    return cast


def test_admin_import_creates_draft_submissions(periods, recomputes):
    response = _upload(periods.admin_a.client(), GOOD)

    assert response.status_code == 200, response.json()
    body = response.json()
    body.pop("seconds")
    # What changed per cluster-year is pinned in tests/test_facts_changes.py.
    assert (body.pop("changes")[0]["state"], body.pop("changes_truncated")) == (
        {"from": None, "to": "draft"},
        False,
    )
    assert body == {
        "rows": 6,
        "cluster_years": 3,
        "created": 3,
        "changed": 0,
        "unchanged": 0,
        "years": [2020, 2021],
        "approve": False,
        "dry_run": False,
    }
    assert content(periods.prog_a) == {
        ("a1", 2021): {
            "currency": "EUR",
            "state": "draft",
            "funding": [
                ("membership_fees", Decimal("200000.00")),
                ("national_cluster_programme", Decimal("400000.00")),
            ],
            "costs": [("staff", Decimal("650000.00"))],
            "kpis": [("members_total", Decimal("165"))],
        },
        ("a2", 2021): {
            "currency": "NOK",
            "state": "draft",
            "funding": [("eu_projects", Decimal("1000.50"))],
            "costs": [],
            "kpis": [],
        },
        ("a2", 2020): {
            "currency": "NOK",
            "state": "draft",
            "funding": [],
            "costs": [],
            "kpis": [("gdp_share", Decimal("0.042512"))],
        },
    }
    assert recomputes == [{"program_id": periods.prog_a.pk, "years": [2020, 2021]}]
    event = SubmissionEvent.objects.for_program(periods.prog_a).get(
        submission__cluster=periods.a2, submission__year=2021
    )
    assert (event.action, event.via, event.from_state, event.to_state, event.version) == (
        "imported",
        "import",
        "",
        "draft",
        1,
    )
    assert event.actor_label == "token:admin_a"
    assert event.changes == [
        {"field": "currency", "from": None, "to": "NOK"},
        {"field": "funding.eu_projects.amount", "from": None, "to": "1000.50"},
    ]


def test_reimporting_the_same_file_changes_nothing(periods, recomputes):
    client = periods.admin_a.client()
    _upload(client, GOOD)
    versions = dict(Submission.objects.for_program(periods.prog_a).values_list("pk", "version"))
    events = SubmissionEvent.objects.for_program(periods.prog_a).count()

    response = _upload(client, GOOD)

    assert response.status_code == 200
    assert (
        response.json()["created"],
        response.json()["changed"],
        response.json()["unchanged"],
    ) == (0, 0, 3)
    assert (
        dict(Submission.objects.for_program(periods.prog_a).values_list("pk", "version"))
        == versions
    )
    assert SubmissionEvent.objects.for_program(periods.prog_a).count() == events
    assert len(recomputes) == 1  # only the first import touched portfolio inputs


def test_import_restates_a_cluster_year_and_keeps_the_others(periods, recomputes):
    add_submission(
        periods.a1,
        2021,
        state="draft",
        funding=[("local_government", "5.00"), ("membership_fees", "1.00")],
        costs=[("operations", "3.00")],
    )
    add_submission(periods.a2, 2021, state="draft", funding=[("training", "9.00")])

    response = _upload(
        periods.admin_a.client(),
        csv_text(
            "a1,2021,EUR,funding,membership_fees,2.00",
            "a1,2021,EUR,kpi,events,4",
        ),
    )

    assert response.status_code == 200
    after = content(periods.prog_a)
    assert after[("a1", 2021)] == {
        "currency": "EUR",
        "state": "draft",
        "funding": [("membership_fees", Decimal("2.00"))],
        "costs": [],
        "kpis": [("events", Decimal("4"))],
    }
    assert after[("a2", 2021)]["funding"] == [("training", Decimal("9.00"))]
    sub = Submission.objects.for_program(periods.prog_a).get(cluster=periods.a1, year=2021)
    assert sub.version == 2
    event = sub.events.get()
    assert (event.from_state, event.to_state, event.version) == ("draft", "draft", 2)
    # the submission services' document_diff: new document's order first, removed lines last
    assert event.changes == [
        {"field": "funding.membership_fees.amount", "from": "1.00", "to": "2.00"},
        {"field": "kpis.events.value", "from": None, "to": "4"},
        {"field": "funding.local_government.amount", "from": "5.00", "to": None},
        {"field": "costs.operations.amount", "from": "3.00", "to": None},
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(periods, recomputes):
    text = csv_text(
        "a1,2021,EUR,funding,membership_fees,100.00",  # row 2: fine
        "zz,2021,EUR,funding,membership_fees,1.00",  # row 3: unknown cluster
        "a1,1999,EUR,cost,staff,1.00",  # row 4: no period
        "a1,2021,EURO,cost,staff,1.00",  # row 5: currency
        "a1,2021,EUR,grant,staff,1.00",  # row 6: line
        "a1,2021,EUR,funding,lottery,1.00",  # row 7: source
        "a1,2021,EUR,cost,travel,1.00",  # row 8: cost category
        "a1,2021,EUR,kpi,happiness,1",  # row 9: KPI
        "a1,2021,EUR,funding,training,1.005",  # row 10: decimals
        "a1,2021,EUR,funding,eu_projects,-3",  # row 11: negative
        "a1,2021,EUR,kpi,members_total,lots",  # row 12: not a number
        "a1,2021,EUR,funding,membership_fees,100.00",  # row 13: duplicate
        "a1,2021,NOK,cost,operations,1.00",  # row 14: currency mismatch
        "a1,2021,EUR,cost",  # row 15: columns
        "a1,twenty,EUR,cost,staff,1.00",  # row 16: year
    )

    response = _upload(periods.admin_a.client(), text)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "field": "row 3: cluster",
            "code": "unknown_cluster",
            "message": "No cluster 'zz' in this programme.",
        },
        {
            "field": "row 4: year",
            "code": "no_period",
            "message": "The programme has no reporting period for 1999; see /periods/.",
        },
        {
            "field": "row 5: currency",
            "code": "invalid_currency",
            "message": "'EURO' is not an ISO 4217 currency code (e.g. EUR, NOK, MXN).",
        },
        {
            "field": "row 6: line",
            "code": "invalid_line",
            "message": "'grant' is not one of funding, cost, kpi.",
        },
        {
            "field": "row 7: code",
            "code": "unknown_source",
            "message": "Unknown funding source 'lottery'; see /funding-sources/.",
        },
        {
            "field": "row 8: code",
            "code": "unknown_cost_category",
            "message": "'travel' is not one of setup, staff, operations, projects.",
        },
        {
            "field": "row 9: code",
            "code": "unknown_kpi",
            "message": "Unknown KPI 'happiness'; define it in /kpis/ first.",
        },
        {
            "field": "row 10: amount",
            "code": "too_many_decimals",
            "message": "1.005 has more than 2 decimal places.",
        },
        {
            "field": "row 11: amount",
            "code": "negative",
            "message": "-3 is negative; amounts are 0 or more.",
        },
        {
            "field": "row 12: amount",
            "code": "invalid_number",
            "message": "'lots' is not a decimal number.",
        },
        {
            "field": "row 13: code",
            "code": "duplicate_row",
            "message": "funding 'membership_fees' appears twice for a1 2021.",
        },
        {
            "field": "row 14: currency",
            "code": "currency_mismatch",
            "message": "'NOK' differs from EUR (row 2); one cluster-year has one currency.",
        },
        {
            "field": "row 15: row",
            "code": "column_count",
            "message": "The row has 4 columns; it must have 6.",
        },
        {
            "field": "row 16: year",
            "code": "invalid",
            "message": "'twenty' is not a year, e.g. 2021.",
        },
    ]
    assert response.json()["detail"].startswith(
        "The request has 14 problems: row 3: cluster: No cluster 'zz'"
    )
    assert Submission.objects.for_program(periods.prog_a).count() == 0
    assert SubmissionEvent.objects.for_program(periods.prog_a).count() == 0
    assert recomputes == []


def test_a_failed_import_leaves_existing_submissions_as_they_were(periods, recomputes):
    add_submission(periods.a1, 2021, state="draft", funding=[("membership_fees", "1.00")])
    before = content(periods.prog_a)

    response = _upload(
        periods.admin_a.client(),
        csv_text(
            "a1,2021,EUR,funding,membership_fees,2.00",
            "a2,2021,EUR,funding,membership_fees,oops",
        ),
    )

    assert response.status_code == 400
    assert content(periods.prog_a) == before


def test_wrong_header_is_one_error(periods):
    response = _upload(periods.admin_a.client(), "cluster;year;currency\na1;2021;EUR\n")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "row 1: header",
            "code": "invalid_header",
            "message": "The header is 'cluster;year;currency'; it must be "
            "cluster,year,currency,line,code,amount, optionally followed by in_kind,restricted,note.",
        }
    ]


def test_header_only_is_an_error(periods):
    response = _upload(periods.admin_a.client(), csv_text())

    assert response.json()["errors"] == [
        {
            "field": "row 2: row",
            "code": "empty_file",
            "message": "The file has a header but no rows.",
        }
    ]


def test_not_utf8_is_an_error(periods):
    response = _upload(periods.admin_a.client(), "")
    file = SimpleUploadedFile(
        "facts.csv", csv_text("a1,2021,EUR,funding,training,1").encode() + b"\xff\xfe,x\n"
    )

    response = periods.admin_a.client().post(URL, {"file": file}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_encoding"
    assert response.json()["errors"][0]["field"] == "row 0: file"


def test_missing_file_is_a_400(periods):
    response = periods.admin_a.client().post(URL, {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "file", "code": "required", "message": "No file was submitted."}
    ]


def test_approved_submission_is_not_overwritten_without_approve(periods, recomputes):
    add_submission(periods.a1, 2021, state="approved", funding=[("membership_fees", "1.00")])

    response = _upload(
        periods.admin_a.client(), csv_text("a1,2021,EUR,funding,membership_fees,2.00")
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "row 2: cluster",
            "code": "not_editable",
            "message": "The 2021 submission of 'a1' is approved; only draft and returned submissions "
            "take new content (an admin may import with approve).",
        }
    ]
    assert content(periods.prog_a)[("a1", 2021)]["funding"] == [
        ("membership_fees", Decimal("1.00"))
    ]


def test_approve_restates_and_approves_with_history(periods, recomputes):
    add_submission(periods.a1, 2021, state="submitted", funding=[("membership_fees", "1.00")])

    response = _upload(
        periods.admin_a.client(),
        csv_text(
            "a1,2021,EUR,funding,membership_fees,1.00",
            "a2,2021,EUR,cost,staff,10.00",
        ),
        approve="true",
    )

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["changed"]) == (1, 1)
    subs = {s.cluster_id: s for s in Submission.objects.for_program(periods.prog_a)}
    assert subs[periods.a1.pk].state == "approved" and subs[periods.a1.pk].version == 2
    assert subs[periods.a1.pk].approved_at is not None
    assert subs[periods.a2.pk].state == "approved" and subs[periods.a2.pk].version == 1
    a1_event = subs[periods.a1.pk].events.get()
    assert (
        a1_event.action,
        a1_event.via,
        a1_event.from_state,
        a1_event.to_state,
        a1_event.changes,
    ) == ("imported", "import", "submitted", "approved", [])


def test_editor_imports_its_own_cluster_in_an_open_period(cast, recomputes):
    open_period(cast.prog_a, 2026)

    response = _upload(cast.editor_a1.client(), csv_text("a1,2026,EUR,kpi,events,12"))

    assert response.status_code == 200
    assert content(cast.prog_a)[("a1", 2026)]["kpis"] == [("events", Decimal("12"))]


def test_editor_rows_for_other_clusters_and_closed_periods_are_errors(cast):
    open_period(cast.prog_a, 2026)
    past_period(cast.prog_a, 2021)

    response = _upload(
        cast.editor_a1.client(),
        csv_text(
            "a2,2026,EUR,kpi,events,12",
            "a1,2021,EUR,kpi,events,12",
        ),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "row 2: cluster",
            "code": "unknown_cluster",
            "message": "No cluster 'a2' in this programme.",
        },
        {
            "field": "row 3: year",
            "code": "period_closed",
            "message": "The 2021 reporting period is not open; only a program_admin may import into it.",
        },
    ]


def test_editor_may_not_approve(cast):
    response = _upload(
        cast.editor_a1.client(), csv_text("a1,2021,EUR,kpi,events,12"), approve="true"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Importing with approve needs the program_admin role."


def test_analyst_may_not_import(cast):
    response = _upload(cast.analyst_a.client(), csv_text("a1,2021,EUR,kpi,events,12"))

    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Importing facts needs the program_admin or cluster_editor role."
    )


def test_other_programme_is_404(periods):
    response = _upload(periods.admin_b.client(), GOOD)

    assert response.status_code == 404
    assert Submission.objects.for_program(periods.prog_a).count() == 0


def test_dry_run_counts_and_writes_nothing(periods, recomputes):
    response = _upload(periods.admin_a.client(), GOOD, dry_run="true")

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["dry_run"]) == (3, True)
    assert Submission.objects.for_program(periods.prog_a).count() == 0
    assert recomputes == []


def test_unsorted_rows_of_one_cluster_year_form_one_document(periods, recomputes):
    response = _upload(
        periods.admin_a.client(),
        csv_text(
            "a1,2021,EUR,funding,membership_fees,1.00",
            "a2,2021,EUR,funding,training,2.00",
            "a1,2021,EUR,cost,staff,3.00",
            "",
            "a2,2021,EUR,cost,staff,4.00",
        ),
    )

    assert response.status_code == 200
    assert response.json()["rows"] == 4
    after = content(periods.prog_a)
    assert after[("a1", 2021)]["costs"] == [("staff", Decimal("3.00"))]
    assert after[("a2", 2021)]["funding"] == [("training", Decimal("2.00"))]


# --- the management command -----------------------------------------------------------


def test_command_imports_and_prints_a_summary(periods, tmp_path, recomputes):
    path = tmp_path / "facts.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()

    call_command("import_facts", str(path), program="prog-a", no_progress=True, stdout=out)

    summary = out.getvalue()
    assert summary.startswith("6 rows read, 3 submissions: 3 created, 0 changed, 0 unchanged in ")
    assert Submission.objects.for_program(periods.prog_a).count() == 3
    event = SubmissionEvent.objects.for_program(periods.prog_a).first()
    assert (event.actor_label, event.via) == ("import_facts facts.csv", "import")


def test_command_with_approve_makes_approved_submissions(periods, tmp_path, recomputes):
    path = tmp_path / "facts.csv"
    path.write_text(GOOD, encoding="utf-8")

    call_command(
        "import_facts",
        str(path),
        program="prog-a",
        approve=True,
        no_progress=True,
        stdout=io.StringIO(),
    )

    assert set(Submission.objects.for_program(periods.prog_a).values_list("state", flat=True)) == {
        "approved"
    }


def test_command_lists_every_bad_row_and_fails(periods, tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text(
        csv_text("zz,2021,EUR,funding,training,1", "a1,2021,EUR,cost,staff,x"), encoding="utf-8"
    )
    err = io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_facts", str(path), program="prog-a", no_progress=True, stderr=err)

    assert str(exc.value) == "2 problem(s) in facts.csv; nothing was imported."
    assert err.getvalue().splitlines() == [
        "row 2: cluster: No cluster 'zz' in this programme.",
        "row 3: amount: 'x' is not a decimal number.",
    ]
    assert Submission.objects.for_program(periods.prog_a).count() == 0


def test_command_unknown_programme_fails(tmp_path, db):
    path = tmp_path / "facts.csv"
    path.write_text(csv_text(), encoding="utf-8")

    with pytest.raises(CommandError, match="No programme 'nope'."):
        call_command("import_facts", str(path), program="nope")


def test_command_dry_run_writes_nothing(periods, tmp_path, recomputes):
    path = tmp_path / "facts.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()

    err = io.StringIO()

    call_command(
        "import_facts",
        str(path),
        program="prog-a",
        dry_run=True,
        no_progress=True,
        stdout=out,
        stderr=err,
    )

    assert err.getvalue().startswith(
        "Dry run, nothing written: 6 rows read, 3 submissions: 3 created"
    )
    assert len(json.loads(out.getvalue())["changes"]) == 3
    assert Submission.objects.for_program(periods.prog_a).count() == 0


# --- the fast paths of the import keep the shared rules -------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        Document("EUR"),
        Document(
            "NOK",
            funding=[
                FundingItem("training", Decimal("1.5")),
                FundingItem(
                    "eu_projects", Decimal("0"), in_kind=True, restricted=True, note="mayors"
                ),
            ],
            costs=[
                CostItem("staff", Decimal("650000")),
                CostItem("setup", Decimal("2.10"), note="study trip"),
            ],
            kpis=[
                KpiItem("members_total", Decimal("165.000")),
                KpiItem("gdp_share", Decimal("0.042512")),
                KpiItem("events", Decimal("-3E+2")),
            ],
        ),
        Document(
            "EUR",
            funding=[FundingItem("membership_fees", Decimal("200000"))],
            staff_fte=Decimal("4.5"),
            notes="year one",
        ),
    ],
)
def test_history_of_a_created_submission_equals_document_diff(doc):
    assert facts_changes.created_changes(doc) == document_diff(None, doc)


def test_a_cluster_year_with_more_lines_than_a_document_allows_is_refused(periods, recomputes):
    KpiDefinition.objects.bulk_create(
        [
            KpiDefinition(
                program=periods.prog_a,
                code=f"extra_{i:03d}",
                name=f"Extra {i}",
                unit="count",
                kind="activity",
            )
            for i in range(MAX_LINES + 1)
        ]
    )
    text = csv_text(*[f"a1,2021,EUR,kpi,extra_{i:03d},{i}" for i in range(MAX_LINES + 1)])

    response = _upload(periods.admin_a.client(), text)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "row 2: row",
            "code": "too_many_lines",
            "message": f"a1 2021 has more than {MAX_LINES} kpis lines.",
        },
    ]
    assert Submission.objects.for_program(periods.prog_a).count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="foreign-key triggers are PostgreSQL's"
)
def test_postgres_import_gives_foreign_key_checks_back_to_the_surrounding_transaction(
    periods, recomputes
):
    _upload(periods.admin_a.client(), GOOD)

    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sub = Submission.objects.for_program(periods.prog_a).first()
        cursor.execute(
            "INSERT INTO clusters_kpivalue (program_id, submission_id, kpi_id, value) VALUES (%s, %s, %s, 1)",
            [periods.prog_a.pk, sub.pk, 987654321],
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="foreign-key triggers are PostgreSQL's"
)
def test_postgres_import_refuses_a_reference_removed_since_validation(periods):
    access = system_access(periods.prog_a, label="test", via="import")
    ref = ReferenceData.load(periods.prog_a)

    with pytest.raises(ValidationError) as exc, transaction.atomic():
        facts_tuning.skip_fk_triggers(access, {periods.a1.pk, 987654321}, ref)

    assert exc.value.message_dict == {
        "file": [
            "A cluster this file refers to was removed during the import; nothing was imported."
        ]
    }


@pytest.fixture
def approvals_followed(periods, settings):
    """A webhook endpoint of prog-a that follows submission.approved (never sent to here:
    nothing commits in these tests)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    response = periods.admin_a.client().post(
        "/api/v1/programs/prog-a/webhooks/",
        {"url": "http://127.0.0.1:9/hooks", "events": ["submission.approved"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    return periods


def _approved_announcements(program) -> tuple[list, list]:
    from notifications.models import Notice
    from webhooks.models import Event

    events = sorted(
        (
            json.loads(e.body)["data"]
            for e in Event.objects.for_program(program).filter(type="submission.approved")
        ),
        key=lambda data: (data["cluster"], data["year"]),
    )
    notices = sorted(
        (n.data["cluster"], n.data["year"], n.data["state"])
        for n in Notice.objects.for_program(program).filter(kind="approved")
    )
    return events, notices


def test_approving_by_import_announces_each_moved_submission(approvals_followed, recomputes):
    cast = approvals_followed
    # given a submitted a1 2021, a draft a2 2020 and an approved a1 2020
    add_submission(cast.a1, 2021, state="submitted", funding=[("membership_fees", "1.00")])
    add_submission(cast.a2, 2020, state="draft", funding=[("membership_fees", "2.00")])
    add_submission(cast.a1, 2020, state="approved", funding=[("membership_fees", "3.00")])

    # when an admin imports all three (a1 2020 restated) and a new a2 2021 with approve
    response = _upload(
        cast.admin_a.client(),
        csv_text(
            "a1,2021,EUR,funding,membership_fees,1.00",
            "a2,2020,EUR,funding,membership_fees,2.00",
            "a1,2020,EUR,funding,membership_fees,4.00",
            "a2,2021,EUR,cost,staff,10.00",
        ),
        approve="true",
    )

    # then the two whose state changed announce an approval (webhook event and mail), as
    # the approve endpoint does; the restated and the created one do not
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["changed"]) == (1, 3)
    assert _approved_announcements(cast.prog_a) == (
        [
            {"cluster": "a1", "program": "prog-a", "state": "approved", "year": 2021},
            {"cluster": "a2", "program": "prog-a", "state": "approved", "year": 2020},
        ],
        [("a1", 2021, "approved"), ("a2", 2020, "approved")],
    )


def test_a_dry_run_with_approve_announces_nothing(approvals_followed, recomputes):
    cast = approvals_followed
    add_submission(cast.a1, 2021, state="submitted", funding=[("membership_fees", "1.00")])

    response = _upload(
        cast.admin_a.client(),
        csv_text("a1,2021,EUR,funding,membership_fees,1.00"),
        approve="true",
        dry_run="true",
    )

    assert response.status_code == 200
    assert response.json()["changes"][0]["state"] == {"from": "submitted", "to": "approved"}
    assert _approved_announcements(cast.prog_a) == ([], [])
