"""Step: price lists and prices (CH3).

- ``base-usd``: every variant at its price point (29.95, 79.00…); a sale subset carries
  the original as compare-at; dinnerware, towels and candles have quantity tiers.
- ``harbor-club-usd``: member prices (segment ``harbor-club``) for a limited time.
- ``goodsmart-usd``: the marketplace's own prices, a little higher to cover its fees.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from omni.catalog.models import ProductCategory
from omni.demo.context import BuildContext
from omni.kernel.ids import new_id
from omni.kernel.money import check_currency
from omni.pricing import domain
from omni.pricing.models import Price, PriceList

CURRENCY = "USD"
SALE_SHARE = 0.15
SALE_PERCENTS = (20, 25, 30, 40)
MEMBER_SHARE = 0.25
MEMBER_PERCENT = 15
MEMBER_SEGMENT = "harbor-club"
MARKETPLACE_MARKUP_PERCENT = 6
# Buy more, pay less per unit: (minimum quantity, percent off) on these lines.
TIERED_LINES = frozenset({"DIN", "TWL", "CDL"})
TIERS = ((4, 10), (8, 15))


def price_list_ids(ctx: BuildContext) -> dict[str, str]:
    """The lists' ids, made on first use: channels name their list before it is filled."""
    ids = ctx.registry.extra.setdefault("price_list_ids", {})
    for key in ("base", "members", "marketplace"):
        ids.setdefault(key, new_id("prl"))
    return dict(ids)


def ends_in_95(cents: int) -> int:
    """The highest x.95 price not above ``cents`` (59.25 → 58.95)."""
    dollars = cents // 100
    candidate = dollars * 100 + 95
    return candidate if candidate <= cents else max(95, candidate - 100)


def ends_in_99(cents: int) -> int:
    return (cents // 100) * 100 + 99


def list_row(ctx: BuildContext, key: str, code: str, name: str, **terms: Any) -> dict[str, Any]:
    created = ctx.days_ago(terms.pop("age_days", 800))
    row = {
        "id": price_list_ids(ctx)[key],
        "code": code,
        "name": name,
        "currency": check_currency(CURRENCY),
        "channel_ids": sorted(terms.pop("channel_ids", [])),
        "customer_segment": terms.pop("customer_segment", None),
        "loyalty_tier": None,
        "priority": terms.pop("priority", 0),
        "valid_from": terms.pop("valid_from", None),
        "valid_to": terms.pop("valid_to", None),
        "active": True,
        "prices_include_tax": False,
        "created_at": created,
        "updated_at": created,
        "version": 1,
    }
    if row["valid_from"] and row["valid_to"] and row["valid_to"] <= row["valid_from"]:
        raise ValueError(f"price list {code}: valid_to must be after valid_from")
    return row


def price_row(ctx: BuildContext, list_id: str, variant_id: str, amount: int, **more: Any) -> Any:
    compare_at = more.get("compare_at")
    if amount < 0 or (compare_at is not None and compare_at < amount):
        raise ValueError(f"bad demo price {amount} (compare at {compare_at})")
    return {
        "id": new_id("prc"),
        "price_list_id": list_id,
        "variant_id": variant_id,
        "min_quantity": more.get("min_quantity", 1),
        "amount": amount,
        "compare_at_amount": compare_at,
        "updated_at": ctx.now,
    }


def base_prices(ctx: BuildContext, rng: random.Random, sale: set[str]) -> list[dict[str, Any]]:
    list_id = price_list_ids(ctx)["base"]
    # Walk products in catalog order (not id order: ids differ per run) for determinism.
    markdown = {
        p["id"]: rng.choice(SALE_PERCENTS) for p in ctx.registry.products if p["id"] in sale
    }
    rows = []
    for variant in ctx.registry.variants:
        price = variant["price"]
        if variant["product_id"] in markdown:
            sale_price = ends_in_95(price * (100 - markdown[variant["product_id"]]) // 100)
            rows.append(price_row(ctx, list_id, variant["id"], sale_price, compare_at=price))
            continue
        rows.append(price_row(ctx, list_id, variant["id"], price))
        if variant["line"] in TIERED_LINES:
            tiers = [(1, price)] + [(q, price * (100 - off) // 100) for q, off in TIERS]
            if domain.tier_problems(tiers):
                raise ValueError(f"demo tiers of {variant['sku']} rise with quantity")
            rows += [
                price_row(ctx, list_id, variant["id"], amount, min_quantity=q)
                for q, amount in tiers[1:]
            ]
    return rows


def member_prices(ctx: BuildContext, rng: random.Random, sale: set[str]) -> list[dict[str, Any]]:
    list_id = price_list_ids(ctx)["members"]
    eligible = [
        p["id"]
        for p in ctx.registry.products
        if p["status"] == "active" and p["id"] not in sale and p["line"] != "KIT"
    ]
    chosen = set(rng.sample(eligible, round(len(eligible) * MEMBER_SHARE)))
    return [
        price_row(ctx, list_id, v["id"], v["price"] * (100 - MEMBER_PERCENT) // 100)
        for v in ctx.registry.variants
        if v["product_id"] in chosen
    ]


def marketplace_prices(ctx: BuildContext) -> list[dict[str, Any]]:
    list_id = price_list_ids(ctx)["marketplace"]
    listed = set(ctx.registry.extra.get("marketplace_product_ids", ()))
    return [
        price_row(
            ctx,
            list_id,
            v["id"],
            ends_in_99(v["price"] * (100 + MARKETPLACE_MARKUP_PERCENT) // 100),
        )
        for v in ctx.registry.variants
        if v["product_id"] in listed
    ]


def price_lists(ctx: BuildContext) -> list[dict[str, Any]]:
    marketplace = next(c["id"] for c in ctx.registry.channels if c["kind"] == "marketplace")
    return [
        list_row(ctx, "base", "base-usd", "Base prices (USD)"),
        list_row(ctx, "members", "harbor-club-usd", "Harbor Club member event",
                 customer_segment=MEMBER_SEGMENT, priority=10, age_days=20,
                 valid_from=ctx.days_ago(14), valid_to=ctx.now + timedelta(days=30)),
        list_row(ctx, "marketplace", "goodsmart-usd", "Goodsmart Marketplace prices",
                 channel_ids=[marketplace], priority=5, age_days=200),
    ]  # fmt: skip


async def build_pricing(ctx: BuildContext) -> None:
    rng = ctx.rng("pricing")
    active = [p for p in ctx.registry.products if p["status"] == "active" and p["line"] != "KIT"]
    sale = {p["id"] for p in rng.sample(active, round(len(active) * SALE_SHARE))}
    await ctx.insert(PriceList, price_lists(ctx))
    rows = base_prices(ctx, rng, sale) + member_prices(ctx, rng, sale) + marketplace_prices(ctx)
    await ctx.insert(Price, rows)
    sale_category = ctx.registry.extra["category_ids"]["sale"]
    await ctx.insert(
        ProductCategory,
        [{"product_id": p, "category_id": sale_category} for p in sorted(sale)],
    )
    ctx.registry.extra["sale_product_ids"] = sorted(sale)
