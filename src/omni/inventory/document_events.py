"""Facts about stock documents (wire names ``inventory.*``): transfers, purchase orders,
advance shipping notices and counts. Line lists are JSON-friendly dicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class TransferShipped(Event):
    name = "inventory.transfer_shipped"
    transfer_id: str
    from_location_id: str
    to_location_id: str
    expected_on: str | None
    lines: list[dict[str, Any]]  # [{variant_id, quantity}]


@dataclass(frozen=True, kw_only=True)
class TransferReceived(Event):
    """Goods of a transfer arrived (possibly only some); ``status`` says if it is done."""

    name = "inventory.transfer_received"
    transfer_id: str
    receipt_id: str
    location_id: str
    status: str
    lines: list[dict[str, Any]]  # [{variant_id, quantity, damaged, over, short}]


@dataclass(frozen=True, kw_only=True)
class TransferCancelled(Event):
    name = "inventory.transfer_cancelled"
    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderOpened(Event):
    name = "inventory.po_opened"
    purchase_order_id: str
    number: str
    location_id: str
    expected_on: str | None
    lines: list[dict[str, Any]]  # [{variant_id, quantity}]


@dataclass(frozen=True, kw_only=True)
class ShippingNoticeRecorded(Event):
    name = "inventory.asn_recorded"
    purchase_order_id: str
    asn_id: str
    number: str
    expected_on: str | None
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderReceived(Event):
    name = "inventory.po_received"
    purchase_order_id: str
    receipt_id: str
    location_id: str
    status: str
    lines: list[dict[str, Any]]  # [{variant_id, quantity, damaged, over, short}]


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderClosed(Event):
    """Closed short: what had not arrived is no longer expected."""

    name = "inventory.po_closed"
    purchase_order_id: str
    location_id: str
    lines: list[dict[str, Any]]  # [{variant_id, short}]


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderCancelled(Event):
    name = "inventory.po_cancelled"
    purchase_order_id: str


@dataclass(frozen=True, kw_only=True)
class CountPosted(Event):
    name = "inventory.count_posted"
    count_id: str
    location_id: str
    lines_counted: int
    lines_with_difference: int
    units_difference: int
    # Only the lines the count corrected: [{variant_id, system, counted, difference}]
    corrections: list[dict[str, Any]]
