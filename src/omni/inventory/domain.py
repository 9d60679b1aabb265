"""Pure inventory rules: quantity states, buffers, available-to-sell, bundles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # goods arrived (purchase order, ASN, initial load)
    SALE = "sale"  # carry-out sale at a till: on hand leaves without a reservation
    RESERVATION = "reservation"  # promised to a cart or order
    RELEASE = "release"  # promise withdrawn (cancel, expiry)
    CONSUMPTION = "consumption"  # a reserved unit was picked and left (fulfilment)
    TRANSFER_OUT = "transfer_out"  # shipped to another location
    TRANSFER_IN = "transfer_in"  # arrived from another location
    INCOMING = "incoming"  # expected: purchase order confirmed, transfer shipped to here
    ADJUSTMENT = "adjustment"  # manual correction with a reason
    COUNT_CORRECTION = "count_correction"  # a cycle count or scan found a difference
    RETURN_RESTOCK = "return_restock"  # a returned unit went back on the shelf
    DAMAGE = "damage"  # moved to unsellable (damaged, quality hold)
    WRITE_OFF = "write_off"  # unsellable unit disposed of
    RECOVERY = "recovery"  # unsellable unit made sellable again


class ReservationKind(StrEnum):
    HOLD = "hold"  # a cart hold: expires unless extended or converted
    ORDER = "order"  # an order's reservation: until consumed or released


class ReservationStatus(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    CONSUMED = "consumed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Buffer:
    """What a channel keeps back at one location: whichever is larger."""

    units: int = 0
    percent: int = 0

    def __post_init__(self) -> None:
        if self.units < 0 or not 0 <= self.percent <= 100:
            raise ValueError("buffer units must be ≥ 0 and percent within 0-100")

    def held_back(self, on_hand: int) -> int:
        # Percent rounds up: "keep 10 %" of 5 units keeps 1, never 0.
        by_percent = -(-max(on_hand, 0) * self.percent // 100)
        return max(self.units, by_percent)


NO_BUFFER = Buffer()


@dataclass(frozen=True)
class Quantities:
    on_hand: int
    reserved: int
    unsellable: int
    safety_stock: int
    incoming: int = 0

    def available(self, buffer: Buffer = NO_BUFFER) -> int:
        """Available to sell through a channel with ``buffer`` here (never negative)."""
        free = self.on_hand - self.reserved - self.unsellable - self.safety_stock
        return max(0, free - buffer.held_back(self.on_hand))

    @property
    def oversold(self) -> bool:
        """More promised or sold than is physically sellable here."""
        return self.on_hand < 0 or self.reserved > self.on_hand - self.unsellable


def bundle_available(component_available: Mapping[str, int], recipe: Mapping[str, int]) -> int:
    """How many bundles can be made: the scarcest component decides."""
    if not recipe:
        return 0
    return min(
        component_available.get(variant, 0) // per_bundle for variant, per_bundle in recipe.items()
    )


def stock_state(available: int, low_threshold: int) -> str:
    if available <= 0:
        return "out_of_stock"
    if available <= low_threshold:
        return "low_stock"
    return "in_stock"
