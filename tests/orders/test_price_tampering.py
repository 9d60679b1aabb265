"""500 generated tampered checkout bodies: money, status and ownership fields wherever a
client might slip them in are all refused without effect, and the order finally placed
costs exactly what the server computes."""

import random

from tests.carts.support import PRICES, open_shop
from tests.inventory.http_support import stock_state
from tests.orders.checkout_support import (
    CHECKOUT,
    checkout_body,
    ensure_new_york_taxes,
    filled_guest_cart,
    key,
)
from tests.orders.support import ORDERS

TEMPTING = (
    "total",
    "subtotal",
    "price",
    "unit_price",
    "unit_amount",
    "amount_due",
    "discount",
    "discount_total",
    "tax",
    "tax_total",
    "shipping_total",
    "currency",
    "status",
    "paid",
    "captured",
    "customer_id",
    "order_id",
    "number",
    "promotions",
    "prices_include_tax",
)
WHERE = ("top", "payment", "address", "contact")


def tampered(rng: random.Random, cart_id: str) -> dict:
    body = checkout_body(cart_id)
    field = rng.choice(TEMPTING)
    value = rng.choice([0, 1, -1, 10**9, 0.01, "0", "free", True, None, [], {"amount": 0}])
    spot = rng.choice(WHERE)
    if spot == "top":
        body[field] = value
    elif spot == "payment":
        body["payment"] = [{**body["payment"][0], field: value}]
    elif spot == "address":
        body["shipping_address"] = {**body["shipping_address"], field: value}
    else:
        body["contact"] = {**body["contact"], field: value}
    return body


async def test_tampered_bodies_are_refused_and_the_order_is_the_servers(
    client, admin_headers, database
):
    await ensure_new_york_taxes(client, admin_headers)
    shop = await open_shop(client, admin_headers)
    cart_id, token = await filled_guest_cart(client, shop, [1, 2])
    before = await stock_state(database, *shop.variants)
    rng = random.Random(20261125)

    for _ in range(500):
        response = await client.post(CHECKOUT, json=tampered(rng, cart_id), headers=token | key())
        assert response.status_code == 422, response.text

    assert await stock_state(database, *shop.variants) == before
    placed = await client.post(CHECKOUT, json=checkout_body(cart_id), headers=token | key())
    assert placed.status_code == 201, placed.text
    order = (
        await client.get(f"{ORDERS}/{placed.json()['order_id']}", headers=admin_headers)
    ).json()
    assert order["subtotal"] == PRICES[0] + 2 * PRICES[1]
    lines_total = sum(line["total"] for line in order["lines"])
    shipping_tax = order["tax_total"] - sum(line["tax"] for line in order["lines"])
    assert order["total"] == lines_total + order["shipping_total"] + shipping_tax
    assert order["total"] == (
        order["subtotal"] - order["discount_total"] + order["shipping_total"] + order["tax_total"]
    )
