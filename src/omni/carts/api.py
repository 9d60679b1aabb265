"""What other modules (and the sweeper) may call in the carts module. Nothing here
commits except the sweeper, which runs its own short units of work."""

from __future__ import annotations

from omni.carts.abandonment import mark_abandoned
from omni.carts.domain import CartStatus
from omni.carts.queries import CartView, PricedLine, active_cart_of, cart_view

__all__ = ["CartStatus", "CartView", "PricedLine", "active_cart_of", "cart_view", "mark_abandoned"]
