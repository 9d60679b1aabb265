"""Where an order goes, and what delivering it costs before promotions.

Charges are flat per method today (a retailer's usual starting point: free pickup, a
standard parcel rate, a same-day premium), in minor units of USD-like currencies;
free-shipping promotions (CH4) take them off. Rate tables per channel, zone and weight
belong to fulfilment (FUL) and replace this table there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import zipcodes

from omni.kernel.errors import InvalidInput
from omni.orders.domain import FulfilmentMethod

SHIPPING_CHARGES: dict[FulfilmentMethod, int] = {
    FulfilmentMethod.SHIP: 695,
    FulfilmentMethod.SAME_DAY: 1495,
    FulfilmentMethod.SHIP_TO_STORE: 0,
    FulfilmentMethod.PICKUP: 0,
    FulfilmentMethod.CURBSIDE: 0,
    FulfilmentMethod.CARRY_OUT: 0,
}


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    postal_code: str
    country: str
    region: str | None = None
    line2: str | None = None
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


def point_of(address: Address) -> tuple[float, float]:
    """The address's coordinates: given, or its US ZIP code's centre (offline data)."""
    if address.latitude is not None and address.longitude is not None:
        return address.latitude, address.longitude
    if address.country == "US":
        try:
            found = zipcodes.matching(address.postal_code[:5])
        except (TypeError, ValueError):
            found = []
        if found:
            return float(found[0]["lat"]), float(found[0]["long"])
    raise InvalidInput(
        "We cannot place this address on the map: give its latitude and longitude.",
        field="shipping_address.postal_code",
    )
