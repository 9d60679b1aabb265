"""Turning the chosen plan into the decision's parts: allocations, shortfalls, and one
report per candidate saying whether it won or lost and why ("why this store?").

Every fact a report states (rules, scores, ranks, the plan, the shortlist) is fixed when
the decision is made; the report objects and their sentences are written on first read
(``Decision.candidates``), because a few hundred of them cost more than the decision.
"""

from __future__ import annotations

from omni.sourcing.decision import (
    AllocatedLine,
    Allocation,
    CandidateReport,
    CostBreakdown,
    Shortfall,
)
from omni.sourcing.inputs import Candidate, SourcingRequest
from omni.sourcing.rules import RuleBook
from omni.sourcing.scoring import Scored, fixed_parts, measure_alone, standalone_breakdown, stock_of
from omni.sourcing.search import Plan, PlanSearch


def _parts(member: Scored, search: PlanSearch) -> CostBreakdown:
    if member.committed:
        return CostBreakdown()  # already ships part of the order: its fixed costs are sunk
    return fixed_parts(member.candidate, member.distance_km, member.transfer, search.profile)


def plan_cost(plan: Plan, search: PlanSearch) -> CostBreakdown:
    parts = [_parts(m, search) for m in plan.members]
    new = sum(1 for m in plan.members if not m.committed)
    return CostBreakdown(
        distance=sum(p.distance for p in parts),
        handling=sum(p.handling for p in parts),
        capacity=sum(p.capacity for p in parts),
        depth=plan.depth,
        transfer=sum(p.transfer for p in parts),
        split=search.split_cost(new),
    )


def allocations(plan: Plan, search: PlanSearch, request: SourcingRequest) -> tuple[Allocation, ...]:
    variant_of, weight = search.shape.line_variant, search.profile.depth_weight
    taken: dict[int, list[tuple[int, int]]] = {}
    depth: dict[int, float] = {}
    for member, line, units in plan.takes:
        taken.setdefault(member.order, []).append((line, units))
        share = units / member.stock[variant_of[line]]
        depth[member.order] = depth.get(member.order, 0.0) + weight * share
    return tuple(
        _allocation(member, sorted(taken[member.order]), depth[member.order], search, request)
        for member in plan.members
    )


def _allocation(
    member: Scored,
    taken: list[tuple[int, int]],
    depth: float,
    search: PlanSearch,
    request: SourcingRequest,
) -> Allocation:
    parts = _parts(member, search)
    candidate, destination_id = member.candidate, request.destination.location_id
    # Ship-to-store sources send the goods to the store the customer collects from.
    travels = member.transfer or (
        request.method == "ship_to_store" and candidate.location_id != destination_id
    )
    return Allocation(
        location_id=candidate.location_id,
        kind=candidate.kind,
        lines=tuple(
            AllocatedLine(request.lines[i].line_id, request.lines[i].variant_id, units)
            for i, units in taken
        ),
        distance_km=member.distance_km,
        cost=CostBreakdown(
            distance=parts.distance,
            handling=parts.handling,
            capacity=parts.capacity,
            depth=depth,
            transfer=parts.transfer,
        ),
        transfer_to=destination_id if travels else None,
        ready_delay_hours=request.profile.transfer_delay_hours if member.transfer else 0,
    )


def shortfalls(plan: Plan, search: PlanSearch, request: SourcingRequest) -> tuple[Shortfall, ...]:
    out = []
    for i, line in enumerate(request.lines):
        missing = line.quantity - plan.allocated[i]
        if missing > 0:
            code, message = _why_short(search, i, line.quantity)
            out.append(Shortfall(line.line_id, line.variant_id, missing, code, message))
    return tuple(out)


def _why_short(search: PlanSearch, line: int, quantity: int) -> tuple[str, str]:
    target = search.target[line]
    if target == 0:
        return "no_stock", "No eligible location has this item for the channel"
    if target < quantity:
        where = "eligible locations hold" if search.split_lines else "one location holds at most"
        return "not_enough_stock", f"Only {target} of {quantity} available ({where} {target})"
    limit = search.profile.max_splits
    budget = " within the search budget" if search.exhausted else ""
    return "split_limit", f"The stock is spread wider than {limit} location(s) allow{budget}"


class Explainer:
    """Writes the candidate reports from the facts fixed at decision time."""

    def __init__(
        self,
        status: str,
        plan: Plan,
        search: PlanSearch,
        eligible: list[Scored],
        refused: list[Candidate],
        book: RuleBook,
    ) -> None:
        self.status = status
        self.plan = plan
        self.search = search
        self.eligible = eligible
        self.refused = refused
        self.book = book
        self.chosen = (
            frozenset(m.order for m in plan.members) if status != "unsourceable" else frozenset()
        )
        self.shortlisted = frozenset(s.order for s in search.shortlist)
        self.lines = len(search.shape.quantity)

    def __call__(self) -> tuple[CandidateReport, ...]:
        """Eligible candidates by rank (units they can ship, then score, then id), then the
        refused ones by location id: the same input always gives the same list."""
        for s in self.eligible:
            measure_alone(s, self.search.shape, self.search.profile)
        ranked = sorted(self.eligible, key=lambda s: (-s.units_available, s.score, s.order))
        out = [self._eligible(s, rank) for rank, s in enumerate(ranked, start=1)]
        out.extend(self._refused(r) for r in self.refused)
        return tuple(out)

    def _refused(self, candidate: Candidate) -> CandidateReport:
        """Which rules it failed is worked out here, only when a report is read."""
        holds_stock = any(stock_of(candidate, self.search.shape))
        distance = self.book.distance_to(candidate.lat, candidate.lon)
        failures = tuple(self.book.failures(candidate, distance, holds_stock))
        return CandidateReport(
            location_id=candidate.location_id,
            kind=candidate.kind,
            distance_km=distance,
            eligible=False,
            failures=failures,
            score=None,
            breakdown=None,
            lines_covered=0,
            units_available=0,
            rank=None,
            shortlisted=False,
            outcome="ineligible",
            reason_code=failures[0].code,
            reason="; ".join(f.message for f in failures),
        )

    def _eligible(self, s: Scored, rank: int) -> CandidateReport:
        chosen = s.order in self.chosen
        code, reason = self._why_chosen(s) if chosen else self._why_not(s)
        return CandidateReport(
            location_id=s.candidate.location_id,
            kind=s.candidate.kind,
            distance_km=s.distance_km,
            eligible=True,
            failures=(),
            score=s.score,
            breakdown=standalone_breakdown(s, self.search.shape, self.search.profile),
            lines_covered=s.lines_covered,
            units_available=s.units_available,
            rank=rank,
            shortlisted=s.order in self.shortlisted,
            outcome="chosen" if chosen else "not_chosen",
            reason_code=code,
            reason=reason,
        )

    def _why_chosen(self, s: Scored) -> tuple[str, str]:
        plan, cost = self.plan, f"{self.plan.cost:.2f}"
        if len(plan.members) == 1 and self.status == "sourced":
            return "cheapest_single", f"Fills the whole order at the lowest cost ({cost})"
        shipped = sum(units for member, _, units in plan.takes if member is s)
        best = f"the best {len(plan.members)}-location plan"
        if self.status == "partial":
            return "best_partial", f"Ships {shipped} unit(s) in {best} of what can ship ({cost})"
        single = self.search.single
        if single is None:
            alone = "no single eligible location holds everything"
        else:
            alone = f"the best single location would cost {single.score:.2f}"
        return "cheapest_split", f"Ships {shipped} unit(s) in {best} ({cost}); {alone}"

    def _why_not(self, s: Scored) -> tuple[str, str]:
        if self.status == "unsourceable":
            return "order_unsourceable", "No plan within the rules fills the order"
        if s.committed:
            return "already_holding", "Already ships earlier lines of this order; given none now"
        cost = f"{self.plan.cost:.2f}"
        if s.units_available == self.search.shape.total_units:
            if abs(s.score - self.plan.cost) < 1e-9:
                return "tie_lost", f"Costs the same as the chosen plan ({cost}); lower ids win ties"
            alone = f"{s.score:.2f}"
            return (
                "costlier",
                f"Could fill the whole order alone for {alone}; the plan costs {cost}",
            )
        covers = f"Covers {s.lines_covered} of {self.lines} line(s) in full"
        if s.order not in self.shortlisted:
            return "not_shortlisted", f"{covers}; cheaper locations supply each of them"
        limit = self.search.profile.max_splits
        return "outscored", f"{covers}; no plan of up to {limit} location(s) using it beat {cost}"
