"""Product cards and the product page's variant rows: catalog facts, the channel's price
(one pricing read for a page of products) and stock through the channel (one inventory
read). Nothing is computed here that a module already knows."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts import api as carts_api
from omni.catalog import api as catalog_api
from omni.inventory import api as inventory_api
from omni.web.storefront.shop import Shop

STOCK_LABELS = {
    "in_stock": "In stock",
    "low_stock": "Only a few left",
    "out_of_stock": "Out of stock online",
    "backorder": "Available on backorder",
    "preorder": "Available to preorder",
}


@dataclass(frozen=True)
class Card:
    handle: str
    name: str
    brand: str | None
    from_amount: int | None  # the lowest variant price on the channel
    in_stock: bool


@dataclass(frozen=True)
class VariantRow:
    id: str
    label: str  # the option values: "M / Navy"
    sku: str
    amount: int | None
    compare_at: int | None
    stock: str  # a STOCK_LABELS key
    buyable: bool

    @property
    def stock_label(self) -> str:
        return STOCK_LABELS.get(self.stock, self.stock)


async def _prices(
    session: AsyncSession, shop: Shop, variant_ids: list[str], at: datetime
) -> dict[str, carts_api.PricedLine]:
    """The price of one unit of each variant on the web channel — the cart's own pricing."""
    wanted = [carts_api.WantedLine(v, v, 1) for v in variant_ids]
    priced = await carts_api.price_lines(session, shop.channel_id, shop.currency, wanted, at)
    return {line.variant_id: line for line in priced}


async def search(
    session: AsyncSession,
    shop: Shop,
    at: datetime,
    *,
    q: str | None = None,
    category_id: str | None = None,
    in_stock_only: bool = False,
    limit: int = 24,
) -> list[Card]:
    in_stock = functools.partial(inventory_api.in_stock_variant_ids, session, shop.channel_id)
    products = await catalog_api.storefront_products(
        session, shop.channel_id, at=at, q=q, category_id=category_id,
        in_stock=in_stock if in_stock_only else None, limit=limit,
    )  # fmt: skip
    variant_ids = [v.id for p in products for v in p.variants]
    prices = await _prices(session, shop, variant_ids, at)
    stocked = await in_stock(variant_ids)
    cards = []
    for product in products:
        prices_here = (prices[v.id].unit_amount for v in product.variants)
        amounts = [amount for amount in prices_here if amount is not None]
        cards.append(
            Card(
                handle=product.handle,
                name=product.name,
                brand=product.brand,
                from_amount=min(amounts) if amounts else None,
                in_stock=any(v.id in stocked for v in product.variants),
            )
        )
    return cards


async def variant_rows(
    session: AsyncSession, shop: Shop, product: catalog_api.ProductOut, at: datetime
) -> list[VariantRow]:
    ids = [v.id for v in product.variants]
    prices = await _prices(session, shop, ids, at)
    stock = await inventory_api.availability_for_channel(session, shop.channel_id, ids, at=at)
    rows = []
    for variant in product.variants:
        price = prices[variant.id]
        state = stock[variant.id].status() if variant.id in stock else "out_of_stock"
        label = " / ".join(
            variant.option_values[o] for o in product.option_names if o in variant.option_values
        )
        rows.append(
            VariantRow(
                id=variant.id,
                label=label or variant.sku,
                sku=variant.sku,
                amount=price.unit_amount,
                compare_at=price.compare_at_unit_amount,
                stock=state,
                buyable=price.unit_amount is not None and state != "out_of_stock",
            )
        )
    return rows
