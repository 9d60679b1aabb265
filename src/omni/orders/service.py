"""Order commands after placement (ORD3, ORD6): release to fulfilment, hold, resume,
cancel. Each is one unit of work; the status move is race-safe (``transitions.move``).

Cancelling gives back what the order took: its stock reservations (in the same
transaction) and, through the ``order.cancelled`` it publishes, its payment
authorizations and coupon uses (``orders.handlers``, after commit, idempotent).
"""

from __future__ import annotations

from sqlalchemy import select, update

from omni.db.uow import UnitOfWork
from omni.inventory import api as inventory_api
from omni.orders import access
from omni.orders.domain import EDITABLE, OrderStatus
from omni.orders.events import OrderCancelled
from omni.orders.models import FulfilmentGroup, OrderLine
from omni.orders.queries import get_order
from omni.orders.transitions import InvalidOrderTransition, move


async def _writable(uow: UnitOfWork, order_id: str) -> OrderStatus:
    view = access.visible(await get_order(uow.session, order_id), uow.actor, access.WRITE)
    return OrderStatus(view.order.status)


async def release(uow: UnitOfWork, order_id: str) -> None:
    """Hand the order to its fulfilling locations: no more edits, picking may start."""
    async with uow:
        await _writable(uow, order_id)
        await move(uow, order_id, OrderStatus.RELEASED)
        await _set_groups(uow, order_id, "released")
        await uow.commit()


async def hold(uow: UnitOfWork, order_id: str, reason: str | None) -> None:
    async with uow:
        await _writable(uow, order_id)
        await move(uow, order_id, OrderStatus.ON_HOLD, reason)
        await uow.commit()


async def resume(uow: UnitOfWork, order_id: str) -> None:
    async with uow:
        await _writable(uow, order_id)
        await move(uow, order_id, OrderStatus.PLACED)
        await uow.commit()


async def cancel(uow: UnitOfWork, order_id: str, reason: str | None) -> None:
    """Cancel the whole order (before anything is fulfilled); its stock goes back now."""
    async with uow:
        status = await _writable(uow, order_id)
        if uow.actor.is_customer and status not in EDITABLE:
            raise InvalidOrderTransition(
                "This order is already with the store; ask us to cancel it.",
                current_status=status,
            )
        await _cancel(uow, order_id, reason)
        await uow.commit()


async def cancel_as_system(uow: UnitOfWork, order_id: str, reason: str | None) -> None:
    """Cancel the order inside the caller's open unit of work (an event handler's), with
    no access check: the system reacting to a fact (3-D Secure failed), not a person."""
    await _cancel(uow, order_id, reason)


async def _cancel(uow: UnitOfWork, order_id: str, reason: str | None) -> None:
    await move(uow, order_id, OrderStatus.CANCELLED, reason)
    await inventory_api.release(uow, order_id)
    rows = await uow.session.execute(
        select(OrderLine.id, OrderLine.variant_id, OrderLine.quantity)
        .where(OrderLine.order_id == order_id)
        .where(OrderLine.quantity > OrderLine.cancelled_quantity)
    )
    cancelled = [{"line_id": i, "variant_id": v, "quantity": q} for i, v, q in rows]
    await uow.session.execute(
        update(OrderLine)
        .where(OrderLine.order_id == order_id)
        .values(cancelled_quantity=OrderLine.quantity)
        .execution_options(synchronize_session=False)
    )
    await _set_groups(uow, order_id, "cancelled")
    uow.record(OrderCancelled(order_id=order_id, reason=reason, lines=cancelled))
    uow.audit("order.cancelled", "order", order_id, {"reason": reason})


async def _set_groups(uow: UnitOfWork, order_id: str, status: str) -> None:
    await uow.session.execute(
        update(FulfilmentGroup)
        .where(FulfilmentGroup.order_id == order_id)
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
