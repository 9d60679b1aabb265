"""INV11 out-of-stock guidance: when a SKU cannot be had at one location, where else
through the same channel — other pool locations, nearest first — and whether shipping
home or picking up elsewhere would work, given what the channel offers.

Only ever run after the refused transaction rolled back: these reads must not hold
anyone's stock rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.inventory import availability
from omni.locations import api as locations_api

MAX_ALTERNATIVES = 10
SHIPPING_CAPABILITIES = frozenset({"ship_to_customer", "ship_from_store"})


@dataclass(frozen=True)
class Alternative:
    location_id: str
    name: str
    kind: str
    available: int
    # Could it serve the whole request on its own?
    enough: bool
    # From the refused location; None when that location's coordinates are unknown.
    distance_km: float | None
    pickup: bool
    ships: bool


@dataclass(frozen=True)
class WhereElse:
    available_here: int
    alternatives: list[Alternative]
    ship_to_home: bool
    pickup_elsewhere: bool

    def problem_extras(self) -> dict[str, Any]:
        return {
            "alternatives": [asdict(option) for option in self.alternatives],
            "ship_to_home": self.ship_to_home,
            "pickup_elsewhere": self.pickup_elsewhere,
        }


def _alternative(
    place: locations_api.LocationInfo,
    available: int,
    requested: int,
    origin: locations_api.LocationInfo | None,
) -> Alternative:
    distance = (
        round(locations_api.haversine_km(origin.lat, origin.lon, place.lat, place.lon), 3)
        if origin is not None
        else None
    )
    return Alternative(
        location_id=place.id,
        name=place.name,
        kind=place.kind,
        available=available,
        enough=available >= requested,
        distance_km=distance,
        pickup="pickup" in place.capabilities,
        ships=bool(SHIPPING_CAPABILITIES & place.capabilities),
    )


async def where_else(
    session: AsyncSession,
    channel: channels_api.ChannelInfo,
    variant_id: str,
    location_id: str,
    requested: int,
) -> WhereElse:
    """Where the channel could still sell ``variant_id`` (four statements)."""
    recipes = await catalog_api.bundle_recipes(session, [variant_id])
    pool = availability.pool_buffers(channel)
    stock = (await availability.pool_availability(session, pool, [variant_id], recipes))[variant_id]
    places = await locations_api.get_locations(session, {*stock, location_id})
    origin = places.get(location_id)
    options = [
        _alternative(place, stock[place.id], requested, origin)
        for place in places.values()
        if place.id != location_id and place.status == "active" and place.id in stock
    ]
    if origin is not None:
        options.sort(key=lambda o: (o.distance_km or 0.0, o.location_id))
    else:
        options.sort(key=lambda o: (-o.available, o.location_id))
    methods = channel.fulfillment_methods
    return WhereElse(
        available_here=stock.get(location_id, 0),
        alternatives=options[:MAX_ALTERNATIVES],
        ship_to_home="ship" in methods and any(o.enough and o.ships for o in options),
        pickup_elsewhere="pickup" in methods and any(o.enough and o.pickup for o in options),
    )
