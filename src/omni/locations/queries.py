"""Read side of locations: filtered lists (cursor-paged) and "nearest to a point"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, cast, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.locations import domain
from omni.locations.models import Location

# Shoppers see places they can walk into or collect from, never warehouses.
PUBLIC_KINDS = ("store", "pickup_point", "locker")


@dataclass(frozen=True)
class LocationFilter:
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    capability: str | None = None
    metro: str | None = None
    country: str | None = None
    text: str | None = None


def _filtered(query: Select[Location], where: LocationFilter) -> Select[Location]:
    if where.kinds:
        query = query.where(Location.kind.in_(where.kinds))
    if where.statuses:
        query = query.where(Location.status.in_(where.statuses))
    if where.capability:
        # Capabilities are a short JSON list of known words; every element is quoted,
        # so matching the quoted word in its text is exact and works on every backend.
        if where.capability not in domain.CAPABILITIES:
            return query.where(false())
        pattern = f'%"{where.capability}"%'
        query = query.where(cast(Location.capabilities, String).like(pattern))
    if where.metro:
        query = query.where(Location.metro == where.metro)
    if where.country:
        query = query.where(Location.country == where.country.upper())
    if where.text:
        needle = where.text.lower()
        query = query.where(
            or_(
                func.lower(Location.name).contains(needle, autoescape=True),
                func.lower(Location.code).contains(needle, autoescape=True),
                func.lower(Location.city).contains(needle, autoescape=True),
            )
        )
    return query


async def list_locations(
    session: AsyncSession, where: LocationFilter, *, limit: int, after: str | None
) -> list[Location]:
    """Up to ``limit`` locations in id order after the id ``after``."""
    query = _filtered(select(Location), where).order_by(Location.id).limit(limit)
    if after:
        query = query.where(Location.id > after)
    return list(await session.scalars(query))


async def nearest_locations(
    session: AsyncSession,
    where: LocationFilter,
    *,
    latitude: float,
    longitude: float,
    radius_km: float,
    limit: int,
) -> list[tuple[Location, float]]:
    """The ``limit`` locations nearest to the point within ``radius_km``, nearest first.

    SQL narrows to a latitude/longitude box around the circle (indexed); exact
    great-circle distances are computed here, because SQLite has no trigonometry. A
    retailer has thousands of locations at most, so the box is always small.
    """
    box = domain.bounding_box(latitude, longitude, radius_km)
    query = _filtered(select(Location), where).where(
        Location.latitude.between(box.min_lat, box.max_lat)
    )
    if box.min_lon is not None and box.max_lon is not None:
        query = query.where(Location.longitude.between(box.min_lon, box.max_lon))
    measured = [
        (location, domain.haversine_km(latitude, longitude, location.latitude, location.longitude))
        for location in await session.scalars(query)
    ]
    inside = [(location, km) for location, km in measured if km <= radius_km]
    inside.sort(key=lambda pair: (pair[1], pair[0].id))
    return inside[:limit]
