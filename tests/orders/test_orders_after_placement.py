"""Orders once placed: who may read them, the status machine through the API, and
cancellation giving the stock back."""

import pytest

from omni.orders.domain import FulfilmentMethod, OrderStatus
from tests.carts.support import PRICES, open_shop
from tests.inventory.http_support import stock_state
from tests.orders.support import ORDERS, place, simple_draft


@pytest.fixture
async def shop(client, admin_headers):
    return await open_shop(client, admin_headers)


def reserved(state, shop, index=0) -> int:
    return state["levels"][(shop.variants[index], shop.store_id)][1]


async def test_a_placed_order_reserves_its_stock_and_reads_back_whole(
    client, shop, database, shopper_headers
):
    customer_id, me = await shopper_headers()
    placed = await place(database, simple_draft(shop, [2, 1], customer_id=customer_id))
    assert reserved(await stock_state(database, shop.variants[0]), shop) == 2
    order = (await client.get(f"{ORDERS}/{placed.order_id}", headers=me)).json()
    assert order["number"] == placed.number and order["number"].startswith("W-")
    assert order["status"] == "placed"
    assert order["subtotal"] == 2 * PRICES[0] + PRICES[1]
    assert order["total"] == order["subtotal"] + 500
    assert [(line["position"], line["quantity"]) for line in order["lines"]] == [(1, 2), (2, 1)]
    assert [h["to_status"] for h in order["history"]] == ["placed"]
    mine = (await client.get(ORDERS, headers=me)).json()["items"]
    assert [o["id"] for o in mine] == [placed.order_id]


async def test_others_orders_answer_404(client, shop, database, shopper_headers, staff_headers):
    customer_id, _ = await shopper_headers()
    placed = await place(database, simple_draft(shop, [1], customer_id=customer_id))
    _, stranger = await shopper_headers()
    assert (await client.get(f"{ORDERS}/{placed.order_id}", headers=stranger)).status_code == 404
    assert (await client.get(ORDERS, headers=stranger)).json()["items"] == []
    other_store = await staff_headers("associate", stores=["loc_elsewhere"])
    url = f"{ORDERS}/{placed.order_id}"
    assert (await client.get(url, headers=other_store)).status_code == 404
    own_store = await staff_headers("associate", stores=[shop.store_id])
    assert (await client.get(url, headers=own_store)).status_code == 200


async def test_the_status_machine_allows_only_its_moves(client, shop, database, staff_headers):
    agent = await staff_headers("agent")
    placed = await place(database, simple_draft(shop, [1]))
    url = f"{ORDERS}/{placed.order_id}"
    held = await client.post(f"{url}/hold", json={"reason": "address check"}, headers=agent)
    assert held.json()["status"] == "on_hold"
    refused = await client.post(f"{url}/release", headers=agent)
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_order_transition"
    assert (await client.post(f"{url}/resume", headers=agent)).json()["status"] == "placed"
    released = (await client.post(f"{url}/release", headers=agent)).json()
    assert released["status"] == "released"
    assert {g["status"] for g in released["groups"]} == {"released"}
    assert [h["to_status"] for h in released["history"]] == [
        "placed",
        "on_hold",
        "placed",
        "released",
    ]
    assert released["history"][1]["reason"] == "address check"


async def test_cancelling_gives_the_stock_back_and_cannot_happen_twice(
    client, shop, database, shopper_headers
):
    customer_id, me = await shopper_headers()
    placed = await place(database, simple_draft(shop, [3], customer_id=customer_id))
    url = f"{ORDERS}/{placed.order_id}/cancel"
    cancelled = await client.post(url, json={"reason": "changed my mind"}, headers=me)
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["status"] == "cancelled"
    assert body["lines"][0]["cancelled_quantity"] == 3
    assert reserved(await stock_state(database, shop.variants[0]), shop) == 0
    again = await client.post(url, headers=me)
    assert again.status_code == 409


async def test_a_shopper_cannot_cancel_once_released_but_staff_can(
    client, shop, database, shopper_headers, staff_headers
):
    customer_id, me = await shopper_headers()
    placed = await place(database, simple_draft(shop, [1], customer_id=customer_id))
    manager = await staff_headers("store_manager", stores=[shop.store_id])
    url = f"{ORDERS}/{placed.order_id}"
    assert (await client.post(f"{url}/release", headers=manager)).status_code == 200
    assert (await client.post(f"{url}/cancel", headers=me)).status_code == 409
    assert (await client.post(f"{url}/release", headers=me)).status_code == 403
    assert (await client.post(f"{url}/cancel", headers=manager)).status_code == 200


async def test_a_carry_out_sale_is_placed_and_fulfilled_at_once(client, shop, database):
    draft = simple_draft(shop, [1], method=FulfilmentMethod.CARRY_OUT)
    before = (await stock_state(database, shop.variants[0]))["levels"]
    placed = await place(database, draft, status=OrderStatus.FULFILLED)
    after = (await stock_state(database, shop.variants[0]))["levels"]
    key = (shop.variants[0], shop.store_id)
    assert after[key][0] == before[key][0] - 1  # on hand left with the shopper
    assert after[key][1] == before[key][1]  # nothing reserved
    assert placed.status is OrderStatus.FULFILLED
