"""An import that shows what it will do: the facts import's dry run (REST and command) and
its report after a real import, and the workbook preview, against hand-built files."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from clusters.models import (
    CostLine,
    FieldComment,
    FundingLine,
    KpiValue,
    Submission,
    SubmissionEvent,
)
from tests.givens import open_period, sub_url
from tests.review_helpers import doc, write

pytestmark = pytest.mark.django_db

HEADER = "cluster,year,currency,line,code,amount\n"
# a1 2021 restated: one amount changes, one line is new, the staff cost line goes away;
# a2 2020 is new.
FILE = HEADER + (
    "a1,2021,EUR,funding,national_cluster_programme,400000.00\n"
    "a1,2021,EUR,funding,membership_fees,250000.00\n"
    "a1,2021,EUR,funding,eu_projects,300000.00\n"
    "a1,2021,EUR,kpi,members_total,165\n"
    "a2,2020,EUR,funding,membership_fees,50.00\n"
)
A1_2021 = {
    "cluster": "a1",
    "year": 2021,
    "added": [{"field": "funding.eu_projects.amount", "from": None, "to": "300000.00"}],
    "changed": [
        {"field": "funding.membership_fees.amount", "from": "200000.00", "to": "250000.00"}
    ],
    "removed": [{"field": "costs.staff.amount", "from": "650000.00", "to": None}],
    "state": None,
}
A2_2020 = {
    "cluster": "a2",
    "year": 2020,
    "added": [
        {"field": "currency", "from": None, "to": "EUR"},
        {"field": "funding.membership_fees.amount", "from": None, "to": "50.00"},
    ],
    "changed": [],
    "removed": [],
    "state": {"from": None, "to": "draft"},
}


@pytest.fixture
def world(cast):
    open_period(cast.prog_a, 2020)
    write(
        cast.a1,
        2021,
        doc(
            {"national_cluster_programme": "400000.00", "membership_fees": "200000.00"},
            {"staff": "650000.00"},
            {"members_total": "165"},
        ),
    )
    return cast


def _upload(member, text, **fields):
    file = SimpleUploadedFile("facts.csv", text.encode(), content_type="text/csv")
    return member.client().post(
        "/api/v1/programs/prog-a/imports/facts", {"file": file, **fields}, format="multipart"
    )


def _database(program):
    """Everything an import could write, to compare before and after."""
    return {
        "submissions": sorted(
            Submission.objects.for_program(program).values_list(
                "cluster__slug", "year", "state", "version", "currency"
            )
        ),
        "funding": sorted(
            FundingLine.objects.for_program(program).values_list(
                "submission_id", "source__code", "amount"
            )
        ),
        "costs": sorted(
            CostLine.objects.for_program(program).values_list("submission_id", "category", "amount")
        ),
        "kpis": sorted(
            KpiValue.objects.for_program(program).values_list("submission_id", "kpi__code", "value")
        ),
        "events": SubmissionEvent.objects.for_program(program).count(),
        "comments": sorted(
            FieldComment.objects.for_program(program).values_list("field", "resolved")
        ),
    }


def test_a_dry_run_answers_what_would_change_per_cluster_year(world):
    response = _upload(world.admin_a, FILE, dry_run="true")

    assert response.status_code == 200, response.json()
    assert response.json()["changes"] == [A1_2021, A2_2020]
    assert response.json()["changes_truncated"] is False


def test_a_dry_run_writes_nothing(world):
    before = _database(world.prog_a)

    _upload(world.admin_a, FILE, dry_run="true")

    assert _database(world.prog_a) == before


def test_the_real_import_reports_the_same_after_writing(world):
    dry = _upload(world.admin_a, FILE, dry_run="true").json()["changes"]

    real = _upload(world.admin_a, FILE)

    assert real.json()["changes"] == dry
    assert ("a2", 2020, "draft", 1, "EUR") in _database(world.prog_a)["submissions"]


def test_a_file_that_changes_nothing_lists_the_cluster_year_with_empty_lists(world):
    same = HEADER + (
        "a1,2021,EUR,funding,national_cluster_programme,400000.00\n"
        "a1,2021,EUR,funding,membership_fees,200000.00\n"
        "a1,2021,EUR,cost,staff,650000.00\n"
        "a1,2021,EUR,kpi,members_total,165\n"
    )

    response = _upload(world.admin_a, same, dry_run="true")

    assert response.json()["changes"] == [
        {"cluster": "a1", "year": 2021, "added": [], "changed": [], "removed": [], "state": None}
    ]


def test_an_approving_dry_run_names_the_state_changes(world):
    write(world.a2, 2021, doc({"membership_fees": "100.00"}), state="submitted")
    text = HEADER + (
        "a1,2021,EUR,funding,membership_fees,200000.00\n"
        "a2,2021,EUR,funding,membership_fees,100.00\n"
        "a2,2021,EUR,kpi,members_total,100\n"
    )
    before = _database(world.prog_a)

    response = _upload(world.admin_a, text, dry_run="true", approve="true")

    changes = {(c["cluster"], c["year"]): c for c in response.json()["changes"]}
    assert changes[("a1", 2021)]["state"] == {"from": "draft", "to": "approved"}
    assert changes[("a2", 2021)] == {
        "cluster": "a2",
        "year": 2021,
        "added": [],
        "changed": [],
        "removed": [],
        "state": {"from": "submitted", "to": "approved"},
    }
    assert _database(world.prog_a) == before


def test_the_command_dry_run_prints_the_changes_as_json_and_writes_nothing(world, tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text(FILE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    before = _database(world.prog_a)

    call_command(
        "import_facts",
        str(path),
        program="prog-a",
        dry_run=True,
        no_progress=True,
        stdout=out,
        stderr=err,
    )

    assert json.loads(out.getvalue()) == {
        "changes": [A1_2021, A2_2020],
        "changes_truncated": False,
    }
    assert err.getvalue().startswith("Dry run, nothing written: 5 rows read, 2 submissions")
    assert _database(world.prog_a) == before


def test_an_import_resolves_the_field_comments_it_changes_and_a_dry_run_does_not(world):
    write(world.a1, 2021, doc({"membership_fees": "200000.00"}), state="submitted")
    world.admin_a.client().post(
        sub_url(suffix="return"),
        {"comment": "Fees?", "fields": [{"field": "funding.membership_fees", "comment": "?"}]},
        format="json",
    )
    text = HEADER + "a1,2021,EUR,funding,membership_fees,250000.00\n"

    _upload(world.editor_a1, text, dry_run="true")
    open_after_dry_run = FieldComment.objects.for_program(world.prog_a).get().resolved
    _upload(world.editor_a1, text)

    assert open_after_dry_run is False
    assert FieldComment.objects.for_program(world.prog_a).get().resolved is True
    last = SubmissionEvent.objects.for_program(world.prog_a).order_by("id").last()
    assert (last.action, last.comments) == (
        "imported",
        [{"field": "funding.membership_fees", "comment": "?", "resolved": True}],
    )


# --- the workbook preview -------------------------------------------------------------


def test_a_workbook_preview_answers_the_change_and_writes_nothing(world):
    client = world.editor_a1.client()
    base = "/api/v1/programs/prog-a/clusters/a1/submissions/2021/"
    wb = load_workbook(io.BytesIO(client.get(base + "template.xlsx").content))
    funding = wb["Funding"]
    for row in funding.iter_rows(min_row=2):
        if row[0].value == "membership_fees":
            row[3].value = "210000.00"
    raw = io.BytesIO()
    wb.save(raw)
    before = _database(world.prog_a)

    response = client.post(
        base + "upload.xlsx?dry_run=true",
        {"file": SimpleUploadedFile("a1.xlsx", raw.getvalue())},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "changes": [
            {
                "cluster": "a1",
                "year": 2021,
                "added": [],
                "changed": [
                    {
                        "field": "funding.membership_fees.amount",
                        "from": "200000.00",
                        "to": "210000.00",
                    }
                ],
                "removed": [],
                "state": None,
            }
        ],
        "warnings": [
            {
                "rule": "public_share",
                "field": "funding",
                "message": "Public funding is 65.57 % of the total (400000.00 of 610000.00 EUR); "
                "the programme's threshold is 50.00 %.",
                "blocking": False,
            }
        ],
    }
    assert _database(world.prog_a) == before
