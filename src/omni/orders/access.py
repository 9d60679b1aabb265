"""Who may see and act on an order: its shopper; staff with ``orders.read`` /
``orders.write`` — store-scoped staff only for orders sold or fulfilled at their stores.
Anyone else gets 404, exactly as for an order that does not exist."""

from __future__ import annotations

from omni.kernel.actor import Actor, ActorKind
from omni.kernel.errors import NotFound
from omni.orders.queries import OrderView
from omni.permissions import can_act_in_store, has_permission, is_store_scoped

READ, WRITE = "orders.read", "orders.write"
NOT_FOUND = "No such order."


def may_see(view: OrderView, actor: Actor, permission: str = READ) -> bool:
    if actor.kind is ActorKind.CUSTOMER:
        return view.order.customer_id is not None and view.order.customer_id == actor.id
    if not has_permission(actor, permission):
        return False
    if is_store_scoped(actor):
        return any(can_act_in_store(actor, place) for place in view.location_ids)
    return True


def visible(view: OrderView | None, actor: Actor, permission: str = READ) -> OrderView:
    if view is None or not may_see(view, actor, permission):
        raise NotFound(NOT_FOUND)
    return view
