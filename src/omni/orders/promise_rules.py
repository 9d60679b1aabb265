"""Delivery promise rules (ORD7): when an order placed *now* can be picked up or delivered.

Pure: no SQLAlchemy, no FastAPI. Every instant is timezone-aware; "local" means the
location's own time zone, and wall-clock rules (cut-offs, "by 21:00") are applied there,
so they stay right across daylight-saving changes. Opening periods are what
``omni.locations`` reports: real (start, end) instants, merged, in time order.

The rules, as a retailer would state them (the constants below are the defaults):

* **Pickup / curbside** from a store holding every line: ready ``PREPARATION`` (2 h) of
  *opening time* after the order. An order placed within ``PICKUP_CUTOFF`` (1 h) of a
  period's closing — or while closed — starts at the next opening; preparation left
  over at closing continues when the store reopens.
* **Ship**: the parcel leaves the shipping location on its first *ship day* whose
  local ``SHIP_CUTOFF`` (14:00) is still ahead (DCs ship Monday to Saturday, stores on the
  days they open), then travels ``transit_days(distance)`` business days (Monday to
  Saturday: no Sunday delivery) and is delivered by ``DELIVERED_BY`` (20:00) local.
* **Same day**: only from a store with ``same_day_delivery`` within the sourcing profile's
  radius, open today and ordered before its local ``SAME_DAY_CUTOFF`` (15:00): delivered
  today by ``SAME_DAY_DELIVERED_BY`` (21:00) local; otherwise not offered.
* **Ship to store**: the transfer leaves the source (ship-day rule above) and arrives after
  the distance's transit days; the store then prepares it like a pickup (from opening).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

Period = tuple[datetime, datetime]

PREPARATION = timedelta(hours=2)  # picking and bagging, in opening time
PICKUP_CUTOFF = timedelta(hours=1)  # before a period's closing: later orders start next opening
SHIP_CUTOFF = time(14, 0)  # local: parcels handed to the carrier today if ordered before
SAME_DAY_CUTOFF = time(15, 0)  # local: the last same-day order of the day
SAME_DAY_DELIVERED_BY = time(21, 0)  # local: same-day deliveries arrive by then
DELIVERED_BY = time(20, 0)  # local: "by end of day" for parcels
DC_SHIP_WEEKDAYS = frozenset(range(6))  # Monday (0) to Saturday (5)
DELIVERY_WEEKDAYS = frozenset(range(6))  # carriers do not deliver on Sunday
# Transit business days by great-circle distance: (up to km, days); beyond the last band:
TRANSIT_BANDS: tuple[tuple[float, int], ...] = ((300.0, 1), (1_000.0, 2), (2_500.0, 3))
TRANSIT_BEYOND_DAYS = 5
PICKUP_RADIUS_KM = 50.0  # stores offered for pickup / curbside / ship-to-store
MAX_PICKUP_STORES = 5
HORIZON_DAYS = 14  # opening periods are read this far ahead; nothing is promised beyond

# Why an option is not offered (reason codes of the API).
NO_STOCK = "no_stock"
NO_CAPABILITY = "no_capability"
NO_STORE_NEARBY = "no_store_nearby"
OUT_OF_RANGE = "out_of_range"
PAST_CUTOFF = "past_cutoff"
CLOSED = "closed"


@dataclass(frozen=True)
class Promise:
    """The earliest time (``at``), or why there is none (``reason``, a code above)."""

    at: datetime | None
    reason: str | None = None

    @staticmethod
    def refused(reason: str) -> Promise:
        return Promise(None, reason)


def _check(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")


def transit_days(distance_km: float) -> int:
    """Business days in transit for a parcel (or a transfer) over this distance."""
    for limit, days in TRANSIT_BANDS:
        if distance_km <= limit:
            return days
    return TRANSIT_BEYOND_DAYS


def store_ready_at(
    now: datetime,
    periods: Sequence[Period],
    *,
    preparation: timedelta = PREPARATION,
    cutoff: timedelta = PICKUP_CUTOFF,
) -> Promise:
    """When an order placed at ``now`` is ready for pickup at a store with these hours.

    Preparation runs only while the store is open; it starts in the first period whose
    cut-off (``cutoff`` before its closing) is still ahead of ``now``.
    """
    _check(now)
    remaining = preparation
    started = False
    for start, end in periods:
        if end <= now:
            continue
        begin = max(start, now)
        if not started:
            if begin >= end - cutoff:
                continue  # past this period's cut-off: start at the next opening
            started = True
        if remaining <= end - begin:
            return Promise(begin + remaining)
        remaining -= end - begin
    return Promise.refused(CLOSED)


def open_days(periods: Sequence[Period], tz: tzinfo) -> frozenset[date]:
    """The local dates on which a period starts (the store opens that day)."""
    return frozenset(start.astimezone(tz).date() for start, _ in periods)


def ships_on(day: date, kind: str, days_open: frozenset[date]) -> bool:
    """Whether parcels leave the location on ``day``: DCs Monday to Saturday, stores when open."""
    return day.weekday() in DC_SHIP_WEEKDAYS if kind == "warehouse" else day in days_open


def ship_day(now: datetime, tz: tzinfo, kind: str, periods: Sequence[Period]) -> date | None:
    """The local date the parcel leaves: today if before the cut-off and a ship day, else
    the next ship day; None if none within the horizon."""
    _check(now)
    local = now.astimezone(tz)
    day = local.date() + timedelta(days=1 if local.time() >= SHIP_CUTOFF else 0)
    days_open = open_days(periods, tz)
    for _ in range(HORIZON_DAYS):
        if ships_on(day, kind, days_open):
            return day
        day += timedelta(days=1)
    return None


def add_transit_days(day: date, days: int) -> date:
    """``days`` delivery days after ``day`` (skipping days carriers do not deliver)."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() in DELIVERY_WEEKDAYS:
            days -= 1
    return day


def local_instant(day: date, at: time, tz: tzinfo) -> datetime:
    """``at`` o'clock on ``day`` in zone ``tz``, as UTC (fold=0 on a repeated hour)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def ship_delivery(
    now: datetime, tz: tzinfo, kind: str, periods: Sequence[Period], distance_km: float
) -> Promise:
    """Parcel from a location (``kind``, hours ``periods``, zone ``tz``) ``distance_km`` away:
    delivered by ``DELIVERED_BY`` on the date, in the shipping location's zone."""
    leaves = ship_day(now, tz, kind, periods)
    if leaves is None:
        return Promise.refused(CLOSED)
    arrives = add_transit_days(leaves, transit_days(distance_km))
    return Promise(local_instant(arrives, DELIVERED_BY, tz))


def same_day_delivery(
    now: datetime,
    tz: tzinfo,
    kind: str,
    capabilities: frozenset[str],
    periods: Sequence[Period],
    distance_km: float,
    radius_km: float,
) -> Promise:
    """Same-day delivery from one location, or why it is not offered."""
    _check(now)
    if kind != "store" or "same_day_delivery" not in capabilities:
        return Promise.refused(NO_CAPABILITY)
    if distance_km > radius_km:
        return Promise.refused(OUT_OF_RANGE)
    local = now.astimezone(tz)
    if local.date() not in open_days(periods, tz):
        return Promise.refused(CLOSED)
    if local.time() >= SAME_DAY_CUTOFF:
        return Promise.refused(PAST_CUTOFF)
    return Promise(local_instant(local.date(), SAME_DAY_DELIVERED_BY, tz))


def transfer_ready_at(
    now: datetime,
    source_tz: tzinfo,
    source_kind: str,
    source_periods: Sequence[Period],
    store_tz: tzinfo,
    store_periods: Sequence[Period],
    distance_km: float,
) -> Promise:
    """Ship to store: the source ships by the ship-day rule, the transfer arrives after the
    distance's transit days, and the store prepares it from that day's opening."""
    leaves = ship_day(now, source_tz, source_kind, source_periods)
    if leaves is None:
        return Promise.refused(CLOSED)
    arrives = add_transit_days(leaves, transit_days(distance_km))
    return store_ready_at(
        local_instant(arrives, time(0), store_tz), store_periods, cutoff=timedelta(0)
    )
