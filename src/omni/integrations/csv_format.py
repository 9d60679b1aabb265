"""CSV reading and writing shared by every import and export.

Exports escape cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return at the start) with a leading ``'``: the classic
CSV-injection defence. Plain numbers ("-12.5") are left alone, since a spreadsheet
reading them as numbers is harmless. Imports undo exactly that escaping, so an export
re-imports unchanged (see :func:`unescape_cell`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# Lines are gathered into chunks of about this size: one ASGI message per CSV line
# would make a large export crawl.
CHUNK_CHARS = 64 * 1024
BOM = "\ufeff"


def _needs_escape(text: str) -> bool:
    """A formula trigger at the start, or an escape quote in front of one (so that a
    value which itself starts with ``'=`` survives the round trip)."""
    if text.startswith(FORMULA_TRIGGERS):
        return not PLAIN_NUMBER.match(text)
    return text.startswith("'") and _needs_escape(text[1:])


def escape_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if _needs_escape(text) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell` for text: ``'=x`` → ``=x``, ``'abc`` unchanged."""
    if text.startswith("'") and _needs_escape(text[1:]):
        return text[1:]
    return text


def csv_lines(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Render a header and rows as CSV text, one line at a time (for streaming)."""
    writer = _LineWriter()
    yield writer.line(columns)
    for row in rows:
        yield writer.line([escape_cell(row.get(column)) for column in columns])


async def csv_chunks_async(
    columns: list[str], rows: AsyncIterator[dict[str, Any]]
) -> AsyncIterator[str]:
    """The header and rows as CSV text in chunks of about ``CHUNK_CHARS``."""
    writer = _LineWriter()
    chunk = [writer.line(columns)]
    size = len(chunk[0])
    async for row in rows:
        line = writer.line([escape_cell(row.get(column)) for column in columns])
        chunk.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield "".join(chunk)


class _LineWriter:
    """``csv.writer`` into a reusable buffer: one formatted line per call."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._writer = csv.writer(self, lineterminator="\n")

    def write(self, text: str) -> None:  # the file protocol csv.writer needs
        self._parts.append(text)

    def line(self, cells: list[str]) -> str:
        self._writer.writerow(cells)
        text = "".join(self._parts)
        self._parts.clear()
        return text


@dataclass(frozen=True)
class Record:
    """One data row of a file: its number (the header is row 1), its cells by column,
    and how many non-empty cells it has beyond the header's columns."""

    number: int
    cells: dict[str, str]
    extra_cells: int = 0


class UnreadableCsv(ValueError):
    """The file cannot be read as CSV from row ``number`` on."""

    def __init__(self, number: int, reason: str) -> None:
        super().__init__(reason)
        self.number = number
        self.reason = reason


class NotUtf8(UnreadableCsv):
    def __init__(self, number: int) -> None:
        super().__init__(number, 'The file is not UTF-8 text: save it as "CSV UTF-8".')


def read_header(binary: IO[bytes]) -> tuple[list[str], Iterator[Record]]:
    """The header and a lazy iterator of the rows after it.

    UTF-8 only (a BOM is tolerated: spreadsheets add one). Raises ``UnreadableCsv``
    (``NotUtf8`` for bytes that are not UTF-8) with the row where reading failed: for
    the header now, for a data row when iterating. Cells are stripped and un-escaped;
    fully blank rows are skipped but still counted, so row numbers match what a
    spreadsheet shows. Unnamed columns at the end of the header are dropped (some
    spreadsheets save a trailing separator); a value under them counts as extra.
    """
    # strict: a stray quote is an error to report, not a reason to swallow the next rows.
    reader = csv.reader(_decoded_lines(binary), strict=True)
    try:
        first = next(reader)
    except StopIteration:
        return [], iter(())
    except NotUtf8 as error:
        raise NotUtf8(1) from error
    except csv.Error as error:
        raise UnreadableCsv(1, f"Unreadable CSV: {error}.") from error
    header = [name.strip() for name in first]
    while header and not header[-1]:
        header.pop()
    return header, _records(reader, header)


def _decoded_lines(binary: IO[bytes]) -> Iterator[str]:
    # Reading bytes line by line (split on b"\n" only, which never occurs inside a
    # multi-byte UTF-8 character) keeps quoted cells with line breaks intact for csv.
    for index, raw in enumerate(binary):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise NotUtf8(0) from error
        yield line.removeprefix(BOM) if index == 0 else line


def _records(reader: Iterator[list[str]], header: list[str]) -> Iterator[Record]:
    width = len(header)
    number = 1
    while True:
        number += 1  # csv counts physical lines; spreadsheets (and we) count records
        try:
            cells = next(reader)
        except StopIteration:
            return
        except NotUtf8 as error:
            raise NotUtf8(number) from error
        except csv.Error as error:
            raise UnreadableCsv(number, f"Unreadable CSV: {error}.") from error
        values = [unescape_cell(cell.strip()) for cell in cells]
        if not any(values):
            continue
        padded = values[:width] + [""] * (width - len(values))
        extra = sum(1 for value in values[width:] if value)
        yield Record(number, dict(zip(header, padded, strict=True)), extra)
