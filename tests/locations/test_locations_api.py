"""What other modules call: existence, lookups, nearest, open state, CSV upserts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from omni.db.platform_models import OutboxEvent
from omni.kernel.errors import InvalidInput
from omni.locations import api
from omni.locations.models import Location
from tests.locations.support import create_location, random_area, unique_code
from tests.locations.test_validation import csv_row


async def test_location_exists_and_lookups_by_id(client, database, admin_headers):
    store = await create_location(client, admin_headers)
    locker = await create_location(
        client, admin_headers, kind="locker", capabilities=["pickup"], capacity={}
    )

    async with database.reader() as session:
        assert await api.location_exists(session, store["id"])
        assert not await api.location_exists(session, "loc_00000000000000000000000000")
        found = await api.get_locations(
            session, [store["id"], locker["id"], "loc_00000000000000000000000000"]
        )
        assert await api.get_locations(session, []) == {}

    assert set(found) == {store["id"], locker["id"]}
    info = found[store["id"]]
    assert (info.code, info.kind, info.status, info.time_zone) == (
        store["code"],
        "store",
        "active",
        "America/New_York",
    )
    assert info.capabilities == frozenset(store["capabilities"])
    assert info.capacity.orders_per_day == 200
    assert found[locker["id"]].capacity.orders_per_day is None


async def test_locations_near_filters_by_capability_and_skips_inactive(
    client, database, admin_headers
):
    lat, lon = random_area()
    near_store = await create_location(client, admin_headers, latitude=lat, longitude=lon)
    await create_location(
        client,
        admin_headers,
        kind="locker",
        capabilities=["pickup"],
        latitude=lat + 0.001,
        longitude=lon,
    )
    await create_location(client, admin_headers, status="inactive", latitude=lat, longitude=lon)

    async with database.reader() as session:
        curbside = await api.locations_near(session, lat, lon, 5, capability="curbside")
        pickup = await api.locations_near(session, lat, lon, 5, capability="pickup", limit=5)
        with_inactive = await api.locations_near(session, lat, lon, 5, active_only=False)

    assert [n.location.id for n in curbside] == [near_store["id"]]
    assert curbside[0].distance_km == pytest.approx(0, abs=1e-6)
    assert len(pickup) == 2
    assert len(with_inactive) == 3


async def test_location_open_state(client, database, admin_headers):
    store = await create_location(client, admin_headers)
    async with database.reader() as session:
        state = await api.location_open_state(
            session, store["id"], datetime(2025, 6, 2, 14, tzinfo=UTC)
        )
        unknown = await api.location_open_state(
            session, "loc_00000000000000000000000000", datetime(2025, 6, 2, tzinfo=UTC)
        )
    assert state is not None and state.is_open
    assert state.closes_at == datetime(2025, 6, 3, 1, tzinfo=UTC)
    assert unknown is None


async def test_upsert_creates_updates_and_leaves_unchanged_rows_without_committing(database):
    first, second = unique_code("CSV"), unique_code("CSV")
    async with database.uow() as uow:
        created = await api.upsert_locations(
            uow, [csv_row(code=first), csv_row(code=second, name="Second")]
        )
        await uow.commit()
    async with database.uow() as uow:
        again = await api.upsert_locations(
            uow, [csv_row(code=first), csv_row(code=second, name="Second, renamed")]
        )
        await uow.commit()
    async with database.uow() as uow:
        await api.upsert_locations(uow, [csv_row(code=unique_code("CSV"))])
        # No commit: the caller's unit of work decides, and it rolls back here.

    assert [r.action for r in created] == ["created", "created"]
    assert [(r.code, r.action) for r in again] == [(first, "unchanged"), (second, "updated")]
    assert again[1].location_id == created[1].location_id
    async with database.reader() as session:
        location = await session.get(Location, created[1].location_id)
        assert location is not None and location.name == "Second, renamed"
        assert location.version == 2
        assert location.opening_hours["sun"] == []
        assert location.special_days == {"2025-12-24": [["09:00", "15:00"]], "2025-12-25": []}
        events = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.payload["location_id"].as_string() == location.id)
        )
    assert events == 2  # created, then updated once


async def test_upsert_with_a_bad_row_applies_nothing_and_lists_every_problem(database):
    good, bad, twice = unique_code("CSV"), unique_code("CSV"), unique_code("CSV")
    rows = [
        csv_row(code=good),
        csv_row(code=bad, country="XX", latitude="north"),
        csv_row(code=twice),
        csv_row(code=twice),
    ]
    async with database.uow() as uow:
        with pytest.raises(InvalidInput) as error:
            await api.upsert_locations(uow, rows)

    problems = {(p["row"], p["field"]) for p in error.value.extra["errors"]}
    assert problems == {(1, "country"), (1, "latitude"), (2, "code"), (3, "code")}
    async with database.reader() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Location).where(Location.code.in_([good, bad, twice]))
        )
    assert stored == 0


async def test_exported_rows_validate_and_reimport_unchanged(client, database, admin_headers):
    created = await create_location(
        client,
        admin_headers,
        opening_hours={
            "fri": [["18:00", "02:00"]],
            "sat": [["10:00", "14:00"], ["15:00", "18:00"]],
        },
        special_days={"2025-12-25": []},
    )
    async with database.reader() as session:
        rows = [r for r in await api.export_location_rows(session) if r["code"] == created["code"]]

    assert len(rows) == 1 and tuple(rows[0]) == api.CSV_COLUMNS
    assert rows[0]["capabilities"] == "curbside|pickup|sell_in_store|ship_from_store"
    assert api.validate_location_row(rows[0]) == []
    async with database.uow() as uow:
        result = await api.upsert_locations(uow, rows)
        await uow.commit()
    assert [r.action for r in result] == ["unchanged"]
