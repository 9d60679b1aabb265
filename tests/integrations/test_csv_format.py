"""Reading and writing CSV: escaping formulas, decoding, row numbers, odd files."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.integrations.csv_format import (
    NotUtf8,
    UnreadableCsv,
    csv_lines,
    escape_cell,
    read_header,
    unescape_cell,
)


def read(text: str | bytes) -> tuple[list[str], list[tuple[int, dict[str, str], int]]]:
    data = text.encode() if isinstance(text, str) else text
    header, records = read_header(io.BytesIO(data))
    return header, [(r.number, r.cells, r.extra_cells) for r in records]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1 212 555 0100", "'+1 212 555 0100"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),
        ("-73.9981", "-73.9981"),
        ("+12", "+12"),
        ("O'Brien", "O'Brien"),
        ("'quoted", "'quoted"),
        (-5, "-5"),
        (None, ""),
        (True, "true"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_escaped(value, written):
    assert escape_cell(value) == written


@given(st.text())
def test_unescaping_undoes_escaping_for_any_text(text):
    assert unescape_cell(escape_cell(text)) == text


def test_lines_quote_commas_quotes_and_line_breaks():
    lines = list(csv_lines(["a", "b"], [{"a": 'say "hi", then\nleave', "b": "=1+1"}]))
    assert lines == ["a,b\n", '"say ""hi"", then\nleave",\'=1+1\n']


def test_rows_are_numbered_as_in_a_spreadsheet_skipping_blank_ones():
    text = 'a,b\n1,2\n\n,\n"multi\nline",3\n4,\n'
    header, rows = read(text)
    assert header == ["a", "b"]
    assert rows == [
        (2, {"a": "1", "b": "2"}, 0),
        (5, {"a": "multi\nline", "b": "3"}, 0),
        (6, {"a": "4", "b": ""}, 0),
    ]


def test_bom_whitespace_short_and_long_rows():
    header, rows = read("\ufeff handle , name,\n x ,y,\nz\n1,2,3,\n")
    assert header == ["handle", "name"]
    assert rows == [
        (2, {"handle": "x", "name": "y"}, 0),
        (3, {"handle": "z", "name": ""}, 0),
        (4, {"handle": "1", "name": "2"}, 1),
    ]


def test_escaped_cells_are_read_back_as_they_were():
    _, rows = read("name\n'=HYPERLINK(1)\n'plain\n")
    assert [cells["name"] for _, cells, _ in rows] == ["=HYPERLINK(1)", "'plain"]


def test_a_file_that_is_not_utf8_names_the_row():
    data = "name\nok\nCaf\u00e9\n".encode("latin-1")
    _, records = read_header(io.BytesIO(data))
    assert next(records).cells == {"name": "ok"}
    with pytest.raises(NotUtf8) as failed:
        next(records)
    assert failed.value.number == 3
    with pytest.raises(NotUtf8) as in_header:
        read_header(io.BytesIO("n\u00e4me\nx\n".encode("latin-1")))
    assert in_header.value.number == 1


def test_an_empty_file_has_no_header():
    assert read("") == ([], [])


def test_unbalanced_quotes_are_unreadable_from_their_row():
    _, records = read_header(io.BytesIO(b'a\n"x\n'))
    with pytest.raises(UnreadableCsv) as failed:
        list(records)
    assert failed.value.number == 2
