"""Properties that hold for any order, network and profile (Hypothesis)."""

import itertools
import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni.sourcing.domain import (
    Candidate,
    Destination,
    OrderLine,
    SourcingProfile,
    SourcingRequest,
    decide,
)

VARIANTS = ("v1", "v2", "v3", "v4")
CAPABILITIES = ("ship_from_store", "same_day_delivery", "pickup")


@st.composite
def candidates(draw, count=st.integers(0, 7)):
    out = []
    for i in range(draw(count)):
        out.append(
            Candidate(
                location_id=f"loc_{i}",
                kind=draw(st.sampled_from(("store", "warehouse"))),
                lat=draw(st.floats(40.0, 41.5)),
                lon=draw(st.floats(-75.0, -73.0)),
                capabilities=frozenset(draw(st.sets(st.sampled_from(CAPABILITIES)))),
                available=draw(st.dictionaries(st.sampled_from(VARIANTS), st.integers(-1, 6))),
                in_channel_pool=draw(st.booleans()) or draw(st.booleans()),
                remaining_capacity=draw(st.none() | st.integers(0, 12)),
                exclusion=draw(st.none() | st.none() | st.just("store closed")),
            )
        )
    return out


@st.composite
def order_lines(draw, unique_variants=False):
    if unique_variants:
        variants = draw(st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=3, unique=True))
    else:
        variants = draw(st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=4))
    return [
        OrderLine(f"l{i}", variant, draw(st.integers(1, 4))) for i, variant in enumerate(variants)
    ]


profiles = st.builds(
    SourcingProfile,
    max_splits=st.integers(1, 3),
    allow_partial=st.booleans(),
    allow_line_split=st.booleans(),
    split_penalty=st.sampled_from((0.0, 1.0, 4.0)),
    depth_weight=st.sampled_from((0.0, 1.5)),
    max_distance_km=st.none() | st.just(120.0),
)
requests = st.builds(
    SourcingRequest,
    lines=order_lines(),
    method=st.sampled_from(("ship", "same_day")),
    destination=st.just(Destination(40.73, -73.99)),
    candidates=candidates(),
    profile=profiles,
)


def allocated(decision):
    return Counter(
        {
            (a.location_id, line.line_id): line.quantity
            for a in decision.allocations
            for line in a.lines
        }
    )


@settings(max_examples=300, deadline=None)
@given(requests)
def test_a_decision_never_allocates_more_than_a_candidate_s_stock(request):
    decision = decide(request)

    available = {c.location_id: c.available for c in request.candidates}
    for allocation in decision.allocations:
        per_variant = Counter()
        for line in allocation.lines:
            per_variant[line.variant_id] += line.quantity
        for variant, units in per_variant.items():
            assert units <= available[allocation.location_id].get(variant, 0)


@settings(max_examples=300, deadline=None)
@given(requests)
def test_every_line_is_allocated_exactly_once_or_reported_unfulfilled(request):
    decision = decide(request)

    shipped = Counter()
    for allocation in decision.allocations:
        assert allocation.lines, "an allocation ships something"
        for line in allocation.lines:
            assert line.quantity > 0
            shipped[line.line_id] += line.quantity
    missing = Counter()
    for shortfall in decision.unfulfilled:
        missing[shortfall.line_id] += shortfall.quantity
    if decision.status == "unsourceable":
        assert not decision.allocations and decision.unfulfilled
        return
    assert (decision.status == "partial") == bool(decision.unfulfilled)
    assert decision.status != "partial" or request.profile.allow_partial
    for line in request.lines:
        assert shipped[line.line_id] + missing[line.line_id] == line.quantity


@settings(max_examples=300, deadline=None)
@given(requests)
def test_never_more_locations_than_max_splits_and_only_eligible_ones(request):
    decision = decide(request)

    assert len(decision.allocations) <= request.profile.max_splits
    eligible = {r.location_id for r in decision.candidates if r.eligible}
    assert set(decision.location_ids) <= eligible
    chosen = {r.location_id for r in decision.candidates if r.outcome == "chosen"}
    assert chosen == set(decision.location_ids)
    if not request.profile.allow_line_split:
        lines = [line.line_id for a in decision.allocations for line in a.lines]
        assert len(lines) == len(set(lines))


@settings(max_examples=200, deadline=None)
@given(requests, st.randoms(use_true_random=False))
def test_the_explanation_is_complete_and_does_not_depend_on_candidate_order(request, rng):
    decision = decide(request)
    shuffled = list(request.candidates)
    rng.shuffle(shuffled)
    again = decide(
        SourcingRequest(
            request.lines, request.method, request.destination, shuffled, request.profile
        )
    )

    document = decision.as_dict()
    assert json.loads(json.dumps(document)) == document
    assert again.as_dict() == document
    reported = [r.location_id for r in decision.candidates]
    assert sorted(reported) == sorted(c.location_id for c in request.candidates)
    for report in decision.candidates:
        assert report.eligible == (not report.failures)
        assert (report.rank is None) == (not report.eligible)
    ranks = [r.rank for r in decision.candidates if r.eligible]
    assert ranks == list(range(1, len(ranks) + 1))


@settings(max_examples=200, deadline=None)
@given(requests)
def test_every_score_is_the_sum_of_its_breakdown(request):
    decision = decide(request)

    for report in decision.candidates:
        if report.eligible:
            assert report.score == pytest.approx(report.breakdown.total)
    allocated = sum(a.cost.total for a in decision.allocations)
    assert decision.cost.total == pytest.approx(allocated + decision.cost.split)


@st.composite
def open_network(draw, count=st.integers(1, 5)):
    """Locations that pass every rule but stock, so that plans have choices."""
    return [
        Candidate(
            location_id=f"loc_{i}",
            kind=draw(st.sampled_from(("store", "warehouse"))),
            lat=draw(st.floats(40.0, 41.5)),
            lon=draw(st.floats(-75.0, -73.0)),
            capabilities=frozenset({"ship_from_store"}),
            available=draw(st.dictionaries(st.sampled_from(VARIANTS), st.integers(0, 5))),
            remaining_capacity=draw(st.none() | st.integers(1, 12)),
        )
        for i in range(draw(count))
    ]


def best_by_brute_force(request, decision):
    """Try every assignment of whole lines to eligible locations (or to nobody)."""
    profile = request.profile
    eligible = {r.location_id: r for r in decision.candidates if r.eligible}
    stock = {c.location_id: c.available for c in request.candidates}
    fixed = {
        i: r.breakdown.distance + r.breakdown.handling + r.breakdown.capacity
        for i, r in eligible.items()
    }
    best = None
    for choice in itertools.product([None, *eligible], repeat=len(request.lines)):
        used, short, depth = set(), 0, 0.0
        for line, where in zip(request.lines, choice, strict=True):
            have = max(0, stock[where].get(line.variant_id, 0)) if where else 0
            give = min(have, line.quantity)
            short += line.quantity - give
            if give:
                used.add(where)
                depth += profile.depth_weight * give / have
        if len(used) > profile.max_splits:
            continue
        cost = sum(fixed[i] for i in used) + profile.split_penalty * max(0, len(used) - 1)
        if best is None or (short, cost + depth) < best:
            best = (short, cost + depth)
    return best


@settings(max_examples=300, deadline=None)
@given(
    order_lines(unique_variants=True),
    open_network(),
    st.integers(1, 3),
    st.sampled_from((1.0, 4.0)),
)
def test_with_the_search_unbounded_the_plan_is_the_cheapest_there_is(
    lines, network, max_splits, split_penalty
):
    unbounded = SourcingProfile(
        max_splits=max_splits,
        allow_partial=True,
        split_penalty=split_penalty,
        shortlist_per_line=10,
        branch_limit=10,
        search_budget=100_000,
    )
    request = SourcingRequest(lines, "ship", Destination(40.73, -73.99), network, unbounded)

    decision = decide(request)

    short, cost = best_by_brute_force(request, decision)
    assert sum(s.quantity for s in decision.unfulfilled) == short
    assert decision.cost.total == pytest.approx(cost, abs=1e-9)
