"""The catalog the ``availability`` benchmark reads: locations, one web channel selling
from all of them, products with variants published on it, and a stock level for every
variant at ``stocked`` of the ``locations`` (25,000 x 400 = 10M rows at full scale).

Ids have the length of real ids (``var_`` + 26 characters) so the indexes have their
real size, and are derived from numbers so the stock levels can be made by one set-based
``INSERT … SELECT`` on either backend. Quantities come from a fixed hash, not ``random()``:
every run, and both backends, read the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from omni.catalog.models import Product, Publication, Variant
from omni.channels.models import Channel, ChannelStockLocation
from omni.db.base import UtcDateTime
from omni.demo.steps.locations import HOURS, retail_holidays
from omni.locations.models import Location

NOW = datetime(2026, 11, 25, tzinfo=UTC)
CHANNEL_ID = "chn_01KBENCH000000000000000WEB"
VARIANTS_PER_PRODUCT = 5
# Every 10th product is sold out everywhere, so the in-stock listing has gaps to skip.
SOLD_OUT_EVERY = 10
# Every 20th location is a distribution center; the rest are stores, which keep
# STORE_BUFFER units back from the web channel for walk-in shoppers.
WAREHOUSE_EVERY = 20
STORE_BUFFER = 2
# Locations lie in a 4° x 7° box (about 445 x 590 km, US north-east), so a point in it
# has every location within the nearby route's largest radius (1,000 km).
LAT_RANGE, LON_RANGE = (39.0, 43.0), (-78.0, -71.0)
# Consecutive variants are stocked at windows of locations this far apart.
LOCATION_STRIDE = 389
INSERT_BATCH = 2_000
SPECIAL_DAYS = {
    day.isoformat(): hours
    for year in (NOW.year, NOW.year + 1)
    for day, hours in sorted(retail_holidays(year).items())
}


@dataclass(frozen=True)
class Shape:
    variants: int
    locations: int
    stocked: int  # locations with a stock level, per variant

    @property
    def products(self) -> int:
        return math.ceil(self.variants / VARIANTS_PER_PRODUCT)

    @property
    def stock_rows(self) -> int:
        return self.variants * self.stocked


def _id(prefix: str, number: int) -> str:
    # 8 + 18 characters: the 26 of a real id body.
    return f"{prefix}_01KBENCH{10**17 + number}"


def variant_id(number: int) -> str:
    return _id("var", number)


def location_id(number: int) -> str:
    return _id("loc", number)


def product_id(number: int) -> str:
    return _id("prd", number)


def location_point(number: int) -> tuple[float, float]:
    """Scattered over the box by a low-discrepancy sequence (no two alike, no RNG)."""
    lat = LAT_RANGE[0] + (number * 0.6180339887 % 1) * (LAT_RANGE[1] - LAT_RANGE[0])
    lon = LON_RANGE[0] + (number * 0.7548776662 % 1) * (LON_RANGE[1] - LON_RANGE[0])
    return round(lat, 6), round(lon, 6)


async def generate(conn: AsyncConnection, shape: Shape) -> None:
    """Fill an empty schema. The caller times it and runs ANALYZE."""
    await _insert(conn, Location, [_location(n) for n in range(shape.locations)])
    await _insert(conn, Channel, [_channel()])
    await _insert(conn, ChannelStockLocation, [_pool_entry(n) for n in range(shape.locations)])
    await _insert(conn, Product, [_product(p) for p in range(1, shape.products + 1)])
    await _insert(conn, Variant, [_variant(n) for n in range(1, shape.variants + 1)])
    await _insert(conn, Publication, [_publication(p) for p in range(1, shape.products + 1)])
    await conn.execute(stock_levels_statement(shape))


async def _insert(conn: AsyncConnection, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_BATCH):
        await conn.execute(insert(model), list(rows[start : start + INSERT_BATCH]))


def _location(number: int) -> dict[str, Any]:
    warehouse = number % WAREHOUSE_EVERY == 0
    lat, lon = location_point(number)
    return {
        "id": location_id(number),
        "code": f"bench-{number:05d}",
        "name": f"{'DC' if warehouse else 'Store'} {number}",
        "kind": "warehouse" if warehouse else "store",
        "status": "active",
        "line1": f"{number} Main Street",
        "city": "Benchtown",
        "country": "US",
        "latitude": lat,
        "longitude": lon,
        "time_zone": "America/New_York",
        # Real rows carry a week of hours and a year of holidays, read with the row.
        "opening_hours": HOURS["warehouse" if warehouse else "suburban"],
        "special_days": SPECIAL_DAYS,
        "capabilities": ["ship_from_store"] if warehouse else ["pickup", "ship_from_store"],
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


def _channel() -> dict[str, Any]:
    return {
        "id": CHANNEL_ID,
        "code": "bench-web",
        "name": "Bench web shop",
        "kind": "web",
        "currency": "USD",
        "locale": "en-US",
        "tax_region": "US",
        "fulfillment_methods": ["ship", "pickup"],
        "default_buffer_units": STORE_BUFFER,
        "default_buffer_percent": 0,
        "active": True,
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


def _pool_entry(number: int) -> dict[str, Any]:
    warehouse = number % WAREHOUSE_EVERY == 0
    return {
        "channel_id": CHANNEL_ID,
        "location_id": location_id(number),
        "buffer_units": 0 if warehouse else None,  # stores: the channel's default
        "buffer_percent": None,
    }


def _product(number: int) -> dict[str, Any]:
    return {
        "id": product_id(number),
        "handle": f"bench-product-{number}",
        "name": f"Bench product {number}",
        "brand": "Bench",
        "status": "active",
        "option_names": ["size"],
        "attributes": {},
        "tax_class": "standard",
        "media": [],
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


def _variant(number: int) -> dict[str, Any]:
    size = (number - 1) % VARIANTS_PER_PRODUCT
    return {
        "id": variant_id(number),
        "product_id": product_id((number - 1) // VARIANTS_PER_PRODUCT + 1),
        "sku": f"BENCH-{number:07d}",
        "gtin": None,
        "option_values": {"size": str(size)},
        "option_key": f"size={size}",
        "status": "active",
        "position": size,
        "is_bundle": False,
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }


def _publication(number: int) -> dict[str, Any]:
    return {
        "product_id": product_id(number),
        "channel_id": CHANNEL_ID,
        "published": True,
        "published_at": None,
        "updated_at": NOW,
    }


def stock_levels_statement(shape: Shape) -> Any:
    """One INSERT … SELECT over variant numbers x slots; the same SQL on both backends.

    Variant n is stocked at locations (n * STRIDE + slot) mod locations. h is a cheap
    hash of (n, slot): 40 % of levels are empty, the rest hold 1-17 units, some with a
    reservation, a damaged unit, safety stock or units on their way."""
    return text(
        f"""
        WITH RECURSIVE
          variant_number(n) AS (
            SELECT CAST(1 AS BIGINT) UNION ALL
            SELECT n + 1 FROM variant_number WHERE n < {shape.variants}),
          slot(o) AS (
            SELECT CAST(0 AS BIGINT) UNION ALL
            SELECT o + 1 FROM slot WHERE o + 1 < {shape.stocked}),
          cell AS (
            SELECT n, o, (n * 7919 + o * 104729) * (n * 7919 + o * 104729) % 1000003 % 1000 AS h,
                   ((n - 1) / {VARIANTS_PER_PRODUCT} + 1) % {SOLD_OUT_EVERY} = 0 AS sold_out
            FROM variant_number CROSS JOIN slot),
          level AS (
            SELECT n, o, h,
                   CASE WHEN sold_out OR h % 100 < 40 THEN 0 ELSE 1 + h % 17 END AS on_hand
            FROM cell)
        INSERT INTO stock_levels (id, variant_id, location_id, on_hand, reserved, incoming,
                                  unsellable, safety_stock, updated_at)
        SELECT 'stk_01KBENCH' || ({10**17} + n * 100000 + o),
               'var_01KBENCH' || ({10**17} + n),
               'loc_01KBENCH' || ({10**17} + (n * {LOCATION_STRIDE} + o) % {shape.locations}),
               on_hand,
               CASE WHEN on_hand > 0 AND h % 9 = 0 THEN 1 ELSE 0 END,
               CASE WHEN h % 31 = 0 THEN 6 ELSE 0 END,
               CASE WHEN on_hand > 1 AND h % 97 = 3 THEN 1 ELSE 0 END,
               CASE WHEN h % 50 = 1 THEN 1 ELSE 0 END,
               :now
        FROM level
        """
    ).bindparams(bindparam("now", NOW, type_=UtcDateTime()))
