"""Pure replenishment rules (INV10): when a location needs stock, how much, and from
where. No database: the planner (``replenishment.py``) feeds positions, rules and
forecasts in and writes the suggestions out; tests drive these functions directly.

Inventory *position* is what a location can count on: on hand - reserved - unsellable
+ incoming. A rule's reorder level and order-up-to level are compared with it.

Where the units come from, per SKU, in this order:
1. rebalancing: a nearby store holding more than it needs gives its excess (cheaper and
   faster than buying; it also clears slow stock);
2. the rule's source location (a distribution center ships to its stores), as far as
   that location's free stock goes — what a DC ships is taken off its own position
   before its own need is judged, so the DC reorders for what it is about to send;
3. the rule's supplier (a purchase order), rounded up to whole packs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

from omni.inventory.forecast import Forecast

KEEP_DAYS_WITHOUT_RULE = 56  # a store without a rule keeps 8 weeks of its demand
REBALANCE_RADIUS_KM = 80.0  # store-to-store moves only within a metro's reach


@dataclass(frozen=True)
class Rule:
    variant_id: str
    location_id: str
    method: str  # min_max | reorder_point
    min_qty: int | None = None
    max_qty: int | None = None
    reorder_point: int | None = None
    reorder_qty: int | None = None
    lead_time_days: int = 7
    review_days: int = 14
    service_level_percent: int = 95
    pack_size: int = 1
    supplier_code: str | None = None
    supplier_name: str | None = None
    source_location_id: str | None = None


@dataclass(frozen=True)
class Targets:
    reorder_level: int  # at or below this position: replenish
    order_up_to: int  # replenish up to at least this position


@dataclass(frozen=True)
class Site:
    """One location's stock of the SKU being planned."""

    location_id: str
    is_store: bool
    lat: float
    lon: float
    position: int  # on hand - reserved - unsellable + incoming
    free: int  # could leave today: on hand - reserved - unsellable - safety stock


DistanceFn = Callable[[Site, Site], float]


@dataclass(frozen=True)
class Suggestion:
    kind: str  # purchase | transfer | rebalance
    variant_id: str
    location_id: str
    quantity: int
    position: int
    targets: Targets
    demand: Forecast
    lead_time_days: int
    reason: str
    source_location_id: str | None = None
    supplier_code: str | None = None
    supplier_name: str | None = None


def targets(rule: Rule, demand: Forecast) -> Targets:
    if rule.method == "min_max":
        return Targets(rule.min_qty or 0, max(rule.max_qty or 0, rule.min_qty or 0))
    lead = rule.lead_time_days
    if rule.reorder_point is not None:
        reorder_level = rule.reorder_point
    else:
        z = NormalDist().inv_cdf(min(rule.service_level_percent, 99.9) / 100)
        safety = max(0.0, z) * demand.sigma * math.sqrt(lead)
        reorder_level = math.ceil(demand.daily * lead + safety)
    cover = rule.reorder_qty or math.ceil(demand.daily * rule.review_days)
    return Targets(reorder_level, reorder_level + max(cover, 1))


def quantity_needed(rule: Rule, position: int, levels: Targets) -> int:
    """Units to order so the position clears the reorder level (0: not needed)."""
    if position > levels.reorder_level:
        return 0
    if rule.method == "reorder_point" and rule.reorder_qty:
        lots = math.ceil((levels.reorder_level - position + 1) / rule.reorder_qty)
        wanted = lots * rule.reorder_qty
    else:
        wanted = max(levels.order_up_to - position, 1)
    return _whole_packs(wanted, rule.pack_size)


def _whole_packs(units: int, pack_size: int) -> int:
    return math.ceil(units / pack_size) * pack_size


@dataclass
class SkuPlan:
    """Everything known about one SKU across locations, and what planning took from where."""

    variant_id: str
    sites: Mapping[str, Site]
    rules: Mapping[str, Rule]  # by location
    demand: Mapping[str, Forecast]  # by location
    shipped_out: dict[str, int] = field(default_factory=dict)  # promised away in this plan

    def spare(self, location_id: str) -> int:
        site = self.sites.get(location_id)
        return (site.free if site else 0) - self.shipped_out.get(location_id, 0)

    def excess(self, location_id: str) -> int:
        """What a store could give away and still meet its own needs."""
        site = self.sites[location_id]
        rule = self.rules.get(location_id)
        demand = self.demand.get(location_id, Forecast.none())
        keep = (
            targets(rule, demand).order_up_to
            if rule
            else math.ceil(demand.daily * KEEP_DAYS_WITHOUT_RULE)
        )
        room = site.position - self.shipped_out.get(location_id, 0) - keep
        return max(0, min(room, self.spare(location_id)))

    def take(self, location_id: str, units: int) -> None:
        self.shipped_out[location_id] = self.shipped_out.get(location_id, 0) + units


def plan_sku(sku: SkuPlan, distance_km: DistanceFn) -> list[Suggestion]:
    """Suggestions for one SKU: downstream locations first, then their sources."""
    ordered = sorted(sku.rules.values(), key=lambda rule: rule.source_location_id is None)
    suggestions: list[Suggestion] = []
    for rule in _most_urgent_first(sku, ordered):
        suggestions.extend(_replenish(sku, rule, distance_km))
    return suggestions


def _most_urgent_first(sku: SkuPlan, rules: Sequence[Rule]) -> list[Rule]:
    def cover_days(rule: Rule) -> float:
        site = sku.sites.get(rule.location_id)
        daily = sku.demand.get(rule.location_id, Forecast.none()).daily
        position = site.position if site else 0
        return position / daily if daily > 0 else math.inf

    # Sources after the locations they feed; within each group the emptiest first.
    return sorted(rules, key=lambda rule: (rule.source_location_id is None, cover_days(rule)))


def _replenish(sku: SkuPlan, rule: Rule, distance_km: DistanceFn) -> list[Suggestion]:
    site = sku.sites.get(rule.location_id) or Site(rule.location_id, False, 0, 0, 0, 0)
    demand = sku.demand.get(rule.location_id, Forecast.none())
    levels = targets(rule, demand)
    position = site.position - sku.shipped_out.get(rule.location_id, 0)
    needed = quantity_needed(rule, position, levels)
    if needed == 0:
        return []

    def suggest(kind: str, units: int, reason: str, source: str | None = None) -> Suggestion:
        buying = kind == "purchase"
        return Suggestion(
            kind=kind,
            variant_id=sku.variant_id,
            location_id=rule.location_id,
            quantity=units,
            position=position,
            targets=levels,
            demand=demand,
            lead_time_days=rule.lead_time_days,
            reason=reason,
            source_location_id=source,
            supplier_code=rule.supplier_code if buying else None,
            supplier_name=rule.supplier_name if buying else None,
        )

    out: list[Suggestion] = []
    if site.is_store:
        for donor, units in _donors(sku, site, needed, distance_km):
            sku.take(donor, units)
            needed -= units
            out.append(suggest("rebalance", units, "excess at a nearby store", donor))
    if needed <= 0:
        return out
    source = rule.source_location_id
    if source is None:
        return [*out, suggest("purchase", needed, "below reorder level")]
    units = min(needed, max(0, sku.spare(source)))
    if units > 0:
        sku.take(source, units)
        short = needed - units
        reason = "below reorder level" + (f"; source short by {short}" if short else "")
        out.append(suggest("transfer", units, reason, source))
    return out


def _donors(
    sku: SkuPlan, site: Site, needed: int, distance_km: DistanceFn
) -> list[tuple[str, int]]:
    candidates = [
        (distance_km(site, other), other.location_id)
        for other in sku.sites.values()
        if other.is_store and other.location_id != site.location_id
    ]
    taken: list[tuple[str, int]] = []
    for km, donor in sorted(candidates):
        if needed <= 0 or km > REBALANCE_RADIUS_KM:
            break
        units = min(needed, sku.excess(donor))
        if units > 0:
            taken.append((donor, units))
            needed -= units
    return taken
