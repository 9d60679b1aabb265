"""What the payment use cases share: loading a stored payment, its domain value, and who
may act on it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.kernel.money import Money
from omni.payments.domain import Payment, PaymentStatus, TenderKind
from omni.payments.models import PaymentRow
from omni.permissions import can_act_in_store, is_store_scoped

NOT_FOUND = "No such payment."


async def load_payment(session: AsyncSession, payment_id: str) -> PaymentRow | None:
    # populate_existing: a row read earlier in this session may have changed since (a
    # conditional update in the same transaction, or another transaction's commit).
    return await session.get(PaymentRow, payment_id, populate_existing=True)


def to_domain(row: PaymentRow) -> Payment:
    """The stored payment as the pure ``Payment`` (to explain a refusal precisely)."""
    money = lambda amount: Money(amount, row.currency)  # noqa: E731
    return Payment(
        tender=TenderKind(row.tender),
        amount=money(row.amount),
        status=PaymentStatus(row.status),
        authorized=money(row.authorized),
        captured=money(row.captured),
        refunded=money(row.refunded),
        failure_code=row.failure_code,
    )


def may_see(actor: Actor, location_id: str | None) -> bool:
    """Store staff see and act on the payments taken at their stores only."""
    if not is_store_scoped(actor):
        return True
    return location_id is not None and can_act_in_store(actor, location_id)


def ensure_may_act(actor: Actor, row: PaymentRow | None) -> PaymentRow:
    """The row, or 404 — also for another store's payment, so its id leaks nothing."""
    if row is None or not may_see(actor, row.location_id):
        raise NotFound(NOT_FOUND)
    return row
