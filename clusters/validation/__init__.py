"""The validation kit: every rule about the shape of client input, with one message each.

Services validate their own input with these primitives, whichever interface it came
from (REST, GraphQL, the facts CSV, the XLSX upload, a command), so the same bad input
gets the same ``code`` and message everywhere. Serializers and GraphQL inputs do not
repeat the rules.

Two ways to use it:

- collect every problem of a body, then raise once::

      problems = Problems()
      year = check_year(data.get("year"), field="year", problems=problems)
      amount = check_money(row.get("amount"), field="funding.0.amount", problems=problems)
      problems.raise_if_any()   # one ValidationError naming every field

- check one value and raise at once (query parameters)::

      year = require_year(request.GET.get("year"))

A primitive that finds a problem records it and returns ``None`` (or a neutral value), so
the caller can go on checking the rest of the body. Values a client sent are echoed in
messages only through ``shown()``, which escapes what could not be encoded (a lone
surrogate) and shortens what is long.

By subject: ``limits`` (every bound, one home), ``problems`` (collecting, raising,
``shown``), ``text`` (text, flags, choices, country and currency codes), ``numbers``,
``dates`` and ``body`` (the shape of a body; single values raised at once). Callers import
from ``clusters.validation`` itself.
"""

from __future__ import annotations

from .body import (
    check_keys,
    check_list,
    check_object,
    require_body,
    require_choice,
    require_share,
    require_year,
    require_year_range,
)
from .dates import (
    check_date,
    check_datetime,
)
from .limits import (
    KPI_PLACES,
    MAX_AMOUNT,
    MAX_DIGITS,
    MAX_FTE,
    MAX_ID,
    MAX_KPI_VALUE,
    MAX_LINES,
    MAX_NAME,
    MAX_NOTE,
    MAX_NUMBER_TEXT,
    MAX_TEXT,
    MAX_URL,
    MAX_YEAR,
    MIN_FOUNDED_YEAR,
    MIN_YEAR,
    MONEY_PLACES,
    SHARE_PLACES,
    SHARE_TOLERANCE,
)
from .numbers import (
    check_decimal,
    check_fte,
    check_int,
    check_kpi_value,
    check_money,
    check_share,
    check_shares_sum,
    check_year,
    whole_number,
)
from .problems import (
    Problems,
    invalid,
    shown,
)
from .text import (
    check_choice,
    check_country,
    check_currency,
    check_flag,
    check_slug,
    check_text,
    check_url,
    is_country,
    is_currency,
    text_problem,
)

__all__ = [
    "KPI_PLACES",
    "MAX_AMOUNT",
    "MAX_DIGITS",
    "MAX_FTE",
    "MAX_ID",
    "MAX_KPI_VALUE",
    "MAX_LINES",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_NUMBER_TEXT",
    "MAX_TEXT",
    "MAX_URL",
    "MAX_YEAR",
    "MIN_FOUNDED_YEAR",
    "MIN_YEAR",
    "MONEY_PLACES",
    "Problems",
    "SHARE_PLACES",
    "SHARE_TOLERANCE",
    "check_choice",
    "check_country",
    "check_currency",
    "check_date",
    "check_datetime",
    "check_decimal",
    "check_flag",
    "check_fte",
    "check_int",
    "check_keys",
    "check_kpi_value",
    "check_list",
    "check_money",
    "check_object",
    "check_share",
    "check_shares_sum",
    "check_slug",
    "check_text",
    "check_url",
    "check_year",
    "invalid",
    "is_country",
    "is_currency",
    "require_body",
    "require_choice",
    "require_share",
    "require_year",
    "require_year_range",
    "shown",
    "text_problem",
    "whole_number",
]
