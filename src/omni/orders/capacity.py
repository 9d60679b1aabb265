"""How much of a location's order capacity is used (ORD4): fulfilment groups placed
there in its local day and its local clock hour, against ``orders_per_day`` and
``orders_per_hour``.

Counted: groups of orders not cancelled, in groups not cancelled, whatever their
fulfilment status (an order fulfilled by noon still took a slot of the day), except
carry-out sales (the shopper walked out with the goods: no fulfilment work). A read,
without locks: two checkouts at the same moment may both take a store's last slot and
overshoot it by one — a soft limit that sourcing steers by, not a stock-like guarantee.

One query for any number of locations: it walks today's orders by ``ix_orders_status``
(status, placed_at) and their groups by ``ix_order_groups_order`` (order_id), so its
cost follows the day's orders, not the locations' history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.locations import api as locations_api
from omni.orders.domain import FulfilmentMethod, OrderStatus
from omni.orders.models import FulfilmentGroup, Order

_COUNTED_STATUSES = tuple(s.value for s in OrderStatus if s is not OrderStatus.CANCELLED)


@dataclass(frozen=True)
class Window:
    """A location's current local day and clock hour, as UTC instants [start, end)."""

    day: date
    day_start: datetime
    day_end: datetime
    hour_start: datetime
    hour_end: datetime


def window_at(time_zone: str, at: datetime) -> Window:
    """The local day and hour around ``at`` (aware) in ``time_zone``. Days are 23 or 25
    hours around DST changes: the bounds are local midnights, whatever their length."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # validated when the location was saved; never guess wrong
    local = at.astimezone(zone)
    next_day = local.date() + timedelta(days=1)
    hour_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    return Window(
        day=local.date(),
        day_start=datetime.combine(local.date(), time(), zone).astimezone(UTC),
        day_end=datetime.combine(next_day, time(), zone).astimezone(UTC),
        hour_start=hour_start,
        hour_end=hour_start + timedelta(hours=1),
    )


@dataclass(frozen=True)
class CapacityUse:
    location_id: str
    window: Window
    orders_per_day: int | None
    orders_per_hour: int | None
    placed_today: int
    placed_this_hour: int

    @property
    def remaining_today(self) -> int | None:
        limit = self.orders_per_day
        return None if limit is None else max(0, limit - self.placed_today)

    @property
    def remaining_this_hour(self) -> int | None:
        limit = self.orders_per_hour
        return None if limit is None else max(0, limit - self.placed_this_hour)

    @property
    def remaining(self) -> int | None:
        """What sourcing sees: the smaller of the two; None when neither is limited."""
        left = [n for n in (self.remaining_today, self.remaining_this_hour) if n is not None]
        return min(left) if left else None


def _limited(place: locations_api.LocationInfo) -> bool:
    capacity = place.capacity
    return capacity.orders_per_day is not None or capacity.orders_per_hour is not None


async def capacity_use(
    session: AsyncSession, places: Iterable[locations_api.LocationInfo], at: datetime
) -> dict[str, CapacityUse]:
    """Capacity use at ``at`` of the places that have a limit (the others are absent:
    unlimited), in one query."""
    limited = [place for place in places if _limited(place)]
    if not limited:
        return {}
    windows = {place.id: window_at(place.time_zone, at) for place in limited}
    counts = await _count(session, windows)
    return {
        place.id: CapacityUse(
            location_id=place.id,
            window=windows[place.id],
            orders_per_day=place.capacity.orders_per_day,
            orders_per_hour=place.capacity.orders_per_hour,
            placed_today=counts.get(place.id, (0, 0))[0],
            placed_this_hour=counts.get(place.id, (0, 0))[1],
        )
        for place in limited
    }


async def _count(session: AsyncSession, windows: dict[str, Window]) -> dict[str, tuple[int, int]]:
    """(placed today, placed this hour) per location that had any, in one query.

    Locations in one time zone share a window, so the query counts per distinct window
    (a handful of columns) rather than testing each row against per-location bounds
    (hundreds of conditions): each location then reads its own window's columns.
    """
    distinct = sorted(set(windows.values()), key=lambda w: w.day_start)
    placed = Order.placed_at

    def counted(start: datetime, end: datetime) -> ColumnElement[int]:
        return func.sum(case((and_(placed >= start, placed < end), 1), else_=0))

    columns = [
        counted(bound.day_start, bound.day_end)
        if daily
        else counted(bound.hour_start, bound.hour_end)
        for bound in distinct
        for daily in (True, False)
    ]
    query = (
        select(FulfilmentGroup.location_id, *columns)
        .join(Order, Order.id == FulfilmentGroup.order_id)
        .where(
            Order.status.in_(_COUNTED_STATUSES),
            # One range over every window: the (status, placed_at) index narrows to it.
            placed >= distinct[0].day_start,
            placed < max(w.day_end for w in distinct),
            FulfilmentGroup.location_id.in_(sorted(windows)),
            FulfilmentGroup.status != "cancelled",
            FulfilmentGroup.method != FulfilmentMethod.CARRY_OUT.value,
        )
        .group_by(FulfilmentGroup.location_id)
    )
    counts = {}
    for location_id, *sums in await session.execute(query):
        at = 2 * distinct.index(windows[location_id])
        counts[location_id] = (int(sums[at] or 0), int(sums[at + 1] or 0))
    return counts
