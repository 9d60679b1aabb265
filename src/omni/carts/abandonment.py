"""Abandoned carts: an active cart with lines, idle for the configured time, is marked
once and announced (``cart.abandoned``) — the cue for a reminder. Any later activity
clears the mark, so a cart that goes idle again is announced again.

Runs in the same sweeper as hold expiry (in-process by default, ``omni worker`` in
production), in short batches, safe in several processes at once: the conditional update
``abandoned_at IS NULL`` lets only one of them announce each cart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update

from omni.carts.domain import CartStatus
from omni.carts.events import CartAbandoned
from omni.carts.models import Cart, CartLine
from omni.db.database import Database

BATCH = 200


async def mark_abandoned(db: Database, idle_minutes: int, *, now: datetime | None = None) -> int:
    """Mark and announce every cart idle since ``idle_minutes``; how many were marked."""
    marked = 0
    while True:
        batch = await _mark_batch(db, idle_minutes, now)
        marked += batch
        if batch < BATCH:
            return marked


async def _mark_batch(db: Database, idle_minutes: int, now: datetime | None) -> int:
    async with db.uow() as uow:
        moment = now or uow.clock.now()
        cutoff = moment - timedelta(minutes=idle_minutes)
        has_lines = exists().where(CartLine.cart_id == Cart.id)
        due = list(
            await uow.session.scalars(
                select(Cart.id)
                .where(Cart.status == CartStatus.ACTIVE, Cart.abandoned_at.is_(None))
                .where(Cart.last_activity_at < cutoff, has_lines)
                .order_by(Cart.id)
                .limit(BATCH)
            )
        )
        if not due:
            return 0
        claimed = await uow.session.execute(
            update(Cart)
            .where(Cart.id.in_(due), Cart.abandoned_at.is_(None), Cart.last_activity_at < cutoff)
            .values(abandoned_at=moment)
            .returning(Cart.id, Cart.customer_id, Cart.channel_id)
        )
        rows = claimed.all()
        counted = await uow.session.execute(
            select(CartLine.cart_id, func.count())
            .where(CartLine.cart_id.in_([row.id for row in rows]))
            .group_by(CartLine.cart_id)
        )
        counts = {cart_id: int(n) for cart_id, n in counted}
        for cart_id, customer_id, channel_id in rows:
            uow.record(
                CartAbandoned(
                    cart_id=cart_id,
                    customer_id=customer_id,
                    channel_id=channel_id,
                    lines=int(counts.get(cart_id, 0)),
                )
            )
        await uow.commit()
    return len(due)
