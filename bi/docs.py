"""The column reference of docs/bi.md, written from the table definitions (a test keeps the
document and the code in step: ``python -c "import django; ...; print(columns_markdown())"``)."""

from __future__ import annotations

from .tables import TABLES


def columns_markdown() -> str:
    parts = []
    for table in TABLES.values():
        filters = ", ".join(f"`{f}`" for f in sorted(table.accepts)) or "none"
        parts.append(
            f"### `{table.name}`\n\n{table.description}\n\n"
            f"OData entity set `{table.entity_set}`; PostgreSQL view `reporting.{table.sql_view}`; "
            f"key {', '.join(f'`{k}`' for k in table.key)}; filters: {filters}.\n\n"
            "| column | type | null | description |\n|---|---|---|---|\n"
            + "\n".join(
                f"| `{c.name}` | {c.type_label} | {'yes' if c.nullable else ''} | {c.description} |"
                for c in table.columns
            )
        )
    return "\n\n".join(parts) + "\n"
