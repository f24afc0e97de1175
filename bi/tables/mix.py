"""The funding mix in long format: per year, one row per funding category and one per
source, straight from the stored portfolio figures (the same payload the funding-mix
endpoint answers, so the two always agree).

Only the years the condition can match are read (``year eq 2021`` reads one figure).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from clusters.models import Submission, SubmissionState
from impact.selectors.figures import figure_serve_years
from impact.selectors.portfolio import FUNDING_MIX

from .. import columns as c
from ..conditions import may_hold, named_values
from .base import FigureTable, Row


class FundingMixTable(FigureTable):
    name = "funding-mix"
    entity_set = "FundingMix"
    entity_type = "FundingMixRow"
    sql_view = "funding_mix"
    description = (
        "The portfolio funding mix (approved submissions, programme currency): per year one "
        "row per category (source empty) and one per source."
    )
    accepts = frozenset({"year"})
    key = ("year", "category", "source")
    columns = (
        c.year("year", "The reporting year."),
        c.text("category", "public, private or project."),
        c.text("source", "The funding source code; empty on a category's row."),
        c.decimal(
            "amount",
            "Amount in the programme currency, to the cent.",
            precision=38,
            scale=2,
            min_places=2,
        ),
        c.double("share", "Share of the year's total (0 when the total is 0)."),
        c.text("currency", "The programme currency."),
        c.datetime("as_of", "When the figure was computed (UTC)."),
    )

    def check_access(self) -> None:
        self.access.require_portfolio_reader()

    def years(self) -> list[int]:
        """Years with an approved submission, and any year a condition names (``year eq
        2030`` answers that year's empty mix, as the funding-mix endpoint does)."""
        candidates = set(named_values(self.condition, "year"))
        candidates |= set(
            Submission.objects.for_program(self.access.program)
            .filter(state=SubmissionState.APPROVED)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
        return sorted(y for y in candidates if may_hold(self.condition, "year", y))

    def all_rows(self) -> list[Row]:
        years = self.years()
        if not years:
            return []
        served = figure_serve_years(access=self.access, kind=FUNDING_MIX, years=years)
        rows: list[Row] = []
        for figure in served:
            mix = figure.payload
            year, currency = mix["year"], mix["currency"]
            as_of = figure.as_of.astimezone(dt.UTC)
            for category, part in mix["by_category"].items():
                rows.append(
                    (year, category, "", Decimal(part["amount"]), part["share"], currency, as_of)
                )
            for part in mix["by_source"]:
                rows.append(
                    (
                        year,
                        part["category"],
                        part["source"],
                        Decimal(part["amount"]),
                        part["share"],
                        currency,
                        as_of,
                    )
                )
        return rows
