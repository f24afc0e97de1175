"""Shares in a body: ``{source | category, share}`` rows over known codes, summing to 1."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clusters.validation import (
    Problems,
    check_keys,
    check_list,
    check_object,
    check_share,
    check_shares_sum,
    shown,
)


@dataclass(frozen=True)
class KindContext:
    """What a body is checked against: the programme's catalogue and the cluster."""

    sources: dict[str, str]  # funding source code -> category (public, private, project)
    founded_year: int | None = None
    source_names: dict[str, str] = field(default_factory=dict)


def _share_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _share_input(raw: Any) -> Any:
    # Shares are fractions: a JSON number (0.4) is read through its shortest text, exactly.
    if isinstance(raw, float) and raw == raw and raw not in (float("inf"), float("-inf")):
        return repr(raw)
    return raw


def share_rows(
    raw: Any,
    *,
    field: str,
    problems: Problems,
    key: str,
    choices: dict[str, Any] | tuple[str, ...],
    unknown_code: str,
    duplicate_code: str,
    required: bool = True,
) -> list[dict[str, str]]:
    """A list of ``{key, share}`` rows over known codes, each code once, summing to 1."""
    rows = check_list(raw, field=field, problems=problems, required=required)
    out: list[dict[str, str]] = []
    values: list[Decimal] = []
    seen: dict[str, int] = {}
    before = len(problems.items)
    for i, item in enumerate(rows):
        where = f"{field}.{i}"
        row = check_object(item, field=where, problems=problems)
        if row is None:
            continue
        check_keys(row, allowed=(key, "share"), field=where, problems=problems, what="a share")
        code = row.get(key)
        if not isinstance(code, str) or not code:
            problems.add(f"{where}.{key}", f"The {key} is required.", "required")
        elif code not in choices:
            what = "funding source" if key == "source" else "cost category"
            hint = "; see /funding-sources/." if key == "source" else f" ({', '.join(choices)})."
            problems.add(f"{where}.{key}", f"Unknown {what} '{shown(code)}'{hint}", unknown_code)
            code = None
        elif code in seen:
            problems.add(
                f"{where}.{key}",
                f"'{code}' appears twice (items {seen[code]} and {i}); give one share per {key}.",
                duplicate_code,
            )
            code = None
        else:
            seen[code] = i
        share_raw = row.get("share")
        share = None
        if share_raw is None:
            problems.add(
                f"{where}.share", "The share (a fraction from 0 to 1) is required.", "required"
            )
        else:
            share = check_share(_share_input(share_raw), field=f"{where}.share", problems=problems)
        if isinstance(code, str) and share is not None:
            out.append({key: code, "share": _share_text(share)})
            values.append(share)
    if rows and len(problems.items) == before:
        check_shares_sum(values, field=field, problems=problems)
    return out


def source_shares(
    raw: Any, *, field: str, problems: Problems, ctx: KindContext, required: bool = True
) -> list[dict[str, str]]:
    return share_rows(
        raw,
        field=field,
        problems=problems,
        key="source",
        choices=ctx.sources,
        unknown_code="unknown_source",
        duplicate_code="duplicate_source",
        required=required,
    )
