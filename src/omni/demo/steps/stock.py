"""Step: stock in every location (INV2/INV3) with a year of movements behind it —
deep in the distribution centers, thin in the stores, with real gaps.

What each SKU x location sells, and how it was replenished, is simulated day by day
for 52 weeks (``stock_history``): sales in stores and DCs, weekly store orders shipped
from the DC as received transfers, DC purchase orders received from each product line's
supplier. Every unit is a ledger movement naming its document, so the levels equal the
sum of their movements and replenishment (INV10) has real demand history to learn from.
The sales' movements are written by the orders step (``orders``), which turns them into
the orders they belong to: this step hands it the simulated sales (``SoldYear``).
Lockers and pickup points hold no stock; bundles have none of their own.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

from omni.demo.context import BuildContext
from omni.demo.steps import stock_history
from omni.demo.steps.stock_documents import DocumentWriter
from omni.inventory.domain import MovementKind
from omni.inventory.models import StockLevel, StockMovement
from omni.kernel.ids import new_id

STORE_RANGE_SHARE = 0.6  # a store carries about 60 % of the assortment
DAMAGED_SHARE = 0.01
# Daily units of a typical SKU in a typical store: lognormal across the range, so a
# few lines sell every day and the long tail a handful of times a year.
POPULARITY_MU, POPULARITY_SIGMA = -4.4, 1.2
ONLINE_FACTOR = 2.5  # a DC's web demand against one average store's
FLAGSHIP_FACTOR = 1.8


@dataclass(frozen=True)
class SoldYear:
    """The simulated sales, for the orders step: per stock level (``pairs[i]``: variant,
    location) and day, the units sold; day 0 is ``first_day`` (in each location's own
    time zone)."""

    pairs: list[tuple[str, str]]
    level_ids: list[str]
    sold: np.ndarray  # levels x days
    is_store: np.ndarray  # levels
    first_day: date
    on_hand: np.ndarray  # levels: at the end (today)


async def build_stock(ctx: BuildContext) -> None:
    rng = ctx.rng("stock")
    pairs, levels = _levels(ctx, rng)
    np_rng = np.random.default_rng(rng.getrandbits(64))
    first_day = ctx.now.date() - timedelta(days=stock_history.DAYS)
    year = stock_history.simulate(
        levels, np_rng, first_day.weekday(), first_day.timetuple().tm_yday - 1
    )
    ledger = _LedgerRows(ctx, pairs, levels.is_store)
    docs = DocumentWriter(ctx, pairs, levels.source)
    ledger.opening(year.opening)
    docs.transfers(year.shipped, ledger)
    docs.purchases(year.bought, ledger)
    damaged = ledger.damage(rng, year.on_hand)
    await ctx.insert(StockLevel, ledger.level_rows(rng, year.on_hand, damaged))
    await docs.insert()
    await ctx.insert_plain(StockMovement, ledger.movements)
    ctx.registry.extra["sold_year"] = SoldYear(
        pairs, ledger.level_ids, year.sold, levels.is_store, first_day, year.on_hand
    )
    # For the replenishment step: what sells where, and which DC feeds which store.
    ctx.registry.extra["demand_rates"] = {
        pair: float(rate) for pair, rate in zip(pairs, levels.rate, strict=True)
    }
    ctx.registry.extra["feeding_dc"] = {
        pairs[i][1]: pairs[int(source)][1] for i, source in enumerate(levels.source) if source >= 0
    }


def _levels(
    ctx: BuildContext, rng: random.Random
) -> tuple[list[tuple[str, str]], stock_history.Levels]:
    """Which SKU is stocked where, at what demand rate, replenished from which DC."""
    holders = [loc for loc in ctx.registry.locations if loc["kind"] in ("warehouse", "store")]
    dcs = [loc for loc in holders if loc["kind"] == "warehouse"]
    # Drafts are not bought in yet; archived lines may still have units left to sell off.
    status = {p["id"]: p["status"] for p in ctx.registry.products}
    stocked = [
        v
        for v in ctx.registry.variants
        if not v["is_bundle"] and status[v["product_id"]] != "draft"
    ]
    popularity = {
        v["id"]: math.exp(rng.gauss(POPULARITY_MU, POPULARITY_SIGMA))
        * (0.3 if status[v["product_id"]] == "archived" else 1.0)
        for v in stocked
    }
    pairs: list[tuple[str, str]] = []
    rates: list[float] = []
    sources: list[str | None] = []
    review_weekdays: list[int] = []
    for location in sorted(holders, key=lambda loc: loc["kind"] != "warehouse"):
        is_dc = location["kind"] == "warehouse"
        traffic = _traffic(rng, location)
        feeder = None if is_dc else _nearest(location, dcs)
        review_weekday = rng.randrange(7)  # the day this store sends its order
        for variant in stocked:
            if not is_dc and rng.random() > STORE_RANGE_SHARE:
                continue
            pairs.append((variant["id"], location["id"]))
            rates.append(popularity[variant["id"]] * traffic)
            sources.append(feeder)
            review_weekdays.append(review_weekday)
    index = {pair: i for i, pair in enumerate(pairs)}
    source_index = [
        index.get((variant, feeder), -1) if feeder else -1
        for (variant, _loc), feeder in zip(pairs, sources, strict=True)
    ]
    is_store = [source is not None for source in sources]
    levels = stock_history.Levels(
        rate=np.array(rates),
        is_store=np.array(is_store),
        source=np.array(source_index, dtype=np.int64),
        review_weekday=np.array(review_weekdays, dtype=np.int64),
    )
    return pairs, levels


def _traffic(rng: random.Random, location: dict[str, Any]) -> float:
    if location["kind"] == "warehouse":
        return ONLINE_FACTOR
    return FLAGSHIP_FACTOR if location.get("hours") == "city_flagship" else rng.uniform(0.6, 1.4)


def _nearest(location: dict[str, Any], dcs: list[dict[str, Any]]) -> str | None:
    if not dcs:
        return None

    def distance(dc: dict[str, Any]) -> float:
        return (dc["latitude"] - location["latitude"]) ** 2 + (
            dc["longitude"] - location["longitude"]
        ) ** 2

    return str(min(dcs, key=distance)["id"])


class _LedgerRows:
    """Stock levels and their movements, built from the simulated year."""

    def __init__(
        self, ctx: BuildContext, pairs: list[tuple[str, str]], is_store: np.ndarray
    ) -> None:
        self.ctx = ctx
        self.pairs = pairs
        self.is_store = is_store
        self.level_ids = [new_id("stk") for _ in pairs]
        self.movements: list[dict[str, Any]] = []
        self.first_day = ctx.now.date() - timedelta(days=stock_history.DAYS)

    def day_start(self, day: int) -> datetime:
        return datetime.combine(self.first_day + timedelta(days=day), time(), UTC)

    def add(self, level: int, kind: MovementKind, at: datetime, **values: Any) -> None:
        variant_id, location_id = self.pairs[level]
        self.movements.append(
            {
                "id": new_id("mov"),
                "stock_level_id": self.level_ids[level],
                "variant_id": variant_id,
                "location_id": location_id,
                "kind": kind.value,
                "on_hand_delta": values.get("on_hand", 0),
                "reserved_delta": 0,
                "incoming_delta": 0,
                "unsellable_delta": values.get("unsellable", 0),
                "reason": values.get("reason"),
                "channel_id": values.get("channel_id"),
                "actor_kind": "system",
                "actor_id": "demo",
                "source_type": values.get("source_type", "demo"),
                "source_id": values.get("source_id"),
                "reservation_id": None,
                "occurred_at": at,
            }
        )

    def opening(self, opening: np.ndarray) -> None:
        at = self.day_start(-1) + timedelta(hours=9)
        for level in np.flatnonzero(opening):
            self.add(
                int(level),
                MovementKind.RECEIPT,
                at,
                on_hand=int(opening[level]),
                reason="opening stock",
            )

    def damage(self, rng: random.Random, on_hand: np.ndarray) -> dict[int, int]:
        damaged: dict[int, int] = {}
        for level in np.flatnonzero(on_hand > 2):
            if rng.random() < DAMAGED_SHARE:
                damaged[int(level)] = 1
                at = self.ctx.days_ago(rng.randint(1, 20))
                self.add(
                    int(level), MovementKind.DAMAGE, at, unsellable=1, reason="damaged in store"
                )
        return damaged

    def level_rows(
        self, rng: random.Random, on_hand: np.ndarray, damaged: dict[int, int]
    ) -> list[dict[str, Any]]:
        rows = []
        for level, (variant_id, location_id) in enumerate(self.pairs):
            in_dc = not self.is_store[level]
            rows.append(
                {
                    "id": self.level_ids[level],
                    "variant_id": variant_id,
                    "location_id": location_id,
                    "on_hand": int(on_hand[level]),
                    "reserved": 0,
                    "incoming": 0,
                    "unsellable": damaged.get(level, 0),
                    "safety_stock": rng.choice((0, 0, 5, 10)) if in_dc else 0,
                    "updated_at": self.ctx.now,
                }
            )
        return rows
