"""GET /programs/{program}/exports/{table}.csv|.json|.xlsx|.parquet on the demo programme.

Each file is read back the way BI users read it (pandas, DuckDB, pyarrow, openpyxl) and
checked against figures worked out by hand from the demo data (clusters/demo.py): in 2021
the approved funding converts to EUR 1,816,000 (ocean tech 1,000,000; Monterrey
MXN 10,000,000 x 0.0416 = 416,000; MetaIndustry4 400,000), of which public 716,400,
private 618,000 and project 481,600; Queensland's AUD has no 2021 rate.
"""

from __future__ import annotations

import io
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from tests.bi_demo import BASE, body, demo_fixture  # noqa: F401

D = Decimal


def _csv(demo, table: str, **params) -> bytes:
    response = demo.client().get(f"{BASE}/{table}.csv", params)
    assert response.status_code == 200, body(response)[:300]
    return body(response)


def test_funding_csv_read_with_pandas_gives_the_converted_mix_by_category(demo):
    frame = pd.read_csv(
        io.BytesIO(_csv(demo, "funding", year=2021)),
        dtype={"amount": str, "amount_converted": str, "fx_rate": str},
        keep_default_na=False,
    )

    assert len(frame) == 17
    converted = frame[frame.amount_converted != ""]
    sums = converted.groupby("category").amount_converted.apply(lambda s: sum(map(D, s)))
    assert sums.to_dict() == {"private": D("618000"), "project": D("481600"), "public": D("716400")}
    assert sorted(frame[frame.amount_converted == ""].cluster.unique()) == ["queensland-robotics"]
    row = frame[
        (frame.cluster == "monterrey-aerocluster") & (frame.source == "regional_government")
    ]
    assert row[
        ["amount", "amount_converted", "fx_rate", "currency", "program_currency"]
    ].values.tolist() == [["4000000.00", "166400.00", "0.0416", "MXN", "EUR"]]
    assert row[["restricted", "in_kind", "state"]].values.tolist() == [[True, False, "approved"]]


def _duckdb_rows(query: str) -> list[tuple]:
    relation = duckdb.sql(query)
    assert relation is not None  # a SELECT always answers a relation
    return relation.fetchall()


def test_funding_csv_read_with_duckdb_sums_per_cluster(demo, tmp_path):
    path = tmp_path / "funding.csv"
    path.write_bytes(_csv(demo, "funding"))

    rows = _duckdb_rows(
        f"SELECT cluster, year, sum(amount_converted) FROM read_csv('{path}') "
        "GROUP BY ALL ORDER BY cluster, year"
    )

    assert rows == [
        ("avaesen", 2020, 1100000.0),
        ("evolution-cluster", 2015, 100000.0),
        ("evolution-cluster", 2020, 300000.0),
        ("evolution-cluster", 2025, 800000.0),
        ("metaindustry4", 2021, 400000.0),
        ("monterrey-aerocluster", 2021, 416000.0),
        ("ocean-tech", 2020, 940000.0),
        ("ocean-tech", 2021, 1000000.0),
        ("queensland-robotics", 2021, None),
    ]


FUNDING_SCHEMA = [
    ("cluster", pa.string(), False),
    ("year", pa.int32(), False),
    ("source", pa.string(), False),
    ("category", pa.string(), False),
    ("currency", pa.string(), False),
    ("amount", pa.decimal128(18, 2), False),
    ("amount_converted", pa.decimal128(38, 12), True),
    ("fx_rate", pa.decimal128(24, 10), True),
    ("program_currency", pa.string(), False),
    ("in_kind", pa.bool_(), False),
    ("restricted", pa.bool_(), False),
    ("note", pa.string(), False),
    ("state", pa.string(), False),
    ("updated_at", pa.timestamp("us", tz="UTC"), False),
]


def _parquet(demo, table: str, **params) -> bytes:
    response = demo.client().get(f"{BASE}/{table}.parquet", params)
    assert response.status_code == 200, body(response)[:300]
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    return body(response)


def test_funding_parquet_opens_with_pyarrow_with_the_documented_types(demo):
    table = pq.read_table(io.BytesIO(_parquet(demo, "funding", year=2021)))

    assert [(f.name, f.type, f.nullable) for f in table.schema] == FUNDING_SCHEMA
    rows = {(r["cluster"], r["source"]): r for r in table.to_pylist()}
    monterrey = rows[("monterrey-aerocluster", "regional_government")]
    assert (monterrey["year"], monterrey["amount"], monterrey["amount_converted"]) == (
        2021,
        D("4000000.00"),
        D("166400.000000000000"),
    )
    assert rows[("queensland-robotics", "member_shares")]["amount_converted"] is None


def test_funding_parquet_read_with_duckdb_sums_exactly(demo, tmp_path):
    path = tmp_path / "funding.parquet"
    path.write_bytes(_parquet(demo, "funding"))

    rows = _duckdb_rows(
        f"SELECT category, sum(amount_converted) FROM '{path}' WHERE year = 2021 "
        "GROUP BY category ORDER BY category"
    )

    assert rows == [
        ("private", D("618000.000000000000")),
        ("project", D("481600.000000000000")),
        ("public", D("716400.000000000000")),
    ]


def test_costs_parquet_read_with_pandas_keeps_decimals_and_integer_years(demo):
    frame = pd.read_parquet(io.BytesIO(_parquet(demo, "costs", year=2021)))

    assert str(frame.year.dtype) == "int32"
    assert str(frame.updated_at.dtype) == "datetime64[us, UTC]"
    staff = frame[(frame.category == "staff") & frame.amount_converted.notna()]
    assert sum(staff.amount_converted) == D("1066320")  # 650,000 + 5,200,000 x 0.0416 + 200,000


def test_funding_xlsx_opens_with_openpyxl(demo):
    response = demo.client().get(f"{BASE}/funding.xlsx", {"year": 2021})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="demo-funding-2021.xlsx"'
    book = load_workbook(io.BytesIO(body(response)), read_only=True)
    assert book.sheetnames == ["funding", "columns"]
    rows = list(book["funding"].iter_rows(values_only=True))
    assert rows[0][:7] == (
        "cluster",
        "year",
        "source",
        "category",
        "currency",
        "amount",
        "amount_converted",
    )
    assert rows[0][-1] == "updated_at (UTC)"
    assert len(rows) == 18
    total = sum(D(str(r[6])) for r in rows[1:] if r[6] is not None)
    assert total == D("1816000")
    types = {r[0]: r[1] for r in book["columns"].iter_rows(min_row=2, values_only=True)}
    assert (types["year"], types["amount"], types["amount_converted"]) == (
        "year",
        "decimal(18,2)",
        "decimal(38,12)",
    )


def test_json_is_paginated_like_every_collection(demo):
    client = demo.client()

    first = client.get(f"{BASE}/funding.json", {"year": 2021, "page_size": 10}).json()
    second = client.get(first["next"]).json()

    assert (first["count"], len(first["results"]), first["previous"]) == (17, 10, None)
    assert first["next"].endswith("/exports/funding.json?page=2&page_size=10&year=2021")
    assert (len(second["results"]), second["next"]) == (7, None)
    assert first["results"][0] == {
        "cluster": "metaindustry4",
        "year": 2021,
        "source": "eu_projects",
        "category": "project",
        "currency": "EUR",
        "amount": "140000.00",
        "amount_converted": "140000.00",
        "fx_rate": "1",
        "program_currency": "EUR",
        "in_kind": False,
        "restricted": False,
        "note": "",
        "state": "approved",
        "updated_at": first["results"][0]["updated_at"],
    }


def test_submissions_default_to_approved_and_state_any_adds_the_rest(demo):
    approved = pd.read_csv(io.BytesIO(_csv(demo, "submissions")))
    every = pd.read_csv(io.BytesIO(_csv(demo, "submissions", state="any")))

    assert len(approved) == 9
    assert sorted(set(every.state)) == ["approved", "submitted"]
    assert every[every.cluster == "health-valley"][
        ["year", "state", "version"]
    ].values.tolist() == [[2021, "submitted", 2]]


@pytest.mark.parametrize(
    ("table", "rows", "first"),
    [
        (
            "clusters",
            8,
            "avaesen,Avaesen,ES,Valencia,Energy and smart cities,2006,growth,transform,active,",
        ),
        ("funding-sources", 30, "chamber_of_commerce,Chamber of commerce funding,public,true"),
        ("kpis", 18, "capital_raised,Capital raised,currency,outcome,sum,true"),
        ("kpi-values", 16, "avaesen,2020,members_total,120,members,output,approved,"),
    ],
)
def test_other_tables_in_csv(demo, table, rows, first):
    lines = _csv(demo, table).decode().splitlines()

    assert len(lines) == 1 + rows
    assert lines[1].startswith(first)


def test_funding_mix_table_equals_the_funding_mix_endpoint(demo):
    client = demo.client()
    table = pd.read_csv(
        io.BytesIO(_csv(demo, "funding-mix")), dtype={"amount": str}, keep_default_na=False
    )

    assert sorted(set(table.year)) == [2015, 2020, 2021, 2025]
    for year in (2015, 2020, 2021, 2025):
        mix = client.get(f"/api/v1/programs/demo/portfolio/funding-mix?year={year}").json()
        expected = [(c, "", v["amount"], v["share"]) for c, v in mix["by_category"].items()]
        expected += [
            (s["category"], s["source"], s["amount"], s["share"]) for s in mix["by_source"]
        ]
        rows = table[table.year == year][["category", "source", "amount", "share"]]
        assert sorted(map(tuple, rows.values.tolist())) == sorted(expected)
    public_2021 = table[(table.year == 2021) & (table.category == "public") & (table.source == "")]
    assert public_2021.amount.tolist() == ["716400.00"]


def test_editor_gets_only_its_clusters_rows(demo):
    client = demo.client(demo.editor)

    funding = pd.read_csv(io.BytesIO(body(client.get(f"{BASE}/funding.csv"))))
    clusters = pd.read_csv(io.BytesIO(body(client.get(f"{BASE}/clusters.csv"))))
    mix = client.get(f"{BASE}/funding-mix.csv")

    assert sorted(set(funding.cluster)) == ["ocean-tech"]
    assert len(funding) == 10
    assert clusters.cluster.tolist() == ["ocean-tech"]
    assert mix.status_code == 403


def test_updated_since_returns_only_what_changed(demo):
    import datetime as dt

    from clusters.access import system_access
    from clusters.models import Cluster, FxRate, Submission
    from clusters.services.programs import fx_rates_put
    from clusters.services.registry import cluster_update

    program = demo.program
    # given: everything last changed on 1 January 2024
    past = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    Submission.objects.for_program(program).update(updated_at=past)
    Cluster.objects.for_program(program).update(updated_at=past)
    FxRate.objects.for_program(program).update(updated_at=past)
    since = "2024-06-01T00:00:00Z"
    assert len(pd.read_csv(io.BytesIO(_csv(demo, "funding", updated_since=since)))) == 0

    # when: Avaesen is renamed and the 2021 MXN rate is corrected
    access = system_access(program, label="test")
    avaesen = Cluster.objects.for_program(program).get(slug="avaesen")
    cluster_update(access=access, cluster=avaesen, data={"name": "Avaesen Energy"})
    fx_rates_put(access=access, rates=[{"year": 2021, "currency": "MXN", "rate": "0.0420"}])

    # then: their rows, and only those, are newer than the last refresh
    changed = pd.read_csv(io.BytesIO(_csv(demo, "funding", updated_since=since)))
    assert sorted(set(zip(changed.cluster, changed.year, strict=True))) == [
        ("avaesen", 2020),
        ("monterrey-aerocluster", 2021),
    ]
    assert len(changed) == 8
    regional = changed[changed.source == "regional_government"]
    assert sorted(regional.amount_converted.tolist()) == [168000.0, 300000.0]


@pytest.mark.parametrize(
    ("url", "field", "code"),
    [
        (f"{BASE}/funding.csv?updated_since=yesterday", "updated_since", "invalid_datetime"),
        (f"{BASE}/funding.parquet?year=20x1", "year", "invalid"),
        (f"{BASE}/funding.json?state=lost", "state", "invalid_choice"),
        (f"{BASE}/clusters.csv?year=2021", "year", "unknown_filter"),
        (f"{BASE}/funding-mix.csv?updated_since=2024-01-01", "updated_since", "unknown_filter"),
    ],
)
def test_bad_filters_are_400_problems_naming_the_field(demo, url, field, code):
    response = demo.client().get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_unknown_table_is_404(demo):
    response = demo.client().get(f"{BASE}/members.csv")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("No table 'members'")


def test_facts_csv_keeps_its_own_format(demo):
    lines = _csv(demo, "facts", year=2021).decode().splitlines()

    assert lines[0] == "cluster,year,currency,line,code,amount,in_kind,restricted,note"


@pytest.mark.parametrize("extra_clusters", [0, 25])
def test_export_runs_a_fixed_number_of_queries(demo, extra_clusters, django_assert_num_queries):
    from tests.factories import ClusterFactory
    from tests.givens import add_submission

    for i in range(extra_clusters):
        cluster = ClusterFactory.create(program=demo.program, slug=f"extra-{i:02d}")
        add_submission(cluster, 2021, funding=[("membership_fees", "10.00")])
    client = demo.client()
    client.get(f"{BASE}/kpis.csv")  # the token's last-used time is written once a minute

    # token, programme, fx rates, rows
    with django_assert_num_queries(4):
        lines = body(client.get(f"{BASE}/funding.csv", {"year": 2021})).decode().splitlines()

    assert len(lines) == 1 + 17 + extra_clusters
