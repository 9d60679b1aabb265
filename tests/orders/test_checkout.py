"""Checkout through the API (ORD2): a cart becomes an order priced, taxed, sourced and
paid by the server — and every refusal changes nothing."""

from decimal import Decimal

import pytest

from tests.carts.support import CARTS, PRICES, open_shop
from tests.inventory.http_support import level, stock_state
from tests.orders.checkout_support import (
    CHECKOUT,
    NY_RATE,
    checkout_body,
    ensure_new_york_taxes,
    filled_guest_cart,
    key,
)
from tests.orders.support import ORDERS


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


def reserved(state, shop, index=0) -> int:
    return state["levels"][(shop.variants[index], shop.store_id)][1]


def ny_tax(amount: int) -> int:
    exact = Decimal(amount) * Decimal(NY_RATE) / 100
    return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


async def test_a_guest_checks_out_and_the_server_computes_everything(
    client, shop, database, admin_headers
):
    cart_id, token = await filled_guest_cart(client, shop, [2, 1])
    response = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=token | key())
    assert response.status_code == 201, response.text
    placed = response.json()
    assert placed["status"] == "placed" and placed["number"].startswith("W-")

    order = (await client.get(f"{ORDERS}/{placed['order_id']}", headers=admin_headers)).json()
    subtotal = 2 * PRICES[0] + PRICES[1]
    tax = ny_tax(2 * PRICES[0]) + ny_tax(PRICES[1]) + ny_tax(695)
    assert (order["subtotal"], order["shipping_total"], order["tax_total"]) == (subtotal, 695, tax)
    assert order["total"] == subtotal + 695 + tax
    assert [g["location_id"] for g in order["groups"]] == [shop.store_id]
    assert reserved(await stock_state(database, shop.variants[0]), shop) == 2
    cart = (await client.get(f"{CARTS}/{cart_id}", headers=token)).json()
    assert cart["status"] == "ordered"
    payments = await client.get(
        "/api/v1/payments", params={"order_id": placed["order_id"]}, headers=admin_headers
    )
    [payment] = payments.json()["items"]
    assert (payment["status"], payment["authorized"]) == ("authorized", order["total"])


async def test_a_retried_checkout_answers_the_same_and_orders_once(client, shop, admin_headers):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    same = token | key()
    first = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=same)
    again = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=same)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    other_key = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=token | key())
    assert other_key.status_code == 409  # the cart is ordered


async def test_a_declined_card_places_nothing(client, shop, database):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    before = await stock_state(database, shop.variants[0])
    body = checkout_body(cart_id, payment=[{"kind": "card_online", "reference": "tok_decline"}])
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 402
    assert response.json()["code"] == "payment_declined"
    assert await stock_state(database, shop.variants[0]) == before
    assert (await client.get(f"{CARTS}/{cart_id}", headers=token)).json()["status"] == "active"


@pytest.mark.parametrize(
    "tampered",
    [
        {"total": 1},
        {"discount_total": 5000},
        {"status": "fulfilled"},
        {"customer_id": "cus_someone_else"},
        {"payment": [{"kind": "card_online", "reference": "tok_visa", "paid": True}]},
    ],
)
async def test_money_and_state_fields_from_the_client_are_refused(client, shop, database, tampered):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    before = await stock_state(database, shop.variants[0])
    body = checkout_body(cart_id) | tampered
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 422
    assert await stock_state(database, shop.variants[0]) == before


async def test_a_card_number_in_the_body_is_refused_and_not_echoed(client, shop):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(
        cart_id, payment=[{"kind": "card_online", "reference": "4111 1111 1111 1111"}]
    )
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 422
    assert response.json()["code"] == "card_data_not_accepted"
    assert "4111" not in response.text


async def test_another_shoppers_cart_cannot_be_checked_out(client, shop, shopper_headers):
    cart_id, _token = await filled_guest_cart(client, shop, [1])
    _, stranger = await shopper_headers()
    response = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=stranger | key())
    assert response.status_code == 404


async def test_pickup_is_sourced_from_the_chosen_store_and_ships_nothing(
    client, shop, admin_headers
):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, method="pickup", location_id=shop.store_id)
    body.pop("shipping_address")
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 201, response.text
    order = (
        await client.get(f"{ORDERS}/{response.json()['order_id']}", headers=admin_headers)
    ).json()
    assert [(g["method"], g["location_id"]) for g in order["groups"]] == [("pickup", shop.store_id)]
    assert order["shipping_total"] == 0


async def test_3d_secure_leaves_the_order_waiting_for_payment(client, shop):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, payment=[{"kind": "card_online", "reference": "tok_3ds"}])
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending_payment"
    assert response.json()["next_action_url"]


async def test_more_than_the_stock_is_refused_with_where_else(client, shop, database):
    cart_id, token = await filled_guest_cart(client, shop, [5])
    other_id, other = await filled_guest_cart(client, shop, [1])
    assert (await client.post(f"{CARTS}/{other_id}/hold", headers=other)).status_code == 200
    before = await stock_state(database, shop.variants[0])
    response = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=token | key())
    assert response.status_code == 409
    assert await stock_state(database, shop.variants[0]) == before


async def test_a_carts_own_holds_serve_its_order(client, shop, database):
    """Every unit held by the cart: the order takes those same units (holds given back in
    its transaction), instead of finding none left."""
    cart_id, token = await filled_guest_cart(client, shop, [5])
    assert (await client.post(f"{CARTS}/{cart_id}/hold", headers=token)).status_code == 200

    response = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=token | key())

    assert response.status_code == 201, response.text
    on_hand, reserved, *_ = await level(database, shop.variants[0], shop.store_id)
    assert (on_hand, reserved) == (5, 5)
    state = await stock_state(database, shop.variants[0])
    assert sorted((kind, status) for _, status, _, kind in state["reservations"]) == [
        ("hold", "released"),
        ("order", "active"),
    ]
