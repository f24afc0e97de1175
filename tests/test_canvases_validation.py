"""Every kind refuses bad bodies with exact problem details: status 400, one `errors` item
per problem with the field path and code, and nothing saved."""

from __future__ import annotations

import pytest

from tests.canvas_helpers import url

pytestmark = pytest.mark.django_db


def _put(cast, kind, body):
    return cast.editor_a1.client().put(url("prog-a", "a1", f"{kind}/"), body, format="json")


def _errors(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    data = response.json()
    assert data["status"] == 400
    return [(e["field"], e["code"]) for e in data["errors"]]


CASES = [
    (
        "business-model-map",
        {
            "shares": [
                {"source": "national_cluster_programme", "share": "0.6"},
                {"source": "local_government", "share": "0.3"},
            ]
        },
        [("shares", "shares_sum")],
    ),
    (
        "business-model-map",
        {
            "shares": [
                {"source": "nope", "share": "0.5"},
                {"source": "membership_fees", "share": "1.5"},
                {"source": "membership_fees", "share": 0.5},
                {"share": "0.1", "weight": 2},
            ],
            "owner": "b",
        },
        [
            ("owner", "unknown_field"),
            ("shares.0.source", "unknown_source"),
            ("shares.1.share", "too_large"),
            ("shares.2.source", "duplicate_source"),
            ("shares.3.weight", "unknown_field"),
            ("shares.3.source", "required"),
        ],
    ),
    ("business-model-map", {"shares": "all"}, [("shares", "invalid")]),
    ("business-model-map", ["shares"], [("body", "invalid")]),
    (
        "evolution-map",
        {
            "stages": [
                {
                    "label": "Start",
                    "year": 2020,
                    "budget": "1.005",
                    "budget_needed": -5,
                    "financial_stress": "extreme",
                    "note": "x" * 501,
                    "shares": [],
                },
                {
                    "label": "",
                    "year": 2015,
                    "year_to": 2014,
                    "budget": "1",
                    "budget_needed": "1",
                    "financial_stress": "low",
                },
            ]
        },
        [
            ("stages.0.budget", "too_many_decimals"),
            ("stages.0.budget_needed", "negative"),
            ("stages.0.financial_stress", "invalid_choice"),
            ("stages.0.note", "max_length"),
            ("stages.1.label", "required"),
            ("stages.1.year_to", "invalid_range"),
            ("stages.1.year", "out_of_order"),
        ],
    ),
    (
        "business-model-canvas",
        {
            "blocks": {
                "members": [{"text": "ok", "state": "as_is"}, {"text": "", "state": "later"}],
                "vision": [],
                "channels": [{"text": "a\u0000b", "state": "to_be", "colour": "red"}],
            }
        },
        [
            ("blocks.vision", "unknown_field"),
            ("blocks.members.1.text", "required"),
            ("blocks.members.1.state", "invalid_choice"),
            ("blocks.channels.0.colour", "unknown_field"),
            ("blocks.channels.0.text", "invalid_characters"),
        ],
    ),
    (
        "financing-model",
        {
            "year": 2021,
            "shares": [{"source": "membership_fees", "share": "1"}],
            "cost_shares": [
                {"category": "setup", "share": "0.5"},
                {"category": "rent", "share": "0.5"},
            ],
        },
        [
            ("cost_shares.1.category", "unknown_cost_category"),
            ("cost_shares.0.category", "setup_after_first_year"),
        ],
    ),
    (
        "financing-model",
        {"year": 2010, "shares": [], "cost_shares": [{"category": "staff", "share": "1"}]},
        [("year", "before_founding"), ("shares", "required")],
    ),
    (
        "value-triangle",
        {"ambition_and_strategy": 5, "vision": "x"},
        [("vision", "unknown_field"), ("ambition_and_strategy", "invalid")],
    ),
    (
        "strategy",
        {
            "ambition": "A",
            "focus_areas": ["1", "2", "3", "4", "5", "6"],
            "value_impact": "",
            "roadmap": "",
        },
        [("focus_areas", "too_many")],
    ),
    (
        "self-assessment",
        {
            "year": "last year",
            "levels": {
                "understand": {"level": 6, "evidence": ""},
                "map": {"level": "3"},
                "optimize": {"level": 1},
                "evolve": {"level": 2},
                "grow": {"level": 2},
            },
        },
        [
            ("year", "invalid"),
            ("levels.grow", "unknown_field"),
            ("levels.understand.level", "out_of_range"),
            ("levels.map.level", "invalid"),
            ("levels.compete", "required"),
        ],
    ),
    (
        "value-impact-roadmap",
        {
            "roadmaps": [
                {"kpi": "gdp_share", "baseline": {"year": 2021, "value": "1"}, "milestones": []}
            ],
            "x": 1,
        },
        [("x", "unknown_field")],
    ),
    (
        "value-impact-roadmap",
        {
            "roadmaps": [
                {"kpi": "gdp_share", "baseline": {"year": 2021, "value": "1"}, "milestones": []}
            ]
        },
        [("roadmaps.0.milestones", "required")],
    ),
]


@pytest.mark.parametrize(
    ("kind", "body", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_bad_bodies_are_refused_field_by_field_and_nothing_is_saved(cast, kind, body, expected):
    response = _put(cast, kind, body)

    assert _errors(response) == expected
    got = cast.editor_a1.client().get(url("prog-a", "a1", f"{kind}/")).json()
    assert got["version"] == 0


def test_a_share_as_a_json_number_and_the_read_only_keys_sent_back_are_accepted(cast):
    body = {
        "shares": [
            {"source": "membership_fees", "share": 0.25},
            {"source": "training", "share": 0.75},
        ]
    }
    first = _put(cast, "business-model-map", body).json()

    again = _put(cast, "business-model-map", {**first, "shares": list(reversed(first["shares"]))})

    assert again.status_code == 200
    assert again.json()["version"] == 2


def test_setup_costs_are_allowed_in_the_founding_year(cast):
    body = {
        "year": 2012,
        "shares": [{"source": "national_cluster_programme", "share": "1"}],
        "cost_shares": [
            {"category": "setup", "share": "0.6"},
            {"category": "staff", "share": "0.4"},
        ],
    }

    got = _put(cast, "financing-model", body)

    assert got.status_code == 201
    assert got.json()["age"] == 0


def test_a_bad_alternative_name_or_version_number_is_a_400_not_a_500(cast):
    client = cast.editor_a1.client()

    bad_alt = client.get(url("prog-a", "a1", "strategy/?alternative=a b"))
    bad_diff = client.get(url("prog-a", "a1", "strategy/diff?from=x&to=1"))
    bad_year = client.get(url("prog-a", "a1", "business-model-map/actual?year=99999"))

    assert _errors(bad_alt) == [("alternative", "invalid")]
    assert _errors(bad_diff) == [("from", "invalid")]
    assert _errors(bad_year) == [("year", "out_of_range")]


def test_a_message_names_the_problem_exactly(cast):
    response = _put(
        cast,
        "business-model-map",
        {
            "shares": [
                {"source": "national_cluster_programme", "share": "0.6"},
                {"source": "local_government", "share": "0.3"},
            ]
        },
    )

    assert response.json()["errors"] == [
        {"field": "shares", "code": "shares_sum", "message": "The shares add up to 0.9, not 1."}
    ]
