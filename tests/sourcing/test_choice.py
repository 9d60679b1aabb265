"""Choosing among eligible locations: one location when it is competitive, the
cheapest cover within max_splits otherwise, and the profile's preferences."""

import random

import pytest

from omni.sourcing.domain import (
    Candidate,
    Destination,
    OrderLine,
    SourcingProfile,
    SourcingRequest,
    decide,
)

NYC = Destination(40.73, -73.99)
SHIPS = frozenset({"ship_from_store"})


def store(location_id, available, lat=40.75, lon=-73.98, **facts):
    return Candidate(location_id, "store", lat, lon, SHIPS, available, **facts)


def dc(location_id, available, lat=40.5, lon=-74.4, **facts):
    return Candidate(location_id, "warehouse", lat, lon, frozenset(), available, **facts)


def lines(*quantities):
    return [OrderLine(f"l{i}", f"v{i}", q) for i, q in enumerate(quantities, start=1)]


def shipped(decision):
    return {
        a.location_id: sorted((line.line_id, line.quantity) for line in a.lines)
        for a in decision.allocations
    }


def test_one_far_location_that_fills_everything_beats_two_near_ones():
    chicago_dc = dc("loc_dc", {"v1": 50, "v2": 50}, lat=41.88, lon=-87.63)
    near_1, near_2 = store("loc_a", {"v1": 5}), store("loc_b", {"v2": 5})

    decision = decide(SourcingRequest(lines(1, 1), "ship", NYC, [near_1, near_2, chicago_dc]))

    assert decision.status == "sourced"
    assert shipped(decision) == {"loc_dc": [("l1", 1), ("l2", 1)]}
    assert decision.cost.split == 0
    assert decision.report("loc_dc").reason_code == "cheapest_single"


def test_a_split_wins_when_the_only_full_cover_costs_more_than_the_split_penalty():
    los_angeles_dc = dc("loc_dc", {"v1": 50, "v2": 50}, lat=34.05, lon=-118.24)
    near_1, near_2 = store("loc_a", {"v1": 5}), store("loc_b", {"v2": 5})
    profile = SourcingProfile(split_penalty=1.0, store_handling_cost=1.0)

    decision = decide(
        SourcingRequest(lines(1, 1), "ship", NYC, [near_1, near_2, los_angeles_dc], profile)
    )

    assert shipped(decision) == {"loc_a": [("l1", 1)], "loc_b": [("l2", 1)]}
    assert decision.cost.split == 1.0
    assert decision.report("loc_a").reason_code == "cheapest_split"
    assert decision.report("loc_dc").reason_code == "costlier"
    assert decision.cost.total < decision.report("loc_dc").score


@pytest.mark.parametrize(
    ("max_splits", "allow_partial", "status", "locations", "short"),
    [
        (3, False, "sourced", 3, 0),
        (2, False, "unsourceable", 0, 1),
        (2, True, "partial", 2, 1),
        (1, True, "partial", 1, 1),
    ],
)
def test_never_more_locations_than_max_splits(max_splits, allow_partial, status, locations, short):
    each_alone = [store(f"loc_{i}", {f"v{i}": 3}) for i in (1, 2, 3)]
    profile = SourcingProfile(max_splits=max_splits, allow_partial=allow_partial)

    decision = decide(SourcingRequest(lines(1, 1, 1), "ship", NYC, each_alone, profile))

    assert decision.status == status
    assert len(decision.allocations) == locations
    assert sum(s.quantity for s in decision.unfulfilled) == (3 - max_splits if short else 0)
    if short:
        assert {s.code for s in decision.unfulfilled} == {"split_limit"}


def test_partial_allocation_ships_what_it_can_and_reports_the_rest():
    thin = store("loc_a", {"v1": 3, "v2": 2})
    profile = SourcingProfile(allow_partial=True)

    decision = decide(SourcingRequest(lines(5, 1, 1), "ship", NYC, [thin], profile))

    assert decision.status == "partial"
    assert shipped(decision) == {"loc_a": [("l1", 3), ("l2", 1)]}
    assert [(s.line_id, s.quantity, s.code) for s in decision.unfulfilled] == [
        ("l1", 2, "not_enough_stock"),
        ("l3", 1, "no_stock"),
    ]


def test_without_partial_an_order_that_cannot_be_filled_is_unsourceable_as_a_whole():
    thin = store("loc_a", {"v1": 3, "v2": 2})

    decision = decide(SourcingRequest(lines(5, 1), "ship", NYC, [thin]))

    assert decision.status == "unsourceable"
    assert not decision.sourced
    assert decision.allocations == ()
    assert decision.cost.total == 0
    assert [(s.line_id, s.quantity) for s in decision.unfulfilled] == [("l1", 2)]
    assert decision.report("loc_a").reason_code == "order_unsourceable"


def test_a_line_ships_from_one_location_unless_the_profile_allows_line_splits():
    halves = [store("loc_a", {"v1": 2}), store("loc_b", {"v1": 2})]
    order = lines(4)

    whole_lines = decide(SourcingRequest(order, "ship", NYC, halves))
    split_lines = decide(
        SourcingRequest(order, "ship", NYC, halves, SourcingProfile(allow_line_split=True))
    )

    assert whole_lines.status == "unsourceable"
    assert whole_lines.unfulfilled[0].code == "not_enough_stock"
    assert shipped(split_lines) == {"loc_a": [("l1", 2)], "loc_b": [("l1", 2)]}


def test_lines_of_the_same_variant_share_a_location_s_stock():
    order = [OrderLine("l1", "v1", 2), OrderLine("l2", "v1", 2)]
    three_here, plenty_there = store("loc_a", {"v1": 3}), store("loc_b", {"v1": 2}, lat=40.8)

    decision = decide(SourcingRequest(order, "ship", NYC, [three_here, plenty_there]))

    assert decision.status == "sourced"
    assert len(decision.allocations) == 2
    for allocation in decision.allocations:
        assert sum(line.quantity for line in allocation.lines) <= 3


@pytest.mark.parametrize(
    ("facts_a", "facts_b", "winner"),
    [
        ({"available": {"v1": 1}}, {"available": {"v1": 20}}, "loc_b"),  # not the last unit
        ({"remaining_capacity": 1}, {"remaining_capacity": 30}, "loc_b"),  # headroom
        ({"lat": 40.74}, {"lat": 41.2}, "loc_a"),  # nearer
        ({}, {}, "loc_a"),  # a tie goes to the lower location id
    ],
)
def test_between_two_stores_that_could_each_fill_the_order(facts_a, facts_b, winner):
    a = store("loc_a", **{"available": {"v1": 5}, **facts_a})
    b = store("loc_b", **{"available": {"v1": 5}, **facts_b})

    for candidates in ([a, b], [b, a]):
        decision = decide(SourcingRequest(lines(1), "ship", NYC, candidates))
        assert decision.location_ids == (winner,)


def test_the_handling_costs_say_whether_a_store_or_a_dc_is_preferred():
    same_place = {"lat": 40.75, "lon": -73.98}
    candidates = [store("loc_s", {"v1": 9}, **same_place), dc("loc_w", {"v1": 9}, **same_place)]
    prefers_stores = SourcingProfile(store_handling_cost=1.0, warehouse_handling_cost=6.0)

    by_default = decide(SourcingRequest(lines(1), "ship", NYC, candidates))
    with_preference = decide(SourcingRequest(lines(1), "ship", NYC, candidates, prefers_stores))

    assert by_default.location_ids == ("loc_w",)
    assert with_preference.location_ids == ("loc_s",)


def test_the_cost_breakdown_adds_up():
    chosen = store("loc_a", {"v1": 2}, remaining_capacity=5)
    profile = SourcingProfile()

    decision = decide(SourcingRequest(lines(1), "ship", NYC, [chosen], profile))

    [allocation] = decision.allocations
    distance = allocation.distance_km
    assert 2 < distance < 3
    assert allocation.cost.distance == pytest.approx(distance * profile.store_cost_per_km)
    assert allocation.cost.handling == profile.store_handling_cost
    assert allocation.cost.capacity == pytest.approx(profile.capacity_weight * 5 / 10)
    assert allocation.cost.depth == pytest.approx(profile.depth_weight / 2)  # 1 of its 2
    assert decision.cost.total == pytest.approx(allocation.cost.total)


def test_a_big_network_is_decided_within_the_search_budget_and_deterministically():
    rng = random.Random(3)
    candidates = [
        store(
            f"loc_{i:03d}",
            {f"v{n}": rng.choice((0, 1, 2)) for n in range(1, 11)},
            lat=40.7 + rng.uniform(-1, 1),
            lon=-74.0 + rng.uniform(-1, 1),
        )
        for i in range(300)
    ]
    request = SourcingRequest(lines(*[1] * 10), "ship", NYC, candidates)

    decision = decide(request)
    shuffled = candidates[:]
    rng.shuffle(shuffled)
    again = decide(SourcingRequest(request.lines, "ship", NYC, shuffled))

    assert decision.status == "sourced"
    assert 1 <= len(decision.allocations) <= 3
    assert not decision.search.budget_exhausted
    assert again.as_dict() == decision.as_dict()
