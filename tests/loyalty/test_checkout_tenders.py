"""Paying at checkout with a gift card, store credit or points (LOY4, PAY2): the balance
is taken in the order's own transaction, given back on refund, and any refusal leaves
no order, no charge and no balance changed."""

import pytest
from sqlalchemy import func, select

from omni.loyalty.domain import POINTS_UNIT, AccountKind, owned_account_id
from omni.orders.models import Order
from omni.payments.models import PaymentRow
from tests.carts.support import CARTS, PRICES, add, open_shop
from tests.inventory.http_support import stock_state
from tests.loyalty.support import (
    LOYALTY,
    assert_ledger_sound,
    balance_of,
    issue_card,
    key,
    postings_of,
)
from tests.orders.checkout_support import (
    CHECKOUT,
    checkout_body,
    ensure_new_york_taxes,
    filled_guest_cart,
)

PAYMENTS = "/api/v1/payments"


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


def gift_card_and_card(code, amount):
    return [
        {"kind": "gift_card", "reference": code, "amount": amount},
        {"kind": "card_online", "reference": "tok_visa"},
    ]


async def payments_of(client, admin_headers, order_id):
    response = await client.get(PAYMENTS, params={"order_id": order_id}, headers=admin_headers)
    return {p["tender"]: p for p in response.json()["items"]}


async def orders_of_cart(database, cart_id) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(Order).where(Order.cart_id == cart_id)
        )
        return int(count or 0)


async def test_a_gift_card_pays_part_of_an_order_and_a_refund_goes_back_to_it(
    client, shop, admin_headers, database
):
    card = await issue_card(client, admin_headers, 1_000)
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, payment=gift_card_and_card(card["code"], 1_000))
    placed = await client.post(CHECKOUT, json=body, headers=token | key())
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]

    assert await balance_of(database, card["id"]) == 0
    payments = await payments_of(client, admin_headers, order_id)
    gift = payments["gift_card"]
    assert (gift["status"], gift["amount"]) == ("captured", 1_000)
    async with database.reader() as session:  # the payment keeps the code masked only
        assert (await session.get(PaymentRow, gift["id"])).reference == card["shown"]
    assert payments["card_online"]["status"] == "authorized"

    refund = await client.post(
        f"{PAYMENTS}/{gift['id']}/refund",
        json={"amount": 400, "reason": "returned"},
        headers=admin_headers | key(),
    )
    assert refund.status_code == 200, refund.text
    assert await balance_of(database, card["id"]) == 400
    history = await client.get(f"{LOYALTY}/accounts/{card['id']}/postings", headers=admin_headers)
    kinds = [(p["kind"], p["amount"], p["payment_id"]) for p in history.json()["items"]]
    assert kinds == [
        ("refund", 400, gift["id"]),
        ("redeem", -1_000, gift["id"]),
        ("issue", 1_000, None),
    ]
    await assert_ledger_sound(database)


async def test_refunds_of_a_gift_card_payment_add_up_to_at_most_what_it_took(
    client, shop, admin_headers, database
):
    card = await issue_card(client, admin_headers, 600)
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, payment=gift_card_and_card(card["code"], 600))
    order_id = (await client.post(CHECKOUT, json=body, headers=token | key())).json()["order_id"]
    gift = (await payments_of(client, admin_headers, order_id))["gift_card"]
    url = f"{PAYMENTS}/{gift['id']}/refund"
    for amount in (200, 400):
        response = await client.post(url, json={"amount": amount}, headers=admin_headers | key())
        assert response.status_code == 200, response.text
    too_much = await client.post(url, json={"amount": 1}, headers=admin_headers | key())
    assert too_much.status_code == 409
    assert await balance_of(database, card["id"]) == 600
    await assert_ledger_sound(database)


async def test_a_wrong_gift_card_code_places_no_order(client, shop, database):
    cart_id, token = await filled_guest_cart(client, shop, [1])
    before = await stock_state(database, shop.variants[0])
    body = checkout_body(cart_id, payment=gift_card_and_card("ABCD EFGH JKMN PQRS", 500))
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 422
    assert response.json()["code"] == "gift_card_unknown"
    assert "PQRS" not in response.text
    assert await orders_of_cart(database, cart_id) == 0
    assert await stock_state(database, shop.variants[0]) == before
    assert (await client.get(f"{CARTS}/{cart_id}", headers=token)).json()["status"] == "active"


async def test_a_card_holding_too_little_refuses_the_order_and_keeps_its_balance(
    client, shop, admin_headers, database
):
    card = await issue_card(client, admin_headers, 1_000)
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, payment=gift_card_and_card(card["code"], 1_400))
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert response.status_code == 409
    problem = response.json()
    assert (problem["code"], problem["available"], problem["unit"]) == (
        "insufficient_balance",
        1_000,
        "USD",
    )
    assert await orders_of_cart(database, cart_id) == 0
    assert await balance_of(database, card["id"]) == 1_000
    assert await postings_of(database, card["id"]) == 1  # the issue only


@pytest.mark.parametrize(
    ("currency", "blocked", "code"),
    [("USD", True, "gift_card_blocked"), ("EUR", False, "stored_value_currency")],
)
async def test_a_blocked_card_or_one_in_another_currency_places_no_order(
    client, shop, admin_headers, database, currency, blocked, code
):
    card = await issue_card(client, admin_headers, 5_000, currency=currency)
    if blocked:
        await client.post(f"{LOYALTY}/gift-cards/{card['id']}/block", headers=admin_headers)
    cart_id, token = await filled_guest_cart(client, shop, [1])
    body = checkout_body(cart_id, payment=gift_card_and_card(card["code"], 500))
    response = await client.post(CHECKOUT, json=body, headers=token | key())
    assert (response.status_code, response.json()["code"]) == (422, code)
    assert await orders_of_cart(database, cart_id) == 0
    assert await balance_of(database, card["id"]) == 5_000


async def shopper_cart(client, shop, shopper) -> str:
    opened = await client.post(CARTS, json={"channel_id": shop.channel_id}, headers=shopper)
    assert opened.status_code in (200, 201), opened.text
    cart_id = opened.json()["id"]
    assert (await add(client, cart_id, shopper, shop.variants[0], 1)).status_code == 200
    return cart_id


async def grant_credit(client, admin_headers, customer_id, amount):
    response = await client.post(
        f"{LOYALTY}/store-credit/{customer_id}",
        json={"amount": amount, "currency": "USD", "reason": "goodwill"},
        headers=admin_headers | key(),
    )
    assert response.status_code == 200, response.text


async def test_a_shopper_pays_with_their_own_store_credit(
    client, shop, admin_headers, shopper_headers, database
):
    customer_id, shopper = await shopper_headers()
    await grant_credit(client, admin_headers, customer_id, 800)
    cart_id = await shopper_cart(client, shop, shopper)
    payment = [
        {"kind": "store_credit", "reference": customer_id, "amount": 800},
        {"kind": "card_online", "reference": "tok_visa"},
    ]
    placed = await client.post(
        CHECKOUT, json=checkout_body(cart_id, payment=payment), headers=shopper | key()
    )
    assert placed.status_code == 201, placed.text
    account = owned_account_id(AccountKind.STORE_CREDIT, customer_id, "USD")
    assert await balance_of(database, account) == 0
    mine = (await client.get(f"{LOYALTY}/me", headers=shopper)).json()
    assert [a["balance"] for a in mine["store_credit"]] == [0]


async def test_nobody_spends_another_customers_store_credit(
    client, shop, admin_headers, shopper_headers, database
):
    victim_id, _ = await shopper_headers()
    await grant_credit(client, admin_headers, victim_id, 5_000)
    _, thief = await shopper_headers()
    cart_id = await shopper_cart(client, shop, thief)
    payment = [
        {"kind": "store_credit", "reference": victim_id, "amount": 500},
        {"kind": "card_online", "reference": "tok_visa"},
    ]
    response = await client.post(
        CHECKOUT, json=checkout_body(cart_id, payment=payment), headers=thief | key()
    )
    assert (response.status_code, response.json()["code"]) == (422, "stored_value_not_yours")
    account = owned_account_id(AccountKind.STORE_CREDIT, victim_id, "USD")
    assert await balance_of(database, account) == 5_000
    assert await orders_of_cart(database, cart_id) == 0


async def test_an_order_earns_points_which_pay_the_next_one_and_come_back_on_refund(
    client, app, shop, admin_headers, shopper_headers, database
):
    customer_id, shopper = await shopper_headers()
    first = await shopper_cart(client, shop, shopper)
    placed = await client.post(CHECKOUT, json=checkout_body(first), headers=shopper | key())
    assert placed.status_code == 201, placed.text
    await app.state.dispatcher.drain()
    points = owned_account_id(AccountKind.POINTS, customer_id, POINTS_UNIT)
    earned = await balance_of(database, points)
    # 1 point per whole dollar of the total (price, NY tax and shipping).
    assert earned >= PRICES[0] // 100

    second = await shopper_cart(client, shop, shopper)
    payment = [
        {"kind": "points", "reference": customer_id, "amount": earned},
        {"kind": "card_online", "reference": "tok_visa"},
    ]
    paid = await client.post(
        CHECKOUT, json=checkout_body(second, payment=payment), headers=shopper | key()
    )
    assert paid.status_code == 201, paid.text
    await app.state.dispatcher.drain()
    # Spent all, then earned again on the second order.
    assert await balance_of(database, points) == earned
    spent = (await payments_of(client, admin_headers, paid.json()["order_id"]))["points"]
    refund = await client.post(
        f"{PAYMENTS}/{spent['id']}/refund", json={"amount": 10}, headers=admin_headers | key()
    )
    assert refund.status_code == 200, refund.text
    assert await balance_of(database, points) == earned + 10
    await assert_ledger_sound(database)
