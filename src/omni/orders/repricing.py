"""The pricing engines an order is computed with — promotions, taxes, the shipping charge —
called the same way at checkout (``basket``) and when a placed order changes
(``change_pricing``), so a changed order is priced by exactly the rules it was sold by.

Prices themselves are never looked up here: the caller brings each line's unit price
(the price list's at checkout, the line's snapshot after placement).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.kernel.money import Money
from omni.orders.domain import FulfilmentMethod
from omni.orders.shipping import SHIPPING_CHARGES
from omni.promotions import api as promotions_api
from omni.taxes import api as taxes_api


@dataclass(frozen=True)
class LineToPrice:
    id: str
    variant_id: str
    quantity: int
    unit_price: int


@dataclass(frozen=True)
class PromotionContext:
    """Everything but the lines that decides which promotions apply."""

    currency: str
    channel_id: str
    method: FulfilmentMethod
    customer_id: str | None
    coupon_codes: tuple[str, ...]
    at: datetime


async def promotion_basket(
    session: AsyncSession,
    lines: Sequence[LineToPrice],
    variants: Mapping[str, Any],
    context: PromotionContext,
) -> promotions_api.Basket:
    """The promotion engine's view of the lines (with their products' categories)."""
    currency = context.currency
    products = {variants[line.variant_id].product_id for line in lines}
    categories = await catalog_api.product_category_ids(session, products)
    return promotions_api.Basket(
        currency=currency,
        channel_id=context.channel_id,
        at=context.at,
        lines=tuple(
            promotions_api.BasketLine(
                id=line.id,
                variant_id=line.variant_id,
                product_id=variants[line.variant_id].product_id,
                quantity=line.quantity,
                unit_price=Money(line.unit_price, currency),
                category_ids=frozenset(categories.get(variants[line.variant_id].product_id, ())),
            )
            for line in lines
        ),
        customer=promotions_api.CustomerContext(customer_id=context.customer_id),
        coupon_codes=context.coupon_codes,
        shipping=Money(SHIPPING_CHARGES[context.method], currency),
        shipping_method_id=context.method.value,
    )


async def evaluate_promotions(
    session: AsyncSession,
    lines: Sequence[LineToPrice],
    variants: Mapping[str, Any],
    context: PromotionContext,
) -> promotions_api.PromotionResult:
    """Promotions for new lines (checkout): coupon limits counted as they stand now."""
    basket = await promotion_basket(session, lines, variants, context)
    return await promotions_api.evaluate_basket(session, basket)


async def reevaluate_promotions(
    session: AsyncSession,
    lines: Sequence[LineToPrice],
    variants: Mapping[str, Any],
    context: PromotionContext,
) -> promotions_api.PromotionResult:
    """Promotions for an order being changed. Its codes were counted when it was placed
    (the order holds its use), so usage limits are not checked again: a single-use
    code must not be refused to the very order that used it."""
    basket = await promotion_basket(session, lines, variants, context)
    candidates = await promotions_api.active_promotions(
        session, context.channel_id, context.at, context.coupon_codes
    )
    return promotions_api.evaluate(basket, candidates, [])


async def quote_taxes(
    session: AsyncSession,
    region: str,
    result: promotions_api.PromotionResult,
    variants: Mapping[str, Any],
    *,
    prices_include_tax: bool,
    at: datetime,
) -> taxes_api.TaxQuote:
    """Tax of the discounted lines and the (discounted) shipping charge in ``region``."""
    shipping = result.shipping_total
    return await taxes_api.quote(
        session,
        region,
        [
            taxes_api.TaxableLine(line.line_id, line.total, variants[line.variant_id].tax_class)
            for line in result.lines
        ],
        shipping if shipping.amount > 0 else None,
        result.currency,
        prices_include_tax,
        at=at,
    )


async def variants_of(session: AsyncSession, variant_ids: Iterable[str]) -> dict[str, Any]:
    return await catalog_api.get_variants(session, set(variant_ids))
