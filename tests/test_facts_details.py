"""The facts CSV's optional columns ``in_kind,restricted,note``: nothing is silently lost.

- the export writes them (funding lines' flags and notes, cost lines' notes);
- an import of a file with them restates them; an exported file re-imported changes
  nothing, flags and notes included;
- an import of a file without them keeps the stored flags and note of every line that
  exists already (new lines get none);
- flags only on funding lines, notes only on funding and cost lines, both checked by the
  validation kit.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters import hooks
from clusters.models import Submission
from tests.givens import add_submission, content, past_period

IMPORT = "/api/v1/programs/prog-a/imports/facts"
EXPORT = "/api/v1/programs/prog-a/exports/facts.csv"
SIX = "cluster,year,currency,line,code,amount\n"
NINE = "cluster,year,currency,line,code,amount,in_kind,restricted,note\n"


def upload(member, text: str, **fields):
    file = SimpleUploadedFile("facts.csv", text.encode(), content_type="text/csv")
    return member.client().post(IMPORT, {"file": file, **fields}, format="multipart")


def export(member, **params) -> str:
    response = member.client().get(EXPORT, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.fixture(autouse=True)
def _no_recompute(monkeypatch):
    monkeypatch.setattr(hooks, "figure_inputs_changed", lambda **kw: None)


@pytest.fixture
def stored(cast):
    """a1 2021, a draft with flags and notes on its lines."""
    past_period(cast.prog_a, 2021)
    add_submission(
        cast.a1,
        2021,
        state="draft",
        funding=[
            ("membership_fees", "200000.00", True, False, "Rooms, lent by the city"),
            ("eu_projects", "300000.00", False, True, "Horizon\r\nWP 3"),
        ],
        costs=[("staff", "650000.00", "Two seniors")],
        kpis=[("members_total", "165")],
    )
    return cast


def a1_2021(cast) -> dict:
    return content(cast.prog_a, details=True)[("a1", 2021)]


STORED = {
    "currency": "EUR",
    "state": "draft",
    "funding": [
        ("eu_projects", Decimal("300000.00"), False, True, "Horizon\r\nWP 3"),
        ("membership_fees", Decimal("200000.00"), True, False, "Rooms, lent by the city"),
    ],
    "costs": [("staff", Decimal("650000.00"), "Two seniors")],
    "kpis": [("members_total", Decimal("165.000000"))],
}


def test_the_export_writes_flags_and_notes(stored):
    assert export(stored.admin_a, state="any") == (
        NINE + 'a1,2021,EUR,funding,eu_projects,300000.00,false,true,"Horizon\r\nWP 3"\n'
        'a1,2021,EUR,funding,membership_fees,200000.00,true,false,"Rooms, lent by the city"\n'
        "a1,2021,EUR,cost,staff,650000.00,,,Two seniors\n"
        "a1,2021,EUR,kpi,members_total,165.000000,,,\n"
    )


def test_an_exported_file_reimported_changes_nothing(stored):
    text = export(stored.admin_a, state="any")

    response = upload(stored.admin_a, text)

    assert response.status_code == 200
    assert (response.json()["changed"], response.json()["unchanged"]) == (0, 1)
    assert a1_2021(stored) == STORED
    sub = Submission.objects.for_program(stored.prog_a).get(cluster=stored.a1, year=2021)
    assert (sub.version, sub.events.count()) == (1, 0)


def test_a_file_without_the_columns_keeps_stored_flags_and_notes(stored):
    text = SIX + (
        "a1,2021,EUR,funding,eu_projects,300000.00\n"
        "a1,2021,EUR,funding,membership_fees,210000.00\n"
        "a1,2021,EUR,funding,training,5.00\n"
        "a1,2021,EUR,cost,staff,650000.00\n"
        "a1,2021,EUR,kpi,members_total,165\n"
    )

    response = upload(stored.admin_a, text)

    assert response.status_code == 200
    assert response.json()["changed"] == 1
    assert a1_2021(stored)["funding"] == [
        ("eu_projects", Decimal("300000.00"), False, True, "Horizon\r\nWP 3"),
        ("membership_fees", Decimal("210000.00"), True, False, "Rooms, lent by the city"),
        ("training", Decimal("5.00"), False, False, ""),
    ]
    assert a1_2021(stored)["costs"] == [("staff", Decimal("650000.00"), "Two seniors")]


def test_a_file_without_the_columns_and_the_same_amounts_changes_nothing(stored):
    text = SIX + (
        "a1,2021,EUR,funding,eu_projects,300000.00\n"
        "a1,2021,EUR,funding,membership_fees,200000.00\n"
        "a1,2021,EUR,cost,staff,650000.00\n"
        "a1,2021,EUR,kpi,members_total,165\n"
    )

    response = upload(stored.admin_a, text)

    assert (response.json()["changed"], response.json()["unchanged"]) == (0, 1)
    assert a1_2021(stored) == STORED


def test_a_file_with_the_columns_restates_them(stored):
    text = NINE + (
        "a1,2021,EUR,funding,eu_projects,300000.00,,,\n"
        "a1,2021,EUR,funding,membership_fees,200000.00,false,yes,Now restricted\n"
        "a1,2021,EUR,cost,staff,650000.00,,,\n"
    )

    response = upload(stored.admin_a, text)

    assert response.status_code == 200
    assert a1_2021(stored) == {
        **STORED,
        "funding": [
            ("eu_projects", Decimal("300000.00"), False, False, ""),
            ("membership_fees", Decimal("200000.00"), False, True, "Now restricted"),
        ],
        "costs": [("staff", Decimal("650000.00"), "")],
        "kpis": [],
    }
    history = Submission.objects.for_program(stored.prog_a).get(cluster=stored.a1).events.get()
    assert {c["field"] for c in history.changes} == {
        "funding.eu_projects.restricted",
        "funding.eu_projects.note",
        "funding.membership_fees.in_kind",
        "funding.membership_fees.restricted",
        "funding.membership_fees.note",
        "costs.staff.note",
        "kpis.members_total.value",
    }


def test_a_new_submission_from_a_file_with_the_columns_gets_them(cast):
    past_period(cast.prog_a, 2021)
    text = NINE + (
        'a2,2021,NOK,funding,eu_projects,1000.50,TRUE,1,"Horizon, WP 2"\n'
        "a2,2021,NOK,cost,operations,10.00,,,Rent\n"
    )

    response = upload(cast.admin_a, text)

    assert response.status_code == 200
    a2 = content(cast.prog_a, details=True)[("a2", 2021)]
    assert a2["funding"] == [("eu_projects", Decimal("1000.50"), True, True, "Horizon, WP 2")]
    assert a2["costs"] == [("operations", Decimal("10.00"), "Rent")]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "a1,2021,EUR,cost,staff,1.00,true,,",
            {
                "field": "row 2: in_kind",
                "code": "not_allowed",
                "message": "Only funding lines carry in_kind; leave it empty on a cost line.",
            },
        ),
        (
            "a1,2021,EUR,kpi,members_total,1,,false,",
            {
                "field": "row 2: restricted",
                "code": "not_allowed",
                "message": "Only funding lines carry restricted; leave it empty on a kpi line.",
            },
        ),
        (
            "a1,2021,EUR,kpi,members_total,1,,,why",
            {
                "field": "row 2: note",
                "code": "not_allowed",
                "message": "A KPI value has no note; leave it empty.",
            },
        ),
        (
            "a1,2021,EUR,funding,training,1.00,maybe,,",
            {"field": "row 2: in_kind", "code": "invalid", "message": "Expected true or false."},
        ),
        (
            "a1,2021,EUR,funding,training,1.00,,,a\x00b",
            {
                "field": "row 2: note",
                "code": "invalid_characters",
                "message": "Control characters (such as NUL) are not allowed in text.",
            },
        ),
        (
            f"a1,2021,EUR,cost,staff,1.00,,,{'n' * 501}",
            {"field": "row 2: note", "code": "max_length", "message": "At most 500 characters."},
        ),
        (
            "a1,2021,EUR,funding,training,1.00",
            {
                "field": "row 2: row",
                "code": "column_count",
                "message": "The row has 6 columns; it must have 9.",
            },
        ),
    ],
    ids=["flag-on-cost", "flag-on-kpi", "note-on-kpi", "bad-flag", "nul", "long-note", "short"],
)
def test_details_in_the_wrong_place_or_shape_are_row_errors(stored, row, error):
    response = upload(stored.admin_a, NINE + row + "\n")

    assert response.status_code == 400
    assert response.json()["errors"] == [error]
    assert a1_2021(stored) == STORED


def test_the_command_reads_the_columns_too(stored, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "facts.csv"
    text = export(stored.admin_a, state="any").replace("true,false,", "false,false,")
    path.write_text(text, encoding="utf-8", newline="")

    call_command("import_facts", str(path), "--program", "prog-a", "--no-progress")

    assert a1_2021(stored)["funding"][1] == (
        "membership_fees",
        Decimal("200000.00"),
        False,
        False,
        "Rooms, lent by the city",
    )
    assert a1_2021(stored)["funding"][0][4] == "Horizon\r\nWP 3"
