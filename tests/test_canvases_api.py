"""Canvases over REST: save, read, versions, alternatives, diff, the real numbers."""

from __future__ import annotations

import pytest

from canvases.kinds import KINDS
from tests.canvas_helpers import bodies, ocean_2021, url
from tests.portfolio_data import add_submission, fx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_body_of_every_kind_is_saved_as_version_1_and_read_back(cast, kind):
    client = cast.editor_a1.client()

    put = client.put(url("prog-a", "a1", f"{kind}/"), bodies()[kind], format="json")
    got = client.get(url("prog-a", "a1", f"{kind}/"))

    assert put.status_code == 201, put.content
    assert got.status_code == 200
    assert got.json() == put.json()
    assert got.json()["version"] == 1
    assert got.json()["created_by"] == "token:editor_a1"
    assert got["ETag"] == '"1"'


def test_an_unsaved_canvas_reads_as_its_empty_body_version_0(cast):
    got = cast.analyst_a.client().get(url("prog-a", "a1", "business-model-map/"))

    assert got.status_code == 200
    assert got.json() == {
        "shares": [],
        "alternative": "current",
        "version": 0,
        "created_by": None,
        "created_at": None,
    }
