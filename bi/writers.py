"""The BI tables written out: CSV (streamed), XLSX (openpyxl's write-only mode), Parquet
(pyarrow, streamed by row group) and JSON rows. Types follow ``bi.columns``.

Each writer takes the table's class (its columns) and an iterator of rows, and never holds
more than one chunk of rows in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from .columns import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    DOUBLE,
    INTEGER,
    TEXT,
    YEAR,
    Column,
    as_json,
    text_writer,
)
from .tables import Row, Table

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARQUET_CONTENT_TYPE = "application/vnd.apache.parquet"

CSV_BATCH = 1000
PARQUET_ROW_GROUP = 50_000
XLSX_MAX_ROWS = 1_048_575  # one sheet's rows below its header


def _cell_formatters(columns: tuple[Column, ...]) -> list[Callable[[Any], Any] | None]:
    # text and whole numbers go to the csv module as they are (None is an empty cell)
    return [text_writer(col) for col in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(table: type[Table], rows: Iterable[Row]) -> Iterator[bytes]:
    """UTF-8 CSV with a header of column names, in chunks of rows."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    fmts = _cell_formatters(table.columns)
    plain = all(f is None for f in fmts)
    yield writer.writerow(table.names()).encode()
    buffer: list[str] = []
    for row in rows:
        if plain:
            buffer.append(writer.writerow(row))
        else:
            buffer.append(
                writer.writerow(
                    [v if f is None or v is None else f(v) for v, f in zip(row, fmts, strict=True)]
                )
            )
        if len(buffer) >= CSV_BATCH:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def json_rows(table: type[Table], rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Rows as JSON objects by column name (decimals as decimal strings)."""
    columns = table.columns
    return [
        {col.name: as_json(col, v) for col, v in zip(columns, row, strict=True)} for row in rows
    ]


# --- Parquet -----------------------------------------------------------------------------


def arrow_type(column: Column) -> Any:
    import pyarrow as pa

    return {
        TEXT: pa.string,
        YEAR: pa.int32,
        INTEGER: pa.int32,
        BOOLEAN: pa.bool_,
        DOUBLE: pa.float64,
        DATETIME: lambda: pa.timestamp("us", tz="UTC"),
        DECIMAL: lambda: pa.decimal128(column.precision, column.scale),
    }[column.type]()


def arrow_schema(table: type[Table]) -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(
                col.name,
                arrow_type(col),
                nullable=col.nullable,
                metadata={"description": col.description},
            )
            for col in table.columns
        ],
        metadata={"table": table.name, "description": table.description},
    )


class _Drain(io.RawIOBase):
    """A write-only sink whose bytes are taken out after each row group."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts = []
        return out


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def parquet_chunks(table: type[Table], rows: Iterable[Row]) -> Iterator[bytes]:
    """A Parquet file (zstd), one row group per 50,000 rows, sent as each is written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    sink = _Drain()
    writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd")
    try:
        for batch in _batches(rows, PARQUET_ROW_GROUP):
            arrays = [
                pa.array(values, type=field.type)
                for values, field in zip(zip(*batch, strict=True), schema, strict=True)
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            chunk = sink.take()
            if chunk:
                yield chunk
    finally:
        writer.close()
    yield sink.take()


# --- XLSX --------------------------------------------------------------------------------


def _excel_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type == DATETIME:
        # Excel has no time zones: UTC, as the header says
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def xlsx_file(table: type[Table], rows: Iterable[Row]) -> IO[bytes]:
    """The table in a workbook (a temporary file, rewound): a sheet of rows (continued on
    further sheets past Excel's row limit) and a ``columns`` sheet describing each column."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    columns = table.columns
    header = [f"{c.name} (UTC)" if c.type == DATETIME else c.name for c in columns]
    sheet_number = 1
    ws = wb.create_sheet(table.name[:31])
    ws.append(header)
    written = 0
    for row in rows:
        if written == XLSX_MAX_ROWS:
            sheet_number += 1
            ws = wb.create_sheet(f"{table.name[:27]} ({sheet_number})")
            ws.append(header)
            written = 0
        ws.append([_excel_value(c, v) for c, v in zip(columns, row, strict=True)])
        written += 1
    about = wb.create_sheet("columns")
    about.append(["column", "type", "description"])
    for col in columns:
        about.append([col.name, col.type_label, col.description])
    out = tempfile.TemporaryFile()
    wb.save(out)
    out.seek(0)
    return out
