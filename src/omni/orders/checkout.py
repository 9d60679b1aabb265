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

import logging
from dataclasses import dataclass, replace
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
from omni.permissions import can_act_in_store
from omni.promotions import api as promotions_api

log = logging.getLogger(__name__)
LINK = payments_api.TenderKind.PAYMENT_LINK


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
    # Staff taking the order (an agent on the phone, an associate): the store credited.
    selling_location_id: str | None = None


@dataclass(frozen=True)
class CheckoutResult:
    order_id: str
    number: str
    status: OrderStatus
    next_action_url: str | None = None  # 3-D Secure: send the shopper here
    payment_link_url: str | None = None  # social / phone orders: the link to pay by


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
    draft = attributed(computed.draft, actor, request.selling_location_id)
    total = Money(draft.total, draft.currency)
    plan = payments_api.plan_split_tender(total, tenders_for(request.tenders, total))
    outcomes = await payments_api.authorize_plan(
        provider,
        plan,
        idempotency_key=f"{idempotency_key}:pay",
        metadata={"cart": draft.cart_id or ""},
    )
    await refuse_declines(provider, outcomes)
    action = next((o.next_action_url for o in outcomes if o.next_action_url), None)
    link = next((o.tender for o in outcomes if o.tender.kind is LINK), None)
    waiting = action is not None or link is not None
    status = OrderStatus.PENDING_PAYMENT if waiting else OrderStatus.PLACED

    async def inside(uow: UnitOfWork, order_id: str) -> None:
        await payments_api.record_payments(uow, order_id, outcomes)
        await carts_api.mark_ordered(uow, request.cart_id, order_id)
        await count_coupons(uow, draft, order_id)

    try:
        placed = await place_order(db.uow(actor), draft, status=status, inside=inside)
    except BaseException:
        await payments_api.void_outcomes(provider, outcomes)
        raise
    link_url = None
    if link is not None:
        link_url = await send_payment_link(db, provider, actor, placed.order_id, link.amount)
    return CheckoutResult(placed.order_id, placed.number, placed.status, action, link_url)


def attributed(draft: OrderDraft, actor: Actor, selling_location_id: str | None) -> OrderDraft:
    """Staff taking an order are recorded on it (commissions, reports); the store they
    sell for must be one they work at."""
    if not actor.is_staff:
        if selling_location_id is not None:
            raise InvalidInput("Only staff sell for a store.", field="selling_location_id")
        return draft
    if selling_location_id is not None and not can_act_in_store(actor, selling_location_id):
        raise InvalidInput("You do not sell for that store.", field="selling_location_id")
    return replace(draft, associate_id=actor.id, selling_location_id=selling_location_id)


async def send_payment_link(
    db: Database, provider: payments_api.PaymentProvider, actor: Actor, order_id: str, amount: Money
) -> str | None:
    """After commit (a provider call): the link the shopper pays by. If the provider is
    down the order still waits, and ``POST /orders/{id}/payment-link`` makes it later."""
    try:
        created = await payments_api.create_payment_link(
            db, provider, order_id, amount, description=f"Order {order_id}", actor=actor
        )
    except DomainError:
        log.warning("payment link for %s not created; the order waits for it", order_id)
        return None
    return created.url


def tenders_for(requested: tuple[TenderRequest, ...], total: Money) -> list[payments_api.Tender]:
    """The tenders asked for, paying ``total`` (one may leave its amount out: the rest)."""
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
        if kind is payments_api.TenderKind.MARKETPLACE:
            raise InvalidInput("Only imported marketplace orders are paid by it.", field="payment")
        amount = tender.amount if tender.amount is not None else total.amount - named
        tendered = Money(tender.tendered, total.currency) if tender.tendered is not None else None
        tenders.append(
            payments_api.Tender(kind, Money(amount, total.currency), tender.reference, tendered)
        )
    return tenders


async def refuse_declines(
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


async def count_coupons(uow: UnitOfWork, draft: OrderDraft, order_id: str) -> None:
    """Last before commit: the code rows stay locked until then (see promotions.api)."""
    if draft.coupon_codes:
        await promotions_api.redeem_coupons(uow, draft.coupon_codes, draft.customer_id, order_id)
