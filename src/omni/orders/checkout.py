"""Checkout (ORD2): a cart becomes an order, paid, in three steps.

1. Compute (reads only): the cart priced now, promotions, sourcing, taxes → a draft.
2. Authorize the payment — outside any transaction (never a network call while rows are
   locked), with an idempotency key derived from the request's own, so a retried
   checkout gets the first authorization back, never a second one.
3. Place (one short unit of work): stock reserved, the order written, the payments
   recorded, coupon uses counted, the cart marked ordered. If anything fails there, the
   authorization is voided (the compensation) and nothing of the order exists.

A card that needs 3-D Secure leaves the order ``pending_payment`` with the URL to send
the shopper to; the payment's webhook then completes it (``handlers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni.carts import api as carts_api
from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import DomainError, InvalidInput
from omni.kernel.money import Money
from omni.orders.basket import Fulfilment, PricedBasket, compute
from omni.orders.domain import OrderStatus
from omni.orders.drafts import OrderDraft
from omni.orders.placement import place_order
from omni.payments import api as payments_api
from omni.promotions import api as promotions_api


class PaymentDeclined(DomainError):
    status = 402
    code = "payment_declined"
    title = "Payment declined"


@dataclass(frozen=True)
class TenderRequest:
    kind: str
    amount: int | None = None  # None: whatever the other tenders leave of the total
    reference: str | None = None  # card or terminal token, gift card, account
    tendered: int | None = None  # cash handed over


@dataclass(frozen=True)
class CartCheckout:
    cart_id: str
    fulfilment: Fulfilment
    contact: dict[str, Any]
    tenders: tuple[TenderRequest, ...]
    coupon_codes: tuple[str, ...] = ()
    guest_token: str | None = None


@dataclass(frozen=True)
class CheckoutResult:
    order_id: str
    number: str
    status: OrderStatus
    next_action_url: str | None = None  # 3-D Secure: send the shopper here


async def checkout_cart(
    db: Database,
    provider: payments_api.PaymentProvider,
    actor: Actor,
    request: CartCheckout,
    idempotency_key: str,
) -> CheckoutResult:
    at = db.clock.now()
    async with db.reader() as session:
        view = await carts_api.cart_for_checkout(
            session, request.cart_id, actor, request.guest_token, at
        )
        computed = await compute(
            session,
            PricedBasket.of_cart(view),
            request.fulfilment,
            customer_id=view.cart.customer_id,
            coupon_codes=request.coupon_codes,
            contact=request.contact,
            at=at,
        )
    draft = computed.draft
    plan = payments_api.plan_split_tender(
        Money(draft.total, draft.currency), _tenders(request.tenders, draft)
    )
    outcomes = await payments_api.authorize_plan(
        provider,
        plan,
        idempotency_key=f"{idempotency_key}:pay",
        metadata={"cart": draft.cart_id or ""},
    )
    await _refuse_declines(provider, outcomes)
    action = next((o.next_action_url for o in outcomes if o.next_action_url), None)
    status = OrderStatus.PENDING_PAYMENT if action else OrderStatus.PLACED

    async def inside(uow: UnitOfWork, order_id: str) -> None:
        await payments_api.record_payments(uow, order_id, outcomes)
        await carts_api.mark_ordered(uow, request.cart_id, order_id)
        await _count_coupons(uow, draft, order_id)

    try:
        placed = await place_order(db.uow(actor), draft, status=status, inside=inside)
    except BaseException:
        await payments_api.void_outcomes(provider, outcomes)
        raise
    return CheckoutResult(placed.order_id, placed.number, placed.status, action)


def _tenders(requested: tuple[TenderRequest, ...], draft: OrderDraft) -> list[payments_api.Tender]:
    if not requested:
        raise InvalidInput("Say how the order is paid.", field="payment")
    open_ended = [t for t in requested if t.amount is None]
    if len(open_ended) > 1:
        raise InvalidInput("At most one tender may leave its amount out.", field="payment")
    named = sum(t.amount or 0 for t in requested)
    tenders = []
    for tender in requested:
        try:
            kind = payments_api.TenderKind(tender.kind)
        except ValueError as error:
            raise InvalidInput(f"Unknown tender kind {tender.kind!r}.", field="payment") from error
        amount = tender.amount if tender.amount is not None else draft.total - named
        tendered = Money(tender.tendered, draft.currency) if tender.tendered is not None else None
        tenders.append(
            payments_api.Tender(kind, Money(amount, draft.currency), tender.reference, tendered)
        )
    return tenders


async def _refuse_declines(
    provider: payments_api.PaymentProvider, outcomes: list[payments_api.AuthorizationOutcome]
) -> None:
    declined = next((o for o in outcomes if o.declined), None)
    short = next((o for o in outcomes if not o.fully_approved), None)
    if declined is None and short is None:
        return
    await payments_api.void_outcomes(provider, outcomes)
    if declined is not None and declined.decline is not None:
        raise PaymentDeclined(
            "The payment was declined; try another card.", reason=declined.decline.code
        )
    raise PaymentDeclined("Only part of the amount was approved; add another tender.")


async def _count_coupons(uow: UnitOfWork, draft: OrderDraft, order_id: str) -> None:
    """Last before commit: the code rows stay locked until then (see promotions.api)."""
    if draft.coupon_codes:
        await promotions_api.redeem_coupons(uow, draft.coupon_codes, draft.customer_id, order_id)
