"""Two-phase provider operations (capture, void, refund) on a stored payment.

The provider is never called inside a database transaction:

1. **Claim** (short transaction): a conditional update sets the payment's
   ``pending_operation_id`` only if no other operation is in flight and the amounts allow
   it (``captured + :x <= authorized`` …); the operation row is written with a
   deterministic idempotency key (``f"{payment_id}:capture:{n}"``) and a lease; commit.
2. **Call** the provider with that key, no transaction open.
3. **Settle** (short transaction): the operation moves ``pending → succeeded`` (a
   conditional update: only one settler wins) and the payment's amounts change by SQL
   expressions (``captured = captured + :x``), or ``pending → failed`` when the provider
   refused; either way the payment is free again.

A timeout (or any unknown outcome) leaves the operation pending with its lease released;
the next operation on the payment, or the sweeper, resumes it first with the same key, so
the provider answers with the first result instead of capturing twice. A crash between
the phases leaves the lease in place until it expires, then the same happens.

This module holds phase 1 (claiming) and the shapes shared by every phase; phases 2
and 3 and resuming live in ``settlement``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.payments.domain import PaymentStatus
from omni.payments.errors import (
    CaptureExceedsAuthorized,
    PaymentOperationInProgress,
    ProviderTimeout,
    ProviderUnavailable,
    RefundSpansCaptures,
    money_fields,
)
from omni.payments.models import PaymentOperation, PaymentRow
from omni.payments.provider import Authorization, Capture
from omni.payments.stored import load_payment, to_domain

LEASE = timedelta(seconds=60)  # longer than any provider call may take
PROVIDER_KINDS = ("capture", "void", "refund")
_S = PaymentStatus
CLAIM_FROM = {
    "capture": (_S.AUTHORIZED.value, _S.PARTIALLY_CAPTURED.value),
    "void": (_S.AUTHORIZED.value,),
    "refund": (_S.CAPTURED.value, _S.PARTIALLY_REFUNDED.value),
}
# Outcomes the provider may still change its mind about: keep the operation pending.
UNKNOWN_OUTCOMES = (ProviderTimeout, ProviderUnavailable)


@dataclass(frozen=True)
class OperationRequest:
    kind: str  # capture | void | refund
    amount: Money | None = None
    final: bool = False  # capture: release the rest of the authorization
    reason: str | None = None  # refund
    key: str | None = None  # the idempotency key, when the caller's request names it
    register_session_id: str | None = None  # cash refund paid out of this till


@dataclass(frozen=True)
class OperationResult:
    operation_id: str
    payment_id: str
    kind: str
    amount: int | None
    provider_reference: str | None
    idempotency_key: str


@dataclass(frozen=True)
class Pending:
    """A claimed operation: everything the provider call and the settling need."""

    operation_id: str
    payment_id: str
    kind: str
    amount: int | None
    currency: str
    final: bool
    key: str
    reason: str | None
    authorization: Authorization
    capture: Capture | None  # refunds: the capture refunded

    def result(self, reference: str | None) -> OperationResult:
        return OperationResult(
            self.operation_id, self.payment_id, self.kind, self.amount, reference, self.key
        )


def claim_conditions(kind: str, amount: int | None) -> list[object]:
    """The SQL guard of a claim: the status allows it and the amounts cannot overshoot."""
    conditions: list[object] = [PaymentRow.status.in_(CLAIM_FROM[kind])]
    if kind == "capture":
        conditions += [
            PaymentRow.captured + (amount or 0) <= PaymentRow.authorized,
            PaymentRow.captured + (amount or 0)
            <= func.coalesce(PaymentRow.capture_limit, PaymentRow.authorized),
            PaymentRow.provider_authorization_id.is_not(None),
        ]
    elif kind == "void":
        conditions.append(PaymentRow.captured == 0)
    else:
        conditions.append(PaymentRow.refunded + (amount or 0) <= PaymentRow.captured)
    return conditions


async def explain_refusal(
    session: AsyncSession, payment_id: str, request: OperationRequest
) -> None:
    """A claim changed nothing: raise why (another operation, or the domain's refusal)."""
    row = await load_payment(session, payment_id)
    if row is None:
        raise Conflict("The payment disappeared.")  # pragma: no cover - never deleted
    if row.pending_operation_id is not None:
        raise PaymentOperationInProgress(
            "Another operation on this payment is in progress; retry in a moment.",
            operation_id=row.pending_operation_id,
        )
    check_with_domain(row, request)
    raise Conflict("The payment changed meanwhile; retry.")


def check_with_domain(row: PaymentRow, request: OperationRequest) -> None:
    """Raise the domain's precise refusal (amount, currency, status) for ``request``."""
    payment = to_domain(row)
    if request.kind == "capture" and request.amount is not None:
        payment.capture(request.amount, final=request.final)
        check_capture_limit(row, request.amount)
    elif request.kind == "refund" and request.amount is not None:
        payment.refund(request.amount)
    elif request.kind == "void":
        payment.void()


def check_capture_limit(row: PaymentRow, amount: Money) -> None:
    """The order was changed down since authorizing: it may not take more than it owes."""
    if row.capture_limit is None or row.captured + amount.amount <= row.capture_limit:
        return
    left = Money(max(row.capture_limit - row.captured, 0), row.currency)
    raise CaptureExceedsAuthorized(
        f"Capturing {amount} exceeds the {left} the changed order still owes.",
        **money_fields("requested", amount),
        **money_fields("capturable", left),
    )


async def claim(
    uow: UnitOfWork, payment_id: str, request: OperationRequest, operation_id: str
) -> PaymentRow | None:
    """Point the payment at ``operation_id`` if the request is allowed now; the locked
    row, or None when the claim changed nothing."""
    amount = request.amount.amount if request.amount else None
    claimed = await uow.session.execute(
        update(PaymentRow)
        .where(
            PaymentRow.id == payment_id,
            PaymentRow.pending_operation_id.is_(None),
            *claim_conditions(request.kind, amount),  # type: ignore[arg-type]
        )
        .values(
            pending_operation_id=operation_id,
            updated_at=uow.clock.now(),
            version=PaymentRow.version + 1,
        )
        .returning(PaymentRow.id)
    )
    if claimed.first() is None:
        return None
    return await load_payment(uow.session, payment_id)


async def next_key(session: AsyncSession, payment_id: str, kind: str) -> str:
    """``f"{payment_id}:{kind}:{n}"``: deterministic, and unique because it is computed
    while the claim holds the payment's row."""
    count = await session.scalar(
        select(func.count())
        .select_from(PaymentOperation)
        .where(PaymentOperation.payment_id == payment_id, PaymentOperation.kind == kind)
    )
    return f"{payment_id}:{kind}:{(count or 0) + 1}"


async def refund_target(session: AsyncSession, row: PaymentRow, amount: int) -> Capture:
    """The newest capture with ``amount`` still refundable (providers refund captures)."""
    captures = (
        await session.execute(
            select(PaymentOperation.provider_reference, PaymentOperation.amount)
            .where(
                PaymentOperation.payment_id == row.id,
                PaymentOperation.kind == "capture",
                PaymentOperation.status == "succeeded",
                PaymentOperation.provider_reference.is_not(None),
            )
            .order_by(PaymentOperation.at.desc(), PaymentOperation.id.desc())
        )
    ).all()
    refunded = dict(
        (
            await session.execute(
                select(PaymentOperation.target_reference, func.sum(PaymentOperation.amount))
                .where(
                    PaymentOperation.payment_id == row.id,
                    PaymentOperation.kind == "refund",
                    PaymentOperation.status.in_(("succeeded", "pending")),
                )
                .group_by(PaymentOperation.target_reference)
            )
        ).all()
    )
    left = [
        (str(ref), int(captured or 0), int(captured or 0) - int(refunded.get(ref) or 0))
        for ref, captured in captures
    ]
    for reference, captured, refundable in left:
        if refundable >= amount:
            authorization = Authorization(
                row.provider_authorization_id or "", Money(row.authorized, row.currency)
            )
            return Capture(reference, authorization.id, Money(captured, row.currency))
    raise RefundSpansCaptures(
        "No single capture has that much left to refund: refund each capture separately.",
        refundable_per_capture=[refundable for _, _, refundable in left],
        currency=row.currency,
    )


def pending_of(row: PaymentRow, operation: PaymentOperation, capture: Capture | None) -> Pending:
    return Pending(
        operation_id=operation.id,
        payment_id=row.id,
        kind=operation.kind,
        amount=operation.amount,
        currency=row.currency,
        final=operation.final,
        key=operation.idempotency_key,
        reason=operation.reason,
        authorization=Authorization(
            row.provider_authorization_id or "", Money(row.authorized, row.currency)
        ),
        capture=capture,
    )


async def capture_of(
    session: AsyncSession, row: PaymentRow, operation: PaymentOperation
) -> Capture | None:
    """A refund operation's capture, rebuilt from the capture operation it names."""
    if operation.kind != "refund" or operation.target_reference is None:
        return None
    amount = await session.scalar(
        select(PaymentOperation.amount).where(
            PaymentOperation.payment_id == row.id,
            PaymentOperation.kind == "capture",
            PaymentOperation.provider_reference == operation.target_reference,
        )
    )
    return Capture(
        operation.target_reference,
        row.provider_authorization_id or "",
        Money(int(amount or 0), row.currency),
    )


def new_operation(
    pending_key: str, row: PaymentRow, request: OperationRequest, now: object, **fields: object
) -> PaymentOperation:
    return PaymentOperation(
        id=fields.pop("id", None) or new_id("payop"),
        payment_id=row.id,
        kind=request.kind,
        amount=request.amount.amount if request.amount else None,
        idempotency_key=pending_key,
        reason=request.reason,
        final=request.final,
        at=now,
        **fields,
    )
