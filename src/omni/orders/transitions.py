"""Moving an order through its status machine (ORD3), race-safe.

A move is one conditional update — ``WHERE status IN (statuses allowed to move there)``
— so two clerks releasing and cancelling the same order at the same moment cannot both
win: the second finds the order no longer in a status it may leave and gets 409, with
nothing changed. Each move appends to the order's status history and publishes
``order.status_changed``.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, NotFound
from omni.kernel.ids import new_id
from omni.orders.domain import OrderStatus, allowed_from
from omni.orders.events import OrderStatusChanged
from omni.orders.models import Order, OrderStatusChange

NOT_FOUND = "No such order."


class InvalidOrderTransition(Conflict):
    code = "invalid_order_transition"
    title = "Not allowed in this status"


async def move(
    uow: UnitOfWork, order_id: str, target: OrderStatus, reason: str | None = None
) -> OrderStatus:
    """Move the order (inside the caller's open unit of work); the status it left."""
    # Lock the order row first (PostgreSQL; SQLite writers are serialised already), so
    # the status recorded as "from" is the one really left.
    current = await uow.session.scalar(
        select(Order.status).where(Order.id == order_id).with_for_update()
    )
    if current is None:
        raise NotFound(NOT_FOUND)
    sources = allowed_from(target)
    moved = await uow.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status.in_([s.value for s in sources]))
        .values(status=target.value, updated_at=uow.clock.now(), version=Order.version + 1)
        .returning(Order.id)
        .execution_options(synchronize_session=False)
    )
    if moved.scalar() is None:
        raise InvalidOrderTransition(
            f"An order that is {current} cannot become {target.value}.",
            current_status=current,
            allowed_from=sorted(s.value for s in sources),
        )
    await uow.session.execute(
        insert(OrderStatusChange).values(
            id=new_id("osc"),
            order_id=order_id,
            from_status=current,
            to_status=target.value,
            at=uow.clock.now(),
            actor_kind=uow.actor.kind.value,
            actor_id=uow.actor.id,
            reason=reason,
        )
    )
    uow.record(
        OrderStatusChanged(
            order_id=order_id, from_status=current, to_status=target.value, reason=reason
        )
    )
    return OrderStatus(current)
