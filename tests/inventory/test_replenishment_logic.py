"""Replenishment rules without a database: levels, quantities, and where units come from."""

import pytest

from omni.inventory.forecast import Forecast
from omni.inventory.replenishment import distance_km
from omni.inventory.replenishment_logic import (
    Rule,
    Site,
    SkuPlan,
    Targets,
    plan_sku,
    quantity_needed,
    targets,
)

STEADY = Forecast(daily=4.0, sigma=2.0, method="holt_winters")
NONE = Forecast.none()


def min_max(location: str, low: int, high: int, **more) -> Rule:
    return Rule("var_1", location, "min_max", min_qty=low, max_qty=high, **more)


def test_min_max_orders_up_to_max_once_at_or_below_min():
    rule = min_max("loc_a", 5, 20, supplier_code="ACME")
    levels = targets(rule, NONE)
    assert levels == Targets(5, 20)
    assert quantity_needed(rule, 6, levels) == 0
    assert quantity_needed(rule, 5, levels) == 15
    assert quantity_needed(rule, -3, levels) == 23  # oversold: make up for it too


def test_reorder_point_from_forecast_covers_lead_time_demand_plus_safety_stock():
    rule = Rule(
        "var_1",
        "loc_a",
        "reorder_point",
        lead_time_days=9,
        review_days=14,
        service_level_percent=95,
        supplier_code="ACME",
    )
    levels = targets(rule, STEADY)
    # 4/day x 9 days = 36, plus z(95 %) 1.645 x sigma 2 x sqrt(9) = 9.87 → 46.
    assert levels.reorder_level == 46
    assert levels.order_up_to == 46 + 56  # + 14 days of demand
    assert quantity_needed(rule, 47, levels) == 0
    assert quantity_needed(rule, 40, levels) == 62


def test_fixed_lots_and_packs_round_up():
    lot = Rule(
        "var_1", "loc_a", "reorder_point", reorder_point=10, reorder_qty=24, supplier_code="ACME"
    )
    levels = targets(lot, NONE)
    assert quantity_needed(lot, 10, levels) == 24
    assert quantity_needed(lot, -20, levels) == 48  # two lots to clear the trigger
    packed = min_max("loc_a", 5, 20, pack_size=12, supplier_code="ACME")
    assert quantity_needed(packed, 0, targets(packed, NONE)) == 24


def site(
    location: str, position: int, *, store: bool = True, lat: float = 40.72, free: int | None = None
) -> Site:
    return Site(location, store, lat, -73.99, position, position if free is None else free)


def test_a_store_is_topped_up_from_a_nearby_store_then_from_its_dc():
    sku = SkuPlan(
        variant_id="var_1",
        sites={
            "store_a": site("store_a", 1),
            "store_b": site("store_b", 30, lat=40.73),  # rule max 20: 10 spare
            "store_far": site("store_far", 50, lat=42.0),  # 140 km away: not a donor
            "dc": site("dc", 100, store=False),
        },
        rules={
            "store_a": min_max("store_a", 5, 25, source_location_id="dc"),
            "store_b": min_max("store_b", 5, 20, source_location_id="dc"),
        },
        demand={},
    )
    suggestions = plan_sku(sku, distance_km)
    assert [(s.kind, s.source_location_id, s.quantity) for s in suggestions] == [
        ("rebalance", "store_b", 10),
        ("transfer", "dc", 14),
    ]


def test_a_dc_reorders_for_what_it_is_about_to_ship_to_its_stores():
    sku = SkuPlan(
        variant_id="var_1",
        sites={"store_a": site("store_a", 0), "dc": site("dc", 30, store=False)},
        rules={
            "dc": Rule(
                "var_1",
                "dc",
                "min_max",
                min_qty=20,
                max_qty=100,
                supplier_code="ACME",
                supplier_name="Acme",
                pack_size=10,
            ),
            "store_a": min_max("store_a", 2, 15, source_location_id="dc"),
        },
        demand={},
    )
    suggestions = plan_sku(sku, distance_km)
    assert [(s.kind, s.location_id, s.quantity, s.position) for s in suggestions] == [
        ("transfer", "store_a", 15, 0),
        ("purchase", "dc", 90, 15),  # 30 - 15 shipped = 15 → up to 100 = 85 → 9 packs
    ]
    assert suggestions[1].supplier_code == "ACME"


def test_a_short_source_ships_what_it_can_and_says_so():
    sku = SkuPlan(
        variant_id="var_1",
        sites={"store_a": site("store_a", 0), "dc": site("dc", 8, store=False, free=4)},
        rules={"store_a": min_max("store_a", 2, 10, source_location_id="dc")},
        demand={},
    )
    [only] = plan_sku(sku, distance_km)
    assert (only.kind, only.quantity) == ("transfer", 4)
    assert "short by 6" in only.reason


def test_the_emptiest_store_is_served_first_from_a_scarce_dc():
    sku = SkuPlan(
        variant_id="var_1",
        sites={
            "calm": site("calm", 3, lat=10.0),
            "urgent": site("urgent", 0, lat=20.0),
            "dc": site("dc", 5, store=False),
        },
        rules={
            "calm": min_max("calm", 3, 8, source_location_id="dc"),
            "urgent": min_max("urgent", 3, 8, source_location_id="dc"),
        },
        demand={"calm": STEADY, "urgent": STEADY},
    )
    suggestions = plan_sku(sku, distance_km)
    assert [(s.location_id, s.quantity) for s in suggestions] == [("urgent", 5)]


def test_distance_is_great_circle_kilometres():
    new_york, boston = site("a", 0, lat=40.7128), Site("b", True, 42.3601, -71.0589, 0, 0)
    assert distance_km(new_york, boston) == pytest.approx(306, rel=0.02)
