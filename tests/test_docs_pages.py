"""The docs pages work on a network without internet: every script and style of Swagger UI
and GraphiQL is served by the service itself, and GraphiQL's are the pinned, hash-checked
bundles."""

from __future__ import annotations

import re
import shutil

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from api.graphql.ide import assets, installed, sri_of

ASSET_URL = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"')


def test_the_graphiql_page_loads_nothing_from_another_host():
    page = render_to_string("graphql/graphiql.html")
    urls = ASSET_URL.findall(page)
    assert len(urls) == len(assets()) == 6
    assert all(url.startswith("/static/vendor/graphiql/") for url in urls), urls
    assert "http" not in " ".join(urls) and "unpkg" not in page and "cdn" not in page.lower()


def test_the_graphiql_bundles_are_installed_and_match_their_pins():
    if not installed() and shutil.which("npm") is None:
        pytest.skip("GraphiQL's bundles need npm to fetch (make assets); npm is not installed")
    for asset in assets():
        found = finders.find(asset.static_path)
        assert found, f"{asset.static_path} is not served"
        with open(found, "rb") as fh:
            assert sri_of(fh.read()) == asset.sri


@pytest.mark.django_db
def test_swagger_ui_loads_its_assets_from_the_service(anon):
    page = anon.get("/api/docs/").content.decode()
    urls = ASSET_URL.findall(page)
    assert urls and all(url.startswith("/static/drf_spectacular_sidecar/") for url in urls), urls
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url
