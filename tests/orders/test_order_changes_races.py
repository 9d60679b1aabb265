"""Concurrent changes of orders (ORD6) on PostgreSQL with real connections: of changes
racing on one order none is lost — each either applies on the state it was computed
from or is refused (409) — and changes of different orders sharing a SKU keep the stock
and its ledger exact."""

import asyncio

import pytest

from tests.carts.support import open_shop
from tests.inventory.http_support import stock_state
from tests.orders.change_support import (
    change,
    change_count,
    checkout,
    ledger_matches_levels,
    lines,
    payments,
    read_order,
)
from tests.orders.checkout_support import ensure_new_york_taxes

pytestmark = pytest.mark.postgres


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


async def test_racing_changes_of_one_order_lose_no_update(client, shop, database, admin_headers):
    order_id = await checkout(client, shop, [4])
    order = await read_order(client, order_id, admin_headers)
    line_id = order["lines"][0]["id"]
    answers = await asyncio.gather(
        *(
            change(client, order_id, lines(**{line_id: q}), admin_headers)
            for q in (3, 2, 1, 3, 2, 1)
        )
    )
    codes = [answer.status_code for answer in answers]
    assert set(codes) <= {201, 409} and 201 in codes, [a.text for a in answers]
    assert all(
        a.json()["code"] == "order_changed_meanwhile" for a in answers if a.status_code == 409
    )
    applied = codes.count(201)
    after = await read_order(client, order_id, admin_headers)
    assert await change_count(database, order_id) == applied
    assert after["version"] == order["version"] + applied
    history = [a.json()["change"] for a in answers if a.status_code == 201]
    last = max(history, key=lambda c: c["order_version"])
    units = after["lines"][0]["quantity"] - after["lines"][0]["cancelled_quantity"]
    assert units == last["lines"][0]["quantity_after"]
    assert after["total"] == last["total_after"]
    state = await stock_state(database, shop.variants[0])
    assert state["levels"][(shop.variants[0], shop.store_id)][1] == units
    assert await ledger_matches_levels(database, shop.variants[0])
    [card] = await payments(database, order_id)
    assert card.capture_limit == after["total"]


async def test_changes_of_orders_sharing_a_sku_keep_the_stock_exact(
    client, shop, database, admin_headers
):
    order_ids = [await checkout(client, shop, [1, 1]) for _ in range(4)]
    orders = [await read_order(client, order_id, admin_headers) for order_id in order_ids]
    answers = await asyncio.gather(
        *(
            change(client, order["id"], lines(**{order["lines"][0]["id"]: 0}), admin_headers)
            for order in orders
        )
    )
    assert [answer.status_code for answer in answers] == [201] * 4, [a.text for a in answers]
    state = await stock_state(database, *shop.variants[:2])
    assert state["levels"][(shop.variants[0], shop.store_id)][1] == 0
    assert state["levels"][(shop.variants[1], shop.store_id)][1] == 4
    assert await ledger_matches_levels(database, *shop.variants[:2])
