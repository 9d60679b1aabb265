"""Counting a location's capacity use (ORD4): its local day and clock hour, one query,
only fulfilment work that still stands (no cancelled orders, no till sales)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from omni.kernel.clock import FixedClock
from omni.locations import api as locations_api
from omni.orders.capacity import capacity_use, window_at
from omni.orders.domain import FulfilmentMethod
from tests.carts.support import open_shop
from tests.orders.support import place, simple_draft
from tests.sourcing.support import soon_mid_hour


def test_a_new_york_day_runs_from_local_midnight_to_local_midnight():
    window = window_at("America/New_York", datetime(2026, 7, 1, 3, 30, tzinfo=UTC))
    assert window.day.isoformat() == "2026-06-30"  # 23:30 the evening before, in New York
    assert window.day_start == datetime(2026, 6, 30, 4, 0, tzinfo=UTC)
    assert window.day_end == datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
    assert (window.hour_start, window.hour_end) == (
        datetime(2026, 7, 1, 3, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 4, 0, tzinfo=UTC),
    )


def test_the_day_clocks_go_forward_has_23_hours():
    window = window_at("America/New_York", datetime(2026, 3, 8, 17, 0, tzinfo=UTC))
    assert window.day_end - window.day_start == timedelta(hours=23)


def test_a_half_hour_time_zone_has_half_hour_clock_hours():
    window = window_at("Asia/Kolkata", datetime(2026, 7, 1, 10, 10, tzinfo=UTC))  # 15:40 IST
    assert window.hour_start == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)


async def test_only_standing_fulfilment_work_of_the_local_day_is_counted(
    client, admin_headers, database
):
    shop = await open_shop(client, admin_headers)
    real = database.clock
    database.clock = FixedClock(soon_mid_hour(real.now()))
    try:
        await place(database, simple_draft(shop, [1]))
        await place(database, simple_draft(shop, [1], method=FulfilmentMethod.CARRY_OUT))
        cancelled = await place(database, simple_draft(shop, [1]))
        url = f"/api/v1/orders/{cancelled.order_id}/cancel"
        assert (await client.post(url, headers=admin_headers)).status_code == 200
        now = database.clock.now()
    finally:
        database.clock = real
    async with database.reader() as session:
        places = (await locations_api.get_locations(session, [shop.store_id])).values()
        today = (await capacity_use(session, places, now))[shop.store_id]
        tomorrow = (await capacity_use(session, places, now + timedelta(days=1)))[shop.store_id]
        yesterday = (await capacity_use(session, places, now - timedelta(days=1)))[shop.store_id]
    assert (today.placed_today, today.placed_this_hour) == (1, 1)
    assert (today.orders_per_day, today.orders_per_hour) == (200, 30)
    assert today.remaining == 29  # the hourly limit is the tighter one
    assert (tomorrow.placed_today, tomorrow.remaining) == (0, 30)
    assert yesterday.placed_today == 0


async def test_locations_without_limits_are_not_counted(client, admin_headers, database):
    shop = await open_shop(client, admin_headers)
    async with database.reader() as session:
        [store] = (await locations_api.get_locations(session, [shop.store_id])).values()
        no_limits = locations_api.LocationCapacity(None, None, None, None, None)
        unlimited = replace(store, capacity=no_limits)
        assert await capacity_use(session, [unlimited], database.clock.now()) == {}


async def test_each_location_counts_its_own_local_day_in_one_query(client, admin_headers, database):
    """At 05:30 UTC it is already tomorrow in New York but still today in Los Angeles:
    an order placed at 04:30 UTC counts in Los Angeles only."""
    new_york, los_angeles = (
        await open_shop(client, admin_headers),
        await open_shop(client, admin_headers),
    )
    real = database.clock
    database.clock = FixedClock(datetime(2026, 1, 15, 4, 30, tzinfo=UTC))
    try:
        await place(database, simple_draft(new_york, [1]))
        await place(database, simple_draft(los_angeles, [1]))
    finally:
        database.clock = real
    async with database.reader() as session:
        found = await locations_api.get_locations(
            session, [new_york.store_id, los_angeles.store_id]
        )
        places = [
            found[new_york.store_id],
            replace(found[los_angeles.store_id], time_zone="America/Los_Angeles"),
        ]
        used = await capacity_use(session, places, datetime(2026, 1, 15, 5, 30, tzinfo=UTC))
    assert used[new_york.store_id].window.day.isoformat() == "2026-01-15"
    assert used[new_york.store_id].placed_today == 0
    assert used[los_angeles.store_id].window.day.isoformat() == "2026-01-14"
    assert used[los_angeles.store_id].placed_today == 1
