"""Read side: a cart as its shopper sees it, priced by the server for the cart's channel.

Prices always come from the pricing module (one ``resolve_prices`` query per distinct
line quantity, since tier prices depend on it); nothing a client sends is trusted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts.models import Cart, CartLine
from omni.catalog import api as catalog_api
from omni.pricing import api as pricing_api


@dataclass(frozen=True)
class PricedLine:
    id: str
    variant_id: str
    sku: str
    title: str
    quantity: int
    unit_amount: int | None  # None: no price on this channel now (cannot be bought)
    line_amount: int | None
    compare_at_unit_amount: int | None
    prices_include_tax: bool = False


@dataclass(frozen=True)
class CartView:
    cart: Cart
    lines: list[PricedLine]

    @property
    def subtotal(self) -> int:
        return sum(line.line_amount or 0 for line in self.lines)

    @property
    def purchasable(self) -> bool:
        return bool(self.lines) and all(line.unit_amount is not None for line in self.lines)


@dataclass(frozen=True)
class WantedLine:
    """A line to price: the cart's own, or one sent by a system (a marketplace order)."""

    id: str
    variant_id: str
    quantity: int


async def cart_view(session: AsyncSession, cart: Cart, at: datetime) -> CartView:
    lines = list(
        await session.scalars(
            select(CartLine).where(CartLine.cart_id == cart.id).order_by(CartLine.added_at)
        )
    )
    wanted = [WantedLine(line.id, line.variant_id, line.quantity) for line in lines]
    return CartView(cart, await price_lines(session, cart.channel_id, cart.currency, wanted, at))


async def price_lines(
    session: AsyncSession,
    channel_id: str,
    currency: str,
    lines: Sequence[WantedLine],
    at: datetime,
) -> list[PricedLine]:
    """Each line priced by the server for the channel now (unit None: not sold there)."""
    variants = await catalog_api.get_variants(session, {line.variant_id for line in lines})
    prices = await _prices(session, channel_id, currency, lines, at)
    priced = []
    for line in lines:
        variant = variants.get(line.variant_id)
        price = prices.get((line.variant_id, line.quantity))
        priced.append(
            PricedLine(
                id=line.id,
                variant_id=line.variant_id,
                sku=variant.sku if variant else "",
                title=variant.title if variant else "",
                quantity=line.quantity,
                unit_amount=price.unit_amount if price else None,
                line_amount=price.line_amount if price else None,
                compare_at_unit_amount=price.compare_at_unit_amount if price else None,
                prices_include_tax=price.prices_include_tax if price else False,
            )
        )
    return priced


async def _prices(
    session: AsyncSession,
    channel_id: str,
    currency: str,
    lines: Sequence[WantedLine],
    at: datetime,
) -> dict[tuple[str, int], pricing_api.ResolvedPrice]:
    by_quantity: dict[int, list[str]] = defaultdict(list)
    for line in lines:
        by_quantity[line.quantity].append(line.variant_id)
    found: dict[tuple[str, int], pricing_api.ResolvedPrice] = {}
    for quantity, variant_ids in sorted(by_quantity.items()):
        context = pricing_api.PricingContext(
            currency=currency, at=at, channel_id=channel_id, quantity=quantity
        )
        for variant_id, price in (
            await pricing_api.resolve_prices(session, variant_ids, context)
        ).items():
            if price is not None:
                found[(variant_id, quantity)] = price
    return found


async def active_cart_of(session: AsyncSession, customer_id: str) -> Cart | None:
    return await session.scalar(
        select(Cart).where(Cart.customer_id == customer_id, Cart.status == "active")
    )
