"""The reports' charts, drawn with the chart kit (``charts/``) in the report's language.

Each function takes figures already gathered by the selectors and answers an SVG string
marked as one image with its accessible name (``role="img"``, ``aria-label``, and the kit's
``<title>``), ready to be embedded inline. Call them inside ``translation.override``: the
words and numbers are written in the active language. The kit escapes every text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from charts import layouts
from charts.layouts.boards import Block, Note
from charts.layouts.finance import Share
from charts.layouts.style import CATEGORY_COLOURS, CATEGORY_ORDER
from charts.primitives import (
    Bar,
    BarGroup,
    Reference,
    Segment,
    Series,
    bars,
    grouped_bars,
    legend,
    line_chart,
    stacked_rows,
    text_box,
)
from charts.svg import Svg, labelled

from . import formatting as fmt
from . import words

WIDTH = 760
PLAN, ACTUAL, TARGET, BENCHMARK = "#2f6db5", "#e07b1f", "#3a9e5f", "#8a2be2"
COST_COLOURS = ("#6b5b95", "#8a7bb3", "#a99bd0", "#5a4a82")


def _category_colour(category: str) -> str:
    return CATEGORY_COLOURS.get(category, ("#777777", "#777777"))[1]


def _category_titles() -> dict[str, str]:
    return {c: words.word(words.FUNDING_CATEGORIES, c) for c in CATEGORY_ORDER}


TOP = 30  # room for the visible title above a chart


def _surface(height: float, title: str) -> Svg:
    """A chart surface with its title written at the top (the kit's ``<title>`` is not
    drawn)."""
    svg = Svg(WIDTH, height + TOP, title=title)
    text_box(svg, 10, 2, WIDTH - 20, TOP - 2, title, size=15, min_size=9, bold=True, padding=4)
    return svg


def _done(svg: Svg, label: str) -> str:
    return labelled(svg.render(), label)


def _points(values: Iterable[tuple[Any, Any]]) -> str:
    return "; ".join(f"{a}: {b}" for a, b in values)


def source_map(
    *, title: str, subtitle: str, shares: Sequence[tuple[str, str, str, Decimal]]
) -> str:
    """A business-model map: one column per category as wide as its share, split by source.
    ``shares``: (code, name, category, share)."""
    items = [
        Share(words.source_name(code, name), category, float(share))
        for code, name, category, share in shares
    ]
    svg = layouts.business_model_map(
        title=title,
        subtitle=subtitle,
        shares=items,
        category_titles=_category_titles(),
        empty=_("No funding yet"),
        share_format=fmt.percent_short,
    )
    described = _points(
        (words.source_name(code, name), fmt.percent(share, 1))
        for code, name, _category, share in shares
    )
    return labelled(svg, f"{title}. {described}" if described else title)


def share_trend(
    *,
    title: str,
    points: Mapping[str, Sequence[tuple[int, Decimal | float]]],
    benchmark: tuple[Decimal, str] | None = None,
) -> str:
    """Shares by year (``points``: category -> [(year, share)]), from 0 to 100 %, with the
    European benchmark as a reference line when given."""
    svg = _surface(330, title)
    series = [
        Series(
            words.word(words.FUNDING_CATEGORIES, category),
            [(float(y), float(v)) for y, v in values],
            _category_colour(category),
            labels=[fmt.percent(v, 0) for _y, v in sorted(values)],
        )
        for category, values in points.items()
    ]
    references = []
    if benchmark is not None:
        share, period = benchmark
        references.append(
            Reference(
                float(share),
                _("European cluster organisations %(period)s: %(share)s public")
                % {"period": period, "share": fmt.percent(share, 0)},
                BENCHMARK,
            )
        )
    line_chart(
        svg,
        10,
        TOP + 10,
        WIDTH - 20,
        280,
        series,
        y_format=lambda v: fmt.percent(v, 0),
        y_range=(0.0, 1.0),
        references=references,
        empty=_("No approved year yet"),
    )
    legend(svg, 66, TOP + 318, [(s.name, s.colour) for s in series], size=12)
    described = ". ".join(
        f"{s.name}: " + _points((int(x), fmt.percent(y, 1)) for x, y in sorted(s.points))
        for s in series
    )
    return _done(svg, f"{title}. {described}")


def amount_bars(
    *, title: str, items: Sequence[tuple[str, Decimal]], colours: Sequence[str] = COST_COLOURS
) -> str:
    """One bar per item (costs by category...), each with its amount."""
    svg = _surface(260, title)
    bars(
        svg,
        10,
        TOP + 10,
        WIDTH - 20,
        240,
        [
            Bar(label, value, colours[i % len(colours)], fmt.money(value))
            for i, (label, value) in enumerate(items)
        ],
        size=12,
    )
    return _done(svg, f"{title}. {_points((label, fmt.money(v)) for label, v in items)}")


def share_bars(*, title: str, items: Sequence[tuple[str, Decimal | float | None]]) -> str:
    """One bar per item on a 0 to 100 % scale (the share of clusters reporting each kind)."""
    svg = _surface(260, title)
    bars(
        svg,
        10,
        TOP + 10,
        WIDTH - 20,
        240,
        [
            Bar(label, float(v or 0), PLAN, fmt.percent(v, 0) if v is not None else "—")
            for label, v in items
        ],
        maximum=1,
        size=12,
    )
    return _done(svg, f"{title}. {_points((label, fmt.percent(v, 1)) for label, v in items)}")


def category_rows(*, title: str, rows: Sequence[tuple[str, dict[str, Decimal]]]) -> str:
    """One stacked bar per group (``rows``: label -> {category: share})."""
    height = 40 + len(rows) * 32
    svg = _surface(height, title)
    stacked_rows(
        svg,
        10,
        TOP + 10,
        WIDTH - 20,
        [
            (
                label,
                [
                    Segment(fmt.percent(shares.get(c, 0), 0), shares.get(c, 0), _category_colour(c))
                    for c in CATEGORY_ORDER
                ],
            )
            for label, shares in rows
        ],
        row_h=26,
        label_w=220,
    )
    legend(
        svg,
        230,
        TOP + height - 8,
        [(words.word(words.FUNDING_CATEGORIES, c), _category_colour(c)) for c in CATEGORY_ORDER],
        size=11,
    )
    described = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{words.word(words.FUNDING_CATEGORIES, c)} {fmt.percent(s.get(c, 0), 1)}"
            for c in CATEGORY_ORDER
        )
        for label, s in rows
    )
    return _done(svg, f"{title}. {described}")


def roadmap(
    *,
    title: str,
    plan: Sequence[tuple[int, Decimal]],
    actuals: Sequence[tuple[int, Decimal]],
    year: int,
    target: Decimal | None,
) -> str:
    """A roadmap metric: the plan through its baseline and milestones, the approved actuals,
    and the interpolated target of the report's year."""
    svg = _surface(300, title)
    series = [
        Series(
            _("Roadmap"),
            [(float(y), float(v)) for y, v in plan],
            PLAN,
            labels=[fmt.compact(v) for _y, v in sorted(plan)],
        ),
        Series(_("Approved actuals"), [(float(y), float(v)) for y, v in actuals], ACTUAL, True),
    ]
    if target is not None:
        series.append(
            Series(
                _("Target %(year)s") % {"year": year},
                [(float(year), float(target))],
                TARGET,
                labels=[fmt.compact(target)],
            )
        )
    line_chart(
        svg,
        10,
        TOP + 10,
        WIDTH - 20,
        250,
        series,
        y_format=lambda v: fmt.compact(v),
        empty=_("No roadmap yet"),
    )
    legend(svg, 66, TOP + 290, [(s.name, s.colour) for s in series], size=12)
    described = ". ".join(
        f"{s.name}: " + _points((int(x), fmt.compact(y)) for x, y in sorted(s.points))
        for s in series
        if s.points
    )
    return _done(svg, f"{title}. {described}")


def evolution(*, title: str, stages: Sequence[dict[str, Any]]) -> str:
    """Each evolution-map stage's planned budget beside the approved actual of its year."""
    svg = _surface(300, title)
    groups = []
    for stage in stages:
        planned = Decimal(stage["planned"]["budget"])
        actual = Decimal(stage["actual"]["budget"]) if stage["actual"] else None
        groups.append(
            BarGroup(
                f"{stage['year']}: {stage['label']}",
                [
                    Bar(_("Planned"), planned, PLAN, fmt.compact(planned)),
                    Bar(
                        _("Actual"),
                        actual if actual is not None else 0,
                        ACTUAL,
                        fmt.compact(actual) if actual is not None else "—",
                    ),
                ],
            )
        )
    if groups:
        grouped_bars(svg, 10, TOP + 10, WIDTH - 20, 250, groups, size=12)
    else:
        svg.text(WIDTH / 2, TOP + 150, _("No stages yet"), size=14, anchor="middle", fill="#666666")
    legend(svg, 20, TOP + 290, [(_("Planned"), PLAN), (_("Actual"), ACTUAL)], size=12)
    described = "; ".join(
        f"{g.label}: " + ", ".join(f"{b.label} {b.value_label}" for b in g.bars) for g in groups
    )
    return _done(svg, f"{title}. {described}" if described else title)


def canvas_board(*, title: str, subtitle: str, blocks: dict[str, list[dict[str, str]]]) -> str:
    """The 14-block canvas with its notes (blue as-is, orange to-be), block titles in the
    report's language."""
    from canvases import kinds as k

    svg = layouts.business_model_canvas(
        title=title,
        subtitle=subtitle,
        blocks=[
            Block(
                code,
                words.word(words.BLOCKS, code),
                [Note(n["text"], n["state"]) for n in blocks.get(code, [])],
            )
            for code in k.BLOCKS
        ],
        legend_labels=(_("As-is"), _("To-be (in action)")),
    )
    count = sum(len(blocks.get(code, [])) for code in k.BLOCKS)
    return labelled(svg, _("%(title)s with %(count)s notes") % {"title": title, "count": count})
