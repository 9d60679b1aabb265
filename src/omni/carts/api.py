"""What other modules (and the sweeper) may call in the carts module. Nothing here
commits except the sweeper, which runs its own short units of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts.abandonment import mark_abandoned
from omni.carts.domain import CartStatus
from omni.carts.models import Cart
from omni.carts.queries import (
    CartView,
    PricedLine,
    WantedLine,
    active_cart_of,
    cart_view,
    price_lines,
)
from omni.carts.service import (
    Caller,
    CartClosed,
    Opened,
    add_line,
    merge_guest_cart,
    open_cart,
    set_quantity,
    visible_cart,
)
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict, NotFound

__all__ = [
    "Caller",
    "CartClosed",
    "CartStatus",
    "CartView",
    "Opened",
    "PricedLine",
    "WantedLine",
    "active_cart_of",
    "add_line",
    "cart_for_checkout",
    "cart_view",
    "find_cart_view",
    "mark_abandoned",
    "mark_ordered",
    "merge_guest_cart",
    "open_cart",
    "price_lines",
    "set_quantity",
]


async def cart_for_checkout(
    session: AsyncSession, cart_id: str, actor: Actor, guest_token: str | None, at: datetime
) -> CartView:
    """The cart priced now, if ``actor`` (or the guest token) may check it out: 404 for
    anyone else, 409 ``cart_closed`` when it was already ordered or merged."""
    cart = await visible_cart(session, cart_id, Caller(actor, guest_token), "carts.write")
    if cart.status != CartStatus.ACTIVE:
        raise CartClosed(f"This cart is {cart.status}; it can no longer be ordered.")
    return await cart_view(session, cart, at)


async def mark_ordered(uow: UnitOfWork, cart_id: str, order_id: str) -> None:
    """Inside the order's unit of work: the cart became ``order_id`` (once: a second
    order from the same cart finds it no longer active and fails, 409)."""
    done = await uow.session.execute(
        update(Cart)
        .where(Cart.id == cart_id, Cart.status == CartStatus.ACTIVE)
        .values(
            status=CartStatus.ORDERED.value,
            order_id=order_id,
            updated_at=uow.clock.now(),
            held_until=None,
            version=Cart.version + 1,
        )
        .returning(Cart.id)
        .execution_options(synchronize_session=False)
    )
    if done.scalar() is None:
        raise Conflict("This cart was already ordered.", cart_id=cart_id)


async def find_cart_view(
    session: AsyncSession, cart_id: str, caller: Caller, at: datetime
) -> CartView | None:
    """The cart priced now if ``caller`` may see it and it is still active; None when it
    is gone, closed (ordered, merged) or not theirs — a web page then opens a new one."""
    try:
        cart = await visible_cart(session, cart_id, caller)
    except NotFound:
        return None
    if cart.status != CartStatus.ACTIVE:
        return None
    return await cart_view(session, cart, at)
