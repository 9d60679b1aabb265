"""Nearby locations with stock, by US ZIP code or coordinates: nearest first, within a
radius, limited; shoppers see stores and a status, staff every location and figures."""

from __future__ import annotations

import pytest

from tests.inventory.http_support import (
    INVENTORY,
    make_channel,
    make_store,
    make_variants,
    make_warehouse,
    receive,
)

NEARBY = f"{INVENTORY}/availability/nearby"
SOHO_ZIP = "10012"  # centred at 40.7255, -73.9983


@pytest.fixture
async def manhattan(client, admin_headers):  # type: ignore[no-untyped-def]
    """One SKU stocked around SoHo: next door (5), Midtown (1), a DC (50), Harlem (none),
    Boston (far away)."""
    [sku] = await make_variants(client, admin_headers, 1)
    places = {
        "next_door": await make_store(client, admin_headers, 40.7247, -73.9981),
        "midtown": await make_store(client, admin_headers, 40.7580, -73.9855),
        "harlem": await make_store(client, admin_headers, 40.8116, -73.9465),
        "boston": await make_store(client, admin_headers, 42.3601, -71.0589),
        "dc": await make_warehouse(client, admin_headers, 40.7300, -74.0100),
    }
    stock = {"next_door": 5, "midtown": 1, "boston": 9, "dc": 50}
    for name, units in stock.items():
        await receive(client, admin_headers, places[name], {sku: units})
    return sku, places


async def test_shoppers_find_stores_with_stock_near_a_zip_code_nearest_first(client, manhattan):
    sku, places = manhattan

    response = await client.get(NEARBY, params={"variant_id": sku, "zip": SOHO_ZIP})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["lat"], body["lon"]) == (40.7255, -73.9983)
    items = body["items"]
    assert [i["location_id"] for i in items] == [places["next_door"], places["midtown"]]
    assert [i["status"] for i in items] == ["in_stock", "low_stock"]
    assert all("available" not in i for i in items)  # no quantities for shoppers
    assert items[0]["distance_km"] < items[1]["distance_km"] < 25
    assert items[0]["pickup"] is True


async def test_staff_see_every_location_with_figures_by_coordinates(
    client, manhattan, staff_headers
):
    sku, places = manhattan
    associate = await staff_headers("associate", stores=[places["next_door"]])

    response = await client.get(
        NEARBY,
        params={"variant_id": sku, "near": "40.7255,-73.9983", "radius_km": 10},
        headers=associate,
    )

    assert response.status_code == 200, response.text
    found = [(i["location_id"], i["available"]) for i in response.json()["items"]]
    assert found == [
        (places["next_door"], 5),
        (places["dc"], 50),
        (places["midtown"], 1),
    ]


async def test_radius_and_limit_bound_the_answer(client, manhattan):
    sku, places = manhattan
    near = {"variant_id": sku, "near": "40.7255,-73.9983"}

    nearest = await client.get(NEARBY, params=near | {"limit": 1})
    wide = await client.get(NEARBY, params=near | {"radius_km": 400})

    assert [i["location_id"] for i in nearest.json()["items"]] == [places["next_door"]]
    assert [i["location_id"] for i in wide.json()["items"]][-1] == places["boston"]


async def test_a_channel_limits_nearby_stock_to_its_pool_after_buffers(
    client, admin_headers, manhattan
):
    sku, places = manhattan
    web = await make_channel(
        client, admin_headers, {places["next_door"]: (5, 0), places["midtown"]: (0, 0)}
    )
    response = await client.get(
        NEARBY, params={"variant_id": sku, "zip": SOHO_ZIP, "channel_id": web}
    )
    # Next door keeps all 5 for walk-ins: the web channel cannot offer them.
    assert [i["location_id"] for i in response.json()["items"]] == [places["midtown"]]


async def test_the_point_must_be_exactly_one_valid_zip_or_coordinates(client, manhattan):
    sku, _ = manhattan
    cases = [
        {"variant_id": sku},
        {"variant_id": sku, "zip": SOHO_ZIP, "near": "40.7,-73.9"},
        {"variant_id": sku, "zip": "1001"},
        {"variant_id": sku, "zip": "00000"},
        {"variant_id": sku, "near": "north,east"},
        {"variant_id": sku, "near": "95,10"},
    ]
    for params in cases:
        response = await client.get(NEARBY, params=params)
        assert response.status_code == 422, params


async def test_nearby_needs_a_known_variant_and_channel(client, manhattan):
    sku, _ = manhattan
    unknown_variant = await client.get(NEARBY, params={"variant_id": "var_nope", "zip": SOHO_ZIP})
    unknown_channel = await client.get(
        NEARBY, params={"variant_id": sku, "zip": SOHO_ZIP, "channel_id": "chn_nope"}
    )
    assert (unknown_variant.status_code, unknown_channel.status_code) == (404, 404)
