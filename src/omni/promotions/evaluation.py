"""The dry run: a basket of variant ids and quantities, priced by the server and
discounted by the engine exactly as checkout will (prices are never taken from the
client). Read only: nothing is counted or stored."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money
from omni.pricing import api as pricing_api
from omni.promotions.domain import Basket, BasketLine, CustomerContext
from omni.promotions.engine import evaluate
from omni.promotions.queries import active_promotions, coupon_usage
from omni.promotions.results import PromotionResult
from omni.promotions.schemas import EvaluateIn
from omni.promotions.validation import Problems


async def _unit_prices(
    session: AsyncSession, body: EvaluateIn, currency: str, at: datetime
) -> dict[tuple[str, int], int]:
    """(variant, quantity) → unit price, one pricing query per distinct quantity (tiers
    depend on the quantity of the line)."""
    by_quantity: dict[int, set[str]] = defaultdict(set)
    for line in body.lines:
        by_quantity[line.quantity].add(line.variant_id)
    found: dict[tuple[str, int], int] = {}
    for quantity, variant_ids in sorted(by_quantity.items()):
        context = pricing_api.PricingContext(
            currency=currency,
            at=at,
            channel_id=body.channel_id,
            quantity=quantity,
            segments=frozenset(body.customer.segments),
            loyalty_tier=body.customer.loyalty_tier,
        )
        resolved = await pricing_api.resolve_prices(session, variant_ids, context)
        for variant_id, price in resolved.items():
            if price is not None:
                found[(variant_id, quantity)] = price.unit_amount
    return found


async def dry_run(session: AsyncSession, body: EvaluateIn, now: datetime) -> PromotionResult:
    """Price ``body``'s lines, load the promotions and coupon usage, and evaluate.
    Unknown or unpriced variants and unknown channels are 422s naming the field."""
    channel = await channels_api.get_channel(session, body.channel_id)
    if channel is None:
        raise InvalidInput(f"Unknown channel {body.channel_id}.", field="channel_id")
    currency = body.currency or channel.currency
    at = body.at or now
    variants = await catalog_api.get_variants(session, [line.variant_id for line in body.lines])
    prices = await _unit_prices(session, body, currency, at)
    problems = Problems()
    for index, line in enumerate(body.lines):
        if line.variant_id not in variants:
            problems.add(f"lines.{index}.variant_id", f"unknown variant {line.variant_id}")
        elif (line.variant_id, line.quantity) not in prices:
            problems.add(
                f"lines.{index}.variant_id",
                f"no price in {currency} on this channel for {line.variant_id}",
            )
    problems.raise_if_any()
    categories = await catalog_api.product_category_ids(
        session, {variant.product_id for variant in variants.values()}
    )
    lines = tuple(
        BasketLine(
            id=f"l{index + 1}",
            variant_id=line.variant_id,
            product_id=variants[line.variant_id].product_id,
            quantity=line.quantity,
            unit_price=Money(prices[(line.variant_id, line.quantity)], currency),
            category_ids=categories.get(variants[line.variant_id].product_id, frozenset()),
        )
        for index, line in enumerate(body.lines)
    )
    customer = body.customer
    basket = Basket(
        currency=currency,
        channel_id=body.channel_id,
        at=at,
        lines=lines,
        customer=CustomerContext(
            customer_id=customer.customer_id,
            segments=frozenset(customer.segments),
            loyalty_tier=customer.loyalty_tier,
        ),
        coupon_codes=tuple(body.coupon_codes),
        shipping=None if body.shipping is None else Money(body.shipping, currency),
        shipping_method_id=body.shipping_method_id,
    )
    promotions = await active_promotions(session, body.channel_id, at, body.coupon_codes)
    usage = await coupon_usage(session, body.coupon_codes, customer.customer_id)
    return evaluate(basket, promotions, usage)
