"""Locations as CSV rows, for bulk import and export (CH6).

A row describes a whole location, keyed by ``code``; blank optional cells mean "none".
Hours use a compact text form that survives spreadsheets:
``mon-fri 09:00-21:00; sat 10:00-14:00,15:00-18:00; sun closed``, and special days
``2025-12-25 closed; 2025-12-24 09:00-15:00``. Capabilities are separated by ``|``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from omni.locations.domain import WEEKDAYS
from omni.locations.models import Location
from omni.locations.validation import (
    ADDRESS_FIELDS,
    CAPACITY_FIELDS,
    FieldError,
    InvalidLocation,
    normalize_location,
)

CSV_COLUMNS = (
    "code",
    "name",
    "kind",
    "status",
    *ADDRESS_FIELDS,
    "phone",
    "latitude",
    "longitude",
    "time_zone",
    "metro",
    "capabilities",
    "opening_hours",
    "special_days",
    *CAPACITY_FIELDS,
)
_INTERVAL = re.compile(r"^(\d{2}:\d{2})-(\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _days(spec: str) -> list[str]:
    """``mon``, ``mon-fri`` (ranges may wrap: ``fri-mon``) or ``sat,sun``."""
    days: list[str] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(f"{part!r} is not a weekday or range like mon-fri")
        start, stop = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days += [WEEKDAYS[(start + step) % 7] for step in range((stop - start) % 7 + 1)]
    return days


def _intervals(text: str) -> list[list[str]]:
    if text == "closed":
        return []
    pairs = []
    for part in text.split(","):
        match = _INTERVAL.match(part.strip())
        if match is None:
            raise ValueError(f"{part.strip()!r} is not an interval like 09:00-21:00")
        pairs.append([match.group(1), match.group(2)])
    return pairs


def _entries(text: str) -> list[tuple[str, list[list[str]]]]:
    entries = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        head, _, rest = part.partition(" ")
        if not rest.strip():
            raise ValueError(f"{part!r}: give hours or 'closed' after {head!r}")
        entries.append((head.lower(), _intervals(rest.strip().lower())))
    return entries


def parse_hours_text(text: str) -> dict[str, list[list[str]]]:
    """``mon-fri 09:00-21:00; sun closed`` → ``{"mon": [["09:00", "21:00"]], …}``."""
    hours: dict[str, list[list[str]]] = {}
    for head, pairs in _entries(text):
        for day in _days(head):
            if day in hours:
                raise ValueError(f"{day} is given twice")
            hours[day] = pairs
    return hours


def parse_special_days_text(text: str) -> dict[str, list[list[str]]]:
    special: dict[str, list[list[str]]] = {}
    for head, pairs in _entries(text):
        if not _DATE.match(head) or head in special:
            raise ValueError(f"{head!r} is not a date (YYYY-MM-DD) given once")
        special[head] = pairs
    return special


def hours_text(hours: Mapping[str, list[list[str]]]) -> str:
    """The compact form of a weekly schedule, consecutive equal days as ranges."""
    parts: list[str] = []
    index = 0
    while index < len(WEEKDAYS):
        pairs = hours.get(WEEKDAYS[index], [])
        last = index
        while last + 1 < len(WEEKDAYS) and hours.get(WEEKDAYS[last + 1], []) == pairs:
            last += 1
        days = WEEKDAYS[index] if last == index else f"{WEEKDAYS[index]}-{WEEKDAYS[last]}"
        parts.append(f"{days} {_pairs_text(pairs)}")
        index = last + 1
    return "; ".join(parts)


def special_days_text(special: Mapping[str, list[list[str]]]) -> str:
    return "; ".join(f"{day} {_pairs_text(special[day])}" for day in sorted(special))


def _pairs_text(pairs: list[list[str]]) -> str:
    return ",".join(f"{opens}-{closes}" for opens, closes in pairs) if pairs else "closed"


def _number(text: str, kind: type[int] | type[float]) -> Any:
    """A number from a cell; the text itself when unparsable, so validation names it."""
    try:
        return kind(text)
    except ValueError:
        return text


def _text_fields(row: Mapping[str, str]) -> dict[str, Any]:
    cell = {name: (row.get(name) or "").strip() for name in CSV_COLUMNS}
    return {
        "code": cell["code"],
        "name": cell["name"],
        "kind": cell["kind"],
        "status": cell["status"] or "active",
        "address": {name: cell[name] or None for name in ADDRESS_FIELDS},
        "phone": cell["phone"] or None,
        "latitude": _number(cell["latitude"], float) if cell["latitude"] else None,
        "longitude": _number(cell["longitude"], float) if cell["longitude"] else None,
        "time_zone": cell["time_zone"],
        "metro": cell["metro"] or None,
        "capabilities": [c for c in re.split(r"[|,\s]+", cell["capabilities"]) if c],
        "capacity": {
            name: _number(cell[name], int) if cell[name] else None for name in CAPACITY_FIELDS
        },
    }


def row_values(row: Mapping[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """A CSV row in the API's shape, and the problems found reading its cells."""
    errors = [FieldError(name, "unknown column") for name in row if name not in CSV_COLUMNS]
    values = _text_fields(row)
    for name, parse in (
        ("opening_hours", parse_hours_text),
        ("special_days", parse_special_days_text),
    ):
        try:
            values[name] = parse((row.get(name) or "").strip())
        except ValueError as error:
            errors.append(FieldError(name, str(error)))
            values[name] = {}
    return values, errors


def check_row(row: Mapping[str, str]) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The checked columns of a row, or None with every problem found."""
    values, errors = row_values(row)
    try:
        columns = normalize_location(values)
    except InvalidLocation as invalid:
        # Report problems by CSV column: "address.country" is the "country" cell.
        errors += [FieldError(e.field.split(".")[-1], e.message) for e in invalid.errors]
        return None, errors
    return (None if errors else columns), errors


def location_row(location: Location) -> dict[str, str]:
    """A location as a CSV row (the importer reads it back unchanged)."""
    row = {name: getattr(location, name) for name in CSV_COLUMNS}
    row["capabilities"] = "|".join(location.capabilities)
    row["opening_hours"] = hours_text(location.opening_hours)
    row["special_days"] = special_days_text(location.special_days)
    return {name: "" if value is None else str(value) for name, value in row.items()}
