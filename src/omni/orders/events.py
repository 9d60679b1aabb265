"""Facts the orders module publishes (wire names ``order.*``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(Event):
    name = "order.placed"
    order_id: str
    number: str
    channel_id: str
    customer_id: str | None
    status: str
    currency: str
    total: int
    lines: list[dict[str, Any]]  # [{variant_id, quantity}]


@dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(Event):
    name = "order.status_changed"
    order_id: str
    from_status: str
    to_status: str
    reason: str | None


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Event):
    name = "order.cancelled"
    order_id: str
    reason: str | None
    lines: list[dict[str, Any]]  # [{line_id, variant_id, quantity}] cancelled now


@dataclass(frozen=True, kw_only=True)
class OrderChanged(Event):
    """Lines, quantities or the address changed before release (re-priced)."""

    name = "order.changed"
    order_id: str
    total: int
    changes: list[dict[str, Any]]  # [{line_id, quantity_before, quantity_after, …}]
    change_id: str = ""  # the order_changes row
    kind: str = ""  # lines | address | lines_and_address
