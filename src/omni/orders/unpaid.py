"""Orders nobody pays for do not keep stock forever.

An order waits in ``pending_payment`` for 3-D Secure or for its payment link. A shopper
who walks away from the 3-D Secure page, or never opens the link, would otherwise hold
the reserved units indefinitely; the sweeper cancels such orders once their wait is over
(cancellation releases the stock, cancels the waiting payments, gives coupons back).
A link gets longer than 3-D Secure: the shopper pays it from their messages, later.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from omni.db.database import Database
from omni.kernel.actor import SYSTEM
from omni.kernel.errors import Conflict
from omni.orders import service
from omni.orders.domain import OrderStatus
from omni.orders.models import Order
from omni.payments import api as payments_api

BATCH = 100


async def cancel_unpaid_orders(
    db: Database,
    *,
    action_minutes: int,
    link_minutes: int,
    limit: int = BATCH,
    now: datetime | None = None,
) -> int:
    """Cancel up to ``limit`` orders waiting for payment longer than allowed, oldest
    first; returns how many."""
    now = now or db.clock.now()
    link_deadline = now - timedelta(minutes=link_minutes)
    async with db.reader() as session:
        waiting = list(
            await session.execute(
                select(Order.id, Order.placed_at).where(
                    Order.status == OrderStatus.PENDING_PAYMENT.value,
                    Order.placed_at <= now - timedelta(minutes=action_minutes),
                )
            )
        )
        # Only the orders still inside their link's wait need asking about links.
        young = {order_id for order_id, placed_at in waiting if placed_at > link_deadline}
        linked = await payments_api.orders_waiting_for_link(session, young)
    overdue = sorted(
        (placed_at, order_id) for order_id, placed_at in waiting if order_id not in linked
    )
    cancelled = 0
    for _, order_id in overdue[:limit]:
        cancelled += await _cancel(db, order_id)
    return cancelled


async def _cancel(db: Database, order_id: str) -> int:
    try:
        async with db.uow(SYSTEM) as uow:
            await service.cancel_as_system(uow, order_id, "not paid in time")
            await uow.commit()
    except Conflict:
        return 0  # paid (or cancelled) meanwhile: the conditional move refused
    return 1
