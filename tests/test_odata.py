"""The OData v4 feed at /odata/{program}/ on the demo programme.

The client library is python-odata (maintained, OData v4): it reads $metadata, builds
entity classes from it and follows @odata.nextLink page by page against a live server.
(pyodata, the other maintained client, speaks OData v2 only.)
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
import requests
from django.test import Client

from bi.tables import TABLES
from tests.bi_demo import body, demo_fixture, load_demo_programme  # noqa: F401

EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
ROOT = "/odata/demo/"


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _json(response) -> dict:
    assert response.status_code == 200, body(response)[:400]
    return json.loads(body(response))


def test_metadata_is_edmx_naming_every_entity_set_with_typed_properties(demo):
    response = _client(demo.analyst).get(f"{ROOT}$metadata")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml;charset=utf-8"
    assert response["OData-Version"] == "4.0"
    root = ET.fromstring(response.content)
    assert root.tag == f"{EDMX}Edmx" and root.get("Version") == "4.0"
    schema = root.find(f"{EDMX}DataServices/{EDM}Schema")
    assert schema is not None
    container = schema.find(f"{EDM}EntityContainer")
    assert container is not None
    sets = {s.attrib["Name"]: s.attrib["EntityType"] for s in container.iter(f"{EDM}EntitySet")}
    assert sorted(sets) == sorted(
        [
            "Clusters",
            "FundingSources",
            "Kpis",
            "Funding",
            "Costs",
            "KpiValues",
            "Submissions",
            "FundingMix",
        ]
    )
    types = {t.get("Name"): t for t in schema.iter(f"{EDM}EntityType")}
    for table in TABLES.values():
        entity = types[sets[table.entity_set].removeprefix("Clusterbase.")]
        assert [p.get("Name") for p in entity.iter(f"{EDM}Property")] == list(table.names())
    funding = {p.get("Name"): p.attrib for p in types["FundingLine"].iter(f"{EDM}Property")}
    assert funding["year"] == {"Name": "year", "Type": "Edm.Int32", "Nullable": "false"}
    assert funding["amount_converted"] == {
        "Name": "amount_converted",
        "Type": "Edm.Decimal",
        "Precision": "38",
        "Scale": "12",
    }
    assert funding["restricted"]["Type"] == "Edm.Boolean"
    assert funding["updated_at"]["Type"] == "Edm.DateTimeOffset"
    assert [k.get("Name") for k in types["FundingLine"].iter(f"{EDM}PropertyRef")] == [
        "cluster",
        "year",
        "source",
    ]


def test_service_document_lists_the_entity_sets(demo):
    doc = _json(_client(demo.analyst).get(ROOT))

    assert doc["@odata.context"] == "http://testserver/odata/demo/$metadata"
    assert [s["name"] for s in doc["value"]] == [t.entity_set for t in TABLES.values()]


@pytest.fixture
def live_demo(transactional_db, live_server):
    return load_demo_programme(), live_server.url


def test_a_client_library_reads_a_table_through_next_link_pages(live_demo):
    from odata.service import ODataService

    demo, url = live_demo
    session = requests.Session()
    session.headers.update(
        {"Authorization": f"Bearer {demo.analyst}", "Prefer": "odata.maxpagesize=5"}
    )
    pages: list[str] = []
    session.hooks["response"].append(
        lambda r, *a, **k: pages.append(r.url) if "/Funding" in r.url else None
    )
    service = ODataService(
        f"{url}/odata/demo/", reflect_entities=True, session=session, quiet_progress=True
    )
    Funding = service.entities["Funding"]

    rows = list(service.query(Funding))

    assert len(rows) == 32
    assert len(pages) == 7  # 32 approved funding lines, 5 a page
    total = sum(
        r.amount_converted for r in rows if r.year == 2021 and r.amount_converted is not None
    )
    assert Decimal(str(total)) == Decimal("1816000")
    assert {(r.cluster, r.year) for r in rows if r.restricted} == {("monterrey-aerocluster", 2021)}


def test_basic_auth_with_any_user_and_the_token_as_password(live_demo):
    demo, url = live_demo

    response = requests.get(
        f"{url}/odata/demo/Kpis",
        params={"$select": "kpi", "$top": "2"},
        auth=("powerbi", demo.analyst),
    )
    refused = requests.get(f"{url}/odata/demo/Kpis", auth=("powerbi", "cb_wrong"))

    assert response.status_code == 200
    assert response.json()["value"] == [{"kpi": "capital_raised"}, {"kpi": "events"}]
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith('Basic realm="clusterbase OData"')
    assert refused.json() == {
        "error": {"code": "unauthorized", "message": "The token is unknown, expired or revoked."}
    }


@pytest.mark.parametrize("extra_clusters", [0, 25])
def test_filter_on_year_returns_that_year_in_a_fixed_number_of_queries(
    demo,
    extra_clusters,
    django_assert_num_queries,
):
    from tests.factories import ClusterFactory
    from tests.givens import add_submission

    for i in range(extra_clusters):
        cluster = ClusterFactory.create(program=demo.program, slug=f"extra-{i:02d}")
        add_submission(cluster, 2020, funding=[("membership_fees", "10.00")])
    client = _client(demo.analyst)
    client.get(f"{ROOT}Kpis")  # the token's last-used time is written once a minute

    # token, programme, fx rates, count, rows
    with django_assert_num_queries(5):
        payload = _json(client.get(f"{ROOT}Funding", {"$filter": "year eq 2021", "$count": "true"}))

    assert payload["@odata.count"] == 17
    assert {row["year"] for row in payload["value"]} == {2021}
    assert len(payload["value"]) == 17


def test_select_orderby_top_skip_and_count(demo):
    payload = _json(
        _client(demo.analyst).get(
            f"{ROOT}Funding",
            {
                "$filter": "year eq 2021 and (category eq 'public' or amount gt 1000000)",
                "$select": "cluster,source,amount,amount_converted",
                "$orderby": "amount desc,source",
                "$top": "3",
                "$skip": "1",
                "$count": "true",
            },
        )
    )

    assert payload["@odata.context"] == (
        "http://testserver/odata/demo/$metadata#Funding(cluster,source,amount,amount_converted)"
    )
    assert payload["@odata.count"] == 7  # 5 public lines, 2 others above 1,000,000
    assert payload["value"] == [
        {
            "cluster": "monterrey-aerocluster",
            "source": "membership_fees",
            "amount": 2500000,
            "amount_converted": 104000,
        },
        {
            "cluster": "monterrey-aerocluster",
            "source": "events_sponsorship",
            "amount": 1500000,
            "amount_converted": 62400,
        },
        {
            "cluster": "ocean-tech",
            "source": "national_cluster_programme",
            "amount": 400000,
            "amount_converted": 400000,
        },
    ]
    assert "@odata.nextLink" not in payload


def test_server_paging_honours_prefer_maxpagesize(demo):
    client = _client(demo.analyst)

    response = client.get(
        f"{ROOT}Funding",
        {"$filter": "year eq 2021", "$top": "7"},
        HTTP_PREFER="odata.maxpagesize=5",
    )
    first = _json(response)
    second = _json(client.get(first["@odata.nextLink"], HTTP_PREFER="odata.maxpagesize=5"))

    assert response["Preference-Applied"] == "odata.maxpagesize=5"
    assert len(first["value"]) == 5
    assert first["@odata.nextLink"] == (
        "http://testserver/odata/demo/Funding?%24filter=year+eq+2021&%24top=2&%24skip=5"
    )
    assert len(second["value"]) == 2
    assert "@odata.nextLink" not in second


def test_decimals_are_exact_numbers_or_strings_for_ieee754_clients(demo):
    client = _client(demo.analyst)
    query = {
        "$filter": "cluster eq 'monterrey-aerocluster' and source eq 'training'",
        "$select": "amount_converted,fx_rate",
    }

    plain = body(client.get(f"{ROOT}Funding", query))
    strings = _json(
        client.get(f"{ROOT}Funding", query, HTTP_ACCEPT="application/json;IEEE754Compatible=true")
    )

    assert b'"value":[{"amount_converted":41600,"fx_rate":0.0416}]' in plain
    assert strings["value"] == [{"amount_converted": "41600", "fx_rate": "0.0416"}]


def test_updated_at_filter_runs_like_updated_since(demo):
    import datetime as dt

    from clusters.access import system_access
    from clusters.models import Cluster, FxRate, Submission
    from clusters.services.programs import fx_rates_put

    past = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    Submission.objects.for_program(demo.program).update(updated_at=past)
    Cluster.objects.for_program(demo.program).update(updated_at=past)
    FxRate.objects.for_program(demo.program).update(updated_at=past)
    fx_rates_put(
        access=system_access(demo.program, label="test"),
        rates=[{"year": 2021, "currency": "MXN", "rate": "0.0420"}],
    )
    client = _client(demo.analyst)

    newer = _json(
        client.get(
            f"{ROOT}Funding",
            {"$filter": "updated_at ge 2024-06-01T00:00:00Z", "$select": "cluster,year"},
        )
    )
    count_older = int(
        body(client.get(f"{ROOT}Funding/$count", {"$filter": "updated_at lt 2024-06-01T00:00:00Z"}))
    )
    exactly = _json(
        client.get(
            f"{ROOT}Funding",
            {"$filter": "updated_at eq 2024-01-01T00:00:00Z", "$count": "true", "$top": "0"},
        )
    )

    assert {(r["cluster"], r["year"]) for r in newer["value"]} == {("monterrey-aerocluster", 2021)}
    assert len(newer["value"]) == 5
    assert count_older == 27
    assert exactly["@odata.count"] == 27


def test_funding_mix_set_equals_the_endpoint(demo):
    client = _client(demo.analyst)

    rows = _json(client.get(f"{ROOT}FundingMix", {"$filter": "year eq 2021 and source eq ''"}))[
        "value"
    ]
    mix = client.get(
        "/api/v1/programs/demo/portfolio/funding-mix?year=2021",
        HTTP_AUTHORIZATION=f"Bearer {demo.analyst}",
    ).json()

    assert sorted((r["category"], Decimal(str(r["amount"])), r["share"]) for r in rows) == sorted(
        (c, Decimal(v["amount"]), v["share"]) for c, v in mix["by_category"].items()
    )


@pytest.mark.parametrize(
    ("params", "code", "target"),
    [
        ({"$filter": "year eq"}, "syntax_error", "$filter"),
        ({"$filter": "year eq '2021'"}, "invalid_literal", "$filter"),
        ({"$filter": "contains(cluster, 'a')"}, "unsupported", "$filter"),
        ({"$filter": "amount_converted gt 1"}, "invalid_column", "amount_converted"),
        ({"$filter": "members eq 1"}, "invalid_property", "$filter"),
        ({"$filter": "(year eq 2021"}, "syntax_error", "$filter"),
        ({"$filter": "note eq 'a\x00b'"}, "invalid_characters", "$filter"),
        ({"$filter": "updated_at ge 9999-12-31T23:30:00-01:00"}, "invalid_literal", "$filter"),
        ({"$filter": "year eq 2021" + " or year eq 2020" * 300}, "invalid_query", "$filter"),
        ({"$orderby": "amount_converted"}, "invalid_column", "amount_converted"),
        ({"$orderby": "year sideways"}, "invalid_query", "$orderby"),
        ({"$select": "cluster,nope"}, "invalid_property", "$select"),
        ({"$top": "-1"}, "invalid_query", "$top"),
        ({"$count": "yes"}, "invalid_query", "$count"),
        ({"$expand": "source"}, "unsupported", "$expand"),
        ({"$format": "xml"}, "invalid_query", "$format"),
        ({"updated_since": "soon"}, "invalid", "updated_since"),
    ],
)
def test_a_bad_query_is_a_400_odata_error(demo, params, code, target):
    response = _client(demo.analyst).get(f"{ROOT}Funding", params)

    assert response.status_code == 400
    assert response["OData-Version"] == "4.0"
    error = json.loads(response.content)["error"]
    assert (error["code"], error.get("target")) == (code, target)


def test_unknown_sets_programmes_and_writes(demo):
    client = _client(demo.analyst)

    assert client.get(f"{ROOT}Members").status_code == 404
    assert client.get("/odata/nowhere/Funding").status_code == 404
    assert client.get("/odata/demo/Funding/extra/path").status_code == 404
    assert client.post(f"{ROOT}Funding", {}).status_code == 405


def test_basic_credentials_that_are_not_base64_are_401(demo):
    response = Client(HTTP_AUTHORIZATION="Basic ***").get(f"{ROOT}Funding")
    no_password = Client(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"user:").decode()).get(
        f"{ROOT}Funding"
    )

    assert (response.status_code, no_password.status_code) == (401, 401)
