"""Cart holds and order reservations over HTTP: all or nothing, through the channel's
pool and buffers, bundles as their components, and a 409 that says where else."""

from __future__ import annotations

import uuid

import pytest

from tests.inventory.helpers import assert_ledger_balanced
from tests.inventory.http_support import (
    INVENTORY,
    key,
    level,
    make_bundle,
    make_channel,
    make_store,
    make_variants,
    make_warehouse,
    receive,
    stock_state,
)

HOLDS = f"{INVENTORY}/holds"
RESERVATIONS = f"{INVENTORY}/reservations"


def ref(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def body(channel: str, reference: str, *lines: tuple[str, str, int]) -> dict[str, object]:
    return {
        "channel_id": channel,
        "reference": reference,
        "lines": [{"variant_id": v, "location_id": loc, "quantity": q} for v, loc, q in lines],
    }


@pytest.fixture
async def shop(client, admin_headers):  # type: ignore[no-untyped-def]
    """Two SKUs in one store (10 and 3) sold by a web channel with no buffer there."""
    sku, scarce = await make_variants(client, admin_headers, 2)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 10, scarce: 3})
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    return sku, scarce, store, web


async def test_a_cart_hold_is_made_extended_and_released(client, database, admin_headers, shop):
    sku, _, store, web = shop
    cart = ref("crt")

    made = await client.post(
        HOLDS,
        json=body(web, cart, (sku, store, 4)) | {"ttl_seconds": 600},
        headers=admin_headers | key(),
    )
    assert made.status_code == 201, made.text
    assert made.json()["kind"] == "hold" and len(made.json()["reservations"]) == 1
    assert await level(database, sku, store) == (10, 4, 0, 0, 0)

    extended = await client.post(
        f"{HOLDS}/{cart}/extend", json={"ttl_seconds": 3600}, headers=admin_headers | key()
    )
    assert extended.status_code == 200 and extended.json()["extended"] == 1
    assert extended.json()["expires_at"] > made.json()["expires_at"]

    released = await client.post(f"{HOLDS}/{cart}/release", headers=admin_headers | key())
    assert released.json() == {"reference": cart, "units": 4}
    assert await level(database, sku, store) == (10, 0, 0, 0, 0)
    again = await client.post(f"{HOLDS}/{cart}/release", headers=admin_headers | key())
    assert again.status_code == 404
    await assert_ledger_balanced(database)


async def test_checkout_converts_holds_and_fulfilment_consumes_them(
    client, database, admin_headers, shop
):
    sku, _, store, web = shop
    cart, order = ref("crt"), ref("ord")
    await client.post(HOLDS, json=body(web, cart, (sku, store, 2)), headers=admin_headers | key())

    converted = await client.post(
        f"{HOLDS}/{cart}/convert", json={"order_reference": order}, headers=admin_headers | key()
    )
    consumed = await client.post(f"{RESERVATIONS}/{order}/consume", headers=admin_headers | key())

    assert converted.json()["converted"] == 1
    assert consumed.json() == {"reference": order, "units": 2}
    assert await level(database, sku, store) == (8, 0, 0, 0, 0)


async def test_an_order_reservation_can_be_released_line_by_line(
    client, database, admin_headers, staff_headers, shop
):
    sku, scarce, store, web = shop
    order = ref("ord")
    made = await client.post(
        RESERVATIONS,
        json=body(web, order, (sku, store, 2), (scarce, store, 1)),
        headers=admin_headers | key(),
    )
    assert made.status_code == 201, made.text
    by_sku = {r["variant_id"]: r["reservation_id"] for r in made.json()["reservations"]}

    one = await client.post(
        f"{RESERVATIONS}/{order}/release",
        json={"reservation_ids": [by_sku[scarce]]},
        headers=admin_headers | key(),
    )

    assert one.json()["units"] == 1
    assert await level(database, scarce, store) == (3, 0, 0, 0, 0)
    assert await level(database, sku, store) == (10, 2, 0, 0, 0)


async def test_a_basket_the_stock_cannot_cover_is_refused_whole_with_the_figures(
    client, database, admin_headers, shop
):
    sku, scarce, store, web = shop
    before = await stock_state(database, sku, scarce)

    response = await client.post(
        RESERVATIONS,
        json=body(web, ref("ord"), (sku, store, 2), (scarce, store, 4)),
        headers=admin_headers | key(),
    )

    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "insufficient_stock"
    assert (problem["variant_id"], problem["location_id"]) == (scarce, store)
    assert (problem["requested"], problem["available"]) == (4, 3)
    assert problem["alternatives"] == []
    assert await stock_state(database, sku, scarce) == before


async def test_the_409_says_where_else_the_channel_has_it_nearest_first(
    client, database, admin_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    here = await make_store(client, admin_headers, 40.7247, -73.9981)
    far = await make_store(client, admin_headers, 40.8116, -73.9465)
    near = await make_store(client, admin_headers, 40.7580, -73.9855)
    dc = await make_warehouse(client, admin_headers, 41.5, -74.5)
    await receive(client, admin_headers, here, {sku: 1})
    await receive(client, admin_headers, near, {sku: 1})
    await receive(client, admin_headers, far, {sku: 8})
    await receive(client, admin_headers, dc, {sku: 40})
    web = await make_channel(
        client, admin_headers, {here: (0, 0), near: (0, 0), far: (0, 0), dc: (0, 0)}
    )
    before = await stock_state(database, sku)

    response = await client.post(
        HOLDS, json=body(web, ref("crt"), (sku, here, 2)), headers=admin_headers | key()
    )

    assert response.status_code == 409
    problem = response.json()
    assert problem["available"] == 1 and problem["channel_id"] == web
    options = problem["alternatives"]
    assert [o["location_id"] for o in options] == [near, far, dc]
    assert [o["enough"] for o in options] == [False, True, True]
    assert options[0]["distance_km"] < options[1]["distance_km"] < options[2]["distance_km"]
    assert problem["ship_to_home"] is True  # the DC ships and has enough
    assert problem["pickup_elsewhere"] is True  # the far store offers pickup
    assert await stock_state(database, sku) == before


async def test_a_location_outside_the_channel_pool_is_refused_before_touching_stock(
    client, database, admin_headers, shop
):
    sku, _, store, web = shop
    outside = await make_store(client, admin_headers)
    await receive(client, admin_headers, outside, {sku: 5})
    before = await stock_state(database, sku)

    response = await client.post(
        RESERVATIONS,
        json=body(web, ref("ord"), (sku, store, 1), (sku, outside, 1)),
        headers=admin_headers | key(),
    )

    assert response.status_code == 422
    assert response.json()["location_ids"] == [outside]
    assert await stock_state(database, sku) == before


async def test_reserving_a_bundle_reserves_its_components_atomically(
    client, database, admin_headers
):
    sock, tee = await make_variants(client, admin_headers, 2)
    kit = await make_bundle(client, admin_headers, {sock: 3, tee: 1})
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sock: 7, tee: 5})
    web = await make_channel(client, admin_headers, {store: (0, 0)})

    made = await client.post(
        RESERVATIONS, json=body(web, ref("ord"), (kit, store, 2)), headers=admin_headers | key()
    )

    assert made.status_code == 201, made.text
    assert {(r["variant_id"], r["quantity"]) for r in made.json()["reservations"]} == {
        (sock, 6),
        (tee, 2),
    }
    assert await level(database, sock, store) == (7, 6, 0, 0, 0)
    assert await level(database, tee, store) == (5, 2, 0, 0, 0)

    before = await stock_state(database, sock, tee, kit)
    refused = await client.post(
        RESERVATIONS, json=body(web, ref("ord"), (kit, store, 1)), headers=admin_headers | key()
    )
    # One tee is left for three more socks than there are: nothing is taken.
    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["variant_id"], problem["component_variant_id"]) == (kit, sock)
    assert (problem["requested"], problem["available"]) == (1, 0)
    assert await stock_state(database, sock, tee, kit) == before


async def test_reservation_commands_validate_and_need_a_key(client, database, admin_headers, shop):
    sku, _, store, web = shop
    before = await stock_state(database, sku)
    good = body(web, ref("ord"), (sku, store, 1))
    cases = [
        (good, {}, 400),
        (body("chn_nope", ref("ord"), (sku, store, 1)), key(), 404),
        (body(web, ref("ord"), ("var_nope", store, 1)), key(), 422),
        (body(web, ref("ord"), (sku, store, 0)), key(), 422),
        (body(web, ref("ord"), (sku, store, -2)), key(), 422),
        (good | {"lines": []}, key(), 422),
    ]
    for payload, extra, status in cases:
        response = await client.post(RESERVATIONS, json=payload, headers=admin_headers | extra)
        assert response.status_code == status, (payload, response.text)
    missing = await client.post(
        f"{HOLDS}/crt_nope/extend", json={"ttl_seconds": 600}, headers=admin_headers | key()
    )
    assert missing.status_code == 404
    assert await stock_state(database, sku) == before


async def test_only_inventory_writers_reserve(
    client, database, admin_headers, staff_headers, shopper_headers, shop
):
    sku, _, store, web = shop
    manager = await staff_headers("store_manager", stores=[store])
    _, shopper = await shopper_headers()
    before = await stock_state(database, sku)
    payload = body(web, ref("crt"), (sku, store, 1))
    statuses = [
        (await client.post(HOLDS, json=payload, headers=headers | key())).status_code
        for headers in ({}, shopper, manager)
    ]
    assert statuses == [401, 403, 403]
    assert await stock_state(database, sku) == before


async def test_an_external_oms_reserves_with_an_api_key(client, database, admin_headers, shop):
    sku, _, store, web = shop
    created = await client.post(
        "/api/v1/api-clients",
        json={"name": "OMS", "scopes": ["inventory.write"]},
        headers=admin_headers,
    )
    oms = {"Authorization": f"Bearer {created.json()['api_key']}"}

    response = await client.post(
        RESERVATIONS, json=body(web, ref("ord"), (sku, store, 3)), headers=oms | key()
    )

    assert response.status_code == 201, response.text
    assert await level(database, sku, store) == (10, 3, 0, 0, 0)
