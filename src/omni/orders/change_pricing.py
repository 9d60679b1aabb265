"""Pricing a placed order again after a change (ORD6), by the rules it was sold by.

- Unit prices stay as sold: the line's snapshot is what the shopper agreed to.
- Promotions are evaluated again on what remains, with the order's coupon codes, as of
  its placement: a threshold no longer met or free shipping lost goes away, a
  buy-X-get-Y shrinks with its X.
- Taxes are quoted again for where the order is now going (a new address may be in
  another region), at the rates of its placement, like the rest of it.
- Shipping is the method's charge after its promotions, once per order, on the group of
  the first remaining line.

Reads only: the caller writes the result in its own unit of work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omni.kernel.errors import InvalidInput
from omni.locations import api as locations_api
from omni.orders import repricing
from omni.orders.domain import AT_A_STORE, FulfilmentMethod
from omni.orders.models import OrderLine
from omni.orders.queries import OrderView
from omni.orders.shipping import Address
from omni.promotions import api as promotions_api
from omni.taxes import api as taxes_api


@dataclass(frozen=True)
class RepricedLine:
    line_id: str
    quantity: int  # units still ordered (0: cancelled)
    subtotal: int
    discount: int
    tax: int
    total: int
    tax_rate: str | None
    promotions: list[dict[str, Any]]


@dataclass(frozen=True)
class RepricedOrder:
    lines: dict[str, RepricedLine]
    shipping_by_group: dict[str, int]  # as charged, after its discount
    subtotal: int
    discount_total: int
    shipping_total: int
    tax_total: int
    total: int
    promotions: list[dict[str, Any]]


def active_quantity(line: OrderLine) -> int:
    return line.quantity - line.cancelled_quantity


def method_of(view: OrderView) -> FulfilmentMethod:
    return FulfilmentMethod(view.groups[0].method)


async def reprice(
    session: AsyncSession,
    view: OrderView,
    quantities: Mapping[str, int],
    address: Address | None,
) -> RepricedOrder:
    """``quantities``: units per line id after the change (every line of the order);
    ``address``: where a delivered order now goes (None: unchanged)."""
    order = view.order
    remaining = [line for line in view.lines if quantities[line.id] > 0]
    lines = [
        repricing.LineToPrice(line.id, line.variant_id, quantities[line.id], line.unit_price)
        for line in remaining
    ]
    variants = await repricing.variants_of(session, (line.variant_id for line in remaining))
    context = repricing.PromotionContext(
        order.currency,
        order.channel_id,
        method_of(view),
        order.customer_id,
        tuple(order.coupon_codes),
        order.placed_at,
    )
    result = await repricing.reevaluate_promotions(session, lines, variants, context)
    region = await _tax_region(session, view, address)
    taxes = await repricing.quote_taxes(
        session,
        region,
        result,
        variants,
        prices_include_tax=order.prices_include_tax,
        at=order.placed_at,
    )
    return _assemble(view, quantities, result, taxes)


async def _tax_region(session: AsyncSession, view: OrderView, address: Address | None) -> str:
    """Where the sale is taxed: the (new) delivery address, or the store handing over."""
    shipping_address = address.as_dict() if address else view.order.shipping_address
    if shipping_address and method_of(view) not in AT_A_STORE:
        return taxes_api.region_for_address(
            shipping_address["country"], shipping_address.get("region")
        )
    store_id = view.groups[0].location_id
    store = (await locations_api.get_locations(session, {store_id})).get(store_id)
    if store is None:
        raise InvalidInput("The order's store no longer exists.", field="location_id")
    return taxes_api.region_for_address(store.country, store.region)


def _assemble(
    view: OrderView,
    quantities: Mapping[str, int],
    result: promotions_api.PromotionResult,
    taxes: taxes_api.TaxQuote,
) -> RepricedOrder:
    include_tax = view.order.prices_include_tax
    discounted = {line.line_id: line for line in result.lines}
    taxed = {line.line_id: line for line in taxes.lines}
    lines: dict[str, RepricedLine] = {}
    for line in view.lines:
        quantity = quantities[line.id]
        if quantity == 0:
            lines[line.id] = RepricedLine(line.id, 0, 0, 0, 0, 0, line.tax_rate, [])
            continue
        part, tax = discounted[line.id], taxed[line.id]
        net = line.unit_price * quantity - part.discount.amount
        lines[line.id] = RepricedLine(
            line_id=line.id,
            quantity=quantity,
            subtotal=line.unit_price * quantity,
            discount=part.discount.amount,
            tax=tax.tax.amount,
            total=net if include_tax else net + tax.tax.amount,
            tax_rate=str(tax.percent),
            promotions=[p.as_dict() for p in part.discounts],
        )
    shipping = result.shipping_total.amount
    shipping_tax = taxes.shipping.tax.amount if taxes.shipping else 0
    first = next(line for line in view.lines if quantities[line.id] > 0)
    by_group = {g.id: (shipping if g.id == first.group_id else 0) for g in view.groups}
    goods = sum(line.total for line in lines.values())
    return RepricedOrder(
        lines=lines,
        shipping_by_group=by_group,
        subtotal=sum(line.subtotal for line in lines.values()),
        discount_total=sum(line.discount for line in lines.values()),
        shipping_total=shipping,
        tax_total=sum(line.tax for line in lines.values()) + shipping_tax,
        total=goods + shipping + (0 if include_tax else shipping_tax),
        promotions=[applied.as_dict() for applied in result.applied],
    )
