"""Scoring: what using a location costs, computed ONCE per eligible candidate.

A location's cost has a fixed part, paid if it ships anything at all (distance times
cost per km, handling, capacity pressure, a transfer), and a per-unit part, the stock
depth penalty: taking 1 of a store's 2 units costs half the depth weight, taking its
last unit the full weight, taking 1 of a DC's 400 almost nothing. Plans (see search.py)
add the split penalty per extra location.

This runs for hundreds of candidates per order, so the per-candidate work is a few
C-level ``map`` calls over short lists; the cost breakdown objects of the explanation
are built later, only for the candidates a report shows.
"""

from __future__ import annotations

from operator import eq, le, truediv

from omni.sourcing.decision import CostBreakdown
from omni.sourcing.inputs import Candidate, OrderLine, SourcingProfile


class OrderShape:
    """The order's lines as indexes: variants numbered once, in line order, so a
    candidate's stock is a short list read by position in the search's inner loop.
    When no variant repeats (the usual case) variant i is line i."""

    def __init__(self, lines: tuple[OrderLine, ...]) -> None:
        self.lines = lines
        self.variant_ids: list[str] = []
        position: dict[str, int] = {}
        for line in lines:
            if line.variant_id not in position:
                position[line.variant_id] = len(self.variant_ids)
                self.variant_ids.append(line.variant_id)
        self.line_variant = [position[line.variant_id] for line in lines]
        self.quantity = [line.quantity for line in lines]
        self.total_units = sum(self.quantity)
        self.repeats = len(self.variant_ids) < len(lines)
        self.zeros = [0] * len(self.variant_ids)
        self.ones = [1] * len(self.variant_ids)


class Scored:
    """An eligible candidate with its costs and stock, as the search uses it."""

    __slots__ = (
        "candidate",
        "committed",
        "depth",
        "distance_km",
        "fixed",
        "lines_covered",
        "measured",
        "order",
        "score",
        "stock",
        "transfer",
        "units_available",
    )

    def __init__(
        self,
        order: int,
        candidate: Candidate,
        distance_km: float,
        stock: list[int],
        fixed: float,
        transfer: bool,
        committed: bool,
    ) -> None:
        self.order = order  # position by location id: the stable tie-breaker
        self.candidate = candidate
        self.distance_km = distance_km
        self.stock = stock  # units per order variant (OrderShape numbering)
        self.fixed = fixed  # what using it costs the search (0 when committed: sunk)
        self.transfer = transfer
        self.committed = committed  # already ships part of this order (re-sourcing)
        self.lines_covered = 0  # lines it could ship in full on its own
        # Filled by measure_alone(), only for the candidates whose score is needed:
        self.measured = False
        self.units_available = 0  # units of the order it could ship on its own
        self.depth = 0.0  # depth penalty if it shipped all that alone
        self.score = 0.0  # cost of using it alone for what it can ship (+ split if short)


def stock_of(candidate: Candidate, shape: OrderShape) -> list[int]:
    stock = list(map(candidate.available.get, shape.variant_ids, shape.zeros))
    if min(stock) < 0:
        # Negative figures (oversold) mean nothing to sell, not a debt to repay.
        stock = [max(0, units) for units in stock]
    return stock


def capacity_cost(remaining: int | None, profile: SourcingProfile) -> float:
    """Linear pressure as capacity runs out: nothing at the headroom or above."""
    if remaining is None or remaining >= profile.capacity_headroom:
        return 0.0
    headroom = profile.capacity_headroom
    return profile.capacity_weight * (headroom - max(remaining, 0)) / headroom


def fixed_parts(
    candidate: Candidate, distance_km: float, transfer: bool, profile: SourcingProfile
) -> CostBreakdown:
    """The fixed part of using a location, item by item."""
    return CostBreakdown(
        distance=distance_km * profile.cost_per_km(candidate.kind),
        handling=profile.handling_cost(candidate.kind),
        capacity=capacity_cost(candidate.remaining_capacity, profile),
        transfer=profile.transfer_cost if transfer else 0.0,
    )


def fixed_cost(
    candidate: Candidate, distance_km: float, transfer: bool, profile: SourcingProfile
) -> float:
    """``fixed_parts(...).total`` without building the object (hot path)."""
    if candidate.kind == "store":
        cost = distance_km * profile.store_cost_per_km + profile.store_handling_cost
    else:
        cost = distance_km * profile.warehouse_cost_per_km + profile.warehouse_handling_cost
    remaining = candidate.remaining_capacity
    if remaining is not None and remaining < profile.capacity_headroom:
        cost += capacity_cost(remaining, profile)
    return cost + profile.transfer_cost if transfer else cost


def count_covered(scored: Scored, shape: OrderShape, profile: SourcingProfile) -> None:
    """The lines it could ship in full: all the search needs of most candidates."""
    if shape.repeats:
        measure_alone(scored, shape, profile)
    else:
        scored.lines_covered = sum(map(le, shape.quantity, scored.stock))


def measure_alone(scored: Scored, shape: OrderShape, profile: SourcingProfile) -> None:
    """What the location could ship by itself, and at what cost (once)."""
    if scored.measured:
        return
    scored.measured = True
    if shape.repeats:
        _measure_shared(scored, shape, profile.depth_weight)
    else:
        stock, quantity = scored.stock, shape.quantity
        gives = list(map(min, stock, quantity))
        scored.units_available = sum(gives)
        scored.lines_covered = sum(map(eq, gives, quantity))
        # give/stock is the share of its units taken; max(…, 1) only guards 0/0.
        scored.depth = profile.depth_weight * sum(map(truediv, gives, map(max, stock, shape.ones)))
    split = 0.0 if scored.units_available == shape.total_units else profile.split_penalty
    scored.score = scored.fixed + scored.depth + split


def _measure_shared(scored: Scored, shape: OrderShape, weight: float) -> None:
    """The same when a variant repeats: its lines share the location's stock."""
    left = list(scored.stock)
    covered = units = 0
    share = 0.0
    for variant, quantity in zip(shape.line_variant, shape.quantity, strict=True):
        give = min(left[variant], quantity)
        if give <= 0:
            continue
        left[variant] -= give
        units += give
        share += give / scored.stock[variant]
        covered += give == quantity
    scored.lines_covered = covered
    scored.units_available = units
    scored.depth = weight * share


def standalone_breakdown(
    scored: Scored, shape: OrderShape, profile: SourcingProfile
) -> CostBreakdown:
    """The score's parts, for the explanation (built only when reporting)."""
    split = 0.0 if scored.units_available == shape.total_units else profile.split_penalty
    if scored.committed:  # already ships part of the order: its fixed costs are sunk
        return CostBreakdown(depth=scored.depth, split=split)
    candidate = scored.candidate
    return CostBreakdown(
        distance=scored.distance_km * profile.cost_per_km(candidate.kind),
        handling=profile.handling_cost(candidate.kind),
        capacity=capacity_cost(candidate.remaining_capacity, profile),
        depth=scored.depth,
        transfer=profile.transfer_cost if scored.transfer else 0.0,
        split=split,
    )
