"""Step: stock in every location (INV2/INV3) — deep in the distribution centers, thin
in the stores, with real gaps.

Each stock level comes with the ledger movements that explain it (an opening receipt
some months ago, a later delivery for some, the odd damaged unit), so the ledger check
holds on the demo from the first minute. Lockers and pickup points hold no stock;
bundles have none of their own (theirs is derived from their components). Sales,
reservations and returns join the history when the demo gains orders.
"""

from __future__ import annotations

import random
from typing import Any

from omni.demo.context import BuildContext
from omni.inventory.domain import MovementKind
from omni.inventory.models import StockLevel, StockMovement
from omni.kernel.ids import new_id

STORE_RANGE_SHARE = 0.7  # a store carries about 70 % of the assortment
STORE_STOCKOUT_SHARE = 0.15
DC_STOCKOUT_SHARE = 0.03
DAMAGED_SHARE = 0.01


def _dc_units(rng: random.Random) -> int:
    return 0 if rng.random() < DC_STOCKOUT_SHARE else rng.randint(20, 300)


def _store_units(rng: random.Random) -> int:
    return 0 if rng.random() < STORE_STOCKOUT_SHARE else rng.randint(1, 8)


async def build_stock(ctx: BuildContext) -> None:
    rng = ctx.rng("stock")
    holders = [loc for loc in ctx.registry.locations if loc["kind"] in ("warehouse", "store")]
    # Drafts are not bought in yet; archived lines may still have units left to sell off.
    drafts = {p["id"] for p in ctx.registry.products if p["status"] == "draft"}
    stocked = [
        v for v in ctx.registry.variants if not v["is_bundle"] and v["product_id"] not in drafts
    ]
    levels: list[dict[str, Any]] = []
    movements: list[dict[str, Any]] = []
    for location in holders:
        in_dc = location["kind"] == "warehouse"
        for variant in stocked:
            if not in_dc and rng.random() > STORE_RANGE_SHARE:
                continue
            units = _dc_units(rng) if in_dc else _store_units(rng)
            _add_level(ctx, rng, levels, movements, variant["id"], location["id"], units, in_dc)
    await ctx.insert(StockLevel, levels)
    await ctx.insert(StockMovement, movements)


def _add_level(
    ctx: BuildContext,
    rng: random.Random,
    levels: list[dict[str, Any]],
    movements: list[dict[str, Any]],
    variant_id: str,
    location_id: str,
    units: int,
    in_dc: bool,
) -> None:
    level_id = new_id("stk")
    deliveries = _deliveries(rng, units)
    damaged = 1 if units > 2 and rng.random() < DAMAGED_SHARE else 0
    for days_ago, quantity in deliveries:
        movements.append(
            _movement(
                ctx,
                level_id,
                variant_id,
                location_id,
                MovementKind.RECEIPT,
                days_ago,
                on_hand=quantity,
            )
        )
    if damaged:
        movements.append(
            _movement(
                ctx,
                level_id,
                variant_id,
                location_id,
                MovementKind.DAMAGE,
                rng.randint(1, 20),
                unsellable=1,
                reason="damaged in store",
            )
        )
    levels.append(
        {
            "id": level_id,
            "variant_id": variant_id,
            "location_id": location_id,
            "on_hand": units,
            "reserved": 0,
            "incoming": 0,
            "unsellable": damaged,
            "safety_stock": rng.choice((0, 0, 5, 10)) if in_dc else 0,
            "updated_at": ctx.now,
        }
    )


def _deliveries(rng: random.Random, units: int) -> list[tuple[int, int]]:
    """An opening receipt months ago, sometimes topped up by a recent delivery."""
    if units == 0:
        return []
    if units > 3 and rng.random() < 0.4:
        recent = rng.randint(1, units // 2)
        return [(rng.randint(120, 360), units - recent), (rng.randint(2, 60), recent)]
    return [(rng.randint(30, 360), units)]


def _movement(
    ctx: BuildContext,
    level_id: str,
    variant_id: str,
    location_id: str,
    kind: MovementKind,
    days_ago: int,
    *,
    on_hand: int = 0,
    unsellable: int = 0,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "id": new_id("mov"),
        "stock_level_id": level_id,
        "variant_id": variant_id,
        "location_id": location_id,
        "kind": kind.value,
        "on_hand_delta": on_hand,
        "reserved_delta": 0,
        "incoming_delta": 0,
        "unsellable_delta": unsellable,
        "reason": reason,
        "channel_id": None,
        "actor_kind": "system",
        "actor_id": "demo",
        "source_type": "demo",
        "source_id": None,
        "reservation_id": None,
        "occurred_at": ctx.days_ago(days_ago),
    }
