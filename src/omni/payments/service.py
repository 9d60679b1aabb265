"""Money use cases on recorded payments: capture, void, refund (two-phase, see
``operations``), and the sweeper that finishes operations whose outcome is unknown.

Every call may be retried: pass ``request_id`` (a shipment id, a return id, an HTTP
Idempotency-Key) and a repeated request returns the first one's result — or finishes it
with the same provider key if its outcome was unknown — instead of moving money twice.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.exc import IntegrityError

from omni.db.database import Database
from omni.kernel.actor import SYSTEM, Actor
from omni.kernel.errors import Conflict, DomainError, InvalidInput
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.payments import operations as ops
from omni.payments import settlement
from omni.payments.checkout import cancel_payment
from omni.payments.domain import PaymentStatus, TenderKind
from omni.payments.errors import (
    CaptureFailed,
    InvalidProviderReference,
    PaymentOperationInProgress,
    ProviderError,
    RefundFailed,
)
from omni.payments.events import PaymentRefunded
from omni.payments.models import PaymentOperation, PaymentRow
from omni.payments.operations import OperationRequest, OperationResult
from omni.payments.provider import PaymentProvider
from omni.payments.registers import record_cash_refund
from omni.payments.stored import ensure_may_act, load_payment
from omni.payments.stored_value import ledger_for

log = logging.getLogger("omni.payments")
# Rounds of "finish the operation left pending, then do ours" before giving up.
MAX_ROUNDS = 3
# The sweeper leaves an operation whose call just timed out alone this long (a client's
# retry may resume it at once), and gives up after this many attempts (an operator acts).
SWEEP_AFTER = timedelta(seconds=30)
SWEEP_MAX_ATTEMPTS = 10
FAILURES = {error.code: error for error in (CaptureFailed, RefundFailed, InvalidProviderReference)}


async def capture(
    db: Database,
    provider: PaymentProvider,
    payment_id: str,
    amount: Money,
    *,
    final: bool = False,
    request_id: str | None = None,
    actor: Actor = SYSTEM,
) -> OperationResult:
    """Capture ``amount`` of an authorized payment (part of it for a split shipment;
    captures add up to at most what was authorized). ``final`` releases the rest."""
    request = OperationRequest("capture", amount, final=final)
    return await _run(db, provider, actor, payment_id, request, request_id)


async def void(
    db: Database,
    provider: PaymentProvider,
    payment_id: str,
    *,
    request_id: str | None = None,
    actor: Actor = SYSTEM,
) -> OperationResult | None:
    """Release an authorization nothing was captured from (an order cancelled before
    shipping). A payment holding no money yet (pending, waiting for 3-D Secure) is simply
    cancelled: ``None``."""
    async with db.reader() as session:
        row = ensure_may_act(actor, await load_payment(session, payment_id))
    if row.status in (PaymentStatus.PENDING.value, PaymentStatus.REQUIRES_ACTION.value):
        async with db.uow(actor) as uow:
            await cancel_payment(uow, payment_id)
            await uow.commit()
        return None
    return await _run(db, provider, actor, payment_id, OperationRequest("void"), request_id)


async def refund(
    db: Database,
    provider: PaymentProvider,
    payment_id: str,
    amount: Money,
    reason: str | None = None,
    *,
    request_id: str | None = None,
    register_session_id: str | None = None,
    actor: Actor = SYSTEM,
) -> OperationResult:
    """Give back ``amount`` of a captured payment; refunds add up to at most what was
    captured. Card and link payments are refunded by the provider (one capture per
    refund: ``refund_spans_captures`` otherwise); cash is paid out of the till of
    ``register_session_id``; gift card, store credit and points go back to their ledger
    (the stored-value seam) in the refund's own transaction."""
    request = OperationRequest(
        "refund", amount, reason=reason, register_session_id=register_session_id
    )
    return await _run(db, provider, actor, payment_id, request, request_id)


def request_key(payment_id: str, kind: str, request_id: str) -> str:
    """The operation key of a named request (long or odd ids are hashed)."""
    safe = request_id if len(request_id) <= 64 and request_id.isprintable() else None
    tag = safe or hashlib.sha256(request_id.encode()).hexdigest()[:32]
    return f"{payment_id}:{kind}:req:{tag}"


async def _run(
    db: Database,
    provider: PaymentProvider,
    actor: Actor,
    payment_id: str,
    request: OperationRequest,
    request_id: str | None,
) -> OperationResult:
    key = request_key(payment_id, request.kind, request_id) if request_id else None
    request = OperationRequest(**{**request.__dict__, "key": key})
    for _ in range(MAX_ROUNDS):
        async with db.reader() as session:
            row = ensure_may_act(actor, await load_payment(session, payment_id))
            existing = (
                await session.scalar(
                    select(PaymentOperation).where(PaymentOperation.idempotency_key == key)
                )
                if key
                else None
            )
        if existing is not None:
            replayed = await _replay(db, provider, actor, existing, request)
            if replayed is not None:
                return replayed
            continue
        if row.pending_operation_id is not None:
            await _finish_earlier(db, provider, actor, row.pending_operation_id)
            continue
        ops.check_with_domain(row, request)  # precise refusals, before any write
        if row.provider is not None and row.provider != provider.name:
            raise Conflict(
                f"The payment was taken with provider {row.provider!r}, not {provider.name!r}."
            )
        if request.register_session_id and row.tender != TenderKind.CASH.value:
            raise InvalidInput("Only cash is paid out of a register.", field="register_session_id")
        try:
            if request.kind == "refund" and row.provider_authorization_id is None:
                return await _refund_without_provider(db, actor, row, request)
            pending = await _begin(db, actor, payment_id, request)
        except IntegrityError:
            continue  # the same request_id raced us: replay its operation next round
        return await settlement.execute(db, provider, actor, pending)
    raise Conflict("The payment kept changing; retry.")


async def _finish_earlier(
    db: Database, provider: PaymentProvider, actor: Actor, operation_id: str
) -> None:
    """An earlier operation on the payment was left with an unknown outcome: finish it
    before ours. Its own refusal is recorded on it and is not ours to raise; while its
    outcome stays unknown, ours must wait."""
    try:
        await settlement.resume(db, provider, actor, operation_id)
    except PaymentOperationInProgress:
        raise
    except DomainError as error:
        if isinstance(error, ops.UNKNOWN_OUTCOMES) or type(error) is ProviderError:
            raise PaymentOperationInProgress(
                "An earlier operation on this payment has no known outcome yet; retry later.",
                operation_id=operation_id,
                provider_code=error.code,
            ) from error
        log.info("earlier payment operation %s refused: %s", operation_id, error.code)


async def _begin(
    db: Database, actor: Actor, payment_id: str, request: OperationRequest
) -> ops.Pending:
    """Phase 1: claim the payment, write the operation with its key and lease, commit."""
    async with db.uow(actor) as uow:
        now = uow.clock.now()
        operation_id = new_id("payop")
        row = await ops.claim(uow, payment_id, request, operation_id)
        if row is None:
            await ops.explain_refusal(uow.session, payment_id, request)
            raise AssertionError("explain_refusal raises")  # pragma: no cover
        capture = None
        if request.kind == "refund" and request.amount is not None:
            capture = await ops.refund_target(uow.session, row, request.amount.amount)
        key = request.key or await ops.next_key(uow.session, payment_id, request.kind)
        operation = ops.new_operation(
            key,
            row,
            request,
            now,
            id=operation_id,
            status="pending",
            target_reference=capture.id if capture else None,
            attempts=1,
            lease_until=now + ops.LEASE,
        )
        uow.session.add(operation)
        await uow.flush()
        pending = ops.pending_of(row, operation, capture)
        await uow.commit()
    return pending


async def _replay(
    db: Database,
    provider: PaymentProvider,
    actor: Actor,
    operation: PaymentOperation,
    request: OperationRequest,
) -> OperationResult | None:
    """The same request again: its first result, its refusal, or it finished now."""
    amount = request.amount.amount if request.amount else None
    if operation.amount != amount:
        raise Conflict("This request id was used for another amount.", operation_id=operation.id)
    if operation.status == "succeeded":
        return OperationResult(
            operation.id,
            operation.payment_id,
            operation.kind,
            operation.amount,
            operation.provider_reference,
            operation.idempotency_key,
        )
    if operation.status == "failed":
        error = FAILURES.get(operation.error_code or "", ProviderError)
        raise error(
            "The provider refused this request already.",
            operation_id=operation.id,
            refused_code=operation.error_code,
        )
    return await settlement.resume(db, provider, actor, operation.id)


async def _refund_without_provider(
    db: Database, actor: Actor, row: PaymentRow, request: OperationRequest
) -> OperationResult:
    """Cash, gift card, store credit, points: one transaction, no provider call."""
    assert request.amount is not None
    x = request.amount.amount
    async with db.uow(actor) as uow:
        now = uow.clock.now()
        refunded = PaymentRow.refunded + x
        changed = await uow.session.execute(
            update(PaymentRow)
            .where(
                PaymentRow.id == row.id,
                PaymentRow.pending_operation_id.is_(None),
                *ops.claim_conditions("refund", x),  # type: ignore[arg-type]
            )
            .values(
                refunded=refunded,
                status=case(
                    (refunded >= PaymentRow.captured, PaymentStatus.REFUNDED.value),
                    else_=PaymentStatus.PARTIALLY_REFUNDED.value,
                ),
                updated_at=now,
                version=PaymentRow.version + 1,
            )
            .returning(PaymentRow.refunded)
        )
        total = changed.scalar_one_or_none()
        if total is None:
            await ops.explain_refusal(uow.session, row.id, request)
        key = request.key or await ops.next_key(uow.session, row.id, "refund")
        operation = ops.new_operation(
            key, row, request, now, status="succeeded", attempts=1, completed_at=now
        )
        uow.session.add(operation)
        ledger = ledger_for(TenderKind(row.tender))
        if ledger is not None:
            await ledger.give_back(
                uow, row.reference or "", request.amount, payment_id=row.id, order_id=row.order_id
            )
        if request.register_session_id and row.tender == TenderKind.CASH.value:
            await record_cash_refund(
                uow,
                request.register_session_id,
                request.amount,
                payment_id=row.id,
                order_id=row.order_id,
            )
        uow.record(
            PaymentRefunded(
                payment_id=row.id,
                order_id=row.order_id,
                tender=row.tender,
                amount=x,
                refunded=int(total or 0),
                currency=row.currency,
                reason=request.reason,
                register_session_id=request.register_session_id,
            )
        )
        uow.audit(
            "payments.refunded", "payment", row.id, {"operation_id": operation.id, "amount": x}
        )
        await uow.flush()
        await uow.commit()
    return OperationResult(operation.id, row.id, "refund", x, None, key)


async def resume_stale_operations(
    db: Database, provider: PaymentProvider, *, limit: int = 20
) -> int:
    """The sweeper: finish operations whose outcome is unknown (a timeout, a crash
    between the phases), with their original keys. Returns how many were settled."""
    now = db.clock.now()
    async with db.reader() as session:
        stale = list(
            await session.scalars(
                select(PaymentOperation.id)
                .where(
                    PaymentOperation.status == "pending",
                    PaymentOperation.kind.in_(ops.PROVIDER_KINDS),
                    PaymentOperation.attempts < SWEEP_MAX_ATTEMPTS,
                    or_(
                        PaymentOperation.lease_until.is_(None),
                        PaymentOperation.lease_until <= now - SWEEP_AFTER,
                    ),
                )
                .order_by(PaymentOperation.at)
                .limit(limit)
            )
        )
    settled = 0
    for operation_id in stale:
        try:
            await settlement.resume(db, provider, SYSTEM, operation_id)
            settled += 1
        except DomainError as error:  # still unknown, or refused: recorded; go on
            log.warning("payment operation %s not settled: %s", operation_id, error.code)
    return settled
