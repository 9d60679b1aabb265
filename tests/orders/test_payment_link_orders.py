"""Social and phone orders (ORD2, PAY3): the order is placed waiting for its payment
link, with its stock reserved; paying the link places it; a link nobody pays — or a
3-D Secure page nobody finishes — cancels the order in time and gives the stock back.
Staff taking an order are recorded on it."""

from datetime import timedelta

import pytest

from omni.orders.unpaid import cancel_unpaid_orders
from tests.carts.support import open_shop
from tests.inventory.http_support import level
from tests.orders.checkout_support import (
    CHECKOUT,
    checkout_body,
    ensure_new_york_taxes,
    filled_guest_cart,
    key,
)
from tests.orders.support import ORDERS
from tests.payments.support import the_provider

WEBHOOK = "/api/v1/payments/webhooks/test"
LINK = [{"kind": "payment_link"}]


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


async def checkout(client, shop, headers=None, **fields):
    cart_id, token = await filled_guest_cart(client, shop, [2])
    response = await client.post(
        CHECKOUT, json=checkout_body(cart_id, **fields), headers=(headers or token) | key()
    )
    assert response.status_code == 201, response.text
    return response.json()


async def status_of(client, admin_headers, order_id):
    response = await client.get(f"{ORDERS}/{order_id}", headers=admin_headers)
    assert response.status_code == 200, response.text
    return response.json()["status"]


async def sweep(database, minutes):
    """The sweep as time goes by (the test database is shared: large enough a batch
    that other tests' waiting orders cannot crowd this test's out)."""
    return await cancel_unpaid_orders(
        database,
        action_minutes=30,
        link_minutes=2880,
        limit=10_000,
        now=database.clock.now() + timedelta(minutes=minutes),
    )


async def test_a_link_order_waits_with_its_stock_then_paying_the_link_places_it(
    client, app, database, shop, admin_headers
):
    placed = await checkout(client, shop, payment=LINK)

    assert placed["status"] == "pending_payment"
    assert placed["payment_link_url"]
    assert (await level(database, shop.variants[0], shop.store_id))[1] == 2
    link_id = placed["payment_link_url"].rstrip("/").rsplit("/", 1)[-1]
    delivery = the_provider(app).pay_link(link_id)
    response = await client.post(WEBHOOK, content=delivery.body, headers=delivery.headers)
    assert response.status_code == 200, response.text
    await app.state.dispatcher.drain()

    assert await status_of(client, admin_headers, placed["order_id"]) == "placed"
    payments = await client.get(
        "/api/v1/payments", params={"order_id": placed["order_id"]}, headers=admin_headers
    )
    [payment] = payments.json()["items"]
    assert (payment["tender"], payment["status"]) == ("payment_link", "captured")


async def test_staff_get_the_same_link_again_for_the_waiting_order(client, shop, admin_headers):
    placed = await checkout(client, shop, payment=LINK)

    again = await client.post(
        f"{ORDERS}/{placed['order_id']}/payment-link", headers=admin_headers | key()
    )

    assert again.status_code == 200, again.text
    assert again.json()["url"] == placed["payment_link_url"]


async def test_a_placed_order_has_no_link_to_make(client, shop, admin_headers):
    placed = await checkout(client, shop)
    response = await client.post(
        f"{ORDERS}/{placed['order_id']}/payment-link", headers=admin_headers | key()
    )
    assert response.status_code == 409, response.text


async def test_an_unpaid_link_keeps_its_stock_for_two_days_then_the_order_is_cancelled(
    client, app, database, shop, admin_headers
):
    placed = await checkout(client, shop, payment=LINK)

    await sweep(database, minutes=60)
    assert await status_of(client, admin_headers, placed["order_id"]) == "pending_payment"

    await sweep(database, minutes=2881)
    await app.state.dispatcher.drain()
    assert await status_of(client, admin_headers, placed["order_id"]) == "cancelled"
    assert (await level(database, shop.variants[0], shop.store_id))[1] == 0
    payments = await client.get(
        "/api/v1/payments", params={"order_id": placed["order_id"]}, headers=admin_headers
    )
    assert [p["status"] for p in payments.json()["items"]] == ["canceled"]


async def test_an_abandoned_3d_secure_page_cancels_the_order_after_half_an_hour(
    client, database, shop, admin_headers
):
    placed = await checkout(client, shop, payment=[{"kind": "card_online", "reference": "tok_3ds"}])

    await sweep(database, minutes=10)
    assert await status_of(client, admin_headers, placed["order_id"]) == "pending_payment"
    await sweep(database, minutes=31)
    assert await status_of(client, admin_headers, placed["order_id"]) == "cancelled"
    assert await sweep(database, minutes=31) == 0  # nothing left to cancel twice


async def test_an_agent_taking_a_phone_order_is_recorded_on_it(
    client, shop, staff_headers, admin_headers
):
    agent = await staff_headers("agent")
    placed = await checkout(client, shop, headers=agent, payment=LINK)

    response = await client.get(f"{ORDERS}/{placed['order_id']}", headers=admin_headers)
    assert response.json()["associate_id"] is not None


async def test_an_associate_sells_only_for_their_own_store(client, shop, staff_headers):
    associate = await staff_headers("associate", stores=[shop.store_id])
    cart_id, _ = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, selling_location_id="loc_not_theirs")

    response = await client.post(CHECKOUT, json=body, headers=associate | key())

    assert response.status_code == 422, response.text
    assert "selling_location_id" in response.text


async def test_cancelling_a_paid_link_order_refunds_the_shopper(client, app, shop, admin_headers):
    placed = await checkout(client, shop, payment=LINK)
    link_id = placed["payment_link_url"].rstrip("/").rsplit("/", 1)[-1]
    delivery = the_provider(app).pay_link(link_id)
    await client.post(WEBHOOK, content=delivery.body, headers=delivery.headers)
    await app.state.dispatcher.drain()

    cancelled = await client.post(
        f"{ORDERS}/{placed['order_id']}/cancel",
        json={"reason": "changed mind"},
        headers=admin_headers | key(),
    )
    assert cancelled.status_code == 200, cancelled.text
    await app.state.dispatcher.drain()

    payments = await client.get(
        "/api/v1/payments", params={"order_id": placed["order_id"]}, headers=admin_headers
    )
    [payment] = payments.json()["items"]
    assert payment["status"] == "refunded"
    assert payment["refunded"] == payment["captured"] > 0
