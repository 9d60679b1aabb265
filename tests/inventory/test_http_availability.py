"""Availability reads over HTTP: per channel (buffers, bundles, reservations), per SKU
per location, bulk, in-stock — and what shoppers may see of it."""

from __future__ import annotations

from tests.inventory.http_support import (
    INVENTORY,
    channel_available,
    key,
    make_bundle,
    make_channel,
    make_store,
    make_variants,
    make_warehouse,
    receive,
)

AVAILABILITY = f"{INVENTORY}/availability"


async def test_the_web_sees_less_than_the_till_at_a_store_that_keeps_units_for_walk_ins(
    client, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10})
    web = await make_channel(client, admin_headers, {store: (3, 0)})
    till = await make_channel(
        client,
        admin_headers,
        {store: (0, 0)},
        kind="pos",
        location_id=store,
        fulfillment_methods=["carry_out"],
    )

    assert await channel_available(client, admin_headers, web, sku) == 7
    assert await channel_available(client, admin_headers, till, sku) == 10


async def test_channel_availability_sums_the_pool_after_each_location_buffer(
    client, admin_headers, staff_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store, dc = await make_store(client, admin_headers), await make_warehouse(client, admin_headers)
    elsewhere = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10})
    await receive(client, admin_headers, dc, {sku: 100})
    await receive(client, admin_headers, elsewhere, {sku: 50})  # not in the pool
    web = await make_channel(client, admin_headers, {store: (2, 50), dc: (0, 0)})
    analyst = await staff_headers("analyst")

    response = await client.get(
        AVAILABILITY, params={"channel_id": web, "variant_ids": sku}, headers=analyst
    )

    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["available"] == 105  # the store keeps half of its 10
    assert {loc["location_id"]: loc["available"] for loc in item["locations"]} == {
        store: 5,
        dc: 100,
    }
    assert item["status"] == "in_stock"


async def test_shoppers_see_a_status_but_never_quantities(client, admin_headers, shopper_headers):
    plenty, few, none = await make_variants(client, admin_headers, 3)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {plenty: 40, few: 2})
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    _, shopper = await shopper_headers()
    ids = ",".join([plenty, few, none])

    anonymous = await client.get(AVAILABILITY, params={"channel_id": web, "variant_ids": ids})
    by_header = await client.get(
        AVAILABILITY, params={"variant_ids": ids}, headers=shopper | {"Omni-Channel": web}
    )

    assert anonymous.status_code == by_header.status_code == 200
    assert anonymous.json() == by_header.json()
    assert anonymous.json()["items"] == [
        {"variant_id": plenty, "status": "in_stock"},
        {"variant_id": few, "status": "low_stock"},
        {"variant_id": none, "status": "out_of_stock"},
    ]


async def test_availability_needs_a_known_channel_and_known_variants(client, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    web = await make_channel(client, admin_headers, {store: (0, 0)})

    no_channel = await client.get(AVAILABILITY, params={"variant_ids": sku})
    unknown_channel = await client.get(
        AVAILABILITY, params={"channel_id": "chn_nope", "variant_ids": sku}
    )
    unknown_variant = await client.get(
        AVAILABILITY, params={"channel_id": web, "variant_ids": f"{sku},var_nope"}
    )
    too_many = await client.get(
        AVAILABILITY,
        params={"channel_id": web, "variant_ids": ",".join(f"v{n}" for n in range(101))},
    )

    assert no_channel.status_code == 422
    assert unknown_channel.status_code == 404
    assert unknown_variant.status_code == 422 and unknown_variant.json()["unknown"] == ["var_nope"]
    assert too_many.status_code == 422


async def test_a_bundle_is_as_available_as_its_scarcest_component_per_location(
    client, admin_headers
):
    sock, tee = await make_variants(client, admin_headers, 2)
    kit = await make_bundle(client, admin_headers, {sock: 3, tee: 1})
    first, second = await make_store(client, admin_headers), await make_store(client, admin_headers)
    await receive(client, admin_headers, first, {sock: 10, tee: 5})  # 3 kits (socks)
    await receive(client, admin_headers, second, {sock: 30, tee: 1})  # 1 kit (tees)
    web = await make_channel(client, admin_headers, {first: (0, 0), second: (0, 0)})

    response = await client.get(
        AVAILABILITY, params={"channel_id": web, "variant_ids": kit}, headers=admin_headers
    )

    [item] = response.json()["items"]
    assert item["is_bundle"] is True
    assert item["available"] == 4
    assert {loc["location_id"]: loc["available"] for loc in item["locations"]} == {
        first: 3,
        second: 1,
    }


async def test_reservations_and_holds_count_against_availability_and_in_stock(
    client, admin_headers
):
    held, free = await make_variants(client, admin_headers, 2)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {held: 2, free: 2})
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    hold = await client.post(
        f"{INVENTORY}/holds",
        json={
            "channel_id": web,
            "reference": "crt_in_stock",
            "lines": [{"variant_id": held, "location_id": store, "quantity": 2}],
        },
        headers=admin_headers | key(),
    )
    assert hold.status_code == 201, hold.text

    response = await client.get(
        f"{AVAILABILITY}/in-stock", params={"channel_id": web, "variant_ids": f"{held},{free}"}
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"channel_id": web, "variant_ids": [free]}
    assert await channel_available(client, admin_headers, web, held) == 0


async def test_levels_of_a_sku_show_every_state_and_the_channel_view(
    client, database, admin_headers, staff_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store, outside = (
        await make_store(client, admin_headers),
        await make_store(client, admin_headers),
    )
    await receive(client, admin_headers, store, {sku: 10})
    await receive(client, admin_headers, outside, {sku: 1})
    web = await make_channel(client, admin_headers, {store: (0, 20)})
    associate = await staff_headers("associate", stores=[store])
    url = f"{INVENTORY}/variants/{sku}/levels"

    response = await client.get(url, params={"channel_id": web}, headers=associate)

    assert response.status_code == 200, response.text
    rows = {row["location_id"]: row for row in response.json()["items"]}
    assert rows[store]["on_hand"] == 10 and rows[store]["available"] == 10
    assert rows[store]["available_to_channel"] == 8
    assert rows[outside]["available_to_channel"] is None  # not in the web pool
    assert rows[outside]["status"] == "low_stock"
    one = await client.get(url, params={"location_id": store}, headers=associate)
    assert [row["location_id"] for row in one.json()["items"]] == [store]


async def test_levels_refuse_bundles_unknown_ids_and_callers_without_inventory_read(
    client, admin_headers, shopper_headers
):
    part, other = await make_variants(client, admin_headers, 2)
    kit = await make_bundle(client, admin_headers, {part: 1})
    _, shopper = await shopper_headers()

    def url(variant: str) -> str:
        return f"{INVENTORY}/variants/{variant}/levels"

    assert (await client.get(url(kit), headers=admin_headers)).status_code == 422
    assert (await client.get(url("var_nope"), headers=admin_headers)).status_code == 404
    missing_location = await client.get(
        url(other), params={"location_id": "loc_nope"}, headers=admin_headers
    )
    assert missing_location.status_code == 404
    assert (await client.get(url(other))).status_code == 401
    assert (await client.get(url(other), headers=shopper)).status_code == 403


async def test_bulk_reads_100_skus_by_100_locations_in_one_call(client, admin_headers):
    skus = await make_variants(client, admin_headers, 3)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {skus[0]: 4, skus[1]: 6})
    web = await make_channel(client, admin_headers, {store: (1, 0)})
    padding_skus = [f"var_x{n}" for n in range(97)]
    padding_locations = [f"loc_x{n}" for n in range(99)]

    response = await client.post(
        f"{AVAILABILITY}/bulk",
        json={
            "variant_ids": skus + padding_skus,
            "location_ids": [store, *padding_locations],
            "channel_id": web,
        },
        headers=admin_headers,
    )

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert {(i["variant_id"], i["available"], i["available_to_channel"]) for i in items} == {
        (skus[0], 4, 3),
        (skus[1], 6, 5),
    }


async def test_bulk_refuses_more_than_100_by_100_and_anonymous_callers(client, admin_headers):
    url = f"{AVAILABILITY}/bulk"
    too_many_skus = {"variant_ids": [f"v{n}" for n in range(101)], "location_ids": ["loc_1"]}
    too_many_places = {"variant_ids": ["v1"], "location_ids": [f"l{n}" for n in range(101)]}
    assert (await client.post(url, json=too_many_skus, headers=admin_headers)).status_code == 422
    assert (await client.post(url, json=too_many_places, headers=admin_headers)).status_code == 422
    assert (
        await client.post(url, json={"variant_ids": ["v"], "location_ids": ["l"]})
    ).status_code == 401
