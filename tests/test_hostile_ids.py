"""Ids, versions and counts a client types are read by the validation kit's
``whole_number``: ASCII digits only, bounded. ``str.isdigit()`` takes "²" (which ``int()``
refuses) and any number of digits (``int()`` refuses more than 4,300), so a check built on
it let those through to ``int()`` and a 500.

Given the cast and A's objects at the isolation matrix's ids, when an id, a version or
``$top``/``$skip`` is "²" or 5,000 digits, then the answer is the 400 or 404 of any other
bad value.
"""

from __future__ import annotations

import pytest

from clusters.validation import whole_number
from tests.graphql_client import gql
from tests.isolation_matrix import _canvases, _reports, _returned_with_comment

SUPERSCRIPT_TWO = "²"
TOO_MANY_DIGITS = "9" * 5000
HOSTILE = [SUPERSCRIPT_TWO, TOO_MANY_DIGITS]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0), ("42", 42), (7, 7), ("²", None), ("٣", None), ("-1", None), (" 1", None)]
    + [(TOO_MANY_DIGITS, None), (True, None), (1.0, None), ("", None), (None, None)],
)
def test_whole_number_reads_ascii_digits_only(raw, expected):
    assert whole_number(raw) == expected


def test_whole_number_refuses_more_than_the_maximum():
    assert (whole_number("10", maximum=10), whole_number("11", maximum=10)) == (10, None)


@pytest.mark.parametrize("option", ["$top", "$skip"])
@pytest.mark.parametrize("raw", HOSTILE, ids=["superscript", "5000-digits"])
def test_odata_top_and_skip_that_are_not_ascii_digits_are_a_400(cast, option, raw):
    response = cast.admin_a.client().get(f"/odata/prog-a/Clusters?{option}={raw}")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_query",
            "message": f"{option} must be a whole number from 0 to 1000000000.",
            "target": option,
        }
    }


@pytest.mark.parametrize("raw", HOSTILE, ids=["superscript", "5000-digits"])
def test_rest_canvas_diff_from_a_version_that_is_not_digits_is_a_400(cast, raw):
    _canvases(cast)
    base = "/api/v1/programs/prog-a/clusters/a1/canvases/business-model-canvas/diff"

    response = cast.admin_a.client().get(f"{base}?from={raw}&to=1")

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("from", "invalid")]


@pytest.mark.parametrize("raw", HOSTILE, ids=["superscript", "5000-digits"])
def test_graphql_job_with_an_id_that_is_not_digits_is_not_found(cast, raw):
    _canvases(cast)

    out = gql(cast.admin_a, '{ job(program: "prog-a", id: "%s") { state } }' % raw)

    assert out["data"] is None
    assert out["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("raw", HOSTILE, ids=["superscript", "5000-digits"])
def test_graphql_resolving_a_comment_whose_id_is_not_digits_is_not_found(cast, raw):
    _returned_with_comment(cast)

    out = gql(
        cast.admin_a,
        'mutation { resolveFieldComment(program: "prog-a", cluster: "a1", year: 2021, '
        'id: "%s", resolved: true) { resolved } }' % raw,
    )

    assert out["data"] is None
    assert out["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("raw", HOSTILE, ids=["superscript", "5000-digits"])
def test_graphql_revoking_a_share_whose_id_is_not_digits_is_not_found(cast, raw):
    _reports(cast)

    out = gql(
        cast.admin_a,
        'mutation { revokeReportShare(program: "prog-a", year: 2021, id: "%s") }' % raw,
    )

    assert out["data"] is None
    assert out["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_odata_maxpagesize_of_5000_digits_is_the_largest_page(cast):
    response = cast.admin_a.client().get(
        "/odata/prog-a/Clusters", HTTP_PREFER="odata.maxpagesize=" + TOO_MANY_DIGITS
    )

    assert response.status_code == 200
    assert response["Preference-Applied"] == "odata.maxpagesize=50000"
