"""Text measured with a width table, wrapped to a width and shrunk to fit a box.

Deterministic: widths come from ``charts._widths`` (DejaVu Sans), not from whatever fonts
a machine has. Characters beyond the table count as 0.6 em, wide East Asian ones as 1 em.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import _widths

LINE_HEIGHT = 1.25
ELLIPSIS = "…"


def char_width(ch: str, *, bold: bool = False) -> float:
    """Width of one character in em."""
    code = ord(ch)
    table = _widths.BOLD if bold else _widths.REGULAR
    index = code - _widths.FIRST
    if 0 <= index < len(table):
        return table[index] / 1000
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if unicodedata.combining(ch):
        return 0.0
    return 0.6


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(char_width(ch, bold=bold) for ch in text) * size


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word longer than the line, cut into pieces that fit (at least one character)."""
    pieces, current = [], ""
    for ch in word:
        if current and text_width(current + ch, size, bold=bold) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Lines no wider than ``width``: words wrap, over-long words are cut; newlines kept."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold=bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _break_word(word, width, size, bold)
            lines.extend(pieces[:-1])
            current = pieces[-1]
        lines.append(current)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


@dataclass(frozen=True)
class Fitted:
    lines: list[str]
    size: float

    @property
    def line_height(self) -> float:
        return self.size * LINE_HEIGHT

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height


def fit(
    text: str,
    width: float,
    height: float,
    *,
    size: float,
    min_size: float = 7,
    bold: bool = False,
) -> Fitted:
    """The largest size from ``size`` down to ``min_size`` at which the wrapped text fits the
    box; at ``min_size`` the lines that do not fit are cut and the last ends with '…'."""
    current = size
    while True:
        lines = wrap(text, width, current, bold=bold)
        if len(lines) * current * LINE_HEIGHT <= height or current <= min_size:
            break
        current = max(min_size, round(current - 0.5, 1))
    max_lines = max(int(height // (current * LINE_HEIGHT)), 0)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        if lines:
            last = lines[-1]
            while last and text_width(last + ELLIPSIS, current, bold=bold) > width:
                last = last[:-1]
            lines[-1] = last + ELLIPSIS
    return Fitted(lines, current)
