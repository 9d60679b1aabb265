"""INV9 policies over HTTP: negative stock per location, low-stock thresholds, and
backorder/preorder per variant x channel, with who may set them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.inventory.http_support import (
    INVENTORY,
    STOCK,
    channel_available,
    key,
    level,
    make_channel,
    make_store,
    make_variants,
    receive,
    stock_state,
)


def variant_policy_url(variant: str, channel: str) -> str:
    return f"{INVENTORY}/variants/{variant}/channels/{channel}/policy"


async def test_a_location_that_allows_negative_stock_accepts_an_online_sale_below_zero(
    client, database, admin_headers, staff_headers
):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    url = f"{INVENTORY}/locations/{store}/policy"
    planner = await staff_headers("planner")

    default = await client.get(url, headers=planner)
    assert default.json() == {
        "location_id": store,
        "allow_negative": False,
        "low_stock_threshold": 2,
    }
    put = await client.put(
        url, json={"allow_negative": True, "low_stock_threshold": 5}, headers=planner
    )
    assert put.status_code == 200, put.text
    assert (await client.get(url, headers=planner)).json() == put.json()

    sale = await client.post(
        f"{STOCK}/sales",
        json={"location_id": store, "lines": [{"variant_id": sku, "quantity": 2}]},
        headers=admin_headers | key(),
    )
    assert sale.status_code == 201, sale.text
    assert await level(database, sku, store) == (-2, 0, 0, 0, 0)


async def test_the_low_stock_threshold_of_a_location_sets_its_status(client, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 4})
    await client.put(
        f"{INVENTORY}/locations/{store}/policy",
        json={"low_stock_threshold": 5},
        headers=admin_headers,
    )
    levels = await client.get(f"{INVENTORY}/variants/{sku}/levels", headers=admin_headers)
    assert levels.json()["items"][0]["status"] == "low_stock"


async def test_location_policies_need_a_known_location_and_a_planner(
    client, admin_headers, staff_headers
):
    store = await make_store(client, admin_headers)
    manager = await staff_headers("store_manager", stores=[store])
    url = f"{INVENTORY}/locations/{store}/policy"

    unknown = await client.put(
        f"{INVENTORY}/locations/loc_nope/policy",
        json={"allow_negative": True},
        headers=admin_headers,
    )
    by_manager = await client.put(url, json={"allow_negative": True}, headers=manager)
    negative = await client.put(url, json={"low_stock_threshold": -1}, headers=admin_headers)
    unknown_field = await client.put(url, json={"allow": True}, headers=admin_headers)

    assert (unknown.status_code, by_manager.status_code) == (404, 403)
    assert (negative.status_code, unknown_field.status_code) == (422, 422)
    assert (await client.get(url, headers=manager)).json()["allow_negative"] is False


async def test_backorders_promise_beyond_stock_up_to_the_limit(client, database, admin_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    await receive(client, admin_headers, store, {sku: 1})
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    put = await client.put(
        variant_policy_url(sku, web),
        json={"backorder": True, "oversell_limit": 2},
        headers=admin_headers,
    )
    assert put.status_code == 200, put.text

    def order(quantity: int) -> dict[str, object]:
        return {
            "channel_id": web,
            "reference": f"ord_{quantity}_{sku}",
            "lines": [{"variant_id": sku, "location_id": store, "quantity": quantity}],
        }

    first = await client.post(
        f"{INVENTORY}/reservations", json=order(3), headers=admin_headers | key()
    )
    before = await stock_state(database, sku)
    second = await client.post(
        f"{INVENTORY}/reservations", json=order(1), headers=admin_headers | key()
    )

    assert first.status_code == 201, first.text
    assert second.status_code == 409
    assert await stock_state(database, sku) == before
    availability = await client.get(
        f"{INVENTORY}/availability", params={"channel_id": web, "variant_ids": sku}
    )
    assert availability.json()["items"] == [{"variant_id": sku, "status": "backorder"}]


async def test_preorders_are_taken_until_the_release_date(client, admin_headers):
    soon, released = await make_variants(client, admin_headers, 2)
    store = await make_store(client, admin_headers)
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for variant, when in ((soon, future), (released, past)):
        response = await client.put(
            variant_policy_url(variant, web),
            json={"preorder": True, "available_from": when},
            headers=admin_headers,
        )
        assert response.status_code == 200, response.text

    statuses = await client.get(
        f"{INVENTORY}/availability", params={"channel_id": web, "variant_ids": f"{soon},{released}"}
    )
    assert [i["status"] for i in statuses.json()["items"]] == ["preorder", "out_of_stock"]
    assert await channel_available(client, admin_headers, web, soon) == 0


async def test_variant_policies_are_read_removed_and_checked(client, admin_headers, staff_headers):
    [sku] = await make_variants(client, admin_headers, 1)
    store = await make_store(client, admin_headers)
    web = await make_channel(client, admin_headers, {store: (0, 0)})
    url = variant_policy_url(sku, web)
    associate = await staff_headers("associate", stores=[store])

    assert (await client.get(url, headers=associate)).json()["backorder"] is False
    assert (await client.put(url, json={"backorder": True}, headers=associate)).status_code == 403
    naive = await client.put(
        url, json={"preorder": True, "available_from": "2030-01-01T00:00:00"}, headers=admin_headers
    )
    assert naive.status_code == 422
    unknown = await client.put(
        variant_policy_url(sku, "chn_nope"), json={"backorder": True}, headers=admin_headers
    )
    assert unknown.status_code == 404
    assert (await client.get(url, headers=associate)).json()["backorder"] is False

    await client.put(url, json={"backorder": True}, headers=admin_headers)
    assert (await client.get(url, headers=associate)).json()["backorder"] is True
    assert (await client.delete(url, headers=admin_headers)).status_code == 204
    assert (await client.delete(url, headers=admin_headers)).status_code == 404
    assert (await client.get(url, headers=associate)).json()["backorder"] is False
