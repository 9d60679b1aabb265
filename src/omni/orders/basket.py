"""The server's computation of an order (CH3, CH4, CH5, ORD4): from priced lines to a
draft with promotions, taxes and the location(s) fulfilling each line.

Nothing a client sends about money is used: prices come from the pricing module (via
the cart), discounts from the promotion engine, taxes from the tax tables, the shipping
charge from the method. Sourcing picks the location(s) from the channel's pool with the
stock available to that channel now; every decision is kept with the order ("why this
store?"). Reads only: the caller places the draft in its own unit of work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts import api as carts_api
from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.inventory import api as inventory_api
from omni.kernel.errors import Conflict, InvalidInput
from omni.locations import api as locations_api
from omni.orders import repricing
from omni.orders.capacity import capacity_use
from omni.orders.domain import AT_A_STORE, FulfilmentMethod
from omni.orders.drafts import DraftGroup, DraftLine, OrderDraft
from omni.orders.shipping import Address, point_of
from omni.promotions import api as promotions_api
from omni.sourcing import api as sourcing_api
from omni.taxes import api as taxes_api


class CannotSource(Conflict):
    code = "cannot_source"
    title = "Cannot be fulfilled this way"


@dataclass(frozen=True)
class Fulfilment:
    method: FulfilmentMethod
    location_id: str | None = None  # the store for pickup, curbside, ship-to-store, POS
    address: Address | None = None  # for deliveries


@dataclass(frozen=True)
class PricedBasket:
    """What is being ordered, priced by the server: a cart's lines, or lines a system
    sent (a marketplace order) priced the same way."""

    channel_id: str
    currency: str
    lines: Sequence[carts_api.PricedLine]
    cart_id: str | None = None
    cart_holds: bool = False  # the cart holds stock (given back as the order reserves)

    @classmethod
    def of_cart(cls, view: carts_api.CartView) -> PricedBasket:
        cart = view.cart
        return cls(cart.channel_id, cart.currency, view.lines, cart.id, cart.held_until is not None)

    @property
    def purchasable(self) -> bool:
        return bool(self.lines) and all(line.unit_amount is not None for line in self.lines)


@dataclass(frozen=True)
class Computed:
    draft: OrderDraft
    promotions: promotions_api.PromotionResult
    places: dict[str, locations_api.LocationInfo]  # the pool and the chosen store, as read


async def compute(
    session: AsyncSession,
    basket: PricedBasket,
    fulfilment: Fulfilment,
    *,
    customer_id: str | None,
    coupon_codes: tuple[str, ...],
    contact: dict[str, Any],
    at: datetime,
) -> Computed:
    if not basket.purchasable:
        raise InvalidInput("Every line needs a price on this channel.", field="cart_id")
    channel = await channels_api.get_channel(session, basket.channel_id)
    if channel is None or not channel.active:
        raise InvalidInput("The cart's channel is not active.", field="cart_id")
    if fulfilment.method.value not in channel.fulfillment_methods:
        raise InvalidInput(f"{channel.name} does not offer {fulfilment.method}.", field="method")
    variants = await catalog_api.get_variants(session, {line.variant_id for line in basket.lines})
    result = await _promotions(session, basket, variants, fulfilment, customer_id, coupon_codes, at)
    # Every place checkout needs — the pool, the chosen store — read once.
    wanted = {entry.location_id for entry in channel.pool}
    if fulfilment.location_id is not None:
        wanted.add(fulfilment.location_id)
    places = await locations_api.get_locations(session, wanted)
    if fulfilment.method is FulfilmentMethod.CARRY_OUT:
        group_of, groups = _at_the_till(basket, fulfilment, places)
    else:
        decision = await _source(session, basket, channel, fulfilment, places, at)
        group_of, groups = _groups(decision, fulfilment, result)
    taxes = await _taxes(session, basket, variants, result, fulfilment, groups, places, at)
    lines = tuple(
        _draft_line(line, variants[line.variant_id], discounted, taxes, group_of[line.id])
        for line, discounted in zip(basket.lines, result.lines, strict=True)
    )
    include_tax = any(line.prices_include_tax for line in basket.lines)
    draft = OrderDraft(
        channel_id=channel.id,
        channel_kind=channel.kind,
        currency=basket.currency,
        prices_include_tax=include_tax,
        lines=lines,
        groups=_with_shipping_tax(groups, taxes),
        contact=contact,
        customer_id=customer_id,
        cart_id=basket.cart_id,
        cart_holds=basket.cart_holds,
        shipping_address=fulfilment.address.as_dict() if fulfilment.address else None,
        promotions=tuple(applied.as_dict() for applied in result.applied),
        coupon_codes=tuple(result.applied_codes),
    )
    return Computed(draft, result, places)


async def _promotions(
    session: AsyncSession,
    basket: PricedBasket,
    variants: dict[str, Any],
    fulfilment: Fulfilment,
    customer_id: str | None,
    coupon_codes: tuple[str, ...],
    at: datetime,
) -> promotions_api.PromotionResult:
    lines = [
        repricing.LineToPrice(line.id, line.variant_id, line.quantity, line.unit_amount or 0)
        for line in basket.lines
    ]
    context = repricing.PromotionContext(
        basket.currency, basket.channel_id, fulfilment.method, customer_id, coupon_codes, at
    )
    return await repricing.evaluate_promotions(session, lines, variants, context)


async def _source(
    session: AsyncSession,
    basket: PricedBasket,
    channel: channels_api.ChannelInfo,
    fulfilment: Fulfilment,
    places: dict[str, locations_api.LocationInfo],
    at: datetime,
) -> sourcing_api.Decision:
    """The channel's profile decides among its pool, each location with the stock the
    channel may sell there and the orders it can still take today (ORD4)."""
    wanted = [line.variant_id for line in basket.lines]
    stock = await inventory_api.availability_for_channel(session, channel.id, wanted)
    # What the cart holds is its own: the order takes those very units.
    held = {}
    if basket.cart_id is not None and basket.cart_holds:
        held = await inventory_api.held_units(session, basket.cart_id)
    pool = [places[e.location_id] for e in channel.pool if e.location_id in places]
    pool = [place for place in pool if place.kind in ("store", "warehouse")]
    used = await capacity_use(session, pool, at)
    candidates = [
        sourcing_api.Candidate(
            location_id=place.id,
            kind=place.kind,
            lat=place.lat,
            lon=place.lon,
            capabilities=place.capabilities,
            available={
                v: stock[v].by_location.get(place.id, 0) + held.get((v, place.id), 0)
                for v in wanted
            },
            remaining_capacity=used[place.id].remaining if place.id in used else None,
            exclusion=None if place.status == "active" else f"location {place.status}",
        )
        for place in pool
    ]
    destination = await _destination(fulfilment, places)
    request = sourcing_api.SourcingRequest(
        lines=tuple(
            sourcing_api.OrderLine(line.id, line.variant_id, line.quantity) for line in basket.lines
        ),
        method=fulfilment.method.value,
        destination=destination,
        candidates=tuple(candidates),
        profile=await sourcing_api.profile_for_channel(session, channel.id),
    )
    decision = sourcing_api.decide(request)
    if decision.status != "sourced":
        raise CannotSource(
            "Not all of this can be fulfilled this way right now.",
            unfulfilled=[shortfall.as_dict() for shortfall in decision.unfulfilled],
        )
    return decision


async def _destination(
    fulfilment: Fulfilment, places: dict[str, locations_api.LocationInfo]
) -> sourcing_api.Destination:
    if fulfilment.method in AT_A_STORE or fulfilment.method is FulfilmentMethod.SHIP_TO_STORE:
        if fulfilment.location_id is None:
            raise InvalidInput("Choose the store.", field="location_id")
        store = places.get(fulfilment.location_id)
        if store is None:
            raise InvalidInput("No such store.", field="location_id")
        return sourcing_api.Destination(store.lat, store.lon, store.id)
    if fulfilment.address is None:
        raise InvalidInput("Give the shipping address.", field="shipping_address")
    # The ZIP table loads from disk on first use: keep that off the event loop.
    lat, lon = await asyncio.to_thread(point_of, fulfilment.address)
    return sourcing_api.Destination(lat, lon)


def _at_the_till(
    basket: PricedBasket,
    fulfilment: Fulfilment,
    places: dict[str, locations_api.LocationInfo],
) -> tuple[dict[str, int], list[DraftGroup]]:
    """A till sale needs no sourcing: the shopper holds the goods at this store."""
    if fulfilment.location_id is None or fulfilment.location_id not in places:
        raise InvalidInput("A sale at the till needs its store.", field="location_id")
    group = DraftGroup(method=FulfilmentMethod.CARRY_OUT, location_id=fulfilment.location_id)
    return {line.id: 0 for line in basket.lines}, [group]


def _groups(
    decision: sourcing_api.Decision,
    fulfilment: Fulfilment,
    result: promotions_api.PromotionResult,
) -> tuple[dict[str, int], list[DraftGroup]]:
    """One fulfilment group per location the decision uses; the shipping charge (after
    its discount) is charged once, on the first."""
    explanation = decision.as_dict()
    group_of: dict[str, int] = {}
    groups: list[DraftGroup] = []
    for index, allocation in enumerate(decision.allocations):
        for line in allocation.lines:
            group_of[line.line_id] = index
        groups.append(
            DraftGroup(
                method=fulfilment.method,
                location_id=allocation.location_id,
                shipping_amount=result.shipping_total.amount if index == 0 else 0,
                sourcing=explanation,
            )
        )
    return group_of, groups


async def _taxes(
    session: AsyncSession,
    basket: PricedBasket,
    variants: dict[str, Any],
    result: promotions_api.PromotionResult,
    fulfilment: Fulfilment,
    groups: list[DraftGroup],
    places: dict[str, locations_api.LocationInfo],
    at: datetime,
) -> taxes_api.TaxQuote:
    region = _tax_region(fulfilment, groups, places)
    include_tax = any(line.prices_include_tax for line in basket.lines)
    return await repricing.quote_taxes(
        session, region, result, variants, prices_include_tax=include_tax, at=at
    )


def _tax_region(
    fulfilment: Fulfilment, groups: list[DraftGroup], places: dict[str, locations_api.LocationInfo]
) -> str:
    """Where the sale happens for tax: the delivery address, or the store handing over."""
    if fulfilment.address is not None and fulfilment.method not in AT_A_STORE:
        return taxes_api.region_for_address(fulfilment.address.country, fulfilment.address.region)
    store = places[fulfilment.location_id or groups[0].location_id]
    return taxes_api.region_for_address(store.country, store.region)


def _draft_line(
    line: carts_api.PricedLine,
    variant: Any,
    discounted: promotions_api.DiscountedLine,
    taxes: taxes_api.TaxQuote,
    group: int,
) -> DraftLine:
    taxed = next(t for t in taxes.lines if t.line_id == line.id)
    return DraftLine(
        variant_id=line.variant_id,
        sku=variant.sku,
        title=variant.title,
        quantity=line.quantity,
        unit_price=line.unit_amount or 0,
        discount=discounted.discount.amount,
        tax=taxed.tax.amount,
        tax_rate=str(taxed.percent),
        promotions=tuple(part.as_dict() for part in discounted.discounts),
        group=group,
        prices_include_tax=line.prices_include_tax,
    )


def _with_shipping_tax(
    groups: list[DraftGroup], taxes: taxes_api.TaxQuote
) -> tuple[DraftGroup, ...]:
    if taxes.shipping is None or not groups:
        return tuple(groups)
    first = groups[0]
    charged = DraftGroup(
        first.method,
        first.location_id,
        first.shipping_amount,
        taxes.shipping.tax.amount,
        first.promised_by,
        first.sourcing,
    )
    return (charged, *groups[1:])
