"""A programme's warning rules: the default set, and an admin changing one.

What each rule checks and its parameters: ``clusters/selectors/warnings.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from ..access import Access
from ..models import KpiDefinition, Program, WarningRule, WarningRuleKind
from ..numbers import number_text
from ..selectors.warnings import DEFAULT_RULES
from ..validation import (
    Problems,
    check_decimal,
    check_flag,
    check_keys,
    check_list,
    check_object,
    check_share,
    require_body,
    shown,
)

MAX_PERCENT = Decimal(1_000_000)
MAX_FACTOR = Decimal(1_000_000)
RULE_FIELDS = ("enabled", "blocking", "params")
READ_ONLY = ("rule", "description", "updated_at")


def warning_rules_create_defaults(*, program: Program) -> list[WarningRule]:
    """The default rules of a new programme (all on, none blocking)."""
    have = set(WarningRule.objects.for_program(program).values_list("rule", flat=True))
    return WarningRule.objects.bulk_create(
        WarningRule(program=program, rule=rule, params=dict(params))
        for rule, params in DEFAULT_RULES.items()
        if rule not in have
    )


def _percent(raw: Any, field: str, problems: Problems) -> str | None:
    value = check_decimal(raw, field=field, problems=problems, places=4, maximum=MAX_PERCENT)
    return None if value is None else number_text(value)


def _check_params(rule: str, raw: Any, *, access: Access, problems: Problems) -> dict | None:
    params = check_object(raw, field="params", problems=problems)
    if params is None:
        return None
    names = {k for k in DEFAULT_RULES[rule]}
    check_keys(params, allowed=names, field="params", problems=problems, what=f"the {rule} rule")
    out: dict[str, Any] = {}
    if rule == WarningRuleKind.FUNDING_CHANGE and "max_change_percent" in params:
        out["max_change_percent"] = _percent(
            params["max_change_percent"], "params.max_change_percent", problems
        )
    if rule == WarningRuleKind.COSTS_OVER_FUNDING and "max_excess_percent" in params:
        out["max_excess_percent"] = _percent(
            params["max_excess_percent"], "params.max_excess_percent", problems
        )
    if rule == WarningRuleKind.KPI_OUTLIER and "factor" in params:
        factor = check_decimal(
            params["factor"],
            field="params.factor",
            problems=problems,
            places=4,
            maximum=MAX_FACTOR,
            minimum=Decimal(1),
        )
        out["factor"] = None if factor is None else number_text(factor)
    if rule == WarningRuleKind.PUBLIC_SHARE and "max_share" in params:
        share = check_share(params["max_share"], field="params.max_share", problems=problems)
        out["max_share"] = None if share is None else number_text(share)
    if rule == WarningRuleKind.REQUIRED_KPIS and "kpis" in params:
        codes = check_list(params["kpis"], field="params.kpis", problems=problems)
        known = set(
            KpiDefinition.objects.for_program(access.program).values_list("code", flat=True)
        )
        seen: list[str] = []
        for i, code in enumerate(codes):
            if not isinstance(code, str) or code not in known:
                problems.add(
                    f"params.kpis.{i}",
                    f"Unknown KPI '{shown(code)}'; see /kpis/.",
                    "unknown_kpi",
                )
            elif code not in seen:
                seen.append(code)
        out["kpis"] = seen
    return out


@transaction.atomic
def warning_rule_update(*, access: Access, rule: str, data: Any) -> WarningRule:
    """Change one rule: ``enabled``, ``blocking``, ``params`` (merged into the current
    ones; unknown parameters are refused). program_admin only."""
    access.require_admin("Changing a warning rule")
    found = WarningRule.objects.for_program(access.program).select_for_update().get(rule=rule)
    body = require_body(data)
    problems = Problems()
    check_keys(body, allowed=(*RULE_FIELDS, *READ_ONLY), problems=problems, what="a warning rule")
    if "rule" in body and body["rule"] != rule:
        problems.add("rule", "A rule's kind cannot change.", "immutable")
    if "enabled" in body:
        found.enabled = check_flag(body["enabled"], field="enabled", problems=problems)
    if "blocking" in body:
        found.blocking = check_flag(body["blocking"], field="blocking", problems=problems)
    if "params" in body:
        params = _check_params(rule, body["params"], access=access, problems=problems)
        if params is not None:
            found.params = {**found.params, **params}
    problems.raise_if_any()
    found.save()
    return found
