"""What the orders step needs to know from the steps before it, as arrays and lookups:
places, channels, the catalog's titles and tax classes, prices, listings, staff."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from omni.catalog.models import Product, Publication, Variant
from omni.demo.context import BuildContext
from omni.demo.data.places import TAX_REGIONS
from omni.demo.steps.order_amounts import REGIONS, TAX_CLASSES, Prices
from omni.demo.steps.order_baskets import STREAMS
from omni.demo.steps.pricing import price_list_ids
from omni.demo.steps.stock import SoldYear
from omni.pricing.models import Price
from omni.promotions.models import PromotionRecord

Ints = NDArray[np.int64]
FLAGSHIP_ORDERS_PER_DAY = 180  # as the staff step tells a flagship


@dataclass
class Facts:
    locations: list[dict[str, Any]]
    place_of: dict[str, int]  # location id → index
    dc_of: Ints  # per location index: the DC serving it (a DC serves itself)
    region_of: Ints  # per location index: index into ``order_amounts.REGIONS``
    registers: Ints  # per location index: how many tills
    associates: dict[int, list[str]]  # store index → associate staff ids
    channel_ids: dict[str, str]  # code → id ("pos" is per store: see ``till_channel``)
    channel_kinds: dict[str, str]
    till_channel: dict[int, str]  # store index → its POS channel id
    variant_ids: list[str]
    sku: list[str]
    title: list[str]
    tax_class: Ints  # per variant: index into ``order_amounts.TAX_CLASSES``
    prices: Prices
    promotions: dict[str, dict[str, Any]]  # "welcome" | "free_shipping" → id, name, created
    level_location: Ints
    level_variant: Ints
    allowed: NDArray[np.bool_]  # levels x streams


async def gather(ctx: BuildContext, sold: SoldYear) -> Facts:
    registry = ctx.registry
    locations = list(registry.locations)
    place_of = {loc["id"]: i for i, loc in enumerate(locations)}
    feeding = registry.extra["feeding_dc"]
    dc_of = np.array(
        [place_of.get(feeding.get(loc["id"], loc["id"]), i) for i, loc in enumerate(locations)],
        dtype=np.int64,
    )
    variants = await _variants(ctx)
    variant_index = {v: i for i, v in enumerate(variants["id"])}
    level_location = np.array([place_of[loc] for _v, loc in sold.pairs], dtype=np.int64)
    level_variant = np.array([variant_index[v] for v, _loc in sold.pairs], dtype=np.int64)
    channels = registry.channels
    facts = Facts(
        locations=locations,
        place_of=place_of,
        dc_of=dc_of,
        region_of=np.array([REGIONS.index(TAX_REGIONS[loc["region"]]) for loc in locations]),
        registers=np.array(
            [
                3 if (loc.get("orders_per_day") or 0) > FLAGSHIP_ORDERS_PER_DAY else 2
                for loc in locations
            ]
        ),
        associates=_associates(ctx, place_of),
        channel_ids={c["code"]: c["id"] for c in channels},
        channel_kinds={c["code"]: c["kind"] for c in channels},
        till_channel={place_of[c["location_id"]]: c["id"] for c in channels if c["kind"] == "pos"},
        variant_ids=variants["id"],
        sku=variants["sku"],
        title=variants["title"],
        tax_class=np.array([TAX_CLASSES.index(c) for c in variants["tax_class"]], dtype=np.int64),
        prices=await _prices(ctx, variant_index),
        promotions=await _promotions(ctx),
        level_location=level_location,
        level_variant=level_variant,
        allowed=np.zeros(0, dtype=bool),
    )
    listed = await _listings(ctx, variants)
    facts.allowed = _allowed(facts, sold, listed)
    return facts


async def _variants(ctx: BuildContext) -> dict[str, list[Any]]:
    """Variants in registry order (ids differ per run; that order does not)."""
    rows = {
        row.id: row
        for row in await ctx.conn.execute(
            select(
                Variant.id,
                Variant.sku,
                Variant.option_values,
                Variant.product_id,
                Product.name,
                Product.option_names,
                Product.tax_class,
            ).join(Product, Product.id == Variant.product_id)
        )
    }
    ordered = [rows[v["id"]] for v in ctx.registry.variants]
    return {
        "id": [r.id for r in ordered],
        "sku": [r.sku for r in ordered],
        "title": [_title(r.name, r.option_names, r.option_values) for r in ordered],
        "tax_class": [r.tax_class for r in ordered],
        "product": [r.product_id for r in ordered],
    }


def _title(name: str, option_names: list[str], values: dict[str, str]) -> str:
    """As the catalog titles a variant: "Linen Shirt — Navy / M"."""
    labels = [values[o] for o in option_names if o in values]
    return f"{name} — {' / '.join(labels)}" if labels else name


async def _prices(ctx: BuildContext, variant_index: dict[str, int]) -> Prices:
    lists = price_list_ids(ctx)
    count = len(variant_index)
    base, tier4, tier8, marketplace = (np.zeros(count, dtype=np.int64) for _ in range(4))
    rows = await ctx.conn.execute(
        select(Price.price_list_id, Price.variant_id, Price.min_quantity, Price.amount)
    )
    for list_id, variant_id, minimum, amount in rows:
        i = variant_index[variant_id]
        if list_id == lists["marketplace"]:
            marketplace[i] = amount
        elif list_id == lists["base"]:
            (base if minimum == 1 else tier4 if minimum == 4 else tier8)[i] = amount
    tier4 = np.where(tier4 > 0, tier4, base)
    tier8 = np.where(tier8 > 0, tier8, tier4)
    return Prices(base, tier4, tier8, np.where(marketplace > 0, marketplace, base))


async def _promotions(ctx: BuildContext) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    rows = await ctx.conn.execute(
        select(
            PromotionRecord.id,
            PromotionRecord.name,
            PromotionRecord.kind,
            PromotionRecord.created_at,
        )
    )
    for row in rows:
        key = "free_shipping" if row.kind == "free_shipping" else "welcome"
        found[key] = {
            "id": row.id,
            "name": row.name,
            "kind": row.kind,
            "since": ctx.micros(row.created_at),
        }
    return found


async def _listings(ctx: BuildContext, variants: dict[str, list[Any]]) -> dict[str, Any]:
    """Per variant: listed on Instagram, listed on the marketplace."""
    instagram = ctx.registry.channel("instagram")["id"]
    social = set(
        (
            await ctx.conn.execute(
                select(Publication.product_id).where(
                    Publication.channel_id == instagram, Publication.published.is_(True)
                )
            )
        ).scalars()
    )
    marketplace = set(ctx.registry.extra.get("marketplace_product_ids", ()))
    return {
        "social": np.array([p in social for p in variants["product"]]),
        "marketplace": np.array([p in marketplace for p in variants["product"]]),
    }


def _allowed(facts: Facts, sold: SoldYear, listed: dict[str, Any]) -> NDArray[np.bool_]:
    """Which streams each stock level can serve: stores their own, DCs theirs; a store
    only with the capability; Instagram and the marketplace only what they list."""
    allowed = np.zeros((len(sold.pairs), len(STREAMS)), dtype=bool)
    for column, stream in enumerate(STREAMS):
        ok = sold.is_store == stream.at_store
        if stream.needs in listed:
            ok &= listed[stream.needs][facts.level_variant]
        elif stream.needs is not None:
            able = np.array([stream.needs in loc["capabilities"] for loc in facts.locations])
            ok &= able[facts.level_location]
        allowed[:, column] = ok
    return allowed


def _associates(ctx: BuildContext, place_of: dict[str, int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for person in ctx.registry.staff:
        if "associate" in person["roles"]:
            for store in person["store_ids"]:
                found.setdefault(place_of[store], []).append(person["id"])
    return found


def as_json(value: Any) -> str:
    return json.dumps(value, separators=(", ", ": "))


def choose(condition: NDArray[np.bool_], yes: Any, no: Any) -> NDArray[Any]:
    """``np.where`` for column values that may be None (object arrays)."""
    return np.where(condition, np.asarray(yes, dtype=object), np.asarray(no, dtype=object))
