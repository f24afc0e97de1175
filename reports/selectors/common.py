"""What both reports need: the language asked for, the year, and the document's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, QuerySet

from clusters.models import Language, Program
from clusters.validation import Problems, check_choice, require_year

LANGUAGES: tuple[str, ...] = tuple(Language.values)  # en, es, nb


def report_language(raw: Any, *, program: Program) -> str:
    """``?lang=`` (en, es, nb), or the programme's own language when absent."""
    if raw is None or raw == "":
        return program.language
    problems = Problems()
    value = check_choice(raw, field="lang", problems=problems, choices=LANGUAGES)
    problems.raise_if_any()
    assert value is not None
    return value


def report_year(raw: Any) -> int:
    year = require_year(raw)
    assert year is not None
    return year


def latest_change(*stamps: dt.datetime | None, querysets: tuple[QuerySet, ...] = ()) -> dt.datetime:
    """The latest of ``stamps`` and of each queryset's ``updated_at`` (one query each): the
    date of a document showing them, so the same data always gives the same document."""
    values = [s for s in stamps if s is not None]
    for qs in querysets:
        found = qs.aggregate(latest=Max("updated_at"))["latest"]
        if found is not None:
            values.append(found)
    return max(values)
