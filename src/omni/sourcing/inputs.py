"""What sourcing decides from: the order's lines, where the order goes, the candidate
locations (with the stock the channel may sell there) and the channel's sourcing profile.

Frozen values, validated when built, so the engine never has to defend itself. The
engine does no I/O: whoever builds these reads locations, channels and inventory first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

METHODS = ("ship", "pickup", "curbside", "same_day", "ship_to_store")
# The order ends at one of our locations (given by id), not at the customer's door.
AT_LOCATION_METHODS = frozenset({"pickup", "curbside", "ship_to_store"})
# Sourced from the pickup location itself, unless the profile allows transfers in.
PICKUP_METHODS = frozenset({"pickup", "curbside"})
KINDS = ("store", "warehouse")


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_id: str
    variant_id: str
    quantity: int

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"line {self.line_id}: quantity must be at least 1")


@dataclass(frozen=True, slots=True)
class Destination:
    """Where the order goes. Deliveries: the customer's point. Pickup, curbside and
    ship-to-store: the store's id AND its point (the point prices transfers into it)."""

    lat: float
    lon: float
    location_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"lat": self.lat, "lon": self.lon, "location_id": self.location_id}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A location that might fulfil the order, as the channel sees it right now.

    ``available`` is the units the CHANNEL may sell there per variant (after buffers and
    reservations), needed only for the order's variants. ``remaining_capacity`` is how
    many more orders it can take today (None: unlimited). ``exclusion`` says why it must
    not be used at all ("store closed"), or is None.
    """

    location_id: str
    kind: str
    lat: float
    lon: float
    capabilities: frozenset[str] = frozenset()
    available: Mapping[str, int] = field(default_factory=dict)
    in_channel_pool: bool = True
    remaining_capacity: int | None = None
    exclusion: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.location_id}: kind must be one of {', '.join(KINDS)}")


@dataclass(frozen=True, slots=True)
class SourcingProfile:
    """A channel's sourcing policy. Costs are in "cost points" (think currency units):
    only their ratios matter. Every default is a starting point, not a recommendation."""

    name: str = "default"
    max_splits: int = 3  # at most this many locations per order (1: never split)
    allow_partial: bool = False  # ship what can be shipped, report the rest unfulfilled
    allow_line_split: bool = False  # one line's units may come from several locations
    # Shipping cost grows with distance; a store's parcels cost more than a DC's.
    store_cost_per_km: float = 0.004
    warehouse_cost_per_km: float = 0.003
    # Paid once per location used: picking and packing. The warehouse-vs-store preference.
    store_handling_cost: float = 5.0
    warehouse_handling_cost: float = 3.0
    split_penalty: float = 4.0  # per location beyond the first: a parcel more, a worse experience
    capacity_weight: float = 2.0  # full weight when one order of capacity is left
    capacity_headroom: int = 10  # no capacity penalty at or above this many orders left
    depth_weight: float = 1.5  # full weight for taking a location's last units of an item
    max_distance_km: float | None = None
    same_day_radius_km: float = 50.0
    excluded_location_ids: frozenset[str] = frozenset()
    excluded_kinds: frozenset[str] = frozenset()
    allow_pickup_transfer: bool = False  # pickup may be sourced elsewhere and transferred
    transfer_cost: float = 3.0
    transfer_delay_hours: int = 48
    # Bounds of the split search (docs/sourcing.md measures the trade-off): locations
    # kept per line for it; and, for orders with line splitting or a repeated variant,
    # options tried per step and plans evaluated per order.
    shortlist_per_line: int = 8
    branch_limit: int = 5
    search_budget: int = 150

    def __post_init__(self) -> None:
        if self.max_splits < 1:
            raise ValueError("max_splits must be at least 1")
        if min(self.shortlist_per_line, self.branch_limit, self.search_budget) < 1:
            raise ValueError("the search bounds must be at least 1")
        if self.capacity_headroom < 1:
            raise ValueError("capacity_headroom must be at least 1")
        for item in fields(self):
            value = getattr(self, item.name)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{item.name} must be a finite number ≥ 0")

    def cost_per_km(self, kind: str) -> float:
        return self.store_cost_per_km if kind == "store" else self.warehouse_cost_per_km

    def handling_cost(self, kind: str) -> float:
        return self.store_handling_cost if kind == "store" else self.warehouse_handling_cost

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            out[item.name] = sorted(value) if isinstance(value, frozenset) else value
        return out


@dataclass(frozen=True, slots=True)
class SourcingRequest:
    lines: tuple[OrderLine, ...]
    method: str
    destination: Destination
    candidates: tuple[Candidate, ...]
    profile: SourcingProfile

    def __init__(
        self,
        lines: Sequence[OrderLine],
        method: str,
        destination: Destination,
        candidates: Sequence[Candidate],
        profile: SourcingProfile | None = None,
    ) -> None:
        # A hand-written __init__ so callers may pass lists; the stored fields are tuples.
        object.__setattr__(self, "lines", tuple(lines))
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "destination", destination)
        object.__setattr__(self, "candidates", tuple(candidates))
        object.__setattr__(self, "profile", profile or SourcingProfile())
        self._check()

    def _check(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}")
        if self.method in AT_LOCATION_METHODS and self.destination.location_id is None:
            raise ValueError(f"a {self.method} order needs the destination location's id")
        if not self.lines:
            raise ValueError("an order has at least one line")
        if len({line.line_id for line in self.lines}) != len(self.lines):
            raise ValueError("line ids must be unique")
        if len({c.location_id for c in self.candidates}) != len(self.candidates):
            raise ValueError("candidate location ids must be unique")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A location refused the order or short-picked it. ``supplied`` is what it CAN still
    ship, per line id (missing or 0: nothing of that line)."""

    location_id: str
    supplied: Mapping[str, int] = field(default_factory=dict)
    reason: str = ""

    @property
    def code(self) -> str:
        return "short_picked" if any(q > 0 for q in self.supplied.values()) else "rejected"

    def as_dict(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "code": self.code,
            "supplied": dict(sorted(self.supplied.items())),
            "reason": self.reason,
        }
