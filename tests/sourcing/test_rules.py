"""Hard rules: who may fulfil (part of) an order at all, and every reason why not."""

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
LINES = [OrderLine("l1", "v1", 1)]
SHIPS = frozenset({"ship_from_store"})


def store(location_id="loc_s", **overrides):
    facts = {
        "location_id": location_id,
        "kind": "store",
        "lat": 40.75,
        "lon": -73.98,
        "capabilities": SHIPS,
        "available": {"v1": 5},
    }
    return Candidate(**{**facts, **overrides})


def failed(decision, location_id):
    return [f.code for f in decision.report(location_id).failures]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"exclusion": "store closed"}, "excluded"),
        ({"in_channel_pool": False}, "not_in_channel_pool"),
        ({"capabilities": frozenset({"pickup"})}, "missing_capability"),
        ({"remaining_capacity": 0}, "no_capacity"),
        ({"available": {"v1": 0, "v9": 4}}, "no_stock"),
        ({"available": {"v1": -2}}, "no_stock"),
        ({"lat": 34.05, "lon": -118.24}, "too_far"),  # Los Angeles, limit 1,000 km
    ],
)
def test_each_hard_rule_refuses_a_candidate_with_its_own_code(overrides, code):
    profile = SourcingProfile(max_distance_km=1000)
    request = SourcingRequest(LINES, "ship", NYC, [store(**overrides)], profile)

    decision = decide(request)

    assert decision.status == "unsourceable"
    assert decision.allocations == ()
    report = decision.report("loc_s")
    assert not report.eligible
    assert failed(decision, "loc_s") == [code]
    assert report.outcome == "ineligible"
    assert report.reason_code == code
    assert report.reason == report.failures[0].message
    assert report.score is None and report.rank is None


def test_every_failed_rule_is_reported_not_only_the_first():
    closed_far_away = store(
        exclusion="store closed",
        in_channel_pool=False,
        capabilities=frozenset(),
        remaining_capacity=0,
        available={},
        lat=34.05,
        lon=-118.24,
    )
    profile = SourcingProfile(max_distance_km=1000)

    decision = decide(SourcingRequest(LINES, "ship", NYC, [closed_far_away], profile))

    assert failed(decision, "loc_s") == [
        "excluded",
        "not_in_channel_pool",
        "missing_capability",
        "no_capacity",
        "too_far",
        "no_stock",
    ]
    assert "store closed" in decision.report("loc_s").reason


@pytest.mark.parametrize(
    "profile",
    [
        SourcingProfile(excluded_location_ids=frozenset({"loc_s"})),
        SourcingProfile(excluded_kinds=frozenset({"store"})),
    ],
)
def test_a_profile_can_exclude_locations_and_kinds(profile):
    decision = decide(SourcingRequest(LINES, "ship", NYC, [store()], profile))

    assert failed(decision, "loc_s") == ["excluded_by_profile"]


@pytest.mark.parametrize(
    ("method", "capabilities", "kind", "eligible"),
    [
        ("ship", frozenset(), "warehouse", True),  # a DC always ships
        ("ship", frozenset(), "store", False),
        ("ship", SHIPS, "store", True),
        ("same_day", SHIPS, "store", False),
        ("same_day", frozenset({"same_day_delivery"}), "store", True),
        ("same_day", frozenset(), "warehouse", False),
        ("same_day", frozenset({"same_day_delivery"}), "warehouse", True),
    ],
)
def test_the_method_decides_which_capability_is_needed(method, capabilities, kind, eligible):
    candidate = store(kind=kind, capabilities=capabilities)

    decision = decide(SourcingRequest(LINES, method, NYC, [candidate]))

    assert decision.report("loc_s").eligible is eligible


def test_same_day_delivery_only_comes_from_within_its_radius():
    near = store("loc_near", capabilities=frozenset({"same_day_delivery"}))
    far = store("loc_far", capabilities=frozenset({"same_day_delivery"}), lat=41.3, lon=-72.9)

    decision = decide(SourcingRequest(LINES, "same_day", NYC, [near, far]))

    assert decision.location_ids == ("loc_near",)
    assert failed(decision, "loc_far") == ["too_far"]
    assert "the limit is 50 km" in decision.report("loc_far").reason


def test_pickup_is_sourced_from_the_pickup_store_only():
    pickup_store = store("loc_pick", capabilities=frozenset({"pickup"}), available={"v1": 1})
    dc = Candidate("loc_dc", "warehouse", 40.5, -74.4, available={"v1": 100})
    destination = Destination(40.75, -73.98, location_id="loc_pick")

    decision = decide(SourcingRequest(LINES, "pickup", destination, [pickup_store, dc]))

    assert decision.location_ids == ("loc_pick",)
    assert decision.allocations[0].transfer_to is None
    assert failed(decision, "loc_dc") == ["not_pickup_location"]


def test_curbside_needs_the_curbside_capability_at_the_store():
    pickup_only = store("loc_pick", capabilities=frozenset({"pickup"}))
    destination = Destination(40.75, -73.98, location_id="loc_pick")

    decision = decide(SourcingRequest(LINES, "curbside", destination, [pickup_only]))

    assert decision.status == "unsourceable"
    assert failed(decision, "loc_pick") == ["missing_capability"]


def test_a_profile_may_transfer_pickup_stock_in_from_elsewhere_with_a_delay():
    empty_pickup_store = store("loc_pick", capabilities=frozenset({"pickup"}), available={})
    dc = Candidate("loc_dc", "warehouse", 40.5, -74.4, available={"v1": 100})
    destination = Destination(40.75, -73.98, location_id="loc_pick")
    profile = SourcingProfile(allow_pickup_transfer=True, transfer_delay_hours=24)

    decision = decide(
        SourcingRequest(LINES, "pickup", destination, [empty_pickup_store, dc], profile)
    )

    [allocation] = decision.allocations
    assert allocation.location_id == "loc_dc"
    assert allocation.transfer_to == "loc_pick"
    assert allocation.ready_delay_hours == 24
    assert allocation.cost.transfer == profile.transfer_cost
    assert failed(decision, "loc_pick") == ["no_stock"]


def test_ship_to_store_sends_the_goods_to_the_collection_store():
    collection = store("loc_pick", capabilities=frozenset({"pickup"}), available={})
    dc = Candidate("loc_dc", "warehouse", 40.5, -74.4, available={"v1": 100})
    destination = Destination(40.75, -73.98, location_id="loc_pick")

    decision = decide(SourcingRequest(LINES, "ship_to_store", destination, [collection, dc]))

    [allocation] = decision.allocations
    assert (allocation.location_id, allocation.transfer_to) == ("loc_dc", "loc_pick")
    assert allocation.ready_delay_hours == 0


def test_the_collection_store_itself_may_fill_a_ship_to_store_order():
    collection = store("loc_pick", capabilities=frozenset({"pickup"}))
    destination = Destination(40.75, -73.98, location_id="loc_pick")

    decision = decide(SourcingRequest(LINES, "ship_to_store", destination, [collection]))

    [allocation] = decision.allocations
    assert (allocation.location_id, allocation.transfer_to) == ("loc_pick", None)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: OrderLine("l1", "v1", 0), "quantity"),
        (lambda: store(kind="locker"), "kind"),
        (lambda: SourcingProfile(max_splits=0), "max_splits"),
        (lambda: SourcingProfile(split_penalty=-1.0), "split_penalty"),
        (lambda: SourcingProfile(max_distance_km=float("nan")), "max_distance_km"),
        (lambda: SourcingRequest(LINES, "teleport", NYC, []), "method"),
        (lambda: SourcingRequest(LINES, "pickup", NYC, []), "location's id"),
        (lambda: SourcingRequest([], "ship", NYC, []), "at least one line"),
        (lambda: SourcingRequest(LINES * 2, "ship", NYC, []), "line ids"),
        (lambda: SourcingRequest(LINES, "ship", NYC, [store(), store()]), "candidate"),
    ],
)
def test_malformed_inputs_are_refused_when_built(build, message):
    with pytest.raises(ValueError, match=message):
        build()
