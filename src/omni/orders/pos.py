"""A sale at the till (ORD2, POS carry-out): scanned items (or a customer's cart opened at
the counter), priced by the store's POS channel, paid, and handed over — one order,
placed and fulfilled in the same moment.

The same three steps as web checkout (``checkout.py``): compute from reads, authorize
the terminal card outside any transaction, place in one short unit of work. At a till
that unit of work also takes the till's next receipt number (its own counter row: tills
never wait on each other), records the goods as sold from the store's shelf (a sale is a
fact: the shopper holds the item), and adds cash to the drawer of the open register
session — a session closed meanwhile refuses the sale (409) and nothing is written. Card
payments are captured right after commit: the goods have left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts import api as carts_api
from omni.channels import api as channels_api
from omni.customers import api as customers_api
from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import Conflict, DomainError, InvalidInput
from omni.kernel.money import Money
from omni.locations import api as locations_api
from omni.orders.basket import Fulfilment, PricedBasket, compute
from omni.orders.checkout import TenderRequest, count_coupons, refuse_declines, tenders_for
from omni.orders.domain import FulfilmentMethod, OrderStatus
from omni.orders.drafts import OrderDraft
from omni.orders.items import ItemRequest, wanted_lines
from omni.orders.placement import place_order
from omni.orders.receipts import next_receipt_number
from omni.payments import api as payments_api

log = logging.getLogger(__name__)
_LATER = frozenset({payments_api.TenderKind.PAY_AT_PICKUP, payments_api.TenderKind.PAYMENT_LINK})


@dataclass(frozen=True)
class TillSale:
    register_session_id: str
    tenders: tuple[TenderRequest, ...]
    items: tuple[ItemRequest, ...] = ()
    cart_id: str | None = None  # a shopper's cart, opened at the counter
    customer_id: str | None = None
    coupon_codes: tuple[str, ...] = ()
    contact: dict[str, Any] = field(default_factory=dict)  # e-receipt address


@dataclass(frozen=True)
class TillReceipt:
    order_id: str
    number: str  # the receipt number
    total: Money
    change: Money  # cash to hand back


@dataclass(frozen=True)
class _Rung:
    """What the reads found: the till, its store and the computed sale."""

    till: payments_api.TillSession
    store: locations_api.LocationInfo
    draft: OrderDraft


async def ring_up(
    db: Database,
    provider: payments_api.PaymentProvider,
    actor: Actor,
    sale: TillSale,
    idempotency_key: str,
) -> TillReceipt:
    rung = await _compute(db, actor, sale, db.clock.now())
    draft = rung.draft
    total = Money(draft.total, draft.currency)
    tenders = tenders_for(sale.tenders, total)
    if any(t.kind in _LATER for t in tenders):
        raise InvalidInput("A sale at the till is paid at the till.", field="payment")
    plan = payments_api.plan_split_tender(total, tenders)
    outcomes = await payments_api.authorize_plan(
        provider, plan, idempotency_key=f"{idempotency_key}:pay", metadata={"till": rung.till.id}
    )
    await refuse_declines(provider, outcomes)
    paid: list[str] = []

    async def inside(uow: UnitOfWork, order_id: str) -> None:
        paid.extend(
            await payments_api.record_payments(uow, order_id, outcomes, location_id=rung.store.id)
        )
        await _into_drawer(uow, rung.till.id, order_id, outcomes, paid)
        if sale.cart_id is not None:
            await carts_api.mark_ordered(uow, sale.cart_id, order_id)
        await count_coupons(uow, draft, order_id)

    async def receipt(uow: UnitOfWork) -> str:
        return await next_receipt_number(uow, rung.store.id, rung.store.code, rung.till.register_id)

    try:
        placed = await place_order(
            db.uow(actor), draft, status=OrderStatus.FULFILLED, number=receipt, inside=inside
        )
    except BaseException:
        await payments_api.void_outcomes(provider, outcomes)
        raise
    await _capture_cards(db, provider, actor, outcomes, paid, placed.order_id)
    return TillReceipt(placed.order_id, placed.number, total, plan.change)


async def _compute(db: Database, actor: Actor, sale: TillSale, at: datetime) -> _Rung:
    async with db.reader() as session:
        till = await payments_api.till_session(session, actor, sale.register_session_id)
        channel = await channels_api.till_channel(session, till.location_id)
        if channel is None:
            raise Conflict("No active POS channel sells at this store.")
        basket, customer_id = await _basket(session, actor, sale, channel, at)
        if basket.currency != till.currency:
            raise Conflict(
                f"This till takes {till.currency}; the channel sells in {basket.currency}."
            )
        computed = await compute(
            session,
            basket,
            Fulfilment(FulfilmentMethod.CARRY_OUT, till.location_id),
            customer_id=customer_id,
            coupon_codes=sale.coupon_codes,
            contact=sale.contact,
            at=at,
        )
    store = computed.places[till.location_id]  # compute read it for the till's sale
    draft = replace(
        computed.draft,
        selling_location_id=store.id,
        associate_id=actor.id,
        register_session_id=till.id,
    )
    return _Rung(till, store, draft)


async def _basket(
    session: AsyncSession,
    actor: Actor,
    sale: TillSale,
    channel: channels_api.ChannelInfo,
    at: datetime,
) -> tuple[PricedBasket, str | None]:
    """The items scanned, or the lines of the shopper's cart — priced for this till."""
    if (sale.cart_id is None) == (not sale.items):
        raise InvalidInput("Ring up scanned items or a cart, not both.", field="items")
    customer_id = sale.customer_id
    if sale.cart_id is not None:
        view = await carts_api.cart_for_checkout(session, sale.cart_id, actor, None, at)
        customer_id = customer_id or view.cart.customer_id
        wanted = [carts_api.WantedLine(li.id, li.variant_id, li.quantity) for li in view.lines]
    else:
        wanted = await wanted_lines(session, sale.items, channel_id=channel.id, at=at)
    if customer_id is not None and not await customers_api.customer_exists(session, customer_id):
        raise InvalidInput("No such customer.", field="customer_id")
    lines = await carts_api.price_lines(session, channel.id, channel.currency, wanted, at)
    return PricedBasket(channel.id, channel.currency, lines, sale.cart_id), customer_id


async def _into_drawer(
    uow: UnitOfWork,
    session_id: str,
    order_id: str,
    outcomes: list[payments_api.AuthorizationOutcome],
    payment_ids: list[str],
) -> None:
    for outcome, payment_id in zip(outcomes, payment_ids, strict=True):
        tender = outcome.tender
        if tender.kind is not payments_api.TenderKind.CASH:
            continue
        handed = tender.tendered or tender.amount
        await payments_api.record_cash_tender(
            uow,
            session_id,
            tender.amount,
            handed,
            payments_api.cash_change(tender.amount, handed),
            payment_id=payment_id,
            order_id=order_id,
        )


async def _capture_cards(
    db: Database,
    provider: payments_api.PaymentProvider,
    actor: Actor,
    outcomes: list[payments_api.AuthorizationOutcome],
    payment_ids: list[str],
    order_id: str,
) -> None:
    """The goods have left: take the money. A provider failure here does not undo the
    sale; the capture stays recorded as pending and the sweeper finishes it."""
    for outcome, payment_id in zip(outcomes, payment_ids, strict=True):
        if outcome.authorization is None:
            continue
        try:
            await payments_api.capture(
                db,
                provider,
                payment_id,
                outcome.authorization.amount,
                final=True,
                request_id=f"{order_id}:carry-out",
                actor=actor,
            )
        except DomainError:
            log.warning("capture of %s (order %s) left to the sweeper", payment_id, order_id)
