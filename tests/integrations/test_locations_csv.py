"""Locations from and to CSV: keyed by code, hours in their compact text form."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from omni.integrations.cli_tasks import run_import
from omni.locations.api import CSV_COLUMNS
from omni.locations.models import Location
from tests.integrations.helpers import count, csv_text, export_rows, imported, problems, upload
from tests.locations.support import unique_code

COLUMNS = list(CSV_COLUMNS)


def location_row(**cells: Any) -> dict[str, Any]:
    row = {
        "code": unique_code("CSV"),
        "name": "Omni Williamsburg",
        "kind": "store",
        "line1": "200 Bedford Ave",
        "city": "Brooklyn",
        "region": "NY",
        "postal_code": "11249",
        "country": "US",
        "phone": "(718) 555-0134",
        "latitude": "40.7178",
        "longitude": "-73.9576",
        "time_zone": "America/New_York",
        "capabilities": "sell_in_store|pickup",
        "opening_hours": "mon-sat 09:00-21:00; sun 11:00-18:00",
        "special_days": "2025-12-25 closed",
        "orders_per_day": "120",
    }
    row.update(cells)
    return row


async def stored(database, code: str) -> Location | None:
    async with database.reader() as session:
        return await session.scalar(select(Location).where(Location.code == code))


async def test_a_valid_file_creates_then_updates_locations(client, planner, database):
    first, second = location_row(), location_row(kind="warehouse", capabilities="")
    report = await imported(client, "locations", csv_text(COLUMNS, [first, second]), planner)
    assert (report["rows"], report["applied"], report["counts"]) == (2, True, {"created": 2})
    store = await stored(database, first["code"])
    assert store is not None
    assert (store.name, store.phone, store.capabilities) == (
        "Omni Williamsburg",
        "+17185550134",
        ["pickup", "sell_in_store"],
    )
    assert store.opening_hours["sun"] == [["11:00", "18:00"]]

    renamed = {**first, "name": "Omni Bedford"}
    report = await imported(client, "locations", csv_text(COLUMNS, [renamed, second]), planner)
    assert report["counts"] == {"updated": 1, "unchanged": 1}
    assert (await stored(database, first["code"])).name == "Omni Bedford"  # type: ignore[union-attr]


async def test_the_cli_path_imports_as_the_system(database):
    row = location_row()
    source = io.BytesIO(csv_text(COLUMNS, [row]).encode())
    report = await run_import(database, "locations", source)
    assert (report.applied, report.error_count, report.counts) == (True, 0, {"created": 1})
    assert await stored(database, row["code"]) is not None


async def test_a_bad_time_zone_refuses_the_whole_file(client, planner, database):
    rows = [location_row(), location_row(time_zone="Mars/Olympus_Mons"), location_row()]
    response = await upload(client, "locations", csv_text(COLUMNS, rows), planner)
    assert problems(response) == [(3, "time_zone")]
    codes = [row["code"] for row in rows]
    assert await count(database, Location, Location.code.in_(codes)) == 0


async def test_a_code_twice_in_a_file_is_refused(client, planner, database):
    row = location_row()
    twin = {**row, "code": row["code"].lower(), "name": "Twin"}
    response = await upload(client, "locations", csv_text(COLUMNS, [row, twin]), planner)
    assert problems(response) == [(3, "code")]
    assert "Duplicate of row 2" in response.json()["errors"][0]["message"]
    assert await stored(database, row["code"]) is None


async def test_export_then_import_changes_nothing(client, planner, database):
    rows = [location_row(), location_row(special_days="", metro="New York")]
    await imported(client, "locations", csv_text(COLUMNS, rows), planner)
    codes = {row["code"] for row in rows}
    header, exported = await export_rows(client, "locations", planner)
    assert header == COLUMNS
    ours = [row for row in exported if row["code"] in codes]
    assert len(ours) == 2
    before = {code: (await stored(database, code)).version for code in codes}  # type: ignore[union-attr]

    report = await imported(client, "locations", csv_text(header, ours), planner)
    assert report["counts"] == {"unchanged": 2}
    after = {code: (await stored(database, code)).version for code in codes}  # type: ignore[union-attr]
    assert after == before
    _, again = await export_rows(client, "locations", planner)
    assert [row for row in again if row["code"] in codes] == ours
