"""Store credit granted by staff (LOY4) and points earned on orders (LOY1, LOY3 core).

Both are a customer's own account per unit, made on first credit. Points are posted as
earned when the order is placed; holding them as pending until the return window
closes, and reversing them on a return, are not done yet (docs/loyalty.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from omni.db.uow import UnitOfWork
from omni.kernel.events import Event
from omni.kernel.money import Money, minor_unit_digits
from omni.loyalty import ledger
from omni.loyalty.domain import (
    POINTS_UNIT,
    AccountKind,
    Entry,
    EntryKind,
    Posting,
    SystemPurpose,
    points_for,
)
from omni.orders.events import OrderPlaced

# Paid orders: placed online, or sold and handed over at a till (fulfilled at once).
EARNING_STATUSES = frozenset({"placed", "fulfilled"})


async def issue_store_credit(
    uow: UnitOfWork, customer_id: str, value: Money, *, reason: str, request_id: str
) -> ledger.Posted:
    """Credit a customer (a goodwill gesture, a refund as credit), once per request."""
    account = await ledger.ensure_owned_account(
        uow, AccountKind.STORE_CREDIT, customer_id, value.currency
    )
    issued = await ledger.ensure_system_account(
        uow, SystemPurpose.STORE_CREDIT_ISSUED, value.currency
    )
    posted = await ledger.post(
        uow,
        Entry(
            kind=EntryKind.ISSUE,
            source_type="request",
            source_id=request_id,
            reason=reason,
            unit=value.currency,
            postings=(Posting(account, value.amount), Posting(issued, -value.amount)),
        ),
    )
    uow.audit(
        "loyalty.store_credit_issued",
        "customer",
        customer_id,
        {"amount": value.amount, "currency": value.currency, "reason": reason},
    )
    return posted


async def award_points(
    uow: UnitOfWork, customer_id: str, order_id: str, points: int
) -> ledger.Posted | None:
    """Credit ``points`` for an order — once per order, however often this is called
    (the entry is keyed by the order). None when the order earns nothing."""
    if points <= 0:
        return None
    account = await ledger.ensure_owned_account(uow, AccountKind.POINTS, customer_id, POINTS_UNIT)
    issued = await ledger.ensure_system_account(uow, SystemPurpose.POINTS_ISSUED, POINTS_UNIT)
    return await ledger.post(
        uow,
        Entry(
            kind=EntryKind.EARN,
            source_type="order",
            source_id=order_id,
            reason=f"earned on order {order_id}",
            unit=POINTS_UNIT,
            postings=(Posting(account, points), Posting(issued, -points)),
            order_id=order_id,
        ),
    )


def award_points_for_order(
    points_per_unit: int,
) -> Callable[[Event, UnitOfWork], Awaitable[None]]:
    """The ``order.placed`` handler: a known customer's paid order — online or at a till
    — earns ``points_per_unit`` per whole currency unit of its total. An order still
    waiting for payment (3-D Secure, a link) earns nothing here yet."""

    async def award_points_for_placed_order(event: Event, uow: UnitOfWork) -> None:
        assert isinstance(event, OrderPlaced)
        if event.customer_id is None or event.status not in EARNING_STATUSES:
            return
        points = points_for(event.total, minor_unit_digits(event.currency), points_per_unit)
        await award_points(uow, event.customer_id, event.order_id, points)

    return award_points_for_placed_order
