"""Step: replenishment rules (INV10) for the lines that sell, as a planner would set them.

Stores keep their best sellers on min/max rules fed by their distribution center (a
week's demand as the min, about a month's as the max — the policy the simulated year
was run on); the DCs keep their top lines on reorder-point rules bought from each
line's supplier, the reorder point left to the forecast. The rest of the range is
replenished by hand, as in most retailers.
"""

from __future__ import annotations

import math
from typing import Any

from omni.demo.context import BuildContext
from omni.demo.steps.stock_documents import supplier_code
from omni.inventory.replenishment_models import ReplenishmentRule
from omni.kernel.ids import new_id

STORE_RULES = 40  # per store, at scale 1
DC_RULES = 200  # per DC, at scale 1
PACK_SIZES = (1, 1, 4, 6, 12)


async def build_replenishment(ctx: BuildContext) -> None:
    rng = ctx.rng("replenishment")
    rates: dict[tuple[str, str], float] = ctx.registry.extra["demand_rates"]
    feeding_dc: dict[str, str] = ctx.registry.extra["feeding_dc"]
    line_of = {v["id"]: v["line"] for v in ctx.registry.variants}
    by_location: dict[str, list[tuple[float, str]]] = {}
    for (variant_id, location_id), rate in rates.items():
        by_location.setdefault(location_id, []).append((rate, variant_id))
    rows: list[dict[str, Any]] = []
    for location_id, ranked in sorted(by_location.items()):
        ranked.sort(reverse=True)
        is_store = location_id in feeding_dc
        top = ctx.scaled(STORE_RULES if is_store else DC_RULES, minimum=3)
        for rate, variant_id in ranked[:top]:
            if is_store:
                low = max(1, math.ceil(rate * 7))
                rule = _store_rule(low, low + max(3, math.ceil(rate * 21)), feeding_dc[location_id])
            else:
                line = line_of[variant_id]
                rule = _dc_rule(line, rng.choice(PACK_SIZES))
            rows.append(_row(ctx, variant_id, location_id, rule))
    await ctx.insert(ReplenishmentRule, rows)


def _store_rule(low: int, high: int, dc: str) -> dict[str, Any]:
    return {
        "method": "min_max",
        "min_qty": low,
        "max_qty": high,
        "source_location_id": dc,
        "lead_time_days": 2,
        "review_days": 7,
    }


def _dc_rule(line: str, pack_size: int) -> dict[str, Any]:
    return {
        "method": "reorder_point",
        "supplier_code": supplier_code(line),
        "supplier_name": f"{line} supplier",
        "lead_time_days": 14,
        "review_days": 28,
        "pack_size": pack_size,
    }


def _row(
    ctx: BuildContext, variant_id: str, location_id: str, rule: dict[str, Any]
) -> dict[str, Any]:
    base = {
        "id": new_id("rpr"),
        "variant_id": variant_id,
        "location_id": location_id,
        "method": "min_max",
        "min_qty": None,
        "max_qty": None,
        "reorder_point": None,
        "reorder_qty": None,
        "lead_time_days": 7,
        "review_days": 14,
        "service_level_percent": 95,
        "pack_size": 1,
        "supplier_code": None,
        "supplier_name": None,
        "source_location_id": None,
        "active": True,
        "created_at": ctx.days_ago(30),
        "updated_at": ctx.days_ago(30),
    }
    return {**base, **rule}
