"""docs/bi.md documents every table's columns and types as the code defines them."""

from __future__ import annotations

from pathlib import Path

from bi.docs import columns_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "bi.md"
MARK = "<!-- generated from bi/tables (bi.docs.columns_markdown); tests/test_bi_docs.py checks it -->\n\n"


def test_docs_bi_md_lists_every_column_as_defined():
    text = DOC.read_text(encoding="utf-8")

    assert text.split(MARK, 1)[1] == columns_markdown()
