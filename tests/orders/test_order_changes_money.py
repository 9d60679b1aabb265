"""What an order change does to money (ORD6): promotions evaluated again on what remains,
taxes for the new destination, refunds of money already taken (once, whatever the
retries), and payments collected later asking for the new total."""

from decimal import Decimal

import pytest

from tests.carts.support import PRICES, open_shop
from tests.orders.change_support import (
    change,
    checkout,
    lines,
    payments,
    read_order,
    refunds,
)
from tests.orders.checkout_support import NY_RATE, REGIONS, ensure_new_york_taxes, key
from tests.orders.support import ORDERS
from tests.promotions.helpers import add_coupon, coupon_promotion, create_promotion, percent_off

PAYMENTS = "/api/v1/payments"
NJ_RATE = "6.625"
HOBOKEN = {
    "line1": "1 Washington St",
    "city": "Hoboken",
    "region": "NJ",
    "postal_code": "07030",
    "country": "US",
}
SHIPPING = 695


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    body = {
        "code": "US-NJ",
        "name": "New Jersey",
        "rates": [{"tax_class": "standard", "percent": NJ_RATE, "name": "NJ sales tax"}],
    }
    response = await client.post(REGIONS, json=body, headers=admin_headers)
    assert response.status_code in (201, 409), response.text
    return await open_shop(client, admin_headers)


def tax(amount: int, rate: str = NY_RATE) -> int:
    exact = Decimal(amount) * Decimal(rate) / 100
    return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


async def capture_everything(client, order_id: str, admin_headers) -> str:
    found = await client.get(PAYMENTS, params={"order_id": order_id}, headers=admin_headers)
    [payment] = found.json()["items"]
    captured = await client.post(
        f"{PAYMENTS}/{payment['id']}/capture",
        json={"amount": payment["authorized"]},
        headers=admin_headers | key(),
    )
    assert captured.status_code == 200, captured.text
    return str(payment["id"])


async def test_a_spend_threshold_lost_by_a_cancel_goes_away(client, shop, admin_headers):
    await create_promotion(
        client,
        admin_headers,
        shop.channel_id,
        currency="USD",
        benefit={"kind": "spend_threshold", "tiers": [{"min_subtotal": 5000, "amount_off": 1000}]},
    )
    order_id = await checkout(client, shop, [0, 2])
    order = await read_order(client, order_id, admin_headers)
    assert order["discount_total"] == 1000 and order["promotions"]

    response = await change(client, order_id, lines(**{order["lines"][0]["id"]: 1}), admin_headers)
    assert response.status_code == 201, response.text
    after = response.json()["order"]
    assert (after["discount_total"], after["promotions"]) == (0, [])
    assert after["lines"][0]["unit_price"] == PRICES[1], "the price stays as sold"
    assert after["total"] == PRICES[1] + tax(PRICES[1]) + SHIPPING + tax(SHIPPING)
    change_row = response.json()["change"]
    assert (change_row["total_before"], change_row["total_after"]) == (
        order["total"],
        after["total"],
    )


async def test_a_new_address_in_another_state_is_taxed_there(client, shop, admin_headers):
    order_id = await checkout(client, shop, [1])
    order = await read_order(client, order_id, admin_headers)
    assert order["tax_total"] == tax(PRICES[0]) + tax(SHIPPING)

    response = await change(client, order_id, {"shipping_address": HOBOKEN}, admin_headers)
    assert response.status_code == 201, response.text
    after = response.json()["order"]
    assert after["shipping_address"]["region"] == "NJ"
    assert after["tax_total"] == tax(PRICES[0], NJ_RATE) + tax(SHIPPING, NJ_RATE)
    assert after["lines"][0]["tax_rate"] == NJ_RATE
    assert response.json()["change"]["kind"] == "address"
    assert response.json()["change"]["address_before"]["region"] == "NY"


async def test_a_pickup_order_has_no_address_to_change(client, shop, admin_headers):
    order_id = await checkout(
        client, shop, [1], method="pickup", location_id=shop.store_id, shipping_address=None
    )
    response = await change(client, order_id, {"shipping_address": HOBOKEN}, admin_headers)
    assert response.status_code == 422


async def test_money_already_captured_is_refunded_once_whatever_the_retries(
    client, shop, database, admin_headers
):
    order_id = await checkout(client, shop, [2])
    payment_id = await capture_everything(client, order_id, admin_headers)
    order = await read_order(client, order_id, admin_headers)
    body = lines(**{order["lines"][0]["id"]: 1})
    same = key()

    first = await change(client, order_id, body, admin_headers, idempotency=same)
    assert first.status_code == 201, first.text
    again = await change(client, order_id, body, admin_headers, idempotency=same)
    assert again.json() == first.json()

    difference = order["total"] - first.json()["order"]["total"]
    assert difference == PRICES[0] + tax(PRICES[0])
    assert await refunds(database, order_id) == [(difference, "succeeded")]
    [entry] = first.json()["change"]["payments"]
    assert (entry["payment_id"], entry["action"], entry["status"]) == (payment_id, "refund", "done")
    [row] = await payments(database, order_id)
    assert (row.status, row.refunded) == ("partially_refunded", difference)


async def test_a_refused_refund_is_recorded_and_the_change_stands(
    client, shop, database, admin_headers
):
    order_id = await checkout(
        client, shop, [2], payment=[{"kind": "card_online", "reference": "tok_fail_refund"}]
    )
    await capture_everything(client, order_id, admin_headers)
    order = await read_order(client, order_id, admin_headers)
    response = await change(client, order_id, lines(**{order["lines"][0]["id"]: 1}), admin_headers)
    assert response.status_code == 201, response.text
    [entry] = response.json()["change"]["payments"]
    assert entry["status"].startswith("failed:")
    assert (await read_order(client, order_id, admin_headers))["lines"][0][
        "cancelled_quantity"
    ] == 1


async def test_a_payment_collected_at_pickup_follows_the_new_total(
    client, shop, database, admin_headers
):
    order_id = await checkout(
        client,
        shop,
        [2],
        method="pickup",
        location_id=shop.store_id,
        shipping_address=None,
        payment=[{"kind": "pay_at_pickup"}],
    )
    order = await read_order(client, order_id, admin_headers)
    line_id = order["lines"][0]["id"]
    lower = await change(client, order_id, lines(**{line_id: 1}), admin_headers)
    assert lower.status_code == 201, lower.text
    [row] = await payments(database, order_id)
    assert (row.status, row.amount) == ("pending", lower.json()["order"]["total"])
    higher = await change(client, order_id, lines(**{line_id: 3}), admin_headers)
    assert higher.status_code == 201, higher.text
    [row] = await payments(database, order_id)
    assert row.amount == higher.json()["order"]["total"] == 3 * PRICES[0] + tax(3 * PRICES[0])


async def test_a_card_limited_by_a_change_cannot_capture_the_old_total(client, shop, admin_headers):
    order_id = await checkout(client, shop, [2])
    order = await read_order(client, order_id, admin_headers)
    lowered = await change(client, order_id, lines(**{order["lines"][0]["id"]: 1}), admin_headers)
    new_total = lowered.json()["order"]["total"]
    found = await client.get(PAYMENTS, params={"order_id": order_id}, headers=admin_headers)
    [payment] = found.json()["items"]
    assert (payment["authorized"], payment["capturable"]) == (order["total"], new_total)
    url = f"{PAYMENTS}/{payment['id']}/capture"
    too_much = await client.post(
        url, json={"amount": order["total"]}, headers=admin_headers | key()
    )
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "capture_exceeds_authorized"
    exact = await client.post(url, json={"amount": new_total}, headers=admin_headers | key())
    assert exact.status_code == 200, exact.text
    assert exact.json()["status"] == "captured", "reaching the limit closes the capture"


async def test_the_history_lists_each_change_with_who_and_why(client, shop, admin_headers):
    order_id = await checkout(client, shop, [3])
    line_id = (await read_order(client, order_id, admin_headers))["lines"][0]["id"]
    for quantity in (2, 1):
        body = lines(**{line_id: quantity}) | {"reason": f"down to {quantity}"}
        assert (await change(client, order_id, body, admin_headers)).status_code == 201
    history = (await client.get(f"{ORDERS}/{order_id}/changes", headers=admin_headers)).json()
    assert [(c["reason"], c["lines"][0]["quantity_after"]) for c in history] == [
        ("down to 2", 2),
        ("down to 1", 1),
    ]
    assert history[0]["total_after"] == history[1]["total_before"]
    assert {c["actor_kind"] for c in history} == {"staff"}


@pytest.mark.parametrize(("units", "free"), [(3, 1), (1, 0)])
async def test_buy_one_get_one_shrinks_with_what_remains(client, shop, admin_headers, units, free):
    bogo = {
        "kind": "buy_x_get_y",
        "buy_quantity": 1,
        "get_quantity": 1,
        "buy_target": {"variant_ids": [shop.variants[2]]},
    }
    await create_promotion(client, admin_headers, shop.channel_id, benefit=bogo)
    order_id = await checkout(client, shop, [0, 0, 4])
    order = await read_order(client, order_id, admin_headers)
    assert order["discount_total"] == 2 * PRICES[2]
    response = await change(
        client, order_id, lines(**{order["lines"][0]["id"]: units}), admin_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["order"]["discount_total"] == free * PRICES[2]


async def test_a_single_use_coupon_still_applies_to_the_order_that_used_it(
    client, shop, admin_headers
):
    promotion = await coupon_promotion(client, admin_headers, benefit=percent_off("10"))
    code = (await add_coupon(client, admin_headers, promotion["id"], max_uses=1))["code"]
    order_id = await checkout(client, shop, [2], coupon_codes=[code])
    order = await read_order(client, order_id, admin_headers)
    assert order["discount_total"] == 2 * PRICES[0] // 10
    response = await change(client, order_id, lines(**{order["lines"][0]["id"]: 1}), admin_headers)
    assert response.status_code == 201, response.text
    after = response.json()["order"]
    assert after["discount_total"] == PRICES[0] // 10
    assert after["coupon_codes"] == order["coupon_codes"]
