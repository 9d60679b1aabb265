"""Step: stores, distribution centers, pickup points and lockers (INV1, FUL8)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from omni.demo.context import BuildContext
from omni.demo.data.places import METROS, PICKUP_SITES, STORES, WAREHOUSES, Site
from omni.kernel.ids import new_id
from omni.locations.models import Location
from omni.locations.validation import normalize_location

Day = list[list[str]]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _week(weekday: Day, saturday: Day, sunday: Day) -> dict[str, Day]:
    return {**{day: weekday for day in WEEKDAYS[:5]}, "sat": saturday, "sun": sunday}


# Weekly opening hours by kind of site, local wall-clock time.
HOURS: dict[str, dict[str, Day]] = {
    "city_flagship": _week([["10:00", "21:00"]], [["10:00", "21:00"]], [["11:00", "19:00"]]),
    "city": _week([["10:00", "20:00"]], [["10:00", "20:00"]], [["11:00", "19:00"]]),
    # A small shop opens late on Mondays, when the owner does the books.
    "neighbourhood": {
        **_week([["11:00", "19:00"]], [["10:00", "19:00"]], [["11:00", "18:00"]]),
        "mon": [["12:00", "19:00"]],
    },
    "suburban": _week([["10:00", "20:00"]], [["10:00", "19:00"]], [["11:00", "18:00"]]),
    "warehouse": _week([["06:00", "22:00"]], [["07:00", "15:00"]], []),
    "always": _week([["00:00", "24:00"]], [["00:00", "24:00"]], [["00:00", "24:00"]]),
    # Open from the first commuter train to after the last one (past midnight).
    "early_late": _week([["05:00", "01:00"]], [["06:00", "01:00"]], [["07:00", "23:00"]]),
    # A partner shop with a lunch break on weekdays.
    "partner": _week(
        [["08:00", "12:30"], ["13:30", "19:00"]], [["09:00", "18:00"]], [["10:00", "16:00"]]
    ),
}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def retail_holidays(year: int) -> dict[date, Day]:
    """US retail calendar: closed on Thanksgiving and Christmas, long Black Friday."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    return {
        date(year, 1, 1): [["11:00", "18:00"]],
        date(year, 7, 4): [["11:00", "17:00"]],
        thanksgiving: [],
        thanksgiving + timedelta(days=1): [["07:00", "22:00"]],
        date(year, 12, 24): [["09:00", "17:00"]],
        date(year, 12, 25): [],
        date(year, 12, 31): [["10:00", "18:00"]],
    }


def warehouse_holidays(year: int) -> dict[date, Day]:
    return {
        date(year, 1, 1): [],
        _nth_weekday(year, 11, 3, 4): [],
        date(year, 12, 25): [],
    }


def special_days(site: Site, today: date) -> dict[str, Day]:
    """This year's remaining and next year's exceptions (a locker never closes)."""
    if site.hours == "always":
        return {}
    calendar = warehouse_holidays if site.kind == "warehouse" else retail_holidays
    days = {**calendar(today.year), **calendar(today.year + 1)}
    horizon = today + timedelta(days=400)
    return {d.isoformat(): hours for d, hours in sorted(days.items()) if today <= d <= horizon}


def _api_shape(site: Site, today: date) -> dict[str, Any]:
    """The location as the locations API receives it, so its validator can check it."""
    per_day, per_hour, slot_minutes, slot_capacity, hold_days = site.capacity
    return {
        "code": site.code,
        "name": site.name,
        "kind": site.kind,
        "status": site.status,
        "address": {
            "line1": site.line1,
            "city": site.city,
            "region": site.region,
            "postal_code": site.postal_code,
            "country": "US",
        },
        "phone": site.phone,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "time_zone": site.time_zone,
        "metro": next(m.name for m in METROS if m.key == site.metro),
        "opening_hours": HOURS[site.hours],
        "special_days": special_days(site, today),
        "capabilities": list(site.capabilities),
        "capacity": {
            "orders_per_day": per_day,
            "orders_per_hour": per_hour,
            "pickup_slot_minutes": slot_minutes,
            "pickup_slot_capacity": slot_capacity,
            "pickup_hold_days": hold_days,
        },
    }


async def build_locations(ctx: BuildContext) -> None:
    rng = ctx.rng("locations")
    rows = []
    for site in (*STORES, *WAREHOUSES, *PICKUP_SITES):
        # Every row passes the same validation as POST /locations (raises if not).
        values = normalize_location(_api_shape(site, ctx.now.date()))
        opened = ctx.days_ago(rng.randint(200, 3000))
        rows.append(
            {
                **values,
                "id": new_id("loc"),
                "created_at": opened,
                "updated_at": opened,
                "version": 1,
            }
        )
        ctx.registry.locations.append(
            {**values, "id": rows[-1]["id"], "metro_key": site.metro, "hours": site.hours}
        )
    await ctx.insert(Location, rows)
