"""What a change of an order's total does to its payments (ORD6).

``plan`` compares what the live payments will take with the new total:

- the order now costs less — first a payment still to be collected asks for less (pay at
  pickup, a link not sent yet; cancelled when nothing is left of it), then an authorized
  card may capture less (``limit_capture``: nothing is sent to the provider now, the
  final capture releases the rest; an authorization brought to zero is voided), and last
  money already taken is refunded, newest payment first;
- the order now costs more — a payment still to be collected asks for more; otherwise
  the change must bring a tender for the difference (``due``), authorized before the
  change's transaction like at checkout, voided if the change fails.

``apply`` runs inside the change's unit of work; refunds and voids call the provider, so
``settle`` sends them after the commit, keyed by the change id: a retry replays them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import SYSTEM
from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments import api as payments_api

log = logging.getLogger("omni.orders")
_S = payments_api.PaymentStatus
LIMITABLE = (_S.AUTHORIZED, _S.PARTIALLY_CAPTURED, _S.REQUIRES_ACTION)
REFUNDABLE = (_S.CAPTURED, _S.PARTIALLY_REFUNDED)


@dataclass
class PaymentPlan:
    due: int = 0  # still to pay: a tender must come with the change
    pending_amounts: list[tuple[str, int]] = field(default_factory=list)
    cancels: list[str] = field(default_factory=list)
    limits: list[tuple[str, int]] = field(default_factory=list)
    voids: list[str] = field(default_factory=list)  # after commit
    refunds: list[tuple[str, int]] = field(default_factory=list)  # after commit

    def entries(self) -> list[dict[str, Any]]:
        """The plan as the change's history records it."""
        done = "done"
        return [
            *({"payment_id": p, "action": "amount", "amount": a, "status": done}
              for p, a in self.pending_amounts),
            *({"payment_id": p, "action": "cancel", "status": done} for p in self.cancels),
            *({"payment_id": p, "action": "limit_capture", "amount": a, "status": done}
              for p, a in self.limits),
            *({"payment_id": p, "action": "void", "status": "pending"} for p in self.voids),
            *({"payment_id": p, "action": "refund", "amount": a, "status": "pending"}
              for p, a in self.refunds),
        ]  # fmt: skip


def will_take(payment: payments_api.PaymentView) -> int:
    """What a live payment will have taken once settled."""
    status = _S(payment.status)
    if status is _S.PENDING:
        return payment.amount
    if status in LIMITABLE:
        held = payment.amount if status is _S.REQUIRES_ACTION else payment.authorized
        return held if payment.capture_limit is None else payment.capture_limit
    if status in REFUNDABLE:
        return payment.captured - payment.refunded
    return 0


def plan(payments: Sequence[payments_api.PaymentView], new_total: int) -> PaymentPlan:
    result = PaymentPlan()
    difference = sum(will_take(p) for p in payments) - new_total
    deferred = [p for p in payments if p.status == _S.PENDING.value]
    if difference < 0:
        _more(result, payments, deferred, -difference)
        return result
    excess = difference
    for payment in deferred:
        excess = _less_pending(result, payment, excess)
    for payment in (p for p in payments if _S(p.status) in LIMITABLE):
        excess = _less_capture(result, payment, excess)
    for payment in reversed([p for p in payments if _S(p.status) in REFUNDABLE]):
        take = min(excess, payment.captured - payment.refunded)
        if take > 0:
            result.refunds.append((payment.id, take))
            excess -= take
    return result


def _more(
    result: PaymentPlan,
    payments: Sequence[payments_api.PaymentView],
    deferred: Sequence[payments_api.PaymentView],
    need: int,
) -> None:
    """A card limited by an earlier change may capture up to what it holds again; then a
    payment still to be collected asks for the rest; else the change must pay it."""
    for payment in payments:
        if _S(payment.status) not in LIMITABLE or payment.capture_limit is None or not need:
            continue
        held = payment.amount if payment.status == _S.REQUIRES_ACTION.value else payment.authorized
        give = min(need, held - payment.capture_limit)
        if give > 0:
            result.limits.append((payment.id, payment.capture_limit + give))
            need -= give
    if need and deferred:
        result.pending_amounts.append((deferred[0].id, deferred[0].amount + need))
        need = 0
    result.due = need


def _less_pending(result: PaymentPlan, payment: payments_api.PaymentView, excess: int) -> int:
    take = min(excess, payment.amount)
    if take == payment.amount:
        result.cancels.append(payment.id)
    elif take > 0:
        result.pending_amounts.append((payment.id, payment.amount - take))
    return excess - take


def _less_capture(result: PaymentPlan, payment: payments_api.PaymentView, excess: int) -> int:
    current = will_take(payment)
    take = min(excess, current - payment.captured)
    if take <= 0:
        return excess
    limit = current - take
    result.limits.append((payment.id, limit))
    if limit == 0 and payment.status == _S.AUTHORIZED.value:
        result.voids.append(payment.id)  # nothing left to capture: release the hold now
    return excess - take


async def apply(uow: UnitOfWork, payment_plan: PaymentPlan) -> None:
    """Inside the change's unit of work: everything that needs no provider call."""
    for payment_id, amount in payment_plan.pending_amounts:
        await payments_api.set_pending_amount(uow, payment_id, amount)
    for payment_id in payment_plan.cancels:
        await payments_api.cancel_payment(uow, payment_id)
    for payment_id, limit in payment_plan.limits:
        await payments_api.limit_capture(uow, payment_id, limit)


async def settle(
    db: Database,
    provider: payments_api.PaymentProvider,
    change_id: str,
    currency: str,
    payment_plan: PaymentPlan,
) -> dict[str, str]:
    """After the commit: voids and refunds, keyed by the change (a retry, or a racing
    process, gets the first result instead of moving money twice). Returns each payment's
    outcome; a failure is logged and recorded, never raised — the change stands."""
    outcomes: dict[str, str] = {}
    for payment_id in payment_plan.voids:
        outcomes[payment_id] = await _safely(
            payments_api.void(db, provider, payment_id, request_id=f"{change_id}:void")
        )
    for payment_id, amount in payment_plan.refunds:
        outcomes[payment_id] = await _safely(
            payments_api.refund(
                db,
                provider,
                payment_id,
                Money(amount, currency),
                "order changed",
                request_id=f"{change_id}:refund",
                actor=SYSTEM,
            )
        )
    return outcomes


async def _safely(call: Any) -> str:
    try:
        await call
    except DomainError as error:
        log.warning("payment step of an order change failed: %s", error.code)
        return f"failed:{error.code}"
    except Exception:
        # The change is committed: report, never undo it. A refund whose first phase
        # was written is finished by the payments sweeper with the same key.
        log.exception("payment step of an order change failed")
        return "failed:unexpected_error"
    return "done"
