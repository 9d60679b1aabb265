"""Payment links (PAY3): the shopper pays a social or call-center order on a hosted page.

Two phases around the provider call, like every provider operation: the payment the link
pays is written first (or found: an order placed with a ``payment_link`` tender already
has one, pending), the link is created with the key ``f"{payment_id}:link"`` (a retry
gets the same link), then its id and url are stored on the payment. The link being paid
arrives as a webhook (``payment_link.paid``): the payment is captured and
``payment.link_paid`` recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from omni.db.database import Database
from omni.kernel.actor import SYSTEM, Actor
from omni.kernel.errors import Conflict, InvalidInput
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.payments.domain import PaymentStatus, TenderKind
from omni.payments.models import PaymentRow
from omni.payments.provider import PaymentProvider
from omni.payments.stored import load_payment


@dataclass(frozen=True)
class PaymentLinkCreated:
    payment_id: str
    link_id: str
    url: str
    amount: Money


def _created(row: PaymentRow) -> PaymentLinkCreated:
    return PaymentLinkCreated(
        row.id,
        row.payment_link_id or "",
        row.payment_link_url or "",
        Money(row.amount, row.currency),
    )


async def create_payment_link(
    db: Database,
    provider: PaymentProvider,
    order_id: str,
    amount: Money,
    *,
    description: str | None = None,
    location_id: str | None = None,
    actor: Actor = SYSTEM,
) -> PaymentLinkCreated:
    """A payment link for ``amount`` of an order; calling again returns the same link.

    Reuses the order's pending ``payment_link`` payment of that amount (the one
    ``record_payments`` wrote for a ``payment_link`` tender) or writes a new one. An
    order waiting on a link of another amount is refused (409): cancel that payment
    first."""
    if amount.amount <= 0:
        raise InvalidInput("A payment link's amount must be positive.", field="amount")
    payment_id = await _payment_for_link(db, actor, order_id, amount, location_id)
    async with db.reader() as session:
        row = await load_payment(session, payment_id)
    if row is not None and row.payment_link_url:
        return _created(row)
    link = await provider.create_payment_link(
        amount, description or f"Order {order_id}", idempotency_key=f"{payment_id}:link"
    )
    async with db.uow(actor) as uow:
        await uow.session.execute(
            update(PaymentRow)
            .where(
                PaymentRow.id == payment_id,
                PaymentRow.status == PaymentStatus.PENDING.value,
                PaymentRow.payment_link_id.is_(None),
            )
            .values(
                provider=provider.name,
                payment_link_id=link.id,
                payment_link_url=link.url,
                updated_at=uow.clock.now(),
                version=PaymentRow.version + 1,
            )
        )
        uow.audit("payments.link_created", "payment", payment_id, {"order_id": order_id})
        await uow.commit()
    async with db.reader() as session:
        stored = await load_payment(session, payment_id)
    assert stored is not None
    return _created(stored)


async def _payment_for_link(
    db: Database, actor: Actor, order_id: str, amount: Money, location_id: str | None
) -> str:
    async with db.uow(actor) as uow:
        waiting = list(
            await uow.session.scalars(
                select(PaymentRow)
                .where(
                    PaymentRow.order_id == order_id,
                    PaymentRow.tender == TenderKind.PAYMENT_LINK.value,
                    PaymentRow.status == PaymentStatus.PENDING.value,
                )
                .order_by(PaymentRow.id)
            )
        )
        for row in waiting:
            if row.amount == amount.amount and row.currency == amount.currency:
                return row.id
        if waiting:
            raise Conflict(
                "The order already waits for a payment link of another amount.",
                payment_id=waiting[0].id,
            )
        now = uow.clock.now()
        payment_id = new_id("pay")
        uow.session.add(
            PaymentRow(
                id=payment_id,
                order_id=order_id,
                location_id=location_id,
                tender=TenderKind.PAYMENT_LINK.value,
                status=PaymentStatus.PENDING.value,
                currency=amount.currency,
                amount=amount.amount,
                authorized=0,
                captured=0,
                refunded=0,
                created_at=now,
                updated_at=now,
                version=1,
            )
        )
        await uow.commit()
    return payment_id
