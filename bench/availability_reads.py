"""The three reads the ``availability`` benchmark times, each made exactly as its HTTP
route makes it (same service functions, one reader session per request), minus HTTP.

(a) ``GET /inventory/availability/nearby`` — one SKU, nearest locations with stock;
(b) ``POST /inventory/availability/bulk`` — 100 SKUs x 100 locations, with a channel;
(c) ``GET /catalog/products?in_stock=true`` — a storefront page of in-stock products.
"""

from __future__ import annotations

import functools
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bench.availability_data import (
    CHANNEL_ID,
    LAT_RANGE,
    LON_RANGE,
    Shape,
    location_id,
    product_id,
    variant_id,
)
from bench.machine import percentile
from omni.catalog import api as catalog_api
from omni.catalog import queries as catalog_queries
from omni.catalog.models import Product
from omni.db.database import Database
from omni.http.pagination import PageParams
from omni.inventory import api as inventory_api
from omni.inventory import availability, nearby
from omni.inventory.domain import NO_BUFFER
from omni.kernel.errors import NotFound

# The nearby route's largest radius and page: every stocked location is measured and
# sorted, the worst case of "one SKU across all locations by distance".
NEARBY_RADIUS_KM, NEARBY_LIMIT = 1000.0, 100
BULK_SKUS, BULK_LOCATIONS = 100, 100
LISTING_PAGE, COUNT_PAGE = 50, 500  # the API's default and largest page sizes
_LOCKING = re.compile(r"\bFOR\s+(UPDATE|NO KEY UPDATE|SHARE|KEY SHARE)\b", re.IGNORECASE)


@dataclass
class StatementLog:
    """Counts the SQL statements a read sends, and any that would lock rows."""

    statements: int = 0
    locking: list[str] = field(default_factory=list)

    def attach(self, db: Database) -> None:
        event.listen(db.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements += 1
        if _LOCKING.search(statement):
            self.locking.append(statement)


async def nearby_read(db: Database, variant: str, point: nearby.Point) -> int:
    async with db.reader() as session:
        if not await catalog_api.variant_exists(session, variant):
            raise NotFound("No such variant.", variant_id=variant)
        channel = await availability.channel_or_404(session, CHANNEL_ID)
        found = await nearby.nearby_with_stock(
            session,
            variant,
            point,
            radius_km=NEARBY_RADIUS_KM,
            limit=NEARBY_LIMIT,
            channel=channel,
        )
    return len(found)


async def bulk_read(db: Database, variants: list[str], locations: list[str]) -> int:
    async with db.reader() as session:
        channel = await availability.channel_or_404(session, CHANNEL_ID)
        pool = availability.pool_buffers(channel)
        rows = await availability.bulk_levels(session, variants, locations)
    # What the route derives per row besides the quantities: available to the channel.
    derived = [row.quantities.available(pool.get(row.location_id, NO_BUFFER)) for row in rows]
    return len(derived)


async def _in_stock_page(
    session: AsyncSession, limit: int, after: str | None
) -> tuple[list[Product], str | None]:
    """What the route asks for a shopper's ``?in_stock=true&limit=…&cursor=…``."""
    return await catalog_queries.list_products_in_stock(
        session,
        catalog_queries.ProductFilters(channel_id=CHANNEL_ID),
        PageParams(limit=limit, after=after),
        storefront=CHANNEL_ID,
        now=datetime.now(UTC),
        in_stock=functools.partial(inventory_api.in_stock_variant_ids, session, CHANNEL_ID),
    )


async def listing_read(db: Database, after: str | None) -> int:
    """A page of the in-stock listing with its total count (``?in_stock=true&total=true``),
    as the route makes it; returns the total."""
    async with db.reader() as session:
        rows, _resume = await _in_stock_page(session, LISTING_PAGE, after)
        await catalog_queries.product_views(session, rows, storefront=True)
        return await catalog_queries.count_products_in_stock(
            session,
            catalog_queries.ProductFilters(channel_id=CHANNEL_ID),
            storefront=CHANNEL_ID,
            now=datetime.now(UTC),
            in_stock=functools.partial(inventory_api.in_stock_variant_ids, session, CHANNEL_ID),
        )


async def count_read(db: Database) -> int:
    """How many products are in stock: the listing has no total (cursor pages), so a
    client counts by following ``next_cursor`` with the largest page, as here."""
    total, after = 0, None
    async with db.reader() as session:
        while True:
            rows, resume = await _in_stock_page(session, COUNT_PAGE, after)
            total += min(len(rows), COUNT_PAGE)
            # The cursor make_page would give: the page's last product, or where the
            # scan stopped on a short page.
            after = rows[COUNT_PAGE - 1].id if len(rows) > COUNT_PAGE else resume
            if after is None:
                return total


@dataclass(frozen=True)
class Workload:
    """Random arguments for each read, from one seeded generator."""

    shape: Shape
    rng: random.Random

    def nearby(self) -> tuple[str, nearby.Point]:
        lat = self.rng.uniform(*LAT_RANGE)
        lon = self.rng.uniform(*LON_RANGE)
        return variant_id(self.rng.randint(1, self.shape.variants)), nearby.Point(lat, lon)

    def bulk(self) -> tuple[list[str], list[str]]:
        variants, locations = self.shape.variants, self.shape.locations
        skus = self.rng.sample(range(1, variants + 1), min(BULK_SKUS, variants))
        places = self.rng.sample(range(locations), min(BULK_LOCATIONS, locations))
        return [variant_id(n) for n in skus], [location_id(n) for n in places]

    def count(self) -> tuple[()]:
        return ()

    def listing(self) -> tuple[str | None]:
        # A quarter of the requests are the first page, the rest pages deeper in.
        if self.rng.random() < 0.25:
            return (None,)
        return (product_id(self.rng.randint(1, self.shape.products)),)


async def measure(
    db: Database,
    read: Callable[..., Awaitable[int]],
    arguments: Callable[[], tuple[Any, ...]],
    *,
    warmup: int,
    iterations: int,
    log: StatementLog,
) -> dict[str, Any]:
    """Latency percentiles of ``read`` over ``iterations`` calls after ``warmup``."""
    for _ in range(warmup):
        await read(db, *arguments())
    before = log.statements
    latencies, results = [], []
    for _ in range(iterations):
        args = arguments()
        started = time.perf_counter()
        results.append(await read(db, *args))
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "iterations": iterations,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "statements_per_call": round((log.statements - before) / iterations, 2),
        "mean_result": round(sum(results) / len(results), 1),
    }
