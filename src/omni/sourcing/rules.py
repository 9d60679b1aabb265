"""Hard rules: may this location fulfil (part of) this order at all?

Every rule a candidate fails is reported, not only the first, so "why not this store?"
has the whole answer. The codes are stable (stored with decisions, matched by clients);
the messages are for people.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from omni.sourcing.decision import RuleFailure
from omni.sourcing.inputs import PICKUP_METHODS, Candidate, SourcingRequest

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, as omni.locations uses
RULE_CODES = (
    "excluded",
    "excluded_by_profile",
    "not_in_channel_pool",
    "missing_capability",
    "not_pickup_location",
    "no_capacity",
    "too_far",
    "no_stock",
)
# The capability a STORE needs per method. Warehouses always ship (they are DCs);
# same-day delivery and counters for shoppers are capabilities everywhere.
_STORE_CAPABILITY = {
    "ship": "ship_from_store",
    "ship_to_store": "ship_from_store",
    "same_day": "same_day_delivery",
    "pickup": "pickup",
    "curbside": "curbside",
}
_WAREHOUSE_CAPABILITY = {
    "same_day": "same_day_delivery",
    "pickup": "pickup",
    "curbside": "curbside",
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a spherical Earth (error under 0.5 %)."""
    return distances_from(lat1, lon1)(lat2, lon2)


def distances_from(lat: float, lon: float) -> Callable[[float, float], float]:
    """Haversine from one point, with that point's trigonometry done once."""
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    phi1, cos_phi1 = radians(lat), math.cos(radians(lat))
    diameter = 2 * EARTH_RADIUS_KM

    def distance(lat2: float, lon2: float) -> float:
        phi2 = radians(lat2)
        a = sin((phi2 - phi1) / 2) ** 2 + cos_phi1 * cos(phi2) * sin(radians(lon2 - lon) / 2) ** 2
        # min(): rounding can push a a hair above 1 for antipodal points.
        return diameter * asin(sqrt(min(1.0, a)))

    return distance


class RuleBook:
    """The hard rules of one request, prepared once and applied to every candidate."""

    def __init__(self, request: SourcingRequest) -> None:
        profile = request.profile
        self.method = request.method
        self.profile = profile
        self.destination_id = request.destination.location_id
        self.pickup = request.method in PICKUP_METHODS
        limit = profile.max_distance_km
        if request.method == "same_day":
            radius = profile.same_day_radius_km
            limit = radius if limit is None else min(limit, radius)
        self.max_distance_km = limit
        self.distance_to = distances_from(request.destination.lat, request.destination.lon)
        self.excluded_ids = profile.excluded_location_ids
        self.excluded_kinds = profile.excluded_kinds
        self.needed = {
            "store": _STORE_CAPABILITY.get(request.method),
            "warehouse": _WAREHOUSE_CAPABILITY.get(request.method),
        }

    def passes(self, candidate: Candidate) -> bool:
        """Every rule but stock and distance, as cheaply as possible (most candidates of
        most orders pass); ``failures`` says which rules failed, when a report needs it."""
        if candidate.exclusion or not candidate.in_channel_pool:
            return False
        remaining = candidate.remaining_capacity
        if remaining is not None and remaining <= 0:
            return False
        if self.excluded_ids and candidate.location_id in self.excluded_ids:
            return False
        if self.excluded_kinds and candidate.kind in self.excluded_kinds:
            return False
        if self.destination_id is not None:
            return self._role_failure(candidate) is None
        needed = self.needed[candidate.kind]
        return needed is None or needed in candidate.capabilities

    def failures(
        self, candidate: Candidate, distance_km: float, holds_stock: bool
    ) -> list[RuleFailure]:
        found: list[RuleFailure] = []
        if candidate.exclusion:
            found.append(RuleFailure("excluded", f"Excluded: {candidate.exclusion}"))
        if (
            candidate.location_id in self.profile.excluded_location_ids
            or candidate.kind in self.profile.excluded_kinds
        ):
            found.append(
                RuleFailure("excluded_by_profile", f"Excluded by profile '{self.profile.name}'")
            )
        if not candidate.in_channel_pool:
            found.append(RuleFailure("not_in_channel_pool", "Not in the channel's stock pool"))
        role = self._role_failure(candidate)
        if role is not None:
            found.append(role)
        if candidate.remaining_capacity is not None and candidate.remaining_capacity <= 0:
            found.append(RuleFailure("no_capacity", "No order capacity left today"))
        limit = self.max_distance_km
        if limit is not None and distance_km > limit:
            found.append(
                RuleFailure("too_far", f"{distance_km:,.0f} km away; the limit is {limit:,.0f} km")
            )
        if not holds_stock:
            found.append(
                RuleFailure("no_stock", "Holds none of the ordered items for this channel")
            )
        return found

    def _role_failure(self, candidate: Candidate) -> RuleFailure | None:
        at_destination = candidate.location_id == self.destination_id
        if self.method == "ship_to_store" and at_destination:
            return None  # the goods are already where the customer collects them
        if self.pickup and not at_destination:
            if self.profile.allow_pickup_transfer:
                return None  # any store or DC can send a transfer
            return RuleFailure(
                "not_pickup_location",
                f"{self.method.capitalize()} orders are sourced from the pickup store "
                f"({self.destination_id}) only",
            )
        table = _STORE_CAPABILITY if candidate.kind == "store" else _WAREHOUSE_CAPABILITY
        needed = table.get(self.method)
        if needed is None or needed in candidate.capabilities:
            return None
        return RuleFailure(
            "missing_capability",
            f"Cannot fulfil {self.method.replace('_', '-')} orders: lacks '{needed}'",
        )
