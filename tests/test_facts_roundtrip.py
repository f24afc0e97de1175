"""Export then import into an empty programme with the same clusters: identical submissions,
funding lines' flags and notes and cost lines' notes included."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.access import system_access
from clusters.catalogue import DEFAULT_KPIS, FUNDING_SOURCES
from clusters.models import Cluster, CostCategory
from clusters.selectors.facts import facts_csv_lines, facts_rows
from clusters.services.facts import facts_import
from tests.factories import ClusterFactory, make_program
from tests.givens import add_submission, content, past_period
from tests.properties import examples

SLUGS = ["ocean-tech", "health-valley", "avaesen"]
YEARS = [2019, 2020, 2021]
SOURCES = [code for code, _, _ in FUNDING_SOURCES]
KPIS = [code for code, *_ in DEFAULT_KPIS]


def _scaled(max_int: int, max_places: int, *, signed: bool = False) -> st.SearchStrategy[str]:
    ints = st.integers(-max_int if signed else 0, max_int)
    return st.builds(lambda n, p: str(Decimal(n).scaleb(-p)), ints, st.integers(0, max_places))


def _lines(codes: list[str], values: st.SearchStrategy[str], *details: st.SearchStrategy) -> Any:
    return st.lists(
        st.tuples(st.sampled_from(codes), values, *details), max_size=6, unique_by=lambda t: t[0]
    )


# Notes as an editor may write them: commas, quotes, line breaks, tabs, any script.
notes = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]) | st.sampled_from(',"\n\r\t'),
    max_size=20,
)
documents = st.fixed_dictionaries(
    {
        "currency": st.sampled_from(["EUR", "NOK", "USD", "MXN", "AUD"]),
        "funding": _lines(SOURCES, _scaled(10**11, 2), st.booleans(), st.booleans(), notes),
        "costs": _lines(CostCategory.values, _scaled(10**11, 2), notes),
        "kpis": _lines(KPIS, _scaled(10**12, 6, signed=True)),
    }
).filter(lambda d: d["funding"] or d["costs"] or d["kpis"])  # an empty submission has no rows
portfolios = st.dictionaries(
    st.tuples(st.sampled_from(SLUGS), st.sampled_from(YEARS)), documents, min_size=1, max_size=6
)


def _export_text(access) -> str:
    return "".join(facts_csv_lines(facts_rows(access=access)))


@pytest.mark.django_db
@settings(max_examples=examples(25), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(portfolio=portfolios)
def test_export_then_import_gives_identical_submissions(portfolio, recomputes):
    with transaction.atomic():
        # Given approved submissions in a source programme
        source = make_program("rt-source", currency="EUR")
        target = make_program("rt-target", currency="EUR")
        for program in (source, target):
            for year in YEARS:
                past_period(program, year)
            for slug in SLUGS:
                ClusterFactory.create(program=program, slug=slug)
        clusters = {c.slug: c for c in Cluster.objects.for_program(source)}
        for (slug, year), doc in portfolio.items():
            add_submission(
                clusters[slug],
                year,
                currency=doc["currency"],
                state="approved",
                funding=doc["funding"],
                costs=doc["costs"],
                kpis=doc["kpis"],
            )

        # When their export is imported (as historical data) into the empty target
        text = _export_text(system_access(source, label="test"))
        facts_import(
            access=system_access(target, label="test", via="import"),
            open_lines=lambda: io.StringIO(text, newline=""),
            approve=True,
        )

        # Then the target holds the same submissions, and its export is the same file
        assert content(target, details=True) == content(source, details=True)
        assert _export_text(system_access(target, label="test")) == text
        transaction.set_rollback(True)
