"""Facts the inventory module publishes (wire names ``inventory.*``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class StockReserved(Event):
    name = "inventory.stock_reserved"
    reference: str
    kind: str
    channel_id: str | None
    lines: list[dict[str, Any]]  # [{variant_id, location_id, quantity, reservation_id}]


@dataclass(frozen=True, kw_only=True)
class StockReleased(Event):
    name = "inventory.stock_released"
    reference: str
    reason: str  # released | expired
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class StockConsumed(Event):
    name = "inventory.stock_consumed"
    reference: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class StockMoved(Event):
    """A non-reservation change: receipt, sale, adjustment, damage, count correction …"""

    name = "inventory.stock_moved"
    variant_id: str
    location_id: str
    kind: str
    on_hand_delta: int
    unsellable_delta: int
    source_type: str | None
    source_id: str | None


@dataclass(frozen=True, kw_only=True)
class StockDepleted(Event):
    """Nothing left to sell here (before channel buffers)."""

    name = "inventory.stock_depleted"
    variant_id: str
    location_id: str


@dataclass(frozen=True, kw_only=True)
class StockLow(Event):
    name = "inventory.stock_low"
    variant_id: str
    location_id: str
    available: int


@dataclass(frozen=True, kw_only=True)
class StockOversold(Event):
    """More was sold or promised than is here: accepted as a fact, flagged for action."""

    name = "inventory.oversold"
    variant_id: str
    location_id: str
    on_hand: int
    reserved: int
    source_type: str | None
    source_id: str | None


# Events of transfers, purchase orders and counts, published here with the rest.
from omni.inventory.document_events import (  # noqa: E402 - re-exported for other modules
    CountPosted,
    PurchaseOrderCancelled,
    PurchaseOrderClosed,
    PurchaseOrderOpened,
    PurchaseOrderReceived,
    ShippingNoticeRecorded,
    TransferCancelled,
    TransferReceived,
    TransferShipped,
)

__all__ = [
    "CountPosted",
    "PurchaseOrderCancelled",
    "PurchaseOrderClosed",
    "PurchaseOrderOpened",
    "PurchaseOrderReceived",
    "ShippingNoticeRecorded",
    "StockConsumed",
    "StockDepleted",
    "StockLow",
    "StockMoved",
    "StockOversold",
    "StockReleased",
    "StockReserved",
    "TransferCancelled",
    "TransferReceived",
    "TransferShipped",
]


@dataclass(frozen=True, kw_only=True)
class ReplenishmentPlanned(Event):
    """INV10: a plan was computed; its suggestions wait for a planner."""

    name = "inventory.replenishment_planned"
    plan_id: str
    purchases: int
    transfers: int


@dataclass(frozen=True, kw_only=True)
class ReplenishmentAccepted(Event):
    """INV10: a planner turned suggestions into draft purchase orders and transfers."""

    name = "inventory.replenishment_accepted"
    plan_id: str
    suggestion_ids: list[str]
    purchase_order_ids: list[str]
    transfer_ids: list[str]
