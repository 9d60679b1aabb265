"""Re-sourcing after a location rejects or short-picks: the others keep what they hold,
the rejecting location is excluded, the rest is sourced again within max_splits."""

import pytest

from omni.sourcing.domain import (
    AllocatedLine,
    Allocation,
    Candidate,
    Destination,
    OrderLine,
    Rejection,
    SourcingProfile,
    SourcingRequest,
    decide,
    resource,
    resource_holdings,
)

NYC = Destination(40.73, -73.99)
SHIPS = frozenset({"ship_from_store"})


def store(location_id, available, lat=40.75):
    return Candidate(location_id, "store", lat, -73.98, SHIPS, available)


def held(decision):
    return {a.location_id: [(x.line_id, x.quantity) for x in a.lines] for a in decision.held}


def new(decision):
    return {a.location_id: [(x.line_id, x.quantity) for x in a.lines] for a in decision.allocations}


def first_choice():
    order = [OrderLine("l1", "v1", 2), OrderLine("l2", "v2", 1)]
    candidates = [
        store("loc_a", {"v1": 5, "v2": 5}),  # nearest: fills everything
        store("loc_b", {"v1": 5, "v2": 5}, lat=40.80),
        store("loc_c", {"v2": 5}, lat=40.78),
    ]
    decision = decide(SourcingRequest(order, "ship", NYC, candidates))
    assert new(decision) == {"loc_a": [("l1", 2), ("l2", 1)]}
    return decision


def test_a_rejected_order_moves_to_the_next_best_location():
    decision = first_choice()

    again = resource(decision, Rejection("loc_a", reason="no staff"))

    assert again.status == "sourced"
    assert held(again) == {}
    assert new(again) == {"loc_b": [("l1", 2), ("l2", 1)]}
    rejected = again.report("loc_a")
    assert [f.code for f in rejected.failures] == ["excluded"]
    assert rejected.reason == "Excluded: rejected this order: no staff"
    assert again.resourced_after == Rejection("loc_a", reason="no staff")
    assert again.as_dict()["resourced_after"]["code"] == "rejected"


def test_a_short_pick_keeps_what_was_picked_and_sources_only_the_rest():
    decision = first_choice()

    again = resource(decision, Rejection("loc_a", supplied={"l1": 1, "l2": 1}))

    assert held(again) == {"loc_a": [("l1", 1), ("l2", 1)]}
    assert new(again) == {"loc_b": [("l1", 1)]}
    assert again.cost.split == SourcingProfile().split_penalty  # a second parcel
    assert again.resourced_after.code == "short_picked"


def test_what_other_locations_hold_is_kept_and_not_counted_twice():
    # A line split over two stores; B rejects; A's snapshot still shows the 2 units
    # this order holds there, so A must not be asked for them again.
    order = [OrderLine("l1", "v1", 3)]
    candidates = [
        store("loc_a", {"v1": 2}),
        store("loc_b", {"v1": 1}, lat=40.76),
        store("loc_z", {"v1": 9}, lat=20.0),  # the fallback, 2,300 km south
    ]
    profile = SourcingProfile(allow_line_split=True, split_penalty=0.0, depth_weight=0.0)
    decision = decide(SourcingRequest(order, "ship", NYC, candidates, profile))
    assert new(decision) == {"loc_a": [("l1", 2)], "loc_b": [("l1", 1)]}

    again = resource(decision, Rejection("loc_b"))

    assert held(again) == {"loc_a": [("l1", 2)]}
    assert new(again) == {"loc_z": [("l1", 1)]}
    assert [f.code for f in again.report("loc_a").failures] == ["no_stock"]


def test_fresh_candidates_are_taken_as_they_are():
    decision = first_choice()
    fresh = [store("loc_a", {"v1": 5, "v2": 5}), store("loc_c", {"v1": 2, "v2": 5}, lat=40.9)]

    again = resource(decision, Rejection("loc_a"), candidates=fresh)

    assert new(again) == {"loc_c": [("l1", 2), ("l2", 1)]}
    assert [r.location_id for r in again.candidates] == ["loc_c", "loc_a"]


def test_held_locations_count_towards_max_splits():
    decision = first_choice()
    one_location = SourcingProfile(max_splits=1, allow_partial=True)
    request = decision.request
    strict = decide(SourcingRequest(request.lines, "ship", NYC, request.candidates, one_location))

    again = resource(strict, Rejection("loc_a", supplied={"l1": 2}))

    assert again.status == "partial"
    assert held(again) == {"loc_a": [("l1", 2)]}
    assert again.allocations == ()
    [shortfall] = again.unfulfilled
    assert (shortfall.line_id, shortfall.quantity, shortfall.code) == ("l2", 1, "split_limit")


def test_a_held_location_with_stock_to_spare_takes_more_without_a_new_split():
    order = [OrderLine("l1", "v1", 1), OrderLine("l2", "v2", 1)]
    # B could ship both, but only by taking its last v1: cheaper to add A, by profile.
    candidates = [store("loc_a", {"v1": 5}), store("loc_b", {"v2": 5, "v1": 1}, lat=40.9)]
    profile = SourcingProfile(split_penalty=0.0, store_handling_cost=0.0)
    decision = decide(SourcingRequest(order, "ship", NYC, candidates, profile))
    assert new(decision) == {"loc_a": [("l1", 1)], "loc_b": [("l2", 1)]}

    again = resource(decision, Rejection("loc_a"))

    assert held(again) == {"loc_b": [("l2", 1)]}
    assert new(again) == {"loc_b": [("l1", 1)]}
    assert again.cost.split == 0
    assert again.report("loc_b").breakdown.distance == 0  # already travelling: sunk


def test_nothing_to_re_source_when_the_location_supplies_everything():
    decision = first_choice()

    again = resource(decision, Rejection("loc_a", supplied={"l1": 2, "l2": 1}))

    assert again.status == "sourced"
    assert again.allocations == ()
    assert held(again) == {"loc_a": [("l1", 2), ("l2", 1)]}


def test_re_sourcing_can_be_repeated():
    decision = first_choice()

    once = resource(decision, Rejection("loc_a"))
    twice = resource(once, Rejection("loc_b", supplied={"l2": 1}))

    assert held(twice) == {"loc_b": [("l2", 1)]}
    assert twice.status == "unsourceable"  # nobody else has v1
    assert [(s.line_id, s.quantity) for s in twice.unfulfilled] == [("l1", 2)]


def test_only_a_location_of_the_decision_can_reject_it():
    decision = first_choice()

    with pytest.raises(ValueError, match="ships nothing"):
        resource(decision, Rejection("loc_c"))


def test_an_order_can_be_re_sourced_from_what_it_holds_long_after_the_decision():
    # The lead rebuilds the holdings from the order's reservations; candidates are fresh.
    holdings = [
        Allocation("loc_a", "store", (AllocatedLine("l1", "v1", 2),)),
        Allocation("loc_c", "store", (AllocatedLine("l2", "v2", 1),)),
    ]
    fresh = [store("loc_a", {"v1": 3}), store("loc_b", {"v2": 4}, lat=40.8)]

    again = resource_holdings(
        holdings,
        Rejection("loc_c"),
        method="ship",
        destination=NYC,
        profile=SourcingProfile(),
        candidates=fresh,
    )

    assert held(again) == {"loc_a": [("l1", 2)]}
    assert new(again) == {"loc_b": [("l2", 1)]}
    assert again.as_dict()["held"][0]["location_id"] == "loc_a"
