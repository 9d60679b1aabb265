"""Phases 2 and 3 of a provider operation (see ``operations``): call the provider with
the operation's key outside any transaction, then settle what it answered in a second
short transaction — or keep the operation pending when the outcome is unknown, for a
retry (``resume``) with the same key.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, case, func, or_, select, update

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments.domain import PaymentStatus
from omni.payments.errors import (
    CaptureFailed,
    InvalidProviderReference,
    PaymentOperationInProgress,
    ProviderError,
    RefundFailed,
)
from omni.payments.events import PaymentCaptured, PaymentFailed, PaymentRefunded, PaymentVoided
from omni.payments.models import PaymentOperation, PaymentRow
from omni.payments.operations import (
    LEASE,
    PROVIDER_KINDS,
    UNKNOWN_OUTCOMES,
    OperationResult,
    Pending,
    capture_of,
    pending_of,
)
from omni.payments.provider import PaymentProvider
from omni.payments.stored import load_payment

_S = PaymentStatus


async def call_provider(provider: PaymentProvider, pending: Pending) -> str:
    """Phase 2, outside any transaction: the provider's reference of the result."""
    amount = Money(pending.amount or 0, pending.currency)
    key = pending.key
    if pending.kind == "capture":
        return (await provider.capture(pending.authorization, amount, idempotency_key=key)).id
    if pending.kind == "void":
        return (await provider.void(pending.authorization, idempotency_key=key)).id
    if pending.capture is None:
        raise InvalidProviderReference("The refund has no capture to refund.")
    return (await provider.refund(pending.capture, amount, idempotency_key=key)).id


async def execute(
    db: Database, provider: PaymentProvider, actor: Actor, pending: Pending
) -> OperationResult:
    """Phases 2 and 3 of a claimed operation."""
    try:
        reference = await call_provider(provider, pending)
    except UNKNOWN_OUTCOMES as unknown:
        await release(db, actor, pending, unknown.code)
        raise
    except (CaptureFailed, RefundFailed, InvalidProviderReference) as refused:
        await settle_failed(db, actor, pending, refused.code)
        raise
    except DomainError as error:
        if type(error) is ProviderError:  # the provider failed: outcome unknown
            await release(db, actor, pending, error.code)
        else:  # a refusal of the request itself
            await settle_failed(db, actor, pending, error.code)
        raise
    except Exception:
        # Network errors, bugs: the outcome is unknown; the lease runs out and the
        # operation is resumed with the same key.
        await release(db, actor, pending, "unexpected_error")
        raise
    return await settle(db, actor, pending, reference)


async def release(db: Database, actor: Actor, pending: Pending, code: str) -> None:
    """Unknown outcome: keep the operation pending, free its lease for a retry now."""
    async with db.uow(actor) as uow:
        await uow.session.execute(
            update(PaymentOperation)
            .where(
                PaymentOperation.id == pending.operation_id, PaymentOperation.status == "pending"
            )
            .values(lease_until=uow.clock.now(), error_code=code)
        )
        await uow.commit()


async def settle_failed(db: Database, actor: Actor, pending: Pending, code: str) -> None:
    """The provider refused: the operation failed, the payment is unchanged and free."""
    async with db.uow(actor) as uow:
        now = uow.clock.now()
        done = await uow.session.execute(
            update(PaymentOperation)
            .where(
                PaymentOperation.id == pending.operation_id, PaymentOperation.status == "pending"
            )
            .values(status="failed", error_code=code, completed_at=now, lease_until=None)
            .returning(PaymentOperation.id)
        )
        if done.first() is None:
            return  # settled by a concurrent resumer
        order_id = (
            await uow.session.execute(
                update(PaymentRow)
                .where(
                    PaymentRow.id == pending.payment_id,
                    PaymentRow.pending_operation_id == pending.operation_id,
                )
                .values(pending_operation_id=None, updated_at=now, version=PaymentRow.version + 1)
                .returning(PaymentRow.order_id)
            )
        ).scalar_one()
        uow.record(
            PaymentFailed(
                payment_id=pending.payment_id, order_id=order_id, operation=pending.kind, code=code
            )
        )
        uow.audit(
            f"payments.{pending.kind}_failed",
            "payment",
            pending.payment_id,
            {"operation_id": pending.operation_id, "code": code},
        )
        await uow.commit()


async def settle(db: Database, actor: Actor, pending: Pending, reference: str) -> OperationResult:
    """Phase 3: the provider did it; record the operation and change the amounts."""
    async with db.uow(actor) as uow:
        now = uow.clock.now()
        done = await uow.session.execute(
            update(PaymentOperation)
            .where(
                PaymentOperation.id == pending.operation_id, PaymentOperation.status == "pending"
            )
            .values(
                status="succeeded",
                provider_reference=reference,
                completed_at=now,
                lease_until=None,
                error_code=None,
            )
            .returning(PaymentOperation.id)
        )
        if done.first() is None:
            return pending.result(reference)  # a concurrent resumer settled it first
        await apply_success(uow, pending)
        await uow.commit()
    return pending.result(reference)


AUDIT_ACTIONS = {
    "capture": "payments.captured",
    "void": "payments.voided",
    "refund": "payments.refunded",
}


async def apply_success(uow: UnitOfWork, pending: Pending) -> None:
    """The amounts change by SQL expressions, guarded so they can never overshoot."""
    guarded = update(PaymentRow).where(
        PaymentRow.id == pending.payment_id,
        PaymentRow.pending_operation_id == pending.operation_id,
    )
    common: dict[str, Any] = {
        "pending_operation_id": None,
        "updated_at": uow.clock.now(),
        "version": PaymentRow.version + 1,
    }
    if pending.kind == "capture":
        await _captured(uow, pending, guarded, common)
    elif pending.kind == "refund":
        await _refunded(uow, pending, guarded, common)
    else:
        await _voided(uow, pending, guarded, common)
    uow.audit(
        AUDIT_ACTIONS[pending.kind],
        "payment",
        pending.payment_id,
        {"operation_id": pending.operation_id, "amount": pending.amount},
    )


async def _captured(
    uow: UnitOfWork, pending: Pending, guarded: Update, common: dict[str, Any]
) -> None:
    x = pending.amount or 0
    captured = PaymentRow.captured + x
    status: Any = (
        _S.CAPTURED.value
        if pending.final
        else case(
            # Reaching a changed order's limit closes the capture like a final one.
            (
                captured >= func.coalesce(PaymentRow.capture_limit, PaymentRow.authorized),
                _S.CAPTURED.value,
            ),
            else_=_S.PARTIALLY_CAPTURED.value,
        )
    )
    changed = await uow.session.execute(
        guarded.where(captured <= PaymentRow.authorized)
        .values(captured=captured, status=status, **common)
        .returning(PaymentRow.order_id, PaymentRow.tender, PaymentRow.captured, PaymentRow.status)
    )
    order_id, tender, total, new_status = changed.one()
    uow.record(
        PaymentCaptured(
            payment_id=pending.payment_id,
            order_id=order_id,
            tender=tender,
            amount=x,
            captured=total,
            currency=pending.currency,
            status=new_status,
        )
    )


async def _refunded(
    uow: UnitOfWork, pending: Pending, guarded: Update, common: dict[str, Any]
) -> None:
    x = pending.amount or 0
    refunded = PaymentRow.refunded + x
    status = case(
        (refunded >= PaymentRow.captured, _S.REFUNDED.value),
        else_=_S.PARTIALLY_REFUNDED.value,
    )
    changed = await uow.session.execute(
        guarded.where(refunded <= PaymentRow.captured)
        .values(refunded=refunded, status=status, **common)
        .returning(PaymentRow.order_id, PaymentRow.tender, PaymentRow.refunded)
    )
    order_id, tender, total = changed.one()
    uow.record(
        PaymentRefunded(
            payment_id=pending.payment_id,
            order_id=order_id,
            tender=tender,
            amount=x,
            refunded=total,
            currency=pending.currency,
            reason=pending.reason,
        )
    )


async def _voided(
    uow: UnitOfWork, pending: Pending, guarded: Update, common: dict[str, Any]
) -> None:
    changed = await uow.session.execute(
        guarded.where(PaymentRow.captured == 0)
        .values(status=_S.VOIDED.value, **common)
        .returning(PaymentRow.order_id, PaymentRow.authorized)
    )
    order_id, authorized = changed.one()
    uow.record(
        PaymentVoided(
            payment_id=pending.payment_id,
            order_id=order_id,
            amount=authorized,
            currency=pending.currency,
        )
    )


async def resume(
    db: Database, provider: PaymentProvider, actor: Actor, operation_id: str
) -> OperationResult | None:
    """Finish a pending operation whose lease is free (its last call timed out, or its
    process died), calling the provider again with the same key. ``None`` if it was
    settled meanwhile; ``PaymentOperationInProgress`` while another process holds it."""
    async with db.uow(actor) as uow:
        now = uow.clock.now()
        claimed = await uow.session.execute(
            update(PaymentOperation)
            .where(
                PaymentOperation.id == operation_id,
                PaymentOperation.status == "pending",
                PaymentOperation.kind.in_(PROVIDER_KINDS),
                or_(PaymentOperation.lease_until.is_(None), PaymentOperation.lease_until <= now),
            )
            .values(lease_until=now + LEASE, attempts=PaymentOperation.attempts + 1)
            .returning(PaymentOperation.id)
        )
        if claimed.first() is None:
            status = await uow.session.scalar(
                select(PaymentOperation.status).where(PaymentOperation.id == operation_id)
            )
            if status == "pending":
                raise PaymentOperationInProgress(
                    "Another operation on this payment is in progress; retry in a moment.",
                    operation_id=operation_id,
                )
            return None
        operation = await uow.session.get(PaymentOperation, operation_id)
        assert operation is not None
        row = await load_payment(uow.session, operation.payment_id)
        assert row is not None
        capture = await capture_of(uow.session, row, operation)
        pending = pending_of(row, operation, capture)
        await uow.commit()
    return await execute(db, provider, actor, pending)
