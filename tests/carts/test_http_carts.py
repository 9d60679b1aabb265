"""Carts through the API (ORD1): guests, signed-in shoppers across devices and channels,
merging at sign-in, staff at the counter, and everything refused."""

import pytest

from omni.inventory.domain import MovementKind
from tests.carts.support import CARTS, PRICES, add, guest_cart, open_shop
from tests.inventory.http_support import stock_state
from tests.inventory.replenishment_support import change


@pytest.fixture
async def shop(client, admin_headers):
    return await open_shop(client, admin_headers)


async def test_a_guest_fills_a_cart_priced_by_the_server(client, shop):
    cart_id, token = await guest_cart(client, shop)
    assert (await add(client, cart_id, token, shop.variants[0], 2)).status_code == 200
    response = await add(client, cart_id, token, shop.variants[0], 1)
    cart = response.json()
    assert [(line["variant_id"], line["quantity"]) for line in cart["lines"]] == [
        (shop.variants[0], 3)
    ]
    assert cart["lines"][0]["unit_amount"] == PRICES[0]
    assert cart["subtotal"] == 3 * PRICES[0] and cart["purchasable"]
    assert cart["guest_token"] is None  # shown once, at creation


async def test_a_cart_answers_only_to_its_token_its_shopper_or_staff(
    client, shop, shopper_headers, staff_headers
):
    cart_id, token = await guest_cart(client, shop)
    assert (await client.get(f"{CARTS}/{cart_id}", headers=token)).status_code == 200
    assert (await client.get(f"{CARTS}/{cart_id}")).status_code == 404
    wrong = {"X-Cart-Token": "omni_ct_not-the-token"}
    assert (await client.get(f"{CARTS}/{cart_id}", headers=wrong)).status_code == 404
    _, stranger = await shopper_headers()
    assert (await client.get(f"{CARTS}/{cart_id}", headers=stranger)).status_code == 404
    assert (await add(client, cart_id, stranger, shop.variants[0], 1)).status_code == 404
    associate = await staff_headers("associate", stores=[shop.store_id])
    assert (await client.get(f"{CARTS}/{cart_id}", headers=associate)).status_code == 200


async def test_a_signed_in_shopper_has_one_cart_on_every_device_and_channel(
    client, shop, shopper_headers
):
    _, me = await shopper_headers()
    on_web = await client.post(CARTS, json={"channel_id": shop.channel_id}, headers=me)
    assert on_web.status_code == 201
    cart_id = on_web.json()["id"]
    await add(client, cart_id, me, shop.variants[1], 1)
    on_app = await client.post(CARTS, json={"channel_id": shop.app_channel_id}, headers=me)
    assert on_app.status_code == 200
    assert on_app.json()["id"] == cart_id
    assert on_app.json()["channel_id"] == shop.app_channel_id
    assert [line["variant_id"] for line in on_app.json()["lines"]] == [shop.variants[1]]


async def test_signing_in_merges_the_guest_cart_into_the_shoppers(client, shop, shopper_headers):
    _, me = await shopper_headers()
    mine = (await client.post(CARTS, json={"channel_id": shop.channel_id}, headers=me)).json()
    await add(client, mine["id"], me, shop.variants[0], 1)
    guest_id, token = await guest_cart(client, shop)
    await add(client, guest_id, token, shop.variants[0], 2)
    await add(client, guest_id, token, shop.variants[2], 1)

    merged = await client.post(
        f"{CARTS}/merge", json={"guest_token": token["X-Cart-Token"]}, headers=me
    )

    assert merged.status_code == 200, merged.text
    cart = merged.json()
    assert cart["id"] == mine["id"]
    assert {line["variant_id"]: line["quantity"] for line in cart["lines"]} == {
        shop.variants[0]: 3,
        shop.variants[2]: 1,
    }
    assert (await client.get(f"{CARTS}/{guest_id}", headers=token)).status_code == 404
    again = await client.post(
        f"{CARTS}/merge", json={"guest_token": token["X-Cart-Token"]}, headers=me
    )
    assert again.status_code == 404


async def test_a_shopper_without_a_cart_adopts_the_guest_cart(client, shop, shopper_headers):
    customer_id, me = await shopper_headers()
    guest_id, token = await guest_cart(client, shop)
    await add(client, guest_id, token, shop.variants[1], 2)
    merged = await client.post(
        f"{CARTS}/merge", json={"guest_token": token["X-Cart-Token"]}, headers=me
    )
    assert merged.json()["id"] == guest_id
    assert merged.json()["customer_id"] == customer_id


async def test_an_associate_opens_a_customers_cart_at_the_counter(
    client, shop, shopper_headers, staff_headers
):
    customer_id, me = await shopper_headers()
    mine = (await client.post(CARTS, json={"channel_id": shop.channel_id}, headers=me)).json()
    associate = await staff_headers("associate", stores=[shop.store_id])
    found = await client.get(CARTS, params={"customer_id": customer_id}, headers=associate)
    assert found.json()["id"] == mine["id"]
    assert (await add(client, mine["id"], associate, shop.variants[2], 1)).status_code == 200
    seen_by_shopper = (await client.get(f"{CARTS}/{mine['id']}", headers=me)).json()
    assert [line["variant_id"] for line in seen_by_shopper["lines"]] == [shop.variants[2]]
    analyst = await staff_headers("analyst")
    refused = await client.get(CARTS, params={"customer_id": customer_id}, headers=analyst)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1000}, "quantity"),
        ({"variant_id": "var_nope"}, "variant_id"),
        ({"unit_amount": 1}, "unit_amount"),  # prices are the server's
    ],
)
async def test_bad_lines_are_refused_and_change_nothing(client, shop, body, field):
    cart_id, token = await guest_cart(client, shop)
    await add(client, cart_id, token, shop.variants[0], 1)
    before = (await client.get(f"{CARTS}/{cart_id}", headers=token)).json()
    response = await client.post(
        f"{CARTS}/{cart_id}/lines",
        json={"variant_id": shop.variants[0], "quantity": 1, **body},
        headers=token,
    )
    assert response.status_code == 422
    assert field in response.text
    assert (await client.get(f"{CARTS}/{cart_id}", headers=token)).json() == before


async def test_items_not_published_on_the_channel_cannot_be_added(client, shop):
    cart_id, token = await guest_cart(client, shop)
    response = await add(client, cart_id, token, shop.unpublished, 1)
    assert response.status_code == 422


async def test_lines_change_and_disappear_at_zero(client, shop):
    cart_id, token = await guest_cart(client, shop)
    [line] = (await add(client, cart_id, token, shop.variants[0], 1)).json()["lines"]
    changed = await client.patch(
        f"{CARTS}/{cart_id}/lines/{line['id']}", json={"quantity": 4}, headers=token
    )
    assert changed.json()["subtotal"] == 4 * PRICES[0]
    removed = await client.delete(f"{CARTS}/{cart_id}/lines/{line['id']}", headers=token)
    assert removed.json()["lines"] == [] and removed.json()["subtotal"] == 0
    gone = await client.delete(f"{CARTS}/{cart_id}/lines/{line['id']}", headers=token)
    assert gone.status_code == 404


async def test_a_held_cart_keeps_its_stock_until_its_lines_change(client, shop, database):
    cart_id, token = await guest_cart(client, shop)
    await add(client, cart_id, token, shop.variants[0], 2)
    held = await client.post(f"{CARTS}/{cart_id}/hold", json={"minutes": 10}, headers=token)
    assert held.status_code == 200, held.text
    assert held.json()["held_until"] is not None
    state = await stock_state(database, shop.variants[0])
    assert state["levels"][(shop.variants[0], shop.store_id)][1] == 2  # reserved
    await add(client, cart_id, token, shop.variants[1], 1)
    state = await stock_state(database, shop.variants[0])
    assert state["levels"][(shop.variants[0], shop.store_id)][1] == 0
    assert (await client.get(f"{CARTS}/{cart_id}", headers=token)).json()["held_until"] is None


async def test_a_cart_that_cannot_be_held_again_keeps_its_previous_holds(client, shop, database):
    cart_id, token = await guest_cart(client, shop)
    await add(client, cart_id, token, shop.variants[0], 2)
    assert (await client.post(f"{CARTS}/{cart_id}/hold", headers=token)).status_code == 200
    # Four of the five units turn out damaged: the cart's 2 can no longer all be held.
    await change(database, shop.variants[0], shop.store_id, MovementKind.DAMAGE, 4)
    before = await stock_state(database, shop.variants[0])

    again = await client.post(f"{CARTS}/{cart_id}/hold", headers=token)

    assert again.status_code == 409
    assert again.json()["code"] == "insufficient_stock"
    assert await stock_state(database, shop.variants[0]) == before
    assert before["levels"][(shop.variants[0], shop.store_id)][1] == 2  # still held
