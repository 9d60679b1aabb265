"""Order sourcing (ORD4): choose the location(s) that fulfil an order, and say why.

Pure: standard library only, no database, no I/O. The caller gathers the inputs
(locations, the channel's stock pool and profile, available-to-channel units per variant)
and stores the decision. ``decide`` answers a new order; ``resource`` answers again after
a location rejected or short-picked, keeping what the other locations already hold.

How it decides (docs/sourcing.md has the long version): hard rules split the candidates
into eligible and refused; each eligible one is scored once; the plan search finds the
set of at most ``max_splits`` locations that leaves the fewest units unfulfilled at the
lowest cost; every candidate gets a report of why it won or lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from operator import attrgetter

from omni.sourcing.decision import (
    AllocatedLine,
    Allocation,
    CandidateReport,
    CostBreakdown,
    Decision,
    RuleFailure,
    SearchStats,
    Shortfall,
)
from omni.sourcing.explain import Explainer, allocations, plan_cost, shortfalls
from omni.sourcing.inputs import (
    METHODS,
    Candidate,
    Destination,
    OrderLine,
    Rejection,
    SourcingProfile,
    SourcingRequest,
)
from omni.sourcing.rules import RULE_CODES, RuleBook, haversine_km
from omni.sourcing.scoring import OrderShape, Scored, count_covered, fixed_cost, stock_of
from omni.sourcing.search import Plan, PlanSearch

_location_id = attrgetter("location_id")

__all__ = [
    "METHODS",
    "RULE_CODES",
    "AllocatedLine",
    "Allocation",
    "Candidate",
    "CandidateReport",
    "CostBreakdown",
    "Decision",
    "Destination",
    "OrderLine",
    "Rejection",
    "RuleFailure",
    "SearchStats",
    "Shortfall",
    "SourcingProfile",
    "SourcingRequest",
    "decide",
    "haversine_km",
    "resource",
    "resource_holdings",
]


def decide(request: SourcingRequest) -> Decision:
    """Source a new order: the allocations, what cannot be fulfilled, and a report for
    every candidate. Deterministic: the same request (in any candidate order) gives the
    same decision."""
    return _decide(request, held=(), resourced_after=None)


def resource(
    previous: Decision, rejection: Rejection, *, candidates: Sequence[Candidate] | None = None
) -> Decision:
    """Source again what ``rejection.location_id`` will not ship, from a decision in hand.

    ``candidates``: fresh figures, already net of what this order holds; by default the
    previous request's candidates, net of the previous allocations (those figures were
    read before this order reserved anything). See ``resource_holdings``.
    """
    if candidates is None:
        if previous.request is None:
            raise ValueError("pass candidates=: this decision carries no request")
        candidates = _net_of(previous.request, previous.allocations)
    return resource_holdings(
        (*previous.held, *previous.allocations),
        rejection,
        method=previous.method,
        destination=previous.destination,
        profile=previous.profile,
        candidates=candidates,
    )


def resource_holdings(
    holdings: Sequence[Allocation],
    rejection: Rejection,
    *,
    method: str,
    destination: Destination,
    profile: SourcingProfile,
    candidates: Sequence[Candidate],
) -> Decision:
    """Source again what ``rejection.location_id`` will not ship, from what the order's
    locations hold now (e.g. rebuilt from its open reservations, long after the first
    decision), with fresh ``candidates`` already net of those holdings.

    The rejecting location keeps what it says it can still supply and is excluded from the
    new search; every other location keeps what it holds (``Decision.held``). The new
    ``allocations`` are only the extra work, within ``max_splits`` locations counting the
    held ones, whose fixed costs are sunk. Re-sourcing may split a line (a short-picked
    line ships from two places) whatever the profile says: the alternative is not
    shipping the units already picked.
    """
    there = [a for a in holdings if a.location_id == rejection.location_id]
    if not there:
        raise ValueError(f"{rejection.location_id} ships nothing of this order")
    kept, missing = _settle(there, rejection)
    held = tuple(a for a in holdings if a.location_id != rejection.location_id)
    if kept:
        held += (replace(there[0], lines=kept),)
    if not missing:
        return _nothing_to_source(method, destination, profile, held, rejection)
    excluded = f"{rejection.code.replace('_', '-')} this order" + (
        f": {rejection.reason}" if rejection.reason else ""
    )
    pool = [
        replace(c, exclusion=excluded) if c.location_id == rejection.location_id else c
        for c in candidates
    ]
    again = SourcingRequest(missing, method, destination, pool, profile)
    return _decide(again, held=held, resourced_after=rejection)


def _nothing_to_source(
    method: str,
    destination: Destination,
    profile: SourcingProfile,
    held: tuple[Allocation, ...],
    rejection: Rejection,
) -> Decision:
    return Decision(
        status="sourced",
        method=method,
        destination=destination,
        profile=profile,
        allocations=(),
        unfulfilled=(),
        cost=CostBreakdown(),
        search=SearchStats(0, 0, 0, 0, budget_exhausted=False),
        held=held,
        resourced_after=rejection,
    )


def _decide(
    request: SourcingRequest, held: tuple[Allocation, ...], resourced_after: Rejection | None
) -> Decision:
    shape = OrderShape(request.lines)
    book = RuleBook(request)
    committed = {a.location_id for a in held}
    eligible, refused = _screen(request, shape, book, committed)
    search = PlanSearch(shape, request.profile, eligible, held=len(committed))
    plan = search.run()
    status = _status(plan, request.profile, held)
    sourced = status != "unsourceable"
    return Decision(
        status=status,
        method=request.method,
        destination=request.destination,
        profile=request.profile,
        allocations=allocations(plan, search, request) if sourced else (),
        unfulfilled=shortfalls(plan, search, request),
        cost=plan_cost(plan, search) if sourced else CostBreakdown(),
        search=SearchStats(
            candidates=len(request.candidates),
            eligible=len(eligible),
            shortlisted=len(search.shortlist),
            plans_evaluated=search.evaluated,
            budget_exhausted=search.exhausted,
        ),
        held=held,
        resourced_after=resourced_after,
        request=request,
        explainer=Explainer(status, plan, search, eligible, refused, book),
    )


def _screen(
    request: SourcingRequest, shape: OrderShape, book: RuleBook, committed: set[str]
) -> tuple[list[Scored], list[Candidate]]:
    """Hard rules for every candidate, then a score for the eligible ones. Candidates are
    numbered by location id: that number breaks every tie, whatever the input order.

    The hot loop of the engine (every candidate of every order): cheap rules first,
    then stock, then the distance; names bound locally; nothing built for the refused
    (their report works out which rules they failed, when it is read)."""
    profile = request.profile
    passes, distance_to, limit = book.passes, book.distance_to, book.max_distance_km
    pickup, destination_id = book.pickup, book.destination_id
    eligible: list[Scored] = []
    refused: list[Candidate] = []
    keep, refuse = eligible.append, refused.append
    for order, candidate in enumerate(sorted(request.candidates, key=_location_id)):
        if not passes(candidate):
            refuse(candidate)
            continue
        stock = stock_of(candidate, shape)
        if not any(stock):
            refuse(candidate)
            continue
        distance = distance_to(candidate.lat, candidate.lon)
        if limit is not None and distance > limit:
            refuse(candidate)
            continue
        # Pickup sourced away from the pickup store: a transfer in, with cost and delay.
        transfer = pickup and candidate.location_id != destination_id
        if committed and candidate.location_id in committed:
            scored = Scored(order, candidate, distance, stock, 0.0, transfer, True)
        else:
            fixed = fixed_cost(candidate, distance, transfer, profile)
            scored = Scored(order, candidate, distance, stock, fixed, transfer, False)
        count_covered(scored, shape, profile)
        keep(scored)
    return eligible, refused


def _status(plan: Plan, profile: SourcingProfile, held: tuple[Allocation, ...]) -> str:
    if plan.short == 0:
        return "sourced"
    if profile.allow_partial and (plan.takes or held):
        return "partial"
    return "unsourceable"


def _settle(
    there: list[Allocation], rejection: Rejection
) -> tuple[tuple[AllocatedLine, ...], list[OrderLine]]:
    """Split what the rejecting location held into what it keeps and what must move."""
    kept: list[AllocatedLine] = []
    missing: list[OrderLine] = []
    for allocation in there:
        for line in allocation.lines:
            keep = min(line.quantity, max(0, rejection.supplied.get(line.line_id, 0)))
            if keep:
                kept.append(replace(line, quantity=keep))
            if line.quantity > keep:
                missing.append(OrderLine(line.line_id, line.variant_id, line.quantity - keep))
    return tuple(kept), missing


def _net_of(request: SourcingRequest, taken: tuple[Allocation, ...]) -> list[Candidate]:
    """The request's candidates minus what the decision allocated: those figures were read
    before this order reserved anything."""
    reserved: dict[str, dict[str, int]] = {}
    for allocation in taken:
        at = reserved.setdefault(allocation.location_id, {})
        for line in allocation.lines:
            at[line.variant_id] = at.get(line.variant_id, 0) + line.quantity
    return [
        replace(c, available=_minus(c.available, reserved[c.location_id]))
        if c.location_id in reserved
        else c
        for c in request.candidates
    ]


def _minus(available: Mapping[str, int], reserved: dict[str, int]) -> dict[str, int]:
    return {variant: units - reserved.get(variant, 0) for variant, units in available.items()}
