"""The delivery promise rules (pure): preparation in opening time, cut-offs, ship days,
transit bands, same-day, transfers — across time zones and daylight-saving changes.

2026-11-25 is a Wednesday; 2026-11-26 (Thanksgiving) is a closed special day in some
cases; US clocks go forward on 2026-03-08 and back on 2026-11-01 (both Sundays).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from omni.locations.domain import opening_periods, parse_schedule, parse_special_days
from omni.orders import promise_rules as rules

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")
HOURS = {day: [["09:00", "21:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")} | {
    "sun": [["11:00", "18:00"]]
}
THANKSGIVING: dict[str, list[list[str]]] = {"2026-11-26": []}
LATE_BAR = {day: [["18:00", "02:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}


def periods(
    now: datetime,
    tz: ZoneInfo = NY,
    hours: dict[str, list[list[str]]] | None = None,
    special: dict[str, list[list[str]]] | None = None,
) -> list[rules.Period]:
    """What the locations module reports from ``now`` on (the current period starts now)."""
    schedule = parse_schedule(HOURS if hours is None else hours)
    today = now.astimezone(tz).date()
    found = opening_periods(
        schedule,
        parse_special_days(special or {}),
        tz,
        today - timedelta(days=1),
        today + timedelta(days=rules.HORIZON_DAYS),
    )
    return [(max(start, now), end) for start, end in found if end > now]


def at(day: str, hhmm: str, tz: ZoneInfo = NY) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=tz)


@pytest.mark.parametrize(
    ("case", "now", "tz", "hours", "special", "ready"),
    [
        (
            "open: two hours later",
            at("2026-11-25", "10:00"),
            NY,
            None,
            None,
            at("2026-11-25", "12:00"),
        ),
        (
            "before opening: from opening",
            at("2026-11-25", "07:00"),
            NY,
            None,
            None,
            at("2026-11-25", "11:00"),
        ),
        (
            "before cut-off: finished next morning",
            at("2026-11-25", "19:30"),
            NY,
            None,
            None,
            at("2026-11-26", "09:30"),
        ),
        (
            "at cut-off: next opening",
            at("2026-11-25", "20:00"),
            NY,
            None,
            None,
            at("2026-11-26", "11:00"),
        ),
        (
            "after closing: next opening",
            at("2026-11-25", "22:00"),
            NY,
            None,
            None,
            at("2026-11-26", "11:00"),
        ),
        (
            "closed special day skipped",
            at("2026-11-25", "20:30"),
            NY,
            None,
            THANKSGIVING,
            at("2026-11-27", "11:00"),
        ),
        (
            "saturday night: sunday hours",
            at("2026-11-28", "20:30"),
            NY,
            None,
            None,
            at("2026-11-29", "13:00"),
        ),
        (
            "spring forward sunday",
            at("2026-03-07", "20:30"),
            NY,
            None,
            None,
            at("2026-03-08", "13:00"),
        ),
        ("fall back sunday", at("2026-10-31", "20:30"), NY, None, None, at("2026-11-01", "13:00")),
        (
            "london store",
            at("2026-11-25", "16:00", LONDON),
            LONDON,
            None,
            None,
            at("2026-11-25", "18:00", LONDON),
        ),
        (
            "overnight hours",
            at("2026-11-25", "23:00"),
            NY,
            LATE_BAR,
            None,
            at("2026-11-26", "01:00"),
        ),
        (
            "overnight after cut-off",
            at("2026-11-26", "01:30"),
            NY,
            LATE_BAR,
            None,
            at("2026-11-26", "20:00"),
        ),
    ],
)
def test_store_ready_at(
    case: str,
    now: datetime,
    tz: ZoneInfo,
    hours: dict[str, list[list[str]]] | None,
    special: dict[str, list[list[str]]] | None,
    ready: datetime,
) -> None:
    promise = rules.store_ready_at(now, periods(now, tz, hours, special))
    assert promise.at == ready, case
    assert promise.reason is None


def test_ready_times_are_real_instants_across_dst() -> None:
    spring = rules.store_ready_at(at("2026-03-07", "20:30"), periods(at("2026-03-07", "20:30")))
    fall = rules.store_ready_at(at("2026-10-31", "20:30"), periods(at("2026-10-31", "20:30")))
    assert spring.at is not None and fall.at is not None
    assert spring.at.astimezone(UTC) == datetime(2026, 3, 8, 17, 0, tzinfo=UTC)  # EDT, -4
    assert fall.at.astimezone(UTC) == datetime(2026, 11, 1, 18, 0, tzinfo=UTC)  # EST, -5


def test_a_store_that_never_opens_promises_nothing() -> None:
    promise = rules.store_ready_at(at("2026-11-25", "10:00"), [])
    assert promise == rules.Promise(None, rules.CLOSED)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.store_ready_at(datetime(2026, 11, 25, 10), [])


@pytest.mark.parametrize(
    ("km", "days"),
    [(0, 1), (300, 1), (300.1, 2), (1_000, 2), (1_000.1, 3), (2_500, 3), (2_500.1, 5), (9_000, 5)],
)
def test_transit_days_by_distance_band(km: float, days: int) -> None:
    assert rules.transit_days(km) == days


@pytest.mark.parametrize(
    ("case", "now", "kind", "special", "km", "delivered"),
    [
        (
            "dc before cut-off",
            at("2026-11-25", "10:00"),
            "warehouse",
            None,
            100,
            date(2026, 11, 26),
        ),
        ("dc after cut-off", at("2026-11-25", "14:00"), "warehouse", None, 100, date(2026, 11, 27)),
        (
            "dc friday late: ships saturday, no sunday delivery",
            at("2026-11-27", "15:00"),
            "warehouse",
            None,
            100,
            date(2026, 11, 30),
        ),
        (
            "dc saturday late: no sunday shipping",
            at("2026-11-28", "15:00"),
            "warehouse",
            None,
            100,
            date(2026, 12, 1),
        ),
        ("dc sunday", at("2026-11-29", "10:00"), "warehouse", None, 100, date(2026, 12, 1)),
        (
            "store sunday: open, ships",
            at("2026-11-29", "10:00"),
            "store",
            None,
            100,
            date(2026, 11, 30),
        ),
        (
            "store closed special day",
            at("2026-11-25", "15:00"),
            "store",
            THANKSGIVING,
            100,
            date(2026, 11, 28),
        ),
        (
            "dc closed special day still ships",
            at("2026-11-25", "15:00"),
            "warehouse",
            THANKSGIVING,
            100,
            date(2026, 11, 27),
        ),
        ("2 days band", at("2026-11-25", "10:00"), "warehouse", None, 800, date(2026, 11, 27)),
        ("3 days band", at("2026-11-25", "10:00"), "warehouse", None, 2_000, date(2026, 11, 28)),
        (
            "beyond: 5 days, sunday skipped",
            at("2026-11-25", "10:00"),
            "warehouse",
            None,
            4_000,
            date(2026, 12, 1),
        ),
        ("fall back weekend", at("2026-10-31", "15:00"), "warehouse", None, 100, date(2026, 11, 3)),
    ],
)
def test_ship_delivery(
    case: str,
    now: datetime,
    kind: str,
    special: dict[str, list[list[str]]] | None,
    km: float,
    delivered: date,
) -> None:
    promise = rules.ship_delivery(now, NY, kind, periods(now, special=special), km)
    assert promise.at is not None, case
    local = promise.at.astimezone(NY)
    assert (local.date(), local.hour, local.minute) == (delivered, 20, 0), case


def test_ship_cut_off_is_local_time() -> None:
    """13:30 in Los Angeles is 16:30 in New York: an LA DC still ships today."""
    now = at("2026-11-25", "13:30", LA)
    la = rules.ship_delivery(now, LA, "warehouse", [], 100)
    ny = rules.ship_delivery(now, NY, "warehouse", [], 100)
    assert la.at is not None and ny.at is not None
    assert la.at.astimezone(LA).date() == date(2026, 11, 26)
    assert ny.at.astimezone(NY).date() == date(2026, 11, 27)


def test_a_store_closed_for_the_horizon_does_not_ship() -> None:
    assert rules.ship_delivery(at("2026-11-25", "10:00"), NY, "store", [], 10).reason == "closed"


SAME_DAY = frozenset({"same_day_delivery", "pickup"})


@pytest.mark.parametrize(
    ("case", "now", "tz", "kind", "capabilities", "special", "km", "expected"),
    [
        (
            "before cut-off",
            at("2026-11-25", "14:59"),
            NY,
            "store",
            SAME_DAY,
            None,
            10,
            at("2026-11-25", "21:00"),
        ),
        (
            "at cut-off",
            at("2026-11-25", "15:00"),
            NY,
            "store",
            SAME_DAY,
            None,
            10,
            rules.PAST_CUTOFF,
        ),
        (
            "before opening counts",
            at("2026-11-25", "07:00"),
            NY,
            "store",
            SAME_DAY,
            None,
            10,
            at("2026-11-25", "21:00"),
        ),
        (
            "closed today",
            at("2026-11-26", "10:00"),
            NY,
            "store",
            SAME_DAY,
            THANKSGIVING,
            10,
            rules.CLOSED,
        ),
        ("too far", at("2026-11-25", "10:00"), NY, "store", SAME_DAY, None, 60, rules.OUT_OF_RANGE),
        (
            "no capability",
            at("2026-11-25", "10:00"),
            NY,
            "store",
            frozenset({"pickup"}),
            None,
            10,
            rules.NO_CAPABILITY,
        ),
        (
            "warehouse",
            at("2026-11-25", "10:00"),
            NY,
            "warehouse",
            SAME_DAY,
            None,
            10,
            rules.NO_CAPABILITY,
        ),
        (
            "los angeles store, evening in new york",
            at("2026-11-25", "14:30", LA),
            LA,
            "store",
            SAME_DAY,
            None,
            10,
            at("2026-11-25", "21:00", LA),
        ),
        (
            "spring forward day",
            at("2026-03-08", "12:00"),
            NY,
            "store",
            SAME_DAY,
            None,
            10,
            at("2026-03-08", "21:00"),
        ),
    ],
)
def test_same_day_delivery(
    case: str,
    now: datetime,
    tz: ZoneInfo,
    kind: str,
    capabilities: frozenset[str],
    special: dict[str, list[list[str]]] | None,
    km: float,
    expected: datetime | str,
) -> None:
    promise = rules.same_day_delivery(
        now, tz, kind, capabilities, periods(now, tz, special=special), km, 50.0
    )
    if isinstance(expected, str):
        assert promise == rules.Promise(None, expected), case
    else:
        assert promise.at == expected, case


def test_same_day_on_spring_forward_day_is_edt() -> None:
    now = at("2026-03-08", "12:00")
    promise = rules.same_day_delivery(now, NY, "store", SAME_DAY, periods(now), 5, 50)
    assert promise.at == datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("case", "now", "special", "km", "ready"),
    [
        (
            "dc today, next day transit, ready after opening",
            at("2026-11-25", "10:00"),
            None,
            100,
            at("2026-11-26", "11:00"),
        ),
        (
            "arrives on a closed day",
            at("2026-11-25", "10:00"),
            THANKSGIVING,
            100,
            at("2026-11-27", "11:00"),
        ),
        ("far dc after cut-off", at("2026-11-25", "16:00"), None, 1_500, at("2026-11-30", "11:00")),
    ],
)
def test_transfer_to_store(
    case: str,
    now: datetime,
    special: dict[str, list[list[str]]] | None,
    km: float,
    ready: datetime,
) -> None:
    store = periods(now, special=special)
    promise = rules.transfer_ready_at(now, NY, "warehouse", [], NY, store, km)
    assert promise.at == ready, case
