"""Checkout sources with the channel's profile and respects location capacity (ORD4)."""

from datetime import timedelta

from omni.kernel.clock import FixedClock
from tests.sourcing.support import (
    CAPACITY,
    check_out,
    open_network,
    order_groups,
    set_profile,
    soon_mid_hour,
)


async def test_the_default_profile_takes_the_nearest_store(client, admin_headers):
    network = await open_network(client, admin_headers)
    response = await check_out(client, network, [1, 0, 0])
    assert response.status_code == 201, response.text
    assert await order_groups(client, admin_headers, response.json()["order_id"]) == [network.near]


async def test_a_store_the_channels_profile_excludes_is_passed_over(client, admin_headers):
    network = await open_network(client, admin_headers)
    await set_profile(
        client, admin_headers, network.channel_id, excluded_location_ids=[network.near]
    )
    response = await check_out(client, network, [1, 0, 0])
    assert response.status_code == 201, response.text
    assert await order_groups(client, admin_headers, response.json()["order_id"]) == [network.far]


async def test_max_splits_1_refuses_an_order_only_a_split_can_fill(client, admin_headers):
    network = await open_network(client, admin_headers)
    split = await check_out(client, network, [0, 1, 1])
    assert split.status_code == 201, split.text
    groups = await order_groups(client, admin_headers, split.json()["order_id"])
    assert sorted(groups) == sorted([network.near, network.far])

    await set_profile(client, admin_headers, network.channel_id, max_splits=1)
    refused = await check_out(client, network, [0, 1, 1])
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "cannot_source"
    assert {s["code"] for s in refused.json()["unfulfilled"]} == {"split_limit"}


async def test_a_distance_cap_keeps_farther_stores_out(client, admin_headers):
    network = await open_network(client, admin_headers)
    await set_profile(client, admin_headers, network.channel_id, max_distance_km=3)
    near_item = await check_out(client, network, [0, 0, 1])
    assert near_item.status_code == 201, near_item.text
    far_item = await check_out(client, network, [0, 1, 0])  # only the store 7 km away has it
    assert far_item.status_code == 409
    assert far_item.json()["unfulfilled"][0]["code"] == "no_stock"


async def limited_network(client, admin_headers, per_day, per_hour=None):
    """The near store takes few orders. The profile neither steers away from a store
    with little capacity left (headroom 1) nor from a store with fewer units (depth
    weight 0): distance and the hard capacity limit alone decide."""
    network = await open_network(
        client,
        admin_headers,
        near_capacity={"orders_per_day": per_day, "orders_per_hour": per_hour},
    )
    await set_profile(
        client, admin_headers, network.channel_id, capacity_headroom=1, depth_weight=0
    )
    return network


async def test_a_store_at_capacity_is_passed_over_until_an_order_is_cancelled(
    client, admin_headers
):
    network = await limited_network(client, admin_headers, 1)
    first = await check_out(client, network, [1, 0, 0])
    assert await order_groups(client, admin_headers, first.json()["order_id"]) == [network.near]
    [use] = (
        await client.get(CAPACITY, params={"location_id": network.near}, headers=admin_headers)
    ).json()
    assert (use["placed_today"], use["remaining_today"], use["remaining"]) == (1, 0, 0)

    second = await check_out(client, network, [1, 0, 0])
    assert await order_groups(client, admin_headers, second.json()["order_id"]) == [network.far]

    cancelled = await client.post(
        f"/api/v1/orders/{first.json()['order_id']}/cancel", headers=admin_headers
    )
    assert cancelled.status_code == 200, cancelled.text
    third = await check_out(client, network, [1, 0, 0])
    assert await order_groups(client, admin_headers, third.json()["order_id"]) == [network.near]


async def test_the_next_local_day_brings_the_capacity_back(client, admin_headers, database):
    network = await limited_network(client, admin_headers, 1)
    first = await check_out(client, network, [1, 0, 0])
    assert await order_groups(client, admin_headers, first.json()["order_id"]) == [network.near]
    real = database.clock
    database.clock = FixedClock(real.now() + timedelta(days=1))
    try:
        tomorrow = await check_out(client, network, [1, 0, 0])
    finally:
        database.clock = real
    assert tomorrow.status_code == 201, tomorrow.text
    assert await order_groups(client, admin_headers, tomorrow.json()["order_id"]) == [network.near]


async def test_an_hourly_limit_counts_this_hour_only(client, admin_headers, database):
    network = await limited_network(client, admin_headers, 50, per_hour=1)
    real = database.clock
    database.clock = FixedClock(soon_mid_hour(real.now()))
    try:
        await check_out(client, network, [1, 0, 0])
        response = await client.get(
            CAPACITY, params={"location_id": network.near}, headers=admin_headers
        )
        second = await check_out(client, network, [1, 0, 0])
        database.clock.advance(timedelta(hours=1))
        next_hour = await check_out(client, network, [1, 0, 0])
    finally:
        database.clock = real
    [use] = response.json()
    assert (use["placed_today"], use["placed_this_hour"]) == (1, 1)
    assert (use["remaining_today"], use["remaining_this_hour"], use["remaining"]) == (49, 0, 0)
    assert await order_groups(client, admin_headers, second.json()["order_id"]) == [network.far]
    assert await order_groups(client, admin_headers, next_hour.json()["order_id"]) == [network.near]
