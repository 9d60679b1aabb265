"""What other modules may call in the locations module.

Nothing here commits: reads take a session, writes take the caller's unit of work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput
from omni.locations import bulk, queries, service
from omni.locations.bulk import CSV_COLUMNS
from omni.locations.domain import OpenState, haversine_km, parse_point
from omni.locations.models import Location
from omni.locations.validation import FieldError

__all__ = [
    "CSV_COLUMNS",
    "FieldError",
    "LocationCapacity",
    "LocationInfo",
    "NearbyLocation",
    "OpenState",
    "UpsertedLocation",
    "export_location_rows",
    "get_locations",
    "haversine_km",
    "location_exists",
    "location_open_state",
    "locations_near",
    "parse_point",
    "upsert_locations",
    "validate_location_row",
]


@dataclass(frozen=True)
class LocationCapacity:
    """Limits a sourcing or slot planner must respect; None means not limited."""

    orders_per_day: int | None
    orders_per_hour: int | None
    pickup_slot_minutes: int | None
    pickup_slot_capacity: int | None
    pickup_hold_days: int | None


@dataclass(frozen=True)
class LocationInfo:
    id: str
    code: str
    name: str
    kind: str
    status: str
    lat: float
    lon: float
    time_zone: str
    country: str
    region: str | None  # of its address (state, province): where its sales are taxed
    metro: str | None
    capabilities: frozenset[str]
    capacity: LocationCapacity


@dataclass(frozen=True)
class NearbyLocation:
    location: LocationInfo
    distance_km: float


@dataclass(frozen=True)
class UpsertedLocation:
    code: str
    location_id: str
    action: Literal["created", "updated", "unchanged"]


# Exactly what LocationInfo needs: hot read paths (nearby stock, sourcing) read many
# locations at once, and hydrating whole rows with their opening-hours documents cost
# more than the query itself.
_INFO_COLUMNS = (
    Location.id, Location.code, Location.name, Location.kind, Location.status,
    Location.latitude, Location.longitude, Location.time_zone, Location.country, Location.region,
    Location.metro, Location.capabilities, Location.orders_per_day, Location.orders_per_hour,
    Location.pickup_slot_minutes, Location.pickup_slot_capacity, Location.pickup_hold_days,
)  # fmt: skip


def _info(location: Any) -> LocationInfo:
    """A LocationInfo from a Location row or a row of ``_INFO_COLUMNS``."""
    return LocationInfo(
        id=location.id,
        code=location.code,
        name=location.name,
        kind=location.kind,
        status=location.status,
        lat=location.latitude,
        lon=location.longitude,
        time_zone=location.time_zone,
        country=location.country,
        region=location.region,
        metro=location.metro,
        capabilities=frozenset(location.capabilities),
        capacity=LocationCapacity(
            orders_per_day=location.orders_per_day,
            orders_per_hour=location.orders_per_hour,
            pickup_slot_minutes=location.pickup_slot_minutes,
            pickup_slot_capacity=location.pickup_slot_capacity,
            pickup_hold_days=location.pickup_hold_days,
        ),
    )


async def location_exists(session: AsyncSession, location_id: str) -> bool:
    """Whether a location with this id exists (whatever its status)."""
    found = await session.scalar(select(Location.id).where(Location.id == location_id))
    return found is not None


async def get_locations(session: AsyncSession, ids: Iterable[str]) -> dict[str, LocationInfo]:
    """The locations with these ids, in one query; unknown ids are simply absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(select(*_INFO_COLUMNS).where(Location.id.in_(wanted)))
    return {row.id: _info(row) for row in rows}


async def locations_near(
    session: AsyncSession,
    lat: float,
    lon: float,
    radius_km: float,
    *,
    capability: str | None = None,
    kinds: Sequence[str] = (),
    limit: int = 20,
    active_only: bool = True,
) -> list[NearbyLocation]:
    """Locations within ``radius_km`` of the point, nearest first (great-circle km).

    ``capability`` keeps those offering it (e.g. ``"pickup"``); by default only active
    locations are returned, since only they can take orders.
    """
    where = queries.LocationFilter(
        kinds=tuple(kinds),
        statuses=("active",) if active_only else (),
        capability=capability,
    )
    pairs = await queries.nearest_locations(
        session, where, latitude=lat, longitude=lon, radius_km=radius_km, limit=limit
    )
    return [NearbyLocation(_info(location), km) for location, km in pairs]


async def location_open_state(
    session: AsyncSession, location_id: str, at: datetime
) -> OpenState | None:
    """Open at ``at`` (aware)?, until when, next opening — or None for an unknown id."""
    location = await session.get(Location, location_id)
    return None if location is None else service.open_state_at(location, at)


def validate_location_row(row: dict[str, str]) -> list[FieldError]:
    """Every problem of one CSV row (see ``CSV_COLUMNS``), by column; no database access.

    Whether the code is new or updates an existing location is decided on upsert.
    """
    return bulk.check_row(row)[1]


async def upsert_locations(
    uow: UnitOfWork, rows: Sequence[Mapping[str, str]]
) -> list[UpsertedLocation]:
    """Create or update (by code) a location per CSV row, inside the caller's unit of work.

    Every row is checked first; if any has a problem, ``InvalidInput`` lists them all
    (``errors``: row index, field, message) and nothing is written. Does not commit.
    """
    checked = [bulk.check_row(row) for row in rows]
    problems = [
        {"row": index, "field": error.field, "message": error.message}
        for index, (_, errors) in enumerate(checked)
        for error in errors
    ]
    codes = [columns["code"] for columns, _ in checked if columns]
    repeated = {code for code, count in Counter(codes).items() if count > 1}
    problems += [
        {"row": index, "field": "code", "message": "this code appears in more than one row"}
        for index, (columns, _) in enumerate(checked)
        if columns and columns["code"] in repeated
    ]
    if problems:
        raise InvalidInput(
            f"{len({p['row'] for p in problems})} rows have problems; nothing was applied.",
            errors=problems,
        )
    existing = {
        location.code: location
        for location in await uow.session.scalars(select(Location).where(Location.code.in_(codes)))
    }
    valid = [columns for columns, _ in checked if columns is not None]
    results = [_upsert_one(uow, existing.get(columns["code"]), columns) for columns in valid]
    try:
        await uow.flush()
    except StaleDataError as error:
        raise Conflict("A location changed during the import; run it again.") from error
    return results


def _upsert_one(
    uow: UnitOfWork, location: Location | None, columns: dict[str, Any]
) -> UpsertedLocation:
    if location is None:
        created = service.insert_location(uow, columns)
        return UpsertedLocation(created.code, created.id, "created")
    changed = service.apply_columns(uow, location, columns)
    return UpsertedLocation(location.code, location.id, "updated" if changed else "unchanged")


async def export_location_rows(session: AsyncSession) -> list[dict[str, str]]:
    """Every location as a CSV row (columns ``CSV_COLUMNS``), in code order."""
    rows = await session.scalars(select(Location).order_by(Location.code))
    return [bulk.location_row(location) for location in rows]
