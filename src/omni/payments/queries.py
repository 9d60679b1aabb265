"""Read side of payments: an order's payments, one payment with its operations, lists."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.http.pagination import PageParams
from omni.payments.domain import PaymentStatus, TenderKind
from omni.payments.models import PaymentOperation, PaymentRow
from omni.payments.stored import to_domain


@dataclass(frozen=True)
class OperationView:
    id: str
    kind: str
    amount: int | None
    status: str
    idempotency_key: str
    provider_reference: str | None
    error_code: str | None
    reason: str | None
    attempts: int
    at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class PaymentView:
    """A payment as callers see it; amounts in minor units of ``currency``."""

    id: str
    order_id: str
    location_id: str | None
    tender: str
    status: str
    currency: str
    amount: int
    authorized: int
    captured: int
    refunded: int
    capturable: int
    refundable: int
    failure_code: str | None
    provider: str | None
    next_action_url: str | None
    payment_link_url: str | None
    operation_in_progress: bool
    created_at: datetime
    updated_at: datetime
    operations: tuple[OperationView, ...] = ()
    capture_limit: int | None = None  # an order changed down: at most this in all


@dataclass(frozen=True)
class OrderPayments:
    """An order's money at a glance (one currency per order)."""

    currency: str | None
    amount: int  # every live payment (failed, canceled and voided ones excluded)
    authorized: int
    captured: int
    refunded: int
    due_later: int  # pending: pay at pickup, unpaid links
    awaiting_action: bool  # a payment waits for 3-D Secure


def view_of(row: PaymentRow, operations: Sequence[PaymentOperation] = ()) -> PaymentView:
    payment = to_domain(row)
    return PaymentView(
        id=row.id,
        order_id=row.order_id,
        location_id=row.location_id,
        tender=row.tender,
        status=row.status,
        currency=row.currency,
        amount=row.amount,
        authorized=row.authorized,
        captured=row.captured,
        refunded=row.refunded,
        capturable=_capturable(row, payment.capturable.amount),
        refundable=payment.refundable.amount,
        failure_code=row.failure_code,
        provider=row.provider,
        next_action_url=row.next_action_url if row.status == "requires_action" else None,
        payment_link_url=row.payment_link_url,
        operation_in_progress=row.pending_operation_id is not None,
        capture_limit=row.capture_limit,
        created_at=row.created_at,
        updated_at=row.updated_at,
        operations=tuple(
            OperationView(
                id=op.id,
                kind=op.kind,
                amount=op.amount,
                status=op.status,
                idempotency_key=op.idempotency_key,
                provider_reference=op.provider_reference,
                error_code=op.error_code,
                reason=op.reason,
                attempts=op.attempts,
                at=op.at,
                completed_at=op.completed_at,
            )
            for op in operations
        ),
    )


def _capturable(row: PaymentRow, by_status: int) -> int:
    """What may still be captured, within the limit of an order changed down."""
    if row.capture_limit is None:
        return by_status
    return max(min(by_status, row.capture_limit - row.captured), 0)


async def payments_of_order(session: AsyncSession, order_id: str) -> list[PaymentView]:
    rows = await session.scalars(
        select(PaymentRow).where(PaymentRow.order_id == order_id).order_by(PaymentRow.id)
    )
    return [view_of(row) for row in rows]


async def orders_waiting_for_link(session: AsyncSession, order_ids: Collection[str]) -> set[str]:
    """Which of these orders have a payment link not yet paid (one query)."""
    if not order_ids:
        return set()
    rows = await session.scalars(
        select(PaymentRow.order_id).where(
            PaymentRow.order_id.in_(sorted(order_ids)),
            PaymentRow.tender == TenderKind.PAYMENT_LINK.value,
            PaymentRow.status == PaymentStatus.PENDING.value,
        )
    )
    return set(rows)


async def get_payment(session: AsyncSession, payment_id: str) -> PaymentView | None:
    """One payment with its operations, oldest first."""
    row = await session.get(PaymentRow, payment_id, populate_existing=True)
    if row is None:
        return None
    operations = await session.scalars(
        select(PaymentOperation)
        .where(PaymentOperation.payment_id == payment_id)
        .order_by(PaymentOperation.at, PaymentOperation.id)
    )
    return view_of(row, list(operations))


async def list_payments(
    session: AsyncSession,
    page: PageParams,
    *,
    order_id: str | None = None,
    location_id: str | None = None,
    status: str | None = None,
    only_locations: Collection[str] | None = None,
) -> list[PaymentView]:
    """Newest first. ``only_locations``: restrict to these stores (store staff)."""
    query = select(PaymentRow).order_by(PaymentRow.id.desc()).limit(page.limit + 1)
    if page.after:
        query = query.where(PaymentRow.id < str(page.after))
    if order_id is not None:
        query = query.where(PaymentRow.order_id == order_id)
    if location_id is not None:
        query = query.where(PaymentRow.location_id == location_id)
    if status is not None:
        query = query.where(PaymentRow.status == status)
    if only_locations is not None:
        query = query.where(PaymentRow.location_id.in_(sorted(only_locations)))
    return [view_of(row) for row in await session.scalars(query)]


LIVE_EXCLUDED = ("failed", "canceled", "voided")


def summarize(payments: Sequence[PaymentView]) -> OrderPayments:
    live = [p for p in payments if p.status not in LIVE_EXCLUDED]
    return OrderPayments(
        currency=live[0].currency if live else None,
        amount=sum(p.amount for p in live),
        authorized=sum(p.authorized for p in live),
        captured=sum(p.captured for p in live),
        refunded=sum(p.refunded for p in live),
        due_later=sum(p.amount for p in live if p.status == "pending"),
        awaiting_action=any(p.status == "requires_action" for p in live),
    )
