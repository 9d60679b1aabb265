""" "Nearby stores with stock" (INV6): the locations holding a SKU, nearest first from a
point given as coordinates or a US ZIP code (resolved offline, never over the network).

Stock first, places second: the SKU's levels name the few locations that have any
(one statement), then those locations are fetched by id (one statement) and measured
here, so the answer is exact however many locations lie within the radius.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import zipcodes
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.inventory import availability, policies
from omni.kernel.errors import InvalidInput
from omni.locations import api as locations_api

_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def _zip_point(zip_code: str) -> Point:
    match = _ZIP.match(zip_code.strip())
    if match is None:
        raise InvalidInput("A US ZIP code is 5 digits (or ZIP+4).", param="zip")
    found = zipcodes.matching(match.group(1))
    if not found:
        raise InvalidInput("No such US ZIP code.", param="zip")
    return Point(float(found[0]["lat"]), float(found[0]["long"]))


async def resolve_point(near: str | None, zip_code: str | None) -> Point:
    """The point of ``near`` ("lat,lon") or ``zip`` — exactly one must be given."""
    if (near is None) == (zip_code is None):
        raise InvalidInput("Give either near=latitude,longitude or zip=<US ZIP code>.")
    if near is not None:
        try:
            lat, lon = locations_api.parse_point(near)
        except ValueError as error:
            raise InvalidInput(str(error), param="near") from error
        return Point(lat, lon)
    assert zip_code is not None
    # The ZIP table is loaded from disk on first use: keep that off the event loop.
    return await asyncio.to_thread(_zip_point, zip_code)


@dataclass(frozen=True)
class NearbyStock:
    location: locations_api.LocationInfo
    distance_km: float
    available: int
    low_stock_threshold: int

    @property
    def pickup(self) -> bool:
        return "pickup" in self.location.capabilities


async def nearby_with_stock(
    session: AsyncSession,
    variant_id: str,
    point: Point,
    *,
    radius_km: float,
    limit: int,
    channel: channels_api.ChannelInfo | None,
    kinds: frozenset[str] | None = None,
) -> list[NearbyStock]:
    """Active locations within ``radius_km`` with the SKU available, nearest first.

    With a channel: only its pool, after its buffers; without: every location, what a
    walk-in shopper could buy. ``kinds`` limits the kinds of place (shoppers: stores)."""
    recipes = await catalog_api.bundle_recipes(session, [variant_id])
    pool = availability.pool_buffers(channel) if channel is not None else None
    stock = (await availability.pool_availability(session, pool, [variant_id], recipes))[variant_id]
    if not stock:
        return []
    places = await locations_api.get_locations(session, stock)
    measured = [
        (place, locations_api.haversine_km(point.lat, point.lon, place.lat, place.lon))
        for place in places.values()
        if place.status == "active" and (kinds is None or place.kind in kinds)
    ]
    inside = sorted(
        ((place, km) for place, km in measured if km <= radius_km),
        key=lambda pair: (pair[1], pair[0].id),
    )[:limit]
    thresholds = await policies.location_policies(session, (place.id for place, _ in inside))
    return [
        NearbyStock(
            location=place,
            distance_km=round(km, 3),
            available=stock[place.id],
            low_stock_threshold=thresholds[place.id].low_stock_threshold,
        )
        for place, km in inside
    ]
