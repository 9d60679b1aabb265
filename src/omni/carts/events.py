"""Facts the carts module publishes (wire names ``cart.*``)."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class CartCreated(Event):
    name = "cart.created"
    cart_id: str
    channel_id: str
    customer_id: str | None


@dataclass(frozen=True, kw_only=True)
class CartLineAdded(Event):
    name = "cart.line_added"
    cart_id: str
    variant_id: str
    quantity: int  # the line's quantity after the change


@dataclass(frozen=True, kw_only=True)
class CartLineRemoved(Event):
    name = "cart.line_removed"
    cart_id: str
    variant_id: str


@dataclass(frozen=True, kw_only=True)
class CartMerged(Event):
    name = "cart.merged"
    cart_id: str  # the shopper's cart
    guest_cart_id: str
    customer_id: str


@dataclass(frozen=True, kw_only=True)
class CartAbandoned(Event):
    """Idle for the configured time with lines in it: a reminder email's cue."""

    name = "cart.abandoned"
    cart_id: str
    customer_id: str | None
    channel_id: str
    lines: int
