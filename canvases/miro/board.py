"""A canvas as board items: one frame, a shape per block and a sticky note per note, with
positions relative to the frame's top-left corner (Miro's ``parent_top_left``).

Every kind can be exported; the business-model canvas, the strategy and the value triangle
can also be read back (their notes are free text). Block areas are ours (the same grid as
the drawing), so an import knows which block a sticky's centre falls in.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from charts.layouts.boards import CANVAS_H, CANVAS_W, GRID, note_cells
from charts.primitives import format_share

from .. import kinds as k

Rect = tuple[float, float, float, float]

# Miro's sticky-note colours: as-is notes blue, to-be notes orange (the report's colours).
STATE_COLOURS = {k.AS_IS: "light_blue", k.TO_BE: "orange"}
TO_BE_COLOURS = {"orange", "yellow", "red"}
BLOCK_FILL, BLOCK_BORDER = "#f7f7f4", "#9a9a9a"


@dataclass
class BoardBlock:
    code: str
    title: str
    rect: Rect


@dataclass
class BoardNote:
    block: str
    text: str
    state: str = k.AS_IS


@dataclass
class BoardModel:
    title: str
    width: float
    height: float
    blocks: list[BoardBlock]
    notes: list[BoardNote] = field(default_factory=list)

    def block_at(self, x: float, y: float) -> str | None:
        """The block whose area holds the point (relative to the frame), or None."""
        for block in self.blocks:
            bx, by, bw, bh = block.rect
            if bx <= x <= bx + bw and by <= y <= by + bh:
                return block.code
        return None

    def placed_notes(self) -> list[tuple[str, BoardNote, Rect]]:
        """Each note with its key (``note:<block>:<n>``) and its cell inside its block."""
        out = []
        for block in self.blocks:
            notes = [n for n in self.notes if n.block == block.code]
            for i, (note, cell) in enumerate(
                zip(notes, note_cells(block.rect, len(notes)), strict=True)
            ):
                out.append((f"note:{block.code}:{i}", note, cell))
        return out


def _columns(
    codes: list[tuple[str, str]], width: float, top: float, height: float
) -> list[BoardBlock]:
    gap = 20
    w = (width - gap * (len(codes) + 1)) / max(len(codes), 1)
    return [
        BoardBlock(code, title, (gap + i * (w + gap), top, w, height))
        for i, (code, title) in enumerate(codes)
    ]


def _share_notes(
    shares: list[dict[str, Any]], sources: dict[str, str], names: dict[str, str]
) -> list[BoardNote]:
    return [
        BoardNote(
            sources.get(s["source"], "public"),
            f"{names.get(s['source'], s['source'])}: {format_share(s['share'])}",
        )
        for s in shares
    ]


CATEGORY_BLOCKS = [
    ("public", "Public funding"),
    ("private", "Private funding"),
    ("project", "Project funding"),
]


def board_model(
    kind: str, view: dict[str, Any], *, title: str, sources: dict[str, str], names: dict[str, str]
) -> BoardModel:
    """The board items of a canvas as the API shows it (``canvases.selectors.canvas_view``)."""
    if kind == k.BUSINESS_MODEL_CANVAS:
        blocks = [BoardBlock(code, k.BLOCK_TITLES[code], GRID[code]) for code in k.BLOCKS]
        notes = [
            BoardNote(code, n["text"], n["state"])
            for code in k.BLOCKS
            for n in view["blocks"].get(code, [])
        ]
        return BoardModel(title, CANVAS_W, CANVAS_H, blocks, notes)
    if kind == k.STRATEGY:
        blocks = [
            BoardBlock("ambition", "Ambition", (20, 80, 1160, 200)),
            BoardBlock("focus_areas", "Focus areas", (20, 300, 1160, 300)),
            BoardBlock("value_impact", "Value impact", (20, 620, 570, 260)),
            BoardBlock("roadmap", "Roadmap", (610, 620, 570, 260)),
        ]
        notes = [BoardNote("ambition", view["ambition"])] if view.get("ambition") else []
        notes += [BoardNote("focus_areas", text) for text in view.get("focus_areas", [])]
        notes += [BoardNote(key, view[key]) for key in ("value_impact", "roadmap") if view.get(key)]
        return BoardModel(title, 1200, 900, blocks, notes)
    if kind == k.VALUE_TRIANGLE:
        blocks = _columns([(s, k.TRIANGLE_TITLES[s]) for s in k.TRIANGLE_SIDES], 1200, 80, 500)
        notes = [BoardNote(s, view[s]) for s in k.TRIANGLE_SIDES if view.get(s)]
        return BoardModel(title, 1200, 600, blocks, notes)
    if kind == k.BUSINESS_MODEL_MAP:
        blocks = _columns(CATEGORY_BLOCKS, 1200, 80, 600)
        return BoardModel(title, 1200, 700, blocks, _share_notes(view["shares"], sources, names))
    if kind == k.FINANCING_MODEL:
        blocks = _columns([*CATEGORY_BLOCKS, ("costs", "Costs")], 1400, 80, 600)
        notes = _share_notes(view["shares"], sources, names)
        notes += [
            BoardNote("costs", f"{c['category']}: {format_share(c['share'])}")
            for c in view["cost_shares"]
        ]
        if view.get("year") is not None:
            title = f"{title} ({view['year']})"
        return BoardModel(title, 1400, 700, blocks, notes)
    if kind == k.EVOLUTION_MAP:
        stages = view["stages"]
        blocks = _columns(
            [(f"stage{i}", str(s["year"])) for i, s in enumerate(stages)] or [("stage0", "")],
            max(400, 320 * len(stages)),
            80,
            800,
        )
        notes = []
        for i, s in enumerate(stages):
            code = f"stage{i}"
            notes += [
                BoardNote(code, s["label"]),
                BoardNote(code, f"Budget {s['budget']}, needed {s['budget_needed']}"),
                BoardNote(code, f"Financial stress: {s['financial_stress']}"),
            ]
            notes += [
                BoardNote(
                    code, f"{names.get(x['source'], x['source'])}: {format_share(x['share'])}"
                )
                for x in s["shares"]
            ]
            if s.get("note"):
                notes.append(BoardNote(code, s["note"]))
        return BoardModel(title, max(400, 320 * len(stages)), 900, blocks, notes)
    if kind == k.SELF_ASSESSMENT:
        blocks = _columns([(a, a.capitalize()) for a in k.ASSESSMENT_AREAS], 1500, 80, 600)
        notes = []
        for area, level in view.get("levels", {}).items():
            notes.append(BoardNote(area, f"Level {level['level']} of 5"))
            if level.get("evidence"):
                notes.append(BoardNote(area, level["evidence"]))
        return BoardModel(title, 1500, 700, blocks, notes)
    roadmaps = view.get("roadmaps", [])
    blocks = _columns(
        [(r["kpi"], r["kpi"]) for r in roadmaps] or [("roadmap", "Roadmap")],
        max(400, 360 * len(roadmaps)),
        80,
        700,
    )
    notes = []
    for r in roadmaps:
        if r.get("statement"):
            notes.append(BoardNote(r["kpi"], r["statement"]))
        notes.append(
            BoardNote(r["kpi"], f"Baseline {r['baseline']['year']}: {r['baseline']['value']}")
        )
        notes += [BoardNote(r["kpi"], f"{m['year']}: {m['target']}") for m in r["milestones"]]
    return BoardModel(title, max(400, 360 * len(roadmaps)), 800, blocks, notes)


def body_from_notes(kind: str, notes: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """A canvas body from the notes found in each block (``[(text, state)]`` by block)."""
    if kind == k.BUSINESS_MODEL_CANVAS:
        return {
            "blocks": {
                code: [{"text": t, "state": s} for t, s in notes.get(code, [])] for code in k.BLOCKS
            }
        }
    if kind == k.STRATEGY:
        return {
            "ambition": "\n".join(t for t, _ in notes.get("ambition", [])),
            "focus_areas": [t for t, _ in notes.get("focus_areas", [])],
            "value_impact": "\n".join(t for t, _ in notes.get("value_impact", [])),
            "roadmap": "\n".join(t for t, _ in notes.get("roadmap", [])),
        }
    if kind == k.VALUE_TRIANGLE:
        return {side: "\n".join(t for t, _ in notes.get(side, [])) for side in k.TRIANGLE_SIDES}
    raise ValueError(f"{kind} cannot be read back from a board")


# --- Miro's item bodies ------------------------------------------------------------------


def _centre(rect: Rect) -> dict[str, Any]:
    x, y, w, h = rect
    return {"x": round(x + w / 2, 2), "y": round(y + h / 2, 2), "origin": "center"}


def html_text(text: str) -> str:
    """A note as Miro content: escaped, one paragraph per line."""
    return (
        "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in text.split("\n"))
        or "<p></p>"
    )


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"</p>\s*<p>|<br\s*/?>", re.IGNORECASE)


def plain_text(content: Any) -> str:
    """Miro's sticky content (a little HTML) as the note's text."""
    text = _BREAK.sub("\n", str(content or ""))
    return html.unescape(_TAG.sub("", text)).strip()


def frame_body(model: BoardModel, position: tuple[float, float]) -> dict[str, Any]:
    return {
        "data": {"title": model.title, "format": "custom", "type": "freeform", "showContent": True},
        "style": {"fillColor": "#ffffff"},
        "position": {"x": position[0], "y": position[1], "origin": "center"},
        "geometry": {"width": model.width, "height": model.height},
    }


def shape_body(block: BoardBlock, frame_id: str) -> dict[str, Any]:
    return {
        "data": {
            "content": f"<p><strong>{html.escape(block.title, quote=False)}</strong></p>",
            "shape": "rectangle",
        },
        "style": {"fillColor": BLOCK_FILL, "borderColor": BLOCK_BORDER, "textAlignVertical": "top"},
        "position": _centre(block.rect),
        "geometry": {"width": block.rect[2], "height": block.rect[3]},
        "parent": {"id": frame_id},
    }


def sticky_body(note: BoardNote, cell: Rect, frame_id: str) -> dict[str, Any]:
    return {
        "data": {"content": html_text(note.text), "shape": "square"},
        "style": {"fillColor": STATE_COLOURS.get(note.state, "light_blue")},
        "position": _centre(cell),
        # Miro keeps a sticky's aspect ratio: it takes a width or a height, not both.
        "geometry": {"width": round(min(cell[2], cell[3]), 2)},
        "parent": {"id": frame_id},
    }
