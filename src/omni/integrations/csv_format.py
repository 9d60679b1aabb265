"""CSV reading and writing shared by every import and export.

Exports escape cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return at the start): the classic CSV-injection defence, applied
to text only so negative numbers stay numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_FIELD_CHARS = 10_000


def escape_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_lines(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Render a header and rows as CSV text, one line at a time (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    yield _drain(buffer)
    for row in rows:
        writer.writerow([escape_cell(row.get(column)) for column in columns])
        yield _drain(buffer)


async def csv_lines_async(
    columns: list[str], rows: AsyncIterator[dict[str, Any]]
) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    yield _drain(buffer)
    async for row in rows:
        writer.writerow([escape_cell(row.get(column)) for column in columns])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def read_rows(binary: IO[bytes]) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The header and a lazy iterator of rows (UTF-8, BOM tolerated, cells stripped)."""
    text = codecs.getreader("utf-8-sig")(binary)
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.DictReader(text)
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header

    def rows() -> Iterator[dict[str, str]]:
        for raw in reader:
            yield {key: (value or "").strip() for key, value in raw.items() if key is not None}

    return header, rows()
