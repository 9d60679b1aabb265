"""What an order changed after placement (ORD6) does to its payments that no provider
needs to hear about now — inside the order's unit of work, by conditional updates:

- an authorized card of an order changed down may capture at most the new amount
  (``limit_capture``); the provider still holds the old amount until the final capture
  or a void releases the rest;
- a payment collected later (pay at pickup, a payment link not sent yet) simply asks
  for the new amount (``set_pending_amount``).

Money already taken is given back with ``service.refund`` after the order's commit.
"""

from __future__ import annotations

from sqlalchemy import or_, update

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput
from omni.payments.domain import PaymentStatus
from omni.payments.errors import PaymentOperationInProgress
from omni.payments.models import PaymentRow
from omni.payments.stored import load_payment

_S = PaymentStatus
# Card payments that hold, or will hold, money that is not captured yet.
LIMITABLE = (_S.AUTHORIZED.value, _S.PARTIALLY_CAPTURED.value, _S.REQUIRES_ACTION.value)


class PaymentLinkIssued(Conflict):
    code = "payment_link_issued"
    title = "A payment link was sent for the old amount"


async def limit_capture(uow: UnitOfWork, payment_id: str, limit: int) -> None:
    """Let ``payment_id`` capture at most ``limit`` in all (never more than it holds, never
    less than it captured already). 409 while another operation is in flight or if the
    payment can no longer be captured."""
    if limit < 0:
        raise InvalidInput("A capture limit is never negative.", field="limit")
    changed = await uow.session.execute(
        update(PaymentRow)
        .where(
            PaymentRow.id == payment_id,
            PaymentRow.status.in_(LIMITABLE),
            PaymentRow.pending_operation_id.is_(None),
            PaymentRow.captured <= limit,
            or_(PaymentRow.status == _S.REQUIRES_ACTION.value, PaymentRow.authorized >= limit),
        )
        .values(capture_limit=limit, updated_at=uow.clock.now(), version=PaymentRow.version + 1)
        .returning(PaymentRow.id)
    )
    if changed.first() is None:
        await _refuse(uow, payment_id, "limit its capture")
    uow.audit("payments.capture_limited", "payment", payment_id, {"limit": limit})


async def set_pending_amount(uow: UnitOfWork, payment_id: str, amount: int) -> None:
    """A payment still to be collected (pay at pickup, a link not sent yet) now asks for
    ``amount`` (> 0; cancel it with ``cancel_payment`` when nothing is owed). 409 once a
    link was sent: the shopper would pay the old amount."""
    if amount <= 0:
        raise InvalidInput("A payment's amount must be positive.", field="amount")
    changed = await uow.session.execute(
        update(PaymentRow)
        .where(
            PaymentRow.id == payment_id,
            PaymentRow.status == _S.PENDING.value,
            PaymentRow.pending_operation_id.is_(None),
            PaymentRow.payment_link_id.is_(None),
        )
        .values(amount=amount, updated_at=uow.clock.now(), version=PaymentRow.version + 1)
        .returning(PaymentRow.id)
    )
    if changed.first() is None:
        row = await load_payment(uow.session, payment_id)
        if row is not None and row.payment_link_id is not None:
            raise PaymentLinkIssued(
                "A payment link for the old amount was sent; cancel it before changing the order.",
                payment_id=payment_id,
            )
        await _refuse(uow, payment_id, "change its amount")
    uow.audit("payments.amount_changed", "payment", payment_id, {"amount": amount})


async def _refuse(uow: UnitOfWork, payment_id: str, what: str) -> None:
    row = await load_payment(uow.session, payment_id)
    if row is not None and row.pending_operation_id is not None:
        raise PaymentOperationInProgress(
            "Another operation on this payment is in progress; retry in a moment.",
            operation_id=row.pending_operation_id,
        )
    status = row.status if row is not None else None
    raise Conflict(f"Cannot {what}: the payment changed meanwhile.", payment_status=status)
