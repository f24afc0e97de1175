"""OData system query options turned into a ``bi.tables.Read``.

``$filter`` is read by odata-query's parser (the OData ABNF, with typed literals) and
only its comparisons (``eq ne gt ge lt le``) of a column with a value, joined by ``and`` /
``or`` with parentheses, are accepted; they become ``bi.conditions`` that the tables run in
SQL. ``$orderby``, ``$select``, ``$top``, ``$skip`` and ``$count`` are read here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from odata_query import ast
from odata_query.exceptions import ODataException
from odata_query.grammar import ODataLexer, ODataParser

from bi.columns import BOOLEAN, DATETIME, DECIMAL, DOUBLE, INTEGER, TEXT, YEAR, Column
from bi.conditions import And, Cmp, Condition, Or
from bi.tables import Table
from clusters.validation import text_problem, whole_number

from .errors import ODataQueryError

MAX_FILTER = 4000
MAX_INT32 = 2**31 - 1
SUPPORTED = {"$filter", "$select", "$orderby", "$top", "$skip", "$count", "$format"}
_FLIP = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}
_OPS = {ast.Eq: "eq", ast.NotEq: "ne", ast.Gt: "gt", ast.GtE: "ge", ast.Lt: "lt", ast.LtE: "le"}
_ORDER_ITEM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$")


@dataclass(frozen=True)
class Options:
    where: Condition | None
    select: tuple[str, ...] | None
    order: tuple[tuple[str, bool], ...]
    top: int | None
    skip: int
    count: bool


def _column(table: type[Table], name: str, option: str) -> Column:
    columns = table.by_name()
    if name not in columns:
        raise ODataQueryError(
            option,
            f"{table.entity_set} has no property '{name}'; properties: {', '.join(columns)}.",
            "invalid_property",
        )
    return columns[name]


def _literal(column: Column, node: ast._Node) -> Any:
    """A literal as the column's Python type, or a 400 naming the mismatch."""
    if isinstance(node, ast.Null):
        return None
    kind = column.type
    if kind == TEXT and isinstance(node, ast.String):
        bad = text_problem(node.val)
        if bad is not None:
            raise ODataQueryError("$filter", bad[0], bad[1])
        return node.val
    if kind in (YEAR, INTEGER) and isinstance(node, ast.Integer):
        value = int(node.val)
        if abs(value) <= MAX_INT32:
            return value
    if kind == BOOLEAN and isinstance(node, ast.Boolean):
        return node.py_val
    if kind in (DECIMAL, DOUBLE) and isinstance(node, ast.Integer | ast.Float):
        try:
            number = Decimal(node.val)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite() and abs(number.adjusted()) <= 40:
            return number if kind == DECIMAL else float(number)
    if kind == DATETIME and isinstance(node, ast.DateTime | ast.Date):
        try:
            moment: dt.datetime
            if isinstance(node, ast.Date):
                moment = dt.datetime.combine(node.py_val, dt.time(), tzinfo=dt.UTC)
            else:
                moment = node.py_val
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            # in UTC now, so the database never gets a moment it cannot hold
            return moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            pass
    examples = {
        TEXT: "a string in quotes, e.g. 'a1'",
        YEAR: "a whole number, e.g. 2021",
        INTEGER: "a whole number",
        BOOLEAN: "true or false",
        DECIMAL: "a number, e.g. 1250.50",
        DOUBLE: "a number, e.g. 0.25",
        DATETIME: "a date and time, e.g. 2026-01-01T00:00:00Z",
    }
    raise ODataQueryError(
        "$filter",
        f"'{column.name}' is compared with {examples[kind]}.",
        "invalid_literal",
    )


def _condition(table: type[Table], node: ast._Node) -> Condition:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And | ast.Or):
        joiner = And if isinstance(node.op, ast.And) else Or
        items: list[Condition] = []
        for part in (_condition(table, node.left), _condition(table, node.right)):
            items.extend(part.items if isinstance(part, joiner) else (part,))
        return joiner(tuple(items))
    if isinstance(node, ast.Compare) and type(node.comparator) in _OPS:
        op = _OPS[type(node.comparator)]
        left, right = node.left, node.right
        if isinstance(right, ast.Identifier) and not isinstance(left, ast.Identifier):
            left, right, op = right, left, _FLIP[op]
        if (
            isinstance(left, ast.Identifier)
            and not left.namespace
            and isinstance(right, ast._Literal)
        ):
            column = _column(table, left.name, "$filter")
            value = _literal(column, right)
            if value is None and op not in ("eq", "ne"):
                raise ODataQueryError("$filter", "null compares only with eq and ne.")
            return Cmp(column.name, op, value)
        raise ODataQueryError(
            "$filter", "Compare a property with a value, e.g. year eq 2021.", "unsupported"
        )
    if isinstance(node, ast.Identifier) and not node.namespace:
        column = _column(table, node.name, "$filter")
        if column.type == BOOLEAN:
            return Cmp(column.name, "eq", True)
    raise ODataQueryError(
        "$filter",
        "Only comparisons (eq, ne, gt, ge, lt, le) of a property with a value, joined by "
        "and / or, are supported.",
        "unsupported",
    )


def parse_filter(table: type[Table], text: str) -> Condition:
    if len(text) > MAX_FILTER:
        raise ODataQueryError("$filter", f"$filter is longer than {MAX_FILTER} characters.")
    try:
        tree = ODataParser().parse(ODataLexer().tokenize(text))
    except ODataException as exc:
        raise ODataQueryError("$filter", f"Cannot read $filter: {exc}", "syntax_error") from None
    except RecursionError:
        raise ODataQueryError("$filter", "$filter is nested too deeply.", "syntax_error") from None
    if tree is None:
        raise ODataQueryError("$filter", "$filter is empty.", "syntax_error")
    return _condition(table, tree)


def _whole(params: Any, name: str, *, maximum: int = 10**9) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    value = whole_number(raw, maximum=maximum)
    if value is None:
        raise ODataQueryError(name, f"{name} must be a whole number from 0 to {maximum}.")
    return value


def parse_options(table: type[Table], params: Any) -> Options:
    for name in params:
        if name.startswith("$") and name not in SUPPORTED:
            raise ODataQueryError(name, f"{name} is not supported by this feed.", "unsupported")
    fmt = params.get("$format")
    if fmt is not None and fmt.split(";")[0].strip() not in ("json", "application/json"):
        raise ODataQueryError("$format", "The feed answers JSON only ($format=json).")
    raw_filter = params.get("$filter")
    where = parse_filter(table, raw_filter) if raw_filter not in (None, "") else None
    select: tuple[str, ...] | None = None
    raw_select = params.get("$select")
    if raw_select not in (None, "", "*"):
        select = tuple(
            _column(table, part.strip(), "$select").name for part in raw_select.split(",")
        )
    order: list[tuple[str, bool]] = []
    raw_order = params.get("$orderby")
    if raw_order not in (None, ""):
        for item in raw_order.split(","):
            match = _ORDER_ITEM.match(item)
            if match is None:
                raise ODataQueryError("$orderby", f"Cannot read '{item.strip()}' in $orderby.")
            column = _column(table, match.group(1), "$orderby")
            order.append((column.name, match.group(2) == "desc"))
    count_raw = params.get("$count")
    if count_raw not in (None, "true", "false"):
        raise ODataQueryError("$count", "$count is true or false.")
    return Options(
        where=where,
        select=select,
        order=tuple(order),
        top=_whole(params, "$top"),
        skip=_whole(params, "$skip") or 0,
        count=count_raw == "true",
    )
