"""What checkout calls: authorize before the order transaction, record the payments inside
it, and void the authorization as the compensation if the order cannot be placed.

    outcomes = await authorize_plan(provider, plan, idempotency_key=f"{checkout_key}:pay")
    # declined? → refuse the order (402); nothing to undo
    try:
        async with uow:                       # the order's one short transaction
            ...                               # reserve stock, add the order
            await record_payments(uow, order_id, outcomes)
            await uow.commit()
    except Exception:
        await void_outcomes(provider, outcomes)   # the compensation
        raise

``authorize`` writes nothing to the database: the provider call happens before any
transaction opens (never a network call while rows are locked), and its idempotency key
is derived from checkout's own key, so a checkout retried after a crash or a timeout gets
the first authorization back instead of a second one. An authorization orphaned by a
crash between the provider call and the order's commit is never captured; the provider
releases it when it expires (or the retry adopts it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, update

from omni.db.uow import UnitOfWork, insert_rows
from omni.kernel.errors import InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.payments.domain import PaymentStatus, TenderKind
from omni.payments.errors import ProviderTimeout
from omni.payments.events import PaymentAuthorized, PaymentCanceled, PaymentCaptured
from omni.payments.models import PaymentOperation, PaymentRow
from omni.payments.provider import (
    Authorization,
    AuthorizationApproved,
    AuthorizationDeclined,
    AuthorizationRequiresAction,
    PaymentProvider,
    VoidResult,
    check_idempotency_key,
)
from omni.payments.stored import load_payment, to_domain
from omni.payments.stored_value import check_accepted, ledger_for
from omni.payments.tenders import Tender, TenderPlan

PAYMENTS = cast(Table, PaymentRow.__table__)
OPERATIONS = cast(Table, PaymentOperation.__table__)
VOID_ATTEMPTS = 2


class OutcomeStatus(StrEnum):
    AUTHORIZED = "authorized"  # the provider holds the money: capture it later
    REQUIRES_ACTION = "requires_action"  # 3-D Secure: send the shopper to next_action_url
    DECLINED = "declined"  # refuse the order (402)
    COLLECTED = "collected"  # money in hand: cash, gift card, store credit, points
    DEFERRED = "deferred"  # collected later: pay at pickup, payment link


@dataclass(frozen=True)
class AuthorizationOutcome:
    """What happened to one tender before the order was placed."""

    tender: Tender
    status: OutcomeStatus
    idempotency_key: str
    provider: str | None = None
    authorization: Authorization | None = None
    action: AuthorizationRequiresAction | None = None
    decline: AuthorizationDeclined | None = None

    @property
    def declined(self) -> bool:
        return self.status is OutcomeStatus.DECLINED

    @property
    def next_action_url(self) -> str | None:
        return self.action.next_action_url if self.action else None

    @property
    def fully_approved(self) -> bool:
        """False for a partial approval (a prepaid card holding less than asked): the
        order is not covered; void it and ask for another tender."""
        return self.authorization is None or self.authorization.amount == self.tender.amount


async def authorize(
    provider: PaymentProvider,
    tender: Tender,
    *,
    idempotency_key: str,
    metadata: Mapping[str, str] | None = None,
) -> AuthorizationOutcome:
    """Authorize one tender, outside any transaction.

    Card tenders go to the provider with ``tender.reference`` (its token) and
    ``idempotency_key`` (derive it from checkout's own key: a retry must reuse it). Other
    tenders call nobody: cash, gift cards, store credit and points are collected when
    the payment is recorded; pay at pickup and payment links are deferred.

    Declines are outcomes; ``ProviderTimeout`` (outcome unknown: answer 504 and let the
    client retry checkout with the same key) and ``ProviderUnavailable`` raise."""
    check_idempotency_key(idempotency_key)
    kind = tender.kind
    check_accepted(kind)
    if kind is TenderKind.PAYMENT_LINK or kind is TenderKind.PAY_AT_PICKUP:
        return AuthorizationOutcome(tender, OutcomeStatus.DEFERRED, idempotency_key)
    if not kind.uses_provider:
        return AuthorizationOutcome(tender, OutcomeStatus.COLLECTED, idempotency_key)
    result = await provider.authorize(
        tender.amount, tender.reference or "", idempotency_key=idempotency_key, metadata=metadata
    )
    base = AuthorizationOutcome(
        tender, OutcomeStatus.DECLINED, idempotency_key, provider=provider.name
    )
    if isinstance(result, AuthorizationApproved):
        return _with(base, status=OutcomeStatus.AUTHORIZED, authorization=result.authorization)
    if isinstance(result, AuthorizationRequiresAction):
        return _with(base, status=OutcomeStatus.REQUIRES_ACTION, action=result)
    return _with(base, decline=result)


def _with(outcome: AuthorizationOutcome, **changes: Any) -> AuthorizationOutcome:
    return AuthorizationOutcome(**{**outcome.__dict__, **changes})


async def authorize_plan(
    provider: PaymentProvider,
    plan: TenderPlan,
    *,
    idempotency_key: str,
    metadata: Mapping[str, str] | None = None,
) -> list[AuthorizationOutcome]:
    """``authorize`` every tender of a checked split-tender plan (at most one goes to the
    provider, so a decline leaves nothing to undo). Tender ``i`` uses the key
    ``f"{idempotency_key}:{i}"``. Every tender is checked acceptable first, so a
    refusal never leaves a card authorized."""
    for tender in plan.tenders:
        check_accepted(tender.kind)
    return [
        await authorize(
            provider, tender, idempotency_key=f"{idempotency_key}:{i}", metadata=metadata
        )
        for i, tender in enumerate(plan.tenders)
    ]


async def void_authorization(
    provider: PaymentProvider, outcome: AuthorizationOutcome
) -> VoidResult | None:
    """The compensation when the order cannot be placed: release the money held by an
    authorized outcome (``None`` when nothing is held: other tenders were never
    collected, and an unfinished 3-D Secure expires by itself). Retried once with the same
    key on a timeout; if the provider still fails, the error is raised for the caller to
    log: the authorization then lapses at the provider."""
    if outcome.status is not OutcomeStatus.AUTHORIZED or outcome.authorization is None:
        return None
    key = f"{outcome.idempotency_key}:void"
    for _ in range(VOID_ATTEMPTS - 1):
        try:
            return await provider.void(outcome.authorization, idempotency_key=key)
        except ProviderTimeout:
            continue  # the same key: a void that did happen is answered, not repeated
    return await provider.void(outcome.authorization, idempotency_key=key)


async def void_outcomes(
    provider: PaymentProvider, outcomes: Sequence[AuthorizationOutcome]
) -> list[VoidResult]:
    """``void_authorization`` for each outcome; returns the voids made."""
    voided = [await void_authorization(provider, outcome) for outcome in outcomes]
    return [result for result in voided if result is not None]


async def record_payments(
    uow: UnitOfWork,
    order_id: str,
    outcomes: Sequence[AuthorizationOutcome],
    *,
    location_id: str | None = None,
) -> list[str]:
    """Write one payment per outcome INSIDE the order's open unit of work (which
    commits); returns the payment ids, in the outcomes' order.

    authorized → ``authorized`` (capture it when shipping, or at once at a till);
    3-D Secure → ``requires_action`` (the webhook authorizes it later); collected →
    ``captured``; deferred → ``pending``. A declined outcome is refused (the order must
    not be placed). ``location_id``: the store taking the money (till, pickup)."""
    now = uow.clock.now()
    payments: list[dict[str, Any]] = []
    operations: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.declined:
            raise InvalidInput("A declined payment is not recorded.", field="outcomes")
        tender, payment_id = outcome.tender, new_id("pay")
        amount = tender.amount
        if amount.amount <= 0:
            raise InvalidInput("Payments must be positive.", field="outcomes")
        row: dict[str, Any] = {
            "id": payment_id,
            "order_id": order_id,
            "location_id": location_id,
            "tender": tender.kind.value,
            "currency": amount.currency,
            "amount": amount.amount,
            "authorized": 0,
            "captured": 0,
            "refunded": 0,
            "failure_code": None,
            "provider": outcome.provider,
            "provider_authorization_id": None,
            "provider_action_id": None,
            "next_action_url": None,
            "payment_link_id": None,
            "payment_link_url": None,
            "reference": _kept_reference(tender),
            "pending_operation_id": None,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        payments.append(row)
        operation = _apply_outcome(uow, outcome, row)
        if operation is not None:
            operations.append(_operation_row(payment_id, now, **operation))
    await insert_rows(uow.session, [(PAYMENTS, payments), (OPERATIONS, operations)])
    await _redeem_stored_value(uow, order_id, outcomes, payments)
    return [row["id"] for row in payments]


async def _redeem_stored_value(
    uow: UnitOfWork,
    order_id: str,
    outcomes: Sequence[AuthorizationOutcome],
    payments: list[dict[str, Any]],
) -> None:
    """Gift cards, store credit, points: taken off their ledgers in this same unit of
    work (a refusal rolls the whole order back). In a fixed order — by kind, then
    reference — so two orders spending the same two cards never lock them crosswise."""
    paired = sorted(
        zip(outcomes, payments, strict=True),
        key=lambda pair: (pair[0].tender.kind.value, pair[0].tender.reference or ""),
    )
    for outcome, row in paired:
        ledger = ledger_for(outcome.tender.kind)
        if ledger is not None:
            await ledger.redeem(
                uow,
                outcome.tender.reference or "",
                outcome.tender.amount,
                payment_id=row["id"],
                order_id=order_id,
            )


def _kept_reference(tender: Tender) -> str | None:
    """What the payment keeps of the tender's reference: never an online card token
    (single use), and a gift card's code only masked — whoever reads payments must not
    be able to spend the card."""
    if tender.kind is TenderKind.CARD_ONLINE or not tender.reference:
        return None
    if tender.kind is TenderKind.GIFT_CARD:
        return "•••• " + tender.reference.strip()[-4:]
    return tender.reference


def _apply_outcome(
    uow: UnitOfWork, outcome: AuthorizationOutcome, row: dict[str, Any]
) -> dict[str, Any] | None:
    """Fill ``row`` for the outcome, record its event; the operation to write, if any."""
    tender, status = outcome.tender, outcome.status
    payment_id, order_id = row["id"], row["order_id"]
    if status is OutcomeStatus.AUTHORIZED and outcome.authorization is not None:
        held = outcome.authorization.amount
        if held.currency != tender.amount.currency or tender.amount < held:
            raise InvalidInput("The authorization does not fit the tender.", field="outcomes")
        row |= {
            "status": PaymentStatus.AUTHORIZED.value,
            "authorized": held.amount,
            "provider_authorization_id": outcome.authorization.id,
        }
        uow.record(
            PaymentAuthorized(
                payment_id=payment_id,
                order_id=order_id,
                tender=tender.kind.value,
                amount=held.amount,
                currency=held.currency,
            )
        )
        return {
            "kind": "authorize",
            "amount": held.amount,
            "status": "succeeded",
            "idempotency_key": outcome.idempotency_key,
            "provider_reference": outcome.authorization.id,
        }
    if status is OutcomeStatus.REQUIRES_ACTION and outcome.action is not None:
        row |= {
            "status": PaymentStatus.REQUIRES_ACTION.value,
            "provider_action_id": outcome.action.action_id,
            "next_action_url": outcome.action.next_action_url,
        }
        # Pending until the webhook settles it (never resumed: the shopper must act).
        return {
            "kind": "authorize",
            "amount": tender.amount.amount,
            "status": "pending",
            "idempotency_key": outcome.idempotency_key,
            "provider_reference": outcome.action.action_id,
        }
    if status is OutcomeStatus.COLLECTED:
        amount = tender.amount.amount
        row |= {"status": PaymentStatus.CAPTURED.value, "authorized": amount, "captured": amount}
        uow.record(
            PaymentCaptured(
                payment_id=payment_id,
                order_id=order_id,
                tender=tender.kind.value,
                amount=amount,
                captured=amount,
                currency=tender.amount.currency,
                status=PaymentStatus.CAPTURED.value,
            )
        )
        return {
            "kind": "capture",
            "amount": amount,
            "status": "succeeded",
            "idempotency_key": f"{payment_id}:capture:1",
        }
    if status is OutcomeStatus.DEFERRED:
        row["status"] = PaymentStatus.PENDING.value
        return None
    raise InvalidInput("The authorization outcome is incomplete.", field="outcomes")


def _operation_row(payment_id: str, now: Any, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": new_id("payop"),
        "payment_id": payment_id,
        "kind": fields["kind"],
        "amount": fields.get("amount"),
        "status": fields["status"],
        "idempotency_key": fields["idempotency_key"],
        "provider_reference": fields.get("provider_reference"),
        "target_reference": fields.get("target_reference"),
        "error_code": fields.get("error_code"),
        "reason": fields.get("reason"),
        "final": False,
        "attempts": 1 if fields["status"] != "pending" else 0,
        "lease_until": None,
        "at": now,
        "completed_at": None if fields["status"] == "pending" else now,
    }
    return row


async def cancel_payment(uow: UnitOfWork, payment_id: str) -> None:
    """Inside the caller's unit of work: cancel a payment that holds no money (pending or
    waiting for 3-D Secure) — an order cancelled before it was paid, or a pay-at-pickup
    payment replaced by the tender actually used at the counter (record that one with
    ``record_payments``). Refused (409) once money is held: void or refund instead."""
    changed = await uow.session.execute(
        update(PaymentRow)
        .where(
            PaymentRow.id == payment_id,
            PaymentRow.status.in_(
                [PaymentStatus.PENDING.value, PaymentStatus.REQUIRES_ACTION.value]
            ),
            PaymentRow.pending_operation_id.is_(None),
        )
        .values(
            status=PaymentStatus.CANCELED.value,
            updated_at=uow.clock.now(),
            version=PaymentRow.version + 1,
        )
        .returning(PaymentRow.order_id)
    )
    order_id = changed.scalar_one_or_none()
    if order_id is None:
        row = await load_payment(uow.session, payment_id)
        if row is None:
            raise NotFound("No such payment.")
        to_domain(row).cancel()  # raises the precise refusal
        raise NotFound("No such payment.")  # pragma: no cover - cancel() raised
    uow.record(PaymentCanceled(payment_id=payment_id, order_id=order_id))
    uow.audit("payments.payment_canceled", "payment", payment_id)
