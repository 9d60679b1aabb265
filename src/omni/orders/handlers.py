"""How orders react to facts from payments and to their own cancellation.

Each handler runs after the event's transaction commits, once per event (the dispatcher
records the handling in the handler's transaction), and is idempotent besides: an event
seen again — or an order that already moved on — changes nothing more.
"""

from __future__ import annotations

from sqlalchemy import select

from omni.db.database import Database
from omni.db.dispatcher import Handler
from omni.db.uow import UnitOfWork
from omni.kernel.events import Event
from omni.kernel.money import Money
from omni.orders import service
from omni.orders.domain import OrderStatus
from omni.orders.events import OrderCancelled
from omni.orders.models import Order
from omni.orders.transitions import move
from omni.payments import api as payments_api
from omni.payments.events import PaymentAuthorized, PaymentFailed, PaymentLinkPaid
from omni.promotions import api as promotions_api

# Money given back by hand: at a till, or by the marketplace to its buyer.
_REFUNDED_BY_HAND = frozenset(
    {payments_api.TenderKind.CASH.value, payments_api.TenderKind.MARKETPLACE.value}
)
# Payments that still hold money, or may yet: void releases the first, cancels the others.
_HOLDING = frozenset(
    {
        payments_api.PaymentStatus.AUTHORIZED.value,
        payments_api.PaymentStatus.PENDING.value,
        payments_api.PaymentStatus.REQUIRES_ACTION.value,
    }
)


async def _status(uow: UnitOfWork, order_id: str) -> str | None:
    return await uow.session.scalar(select(Order.status).where(Order.id == order_id))


async def place_order_when_payment_authorized(event: Event, uow: UnitOfWork) -> None:
    """3-D Secure completed: the order that waited for it is placed."""
    assert isinstance(event, PaymentAuthorized)
    # Checkout records ``payment.authorized`` for every authorization; an order paid
    # without 3-D Secure was placed in that same transaction and has nothing to do here.
    await _place_if_paid(uow, event.order_id, "payment authorized")


async def place_order_when_link_paid(event: Event, uow: UnitOfWork) -> None:
    """A social or phone order's payment link was paid: the order is placed."""
    assert isinstance(event, PaymentLinkPaid)
    await _place_if_paid(uow, event.order_id, "payment link paid")


async def _place_if_paid(uow: UnitOfWork, order_id: str, reason: str) -> None:
    if await _status(uow, order_id) != OrderStatus.PENDING_PAYMENT:
        return
    # A split tender may have another card still in 3-D Secure: its own event places it.
    if (await payments_api.order_payments(uow.session, order_id)).awaiting_action:
        return
    # ``move`` is a conditional update: if a clerk cancelled meanwhile it refuses (409)
    # and the retry finds the order no longer pending, so it stops above.
    await move(uow, order_id, OrderStatus.PLACED, reason=reason)


async def cancel_order_when_authorization_fails(event: Event, uow: UnitOfWork) -> None:
    """3-D Secure failed: the order waiting for it is cancelled and its stock goes back."""
    assert isinstance(event, PaymentFailed)
    # A refused capture or refund leaves the order as it is: a person must act.
    if event.operation != "authorize":
        return
    if await _status(uow, event.order_id) != OrderStatus.PENDING_PAYMENT:
        return
    await service.cancel_as_system(uow, event.order_id, f"payment failed: {event.code}")


def void_payments_of_cancelled_order(
    database: Database, provider: payments_api.PaymentProvider
) -> Handler:
    """A cancelled order's money goes back: authorizations are released (payments still
    waiting for 3-D Secure or a link are cancelled), so the shopper's money is not held
    for days; money already taken — a paid link, a gift card, store credit — is refunded
    to where it came from. Cash (handed back at a till) and marketplace payments (the
    marketplace refunds its buyer) are left to a person."""

    async def handler(event: Event, uow: UnitOfWork) -> None:
        assert isinstance(event, OrderCancelled)
        async with database.reader() as session:
            payments = await payments_api.payments_of_order(session, event.order_id)
        holding = [p.id for p in payments if p.status in _HOLDING]
        taken = [p for p in payments if p.refundable > 0 and p.tender not in _REFUNDED_BY_HAND]
        if not holding and not taken:
            return
        # The provider is never called inside a database transaction, and ``void`` runs
        # its own short ones (on SQLite they would wait for this one's write lock). So
        # end the dispatcher's transaction first: the handling is then not recorded, but
        # that is safe — each void and refund is keyed by the same request id, so a
        # retry or a racing process replays the first one's result instead of repeating it.
        await uow.rollback()
        request_id = f"{event.order_id}:cancel"
        for payment_id in holding:
            await payments_api.void(database, provider, payment_id, request_id=request_id)
        for payment in taken:
            amount = Money(payment.refundable, payment.currency)
            await payments_api.refund(
                database, provider, payment.id, amount, "order cancelled", request_id=request_id
            )

    return handler


async def release_coupons_of_cancelled_order(event: Event, uow: UnitOfWork) -> None:
    """A cancelled order's coupon uses go back, so a single-use code works again."""
    assert isinstance(event, OrderCancelled)
    # Its own handler (and transaction), apart from the void: a provider outage must not
    # keep the coupon taken. Releasing twice finds nothing left to release.
    await promotions_api.release_coupons(uow, event.order_id)
