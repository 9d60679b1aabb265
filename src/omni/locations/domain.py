"""Pure rules of locations: opening hours, distances, what each kind of place can do.

No SQLAlchemy, no FastAPI. Opening hours are wall-clock times in the location's own time
zone; they are turned into real instants only when a question is asked ("open at T?"),
so the answer stays right across daylight-saving changes.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

KINDS = ("store", "warehouse", "pickup_point", "locker")
STATUSES = ("active", "inactive", "opening_soon")
CAPABILITIES = (
    "sell_in_store",
    "pickup",
    "curbside",
    "ship_from_store",
    "same_day_delivery",
    "accept_returns",
    "receive_transfers",
    "ship_to_customer",
)
# What each kind of place can physically do. A warehouse has no counter or parking bay
# for shoppers, so no in-store sales, curbside or "ship from store" (it ships as a DC);
# pickup points and lockers hold parcels, not sellable stock.
ALLOWED_CAPABILITIES: dict[str, frozenset[str]] = {
    "store": frozenset(CAPABILITIES),
    "warehouse": frozenset(
        {"ship_to_customer", "same_day_delivery", "accept_returns", "receive_transfers"}
    ),
    "pickup_point": frozenset({"pickup", "accept_returns", "receive_transfers"}),
    "locker": frozenset({"pickup", "accept_returns", "receive_transfers"}),
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
MAX_INTERVALS_PER_DAY = 6
MAX_SPECIAL_DAYS = 400
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def check_capabilities(kind: str, capabilities: Sequence[str]) -> list[str]:
    """The capabilities, sorted and de-duplicated; ValueError if the kind cannot offer one."""
    unknown = sorted(set(capabilities) - set(CAPABILITIES))
    if unknown:
        raise ValueError(f"unknown capabilities: {', '.join(unknown)}")
    refused = sorted(set(capabilities) - ALLOWED_CAPABILITIES.get(kind, frozenset()))
    if refused:
        raise ValueError(f"a {kind.replace('_', ' ')} cannot offer {', '.join(refused)}")
    return sorted(set(capabilities))


def check_time_zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``; ValueError for anything else."""
    try:
        # ZoneInfo itself refuses absolute paths and "..", and reading a non-zone file
        # of the tz directory (zone.tab) fails as ValueError too.
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"{name!r} is not an IANA time zone") from error


# ---------------------------------------------------------------- opening hours


@dataclass(frozen=True, order=True)
class Interval:
    """Open from ``opens`` to ``closes``, minutes after local midnight.

    ``closes`` is 1..1440 (1440 = midnight at the end of the day); a ``closes`` before
    ``opens`` means the place closes the next day (a bar open 18:00-02:00).
    """

    opens: int
    closes: int

    @property
    def overnight(self) -> bool:
        return self.closes < self.opens

    @property
    def length(self) -> int:
        return self.closes - self.opens + (MINUTES_PER_DAY if self.overnight else 0)

    def as_pair(self) -> list[str]:
        return [_hhmm(self.opens), _hhmm(self.closes)]


WeeklySchedule = tuple[tuple[Interval, ...], ...]  # seven days, Monday first
SpecialDays = Mapping[date, tuple[Interval, ...]]  # an empty tuple means closed all day


def _minutes(text: str) -> int:
    match = _HHMM.match(text)
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValueError(f"{text!r} is not a time of day (HH:MM, 00:00 to 24:00)")
    return int(match.group(1)) * 60 + int(match.group(2))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_interval(pair: Sequence[str]) -> Interval:
    if len(pair) != 2:
        raise ValueError("an interval is [open, close]")
    opens, closes = _minutes(pair[0]), _minutes(pair[1])
    if opens == MINUTES_PER_DAY:
        raise ValueError("an interval cannot open at 24:00; use 00:00")
    if closes == 0:
        closes = MINUTES_PER_DAY  # "18:00-00:00" closes at midnight; "00:00-00:00" is all day
    if opens == closes:
        raise ValueError(f"{pair[0]}-{pair[1]} is ambiguous; use 00:00-24:00 for a whole day")
    return Interval(opens, closes)


def _parse_day(label: str, pairs: Sequence[Sequence[str]]) -> tuple[Interval, ...]:
    if len(pairs) > MAX_INTERVALS_PER_DAY:
        raise ValueError(f"{label}: at most {MAX_INTERVALS_PER_DAY} intervals a day")
    try:
        intervals = tuple(sorted(parse_interval(pair) for pair in pairs))
    except ValueError as error:
        raise ValueError(f"{label}: {error}") from error
    clash = _first_overlap([(i.opens, i.opens + i.length) for i in intervals], 2 * MINUTES_PER_DAY)
    if clash is not None:
        raise ValueError(f"{label}: intervals overlap at {_hhmm(clash % MINUTES_PER_DAY)}")
    return intervals


def _first_overlap(segments: list[tuple[int, int]], period: int) -> int | None:
    """Where two segments [start, end) on a circle of ``period`` minutes overlap, if anywhere."""
    flat: list[tuple[int, int]] = []
    for start, end in segments:
        if end > period:  # Sunday night running into Monday morning
            flat += [(start, period), (0, end - period)]
        else:
            flat.append((start, end))
    flat.sort()
    for (_, previous_end), (start, _) in itertools.pairwise(flat):
        if start < previous_end:
            return start
    return None


def parse_schedule(raw: Mapping[str, Sequence[Sequence[str]]]) -> WeeklySchedule:
    """A weekly schedule from ``{"mon": [["09:00", "21:00"]], …}``; missing days are closed.

    Intervals may not overlap, including a late-night interval running into the next
    morning's (and Sunday night into Monday).
    """
    unknown = sorted(set(raw) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"unknown weekdays: {', '.join(unknown)} (use {', '.join(WEEKDAYS)})")
    schedule = tuple(_parse_day(day, raw.get(day, ())) for day in WEEKDAYS)
    segments = [
        (index * MINUTES_PER_DAY + i.opens, index * MINUTES_PER_DAY + i.opens + i.length)
        for index, day in enumerate(schedule)
        for i in day
    ]
    clash = _first_overlap(segments, MINUTES_PER_WEEK)
    if clash is not None:
        day, minute = divmod(clash, MINUTES_PER_DAY)
        raise ValueError(f"{WEEKDAYS[day]}: {_hhmm(minute)} is inside the previous night's hours")
    return schedule


def parse_special_days(
    raw: Mapping[str, Sequence[Sequence[str]]],
) -> dict[date, tuple[Interval, ...]]:
    """Exceptions by date (``{"2025-12-25": []}`` closed, or that day's own intervals)."""
    if len(raw) > MAX_SPECIAL_DAYS:
        raise ValueError(f"at most {MAX_SPECIAL_DAYS} special days; remove past ones")
    special: dict[date, tuple[Interval, ...]] = {}
    for key, pairs in raw.items():
        try:
            day = date.fromisoformat(str(key))
        except ValueError as error:
            raise ValueError(f"{key!r} is not a date (YYYY-MM-DD)") from error
        special[day] = _parse_day(day.isoformat(), pairs)
    return special


def schedule_json(schedule: WeeklySchedule) -> dict[str, list[list[str]]]:
    return {
        day: [i.as_pair() for i in intervals]
        for day, intervals in zip(WEEKDAYS, schedule, strict=True)
    }


def special_days_json(special: SpecialDays) -> dict[str, list[list[str]]]:
    return {day.isoformat(): [i.as_pair() for i in special[day]] for day in sorted(special)}


def _intervals_on(
    schedule: WeeklySchedule, special: SpecialDays, day: date
) -> tuple[Interval, ...]:
    return special[day] if day in special else schedule[day.weekday()]


def _instant(day: date, minutes: int, tz: tzinfo) -> datetime:
    # Wall-clock arithmetic on an aware datetime keeps the local reading ("21:00 that
    # day") and lets the zone pick the offset. A reading skipped by spring-forward is
    # moved later by the gap (02:30 → 03:30), one repeated by fall-back means its first
    # occurrence — the PEP 495 (fold=0) rules, the same as java.time.
    local = datetime.combine(day, time(0), tzinfo=tz) + timedelta(minutes=minutes)
    return local.astimezone(UTC)


def opening_periods(
    schedule: WeeklySchedule, special: SpecialDays, tz: tzinfo, first: date, last: date
) -> list[tuple[datetime, datetime]]:
    """Real (UTC) open periods of the intervals that start on days ``first``..``last``.

    Special days replace the intervals that *start* on that date; the tail of the previous
    night's interval still counts. Touching or overlapping periods are merged, so a
    store open 18:00-24:00 and 00:00-02:00 is one period.
    """
    periods: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        for interval in _intervals_on(schedule, special, day):
            start = _instant(day, interval.opens, tz)
            end = _instant(day, interval.opens + interval.length, tz)
            if end > start:  # an interval entirely inside a DST gap has no real time
                periods.append((start, end))
        day += timedelta(days=1)
    return _merge(sorted(periods))


def _merge(periods: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in periods:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _local_day(instant: datetime, tz: tzinfo) -> date:
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.astimezone(tz).date()


def is_open_at(
    schedule: WeeklySchedule, special_days: SpecialDays, tz: tzinfo, instant: datetime
) -> bool:
    """Whether the place is open at ``instant`` (aware) by its hours in zone ``tz``."""
    today = _local_day(instant, tz)
    periods = opening_periods(schedule, special_days, tz, today - timedelta(days=1), today)
    return any(start <= instant < end for start, end in periods)


def next_opening(
    schedule: WeeklySchedule,
    special_days: SpecialDays,
    tz: tzinfo,
    instant: datetime,
    *,
    within_days: int = 14,
) -> datetime | None:
    """When the place next opens strictly after ``instant`` (UTC), or None within the horizon.

    If it is open at ``instant``, this is the opening after the current period closes.
    """
    return open_state(schedule, special_days, tz, instant, within_days=within_days).next_opening


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    # When the current period ends; None if closed, or open beyond the horizon (24/7).
    closes_at: datetime | None
    next_opening: datetime | None


def open_state(
    schedule: WeeklySchedule,
    special_days: SpecialDays,
    tz: tzinfo,
    instant: datetime,
    *,
    within_days: int = 14,
) -> OpenState:
    """Open now?, until when, and when next — all as UTC instants."""
    today = _local_day(instant, tz)
    last = today + timedelta(days=within_days)
    periods = opening_periods(schedule, special_days, tz, today - timedelta(days=1), last)
    horizon = _instant(last, 0, tz)
    current = next(((s, e) for s, e in periods if s <= instant < e), None)
    upcoming = next((s for s, _ in periods if s > instant), None)
    closes_at = current[1] if current and current[1] <= horizon else None
    return OpenState(is_open=current is not None, closes_at=closes_at, next_opening=upcoming)


# ---------------------------------------------------------------- geography


def check_coordinates(latitude: float, longitude: float) -> tuple[float, float]:
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise ValueError("latitude must be between -90 and 90")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise ValueError("longitude must be between -180 and 180")
    return float(latitude), float(longitude)


def parse_point(text: str) -> tuple[float, float]:
    """``"40.72,-74.00"`` → (40.72, -74.0), checked."""
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError("use 'latitude,longitude', e.g. 40.7233,-74.0030")
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError as error:
        raise ValueError("use 'latitude,longitude', e.g. 40.7233,-74.0030") from error
    return check_coordinates(latitude, longitude)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres on a spherical Earth (error under 0.5 %)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # min(): rounding can push a a hair above 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class BoundingBox:
    """A latitude/longitude box containing every point within a radius (an SQL pre-filter)."""

    min_lat: float
    max_lat: float
    # None when the box spans the antimeridian or a pole: then no longitude filter.
    min_lon: float | None
    max_lon: float | None


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    angular = radius_km / EARTH_RADIUS_KM
    d_lat = math.degrees(angular)
    min_lat, max_lat = latitude - d_lat, latitude + d_lat
    if min_lat <= -90 or max_lat >= 90:
        return BoundingBox(max(min_lat, -90.0), min(max_lat, 90.0), None, None)
    # The widest longitude span of the circle is at the latitude of its tangent points.
    ratio = math.sin(angular) / math.cos(math.radians(latitude))
    if ratio >= 1:
        return BoundingBox(min_lat, max_lat, None, None)
    d_lon = math.degrees(math.asin(ratio))
    min_lon, max_lon = longitude - d_lon, longitude + d_lon
    if min_lon < -180 or max_lon > 180:
        return BoundingBox(min_lat, max_lat, None, None)
    return BoundingBox(min_lat, max_lat, min_lon, max_lon)
