"""Replenishment planning (INV10): rules + positions + demand forecasts → a plan of
suggested purchase orders, transfers and store-to-store rebalancing.

A planning run reads a snapshot (rules, stock levels, a year of demand), computes
outside any transaction — fitting a forecast per SKU x location takes a while, and on
SQLite a write transaction would hold the database's only write lock meanwhile — then
writes the plan and its suggestions in one short unit of work. A plan is a snapshot and
says so: each suggestion keeps the position and forecast it was computed from.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.database import Database
from omni.inventory import demand, forecast, queries
from omni.inventory.events import ReplenishmentPlanned
from omni.inventory.replenishment_logic import Rule, Site, SkuPlan, Suggestion, plan_sku
from omni.inventory.replenishment_models import ReplenishmentPlan, ReplenishmentSuggestion
from omni.inventory.replenishment_rules import active_rules
from omni.kernel.actor import Actor
from omni.kernel.errors import Forbidden, InvalidInput
from omni.kernel.ids import new_id
from omni.locations import api as locations_api
from omni.permissions import has_permission

PLANNER = "inventory.write"
FORECAST_HORIZON_DAYS = 28
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class PlanRequest:
    location_ids: list[str] | None = None  # None: every location with rules
    history_days: int = 364
    evaluate: bool = False  # also backtest the forecasts (MASE vs seasonal naive)


@dataclass(frozen=True)
class _Inputs:
    rules: list[Rule]
    sites: dict[str, dict[str, Site]]  # variant → location → site
    history: demand.Series


def ensure_planner(actor: Actor) -> None:
    if not has_permission(actor, PLANNER):
        raise Forbidden("Replenishment planning needs inventory.write.", required=[PLANNER])


async def plan_replenishment(db: Database, actor: Actor, request: PlanRequest) -> str:
    """Compute and store a plan; its id."""
    ensure_planner(actor)
    if not 28 <= request.history_days <= 3 * 365:
        raise InvalidInput("history_days is from 28 to 1095.", field="history_days")
    started = time.perf_counter()
    today = db.clock.now().date()
    async with db.reader() as session:
        inputs = await _load(session, request, today)
    suggestions, figures = await asyncio.to_thread(_compute, inputs, request.evaluate)
    figures["seconds"] = round(time.perf_counter() - started, 2)
    async with db.uow(actor) as uow:
        plan_id = new_id("rpl")
        uow.session.add(
            ReplenishmentPlan(
                id=plan_id,
                created_at=uow.clock.now(),
                created_by=actor.id,
                location_ids=request.location_ids,
                history_days=request.history_days,
                figures=figures,
            )
        )
        await uow.flush()
        if suggestions:
            rows = [_suggestion_row(plan_id, s) for s in suggestions]
            await uow.session.execute(insert(ReplenishmentSuggestion), rows)
        kinds = Counter(s.kind for s in suggestions)
        uow.record(
            ReplenishmentPlanned(
                plan_id=plan_id,
                purchases=kinds["purchase"],
                transfers=kinds["transfer"] + kinds["rebalance"],
            )
        )
        uow.audit("inventory.replenishment_planned", "replenishment_plan", plan_id, dict(kinds))
        await uow.commit()
    return plan_id


async def _load(session: AsyncSession, request: PlanRequest, today: date) -> _Inputs:
    rules = await active_rules(session, request.location_ids)
    variant_ids = {rule.variant_id for rule in rules}
    if not variant_ids:
        return _Inputs(rules, {}, {})
    views = await queries.levels(session, variant_ids)
    places = await locations_api.get_locations(
        session, {v.location_id for v in views} | {r.location_id for r in rules}
    )
    sites: dict[str, dict[str, Site]] = {}
    for view in views:
        place = places.get(view.location_id)
        if place is None:
            continue
        q = view.quantities
        sites.setdefault(view.variant_id, {})[view.location_id] = Site(
            location_id=view.location_id,
            is_store=place.kind == "store",
            lat=place.lat,
            lon=place.lon,
            position=q.on_hand - q.reserved - q.unsellable + q.incoming,
            free=q.on_hand - q.reserved - q.unsellable - q.safety_stock,
        )
    for rule in rules:  # a ruled location that never held the SKU starts from nothing
        place = places.get(rule.location_id)
        if place is not None and rule.location_id not in sites.get(rule.variant_id, {}):
            sites.setdefault(rule.variant_id, {})[rule.location_id] = Site(
                rule.location_id, place.kind == "store", place.lat, place.lon, 0, 0
            )
    history = await demand.daily_demand(
        session, variant_ids, until=today, days=request.history_days
    )
    return _Inputs(rules, sites, history)


def _compute(inputs: _Inputs, evaluate: bool) -> tuple[list[Suggestion], dict[str, Any]]:
    """The CPU part (forecasts and allocation), run in a worker thread."""
    ruled = {(rule.variant_id, rule.location_id) for rule in inputs.rules}
    forecasts = {
        key: forecast.forecast(inputs.history.get(key, []), FORECAST_HORIZON_DAYS)
        for key in sorted(ruled)
    }
    methods = Counter(f.method for f in forecasts.values())
    for variant_id, by_location in inputs.sites.items():
        for location_id in by_location:
            key = (variant_id, location_id)
            if key not in forecasts:
                forecasts[key] = forecast.recent_rate(inputs.history.get(key, []))
    rules_by_variant: dict[str, dict[str, Rule]] = {}
    for rule in inputs.rules:
        rules_by_variant.setdefault(rule.variant_id, {})[rule.location_id] = rule
    suggestions: list[Suggestion] = []
    for variant_id in sorted(rules_by_variant):
        sites = inputs.sites.get(variant_id, {})
        sku = SkuPlan(
            variant_id=variant_id,
            sites=sites,
            rules=rules_by_variant[variant_id],
            demand={loc: forecasts[(variant_id, loc)] for loc in sites},
        )
        suggestions.extend(plan_sku(sku, distance_km))
    figures: dict[str, Any] = {
        "rules": len(inputs.rules),
        "forecast_methods": dict(methods),
        "suggestions": dict(Counter(s.kind for s in suggestions)),
    }
    if evaluate:
        histories = (inputs.history[key] for key in sorted(ruled) if key in inputs.history)
        figures["backtest"] = forecast.backtest(histories).as_dict()
    return suggestions, figures


def distance_km(a: Site, b: Site) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _suggestion_row(plan_id: str, s: Suggestion) -> dict[str, Any]:
    return {
        "id": new_id("rps"),
        "plan_id": plan_id,
        "kind": s.kind,
        "variant_id": s.variant_id,
        "location_id": s.location_id,
        "source_location_id": s.source_location_id,
        "supplier_code": s.supplier_code,
        "supplier_name": s.supplier_name,
        "quantity": s.quantity,
        "position": s.position,
        "reorder_level": s.targets.reorder_level,
        "order_up_to": s.targets.order_up_to,
        "daily_demand": round(s.demand.daily, 4),
        "lead_time_days": s.lead_time_days,
        "reason": s.reason,
        "status": "suggested",
        "accepted_quantity": None,
        "document_type": None,
        "document_id": None,
        "decided_at": None,
        "decided_by": None,
    }
