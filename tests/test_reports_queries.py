"""Fixed query counts: reading a stored report, listing its links, and gathering a cluster's
report whatever the length of its history."""

from __future__ import annotations

import datetime as dt

import pytest

from clusters.access import system_access
from reports.models import ReportKind
from reports.selectors.cluster import cluster_report_data
from reports.services.shares import share_create
from reports.services.store import report_store
from tests.canvas_helpers import OCEAN_COSTS_2021, OCEAN_FUNDING_2021
from tests.givens import add_submission

pytestmark = pytest.mark.django_db
AS_OF = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)


def _stored(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    report_store(
        program=cast.prog_a,
        kind=ReportKind.CLUSTER,
        cluster=cast.a1,
        year=2021,
        language="en",
        files={"html": b"<p>a1</p>", "pdf": b"%PDF a1"},
        pages=1,
        as_of=AS_OF,
    )


def test_reading_a_stored_report_takes_a_fixed_number_of_queries(
    cast, settings, tmp_path, django_assert_num_queries
):
    _stored(cast, settings, tmp_path)
    client = cast.editor_a1.client()

    # the token (and its first use noted), its clusters, programme, cluster, stored report
    with django_assert_num_queries(6):
        response = client.get("/api/v1/programs/prog-a/clusters/a1/reports/2021.pdf")

    assert response.status_code == 200


@pytest.mark.parametrize("links", [1, 4])
def test_listing_links_takes_a_fixed_number_of_queries(
    cast, settings, tmp_path, django_assert_num_queries, links
):
    _stored(cast, settings, tmp_path)
    for _ in range(links):
        share_create(
            access=system_access(cast.prog_a, label="t"),
            kind=ReportKind.CLUSTER,
            cluster=cast.a1,
            year=2021,
            lang="en",
            data={},
        )
    client = cast.admin_a.client()

    # the token (and its first use noted), programme, cluster, count, page
    with django_assert_num_queries(6):
        response = client.get("/api/v1/programs/prog-a/clusters/a1/reports/2021/share")

    assert response.json()["count"] == links


@pytest.mark.parametrize("years", [2, 12])
def test_a_cluster_report_gathers_its_history_in_a_fixed_number_of_queries(
    cast, years, django_assert_num_queries
):
    for year in range(2022 - years, 2022):
        add_submission(cast.a1, year, funding=OCEAN_FUNDING_2021, costs=OCEAN_COSTS_2021)
    access = system_access(cast.prog_a, label="t")

    with django_assert_num_queries(23):
        data = cluster_report_data(access=access, cluster=cast.a1, year=2021)

    assert [f.year for f in data["history"]] == list(range(2022 - years, 2022))
