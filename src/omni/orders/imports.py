"""Marketplace orders (ORD2): an order a marketplace took, imported once.

The marketplace's order id is the order's ``external_id``, unique per channel: importing
it again — a connector retrying, two connector processes racing — finds the first order
and answers with it (created: false), never a second order or a second reservation.

Pricing stays the server's: the lines are priced by the marketplace channel's own price
list, promotions and taxes, like any other channel (a connector sends items and
quantities, nothing about money). The money was collected by the marketplace: one
``marketplace`` payment, captured, for the order's total. Stock is reserved through the
channel's pool like a web order; what cannot be sourced is refused (409 with where it is
short) so the connector can route it back to the marketplace.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omni.carts import api as carts_api
from omni.channels import api as channels_api
from omni.db.database import Database
from omni.db.uow import UnitOfWork
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money
from omni.orders.basket import Fulfilment, PricedBasket, compute
from omni.orders.domain import OrderStatus
from omni.orders.drafts import OrderDraft
from omni.orders.items import ItemRequest, wanted_lines
from omni.orders.models import Order
from omni.orders.placement import place_order
from omni.payments import api as payments_api


@dataclass(frozen=True)
class MarketplaceOrder:
    channel_id: str
    external_id: str
    items: tuple[ItemRequest, ...]
    fulfilment: Fulfilment
    contact: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class Imported:
    order_id: str
    number: str
    status: str
    created: bool  # False: this external id was imported before


async def import_order(
    db: Database, provider: payments_api.PaymentProvider, actor: Actor, wanted: MarketplaceOrder
) -> Imported:
    earlier = await _imported(db, wanted.channel_id, wanted.external_id)
    if earlier is not None:
        return earlier
    draft = await _draft(db, wanted)
    collected = await payments_api.authorize(
        provider,
        payments_api.Tender(
            payments_api.TenderKind.MARKETPLACE, Money(draft.total, draft.currency)
        ),
        idempotency_key=f"{wanted.channel_id}:{wanted.external_id}:pay",
    )

    async def inside(uow: UnitOfWork, order_id: str) -> None:
        await payments_api.record_payments(uow, order_id, [collected])

    try:
        placed = await place_order(db.uow(actor), draft, inside=inside)
    except IntegrityError:
        # Another import of the same marketplace order committed first.
        earlier = await _imported(db, wanted.channel_id, wanted.external_id)
        if earlier is None:
            raise
        return earlier
    return Imported(placed.order_id, placed.number, placed.status.value, created=True)


async def _draft(db: Database, wanted: MarketplaceOrder) -> OrderDraft:
    at = db.clock.now()
    async with db.reader() as session:
        channel = await channels_api.get_channel(session, wanted.channel_id)
        if channel is None or channel.kind != "marketplace":
            raise InvalidInput("Import into a marketplace channel.", field="channel_id")
        items = await wanted_lines(session, wanted.items, channel_id=channel.id, at=at)
        lines = await carts_api.price_lines(session, channel.id, channel.currency, items, at)
        computed = await compute(
            session,
            PricedBasket(channel.id, channel.currency, lines),
            wanted.fulfilment,
            customer_id=None,
            coupon_codes=(),
            contact=wanted.contact,
            at=at,
        )
    return replace(computed.draft, external_id=wanted.external_id, note=wanted.note)


async def _imported(db: Database, channel_id: str, external_id: str) -> Imported | None:
    async with db.reader() as session:
        row = (
            await session.execute(
                select(Order.id, Order.number, Order.status).where(
                    Order.channel_id == channel_id, Order.external_id == external_id
                )
            )
        ).first()
    if row is None:
        return None
    return Imported(row.id, row.number, OrderStatus(row.status).value, created=False)
