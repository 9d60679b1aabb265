"""Changing an order before release (ORD6): cancel units or lines, change quantities —
re-priced, with the stock and the card's capture following; refusals change nothing."""

from decimal import Decimal

import pytest

from omni.orders.domain import OrderStatus
from tests.carts.support import PRICES, open_shop
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
from tests.orders.checkout_support import NY_RATE, ensure_new_york_taxes, key
from tests.orders.support import ORDERS

CARD = [{"kind": "card_online", "reference": "tok_visa"}]
SHIPPING = 695


@pytest.fixture
async def shop(client, admin_headers):
    await ensure_new_york_taxes(client, admin_headers)
    return await open_shop(client, admin_headers)


def ny_tax(amount: int) -> int:
    exact = Decimal(amount) * Decimal(NY_RATE) / 100
    return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def total_of(*nets: int) -> int:
    return sum(net + ny_tax(net) for net in (*nets, SHIPPING))


def reserved(state, shop, index: int) -> int:
    return state["levels"][(shop.variants[index], shop.store_id)][1]


@pytest.mark.parametrize(
    ("why", "wanted", "payment", "active", "cancelled"),
    [
        ("one unit cancelled", [2, 1], [], [2, 1], [1, 0]),
        ("a whole line cancelled", [3, 0], [], [3, 0], [0, 1]),
        ("a quantity raised, paid by a second card", [4, 1], CARD, [4, 1], [0, 0]),
    ],
)
async def test_lines_change_and_the_stock_and_totals_follow(
    client, shop, database, admin_headers, why, wanted, payment, active, cancelled
):
    order_id = await checkout(client, shop, [3, 1])
    before = await read_order(client, order_id, admin_headers)
    body = lines(**{line["id"]: q for line, q in zip(before["lines"], wanted, strict=True)})
    response = await change(client, order_id, body | {"payment": payment}, admin_headers)
    assert response.status_code == 201, response.text

    order = response.json()["order"]
    assert [line["quantity"] - line["cancelled_quantity"] for line in order["lines"]] == active
    assert [line["cancelled_quantity"] for line in order["lines"]] == cancelled
    nets = [PRICES[i] * units for i, units in enumerate(active) if units]
    assert order["total"] == total_of(*nets), why
    assert order["version"] == before["version"] + 1
    state = await stock_state(database, *shop.variants[:2])
    assert [reserved(state, shop, i) for i in range(2)] == active
    assert await ledger_matches_levels(database, *shop.variants[:2])
    rows = await payments(database, order_id)
    live = [row for row in rows if row.status == "authorized"]
    capturable = sum(row.capture_limit or row.authorized for row in live)
    assert capturable == order["total"], "the cards may capture exactly the new total"


async def test_cancelling_every_unit_cancels_the_order(client, shop, database, admin_headers, app):
    order_id = await checkout(client, shop, [2, 1])
    order = await read_order(client, order_id, admin_headers)
    body = lines(**{line["id"]: 0 for line in order["lines"]}) | {"reason": "changed my mind"}
    response = await change(client, order_id, body, admin_headers)
    assert response.status_code == 201, response.text
    assert response.json()["order"]["status"] == OrderStatus.CANCELLED
    assert response.json()["change"]["total_after"] == 0
    state = await stock_state(database, *shop.variants[:2])
    assert [reserved(state, shop, i) for i in range(2)] == [0, 0]
    assert await ledger_matches_levels(database, *shop.variants[:2])
    await app.state.dispatcher.drain()  # the cancel path voids the card after commit
    assert [row.status for row in await payments(database, order_id)] == ["voided"]


async def test_a_raise_without_a_tender_is_refused_with_the_amount_due(
    client, shop, database, admin_headers
):
    order_id = await checkout(client, shop, [1])
    order = await read_order(client, order_id, admin_headers)
    before = await stock_state(database, shop.variants[0])
    response = await change(client, order_id, lines(**{order["lines"][0]["id"]: 2}), admin_headers)
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "payment_required"
    assert problem["amount_due"] == total_of(2 * PRICES[0]) - order["total"]
    assert await stock_state(database, shop.variants[0]) == before
    assert await read_order(client, order_id, admin_headers) == order
    assert await change_count(database, order_id) == 0


async def test_a_raise_beyond_the_stock_is_refused_and_its_tender_voided(
    client, shop, database, admin_headers
):
    order_id = await checkout(client, shop, [1])
    order = await read_order(client, order_id, admin_headers)
    before = await stock_state(database, shop.variants[0])
    body = lines(**{order["lines"][0]["id"]: 50}) | {"payment": CARD}
    response = await change(client, order_id, body, admin_headers)
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert await stock_state(database, shop.variants[0]) == before
    assert await read_order(client, order_id, admin_headers) == order
    assert [row.status for row in await payments(database, order_id)] == ["authorized"]


async def test_a_released_order_can_no_longer_be_changed(client, shop, database, admin_headers):
    order_id = await checkout(client, shop, [2])
    released = await client.post(f"{ORDERS}/{order_id}/release", headers=admin_headers)
    assert released.status_code == 200, released.text
    order = await read_order(client, order_id, admin_headers)
    before = await stock_state(database, shop.variants[0])
    response = await change(client, order_id, lines(**{order["lines"][0]["id"]: 1}), admin_headers)
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_editable"
    assert response.json()["current_status"] == "released"
    assert await stock_state(database, shop.variants[0]) == before
    assert await read_order(client, order_id, admin_headers) == order


async def test_only_the_shopper_and_staff_of_the_order_may_change_it(
    client, shop, database, shopper_headers, staff_headers
):
    _, me = await shopper_headers()
    order_id = await checkout(client, shop, [2], shopper=me)
    line_id = (await read_order(client, order_id, me))["lines"][0]["id"]
    _, stranger = await shopper_headers()
    elsewhere = await staff_headers("store_manager", stores=["loc_elsewhere"])
    for outsider in (stranger, elsewhere):
        refused = await change(client, order_id, lines(**{line_id: 1}), outsider)
        assert refused.status_code == 404
    assert await change_count(database, order_id) == 0
    mine = await change(client, order_id, lines(**{line_id: 1}), me)
    assert mine.status_code == 201, mine.text
    here = await staff_headers("store_manager", stores=[shop.store_id])
    history = await client.get(f"{ORDERS}/{order_id}/changes", headers=here)
    assert [(c["actor_kind"], c["lines"][0]["quantity_after"]) for c in history.json()] == [
        ("customer", 1)
    ]
    assert (await client.get(f"{ORDERS}/{order_id}/changes", headers=stranger)).status_code == 404


@pytest.mark.parametrize(
    "tampered",
    [
        {"total": 1},
        {"discount": 500},
        {"lines": [{"line_id": "x", "quantity": 1, "unit_price": 1}]},
        {"status": "placed"},
        {"lines": [{"line_id": "x", "quantity": -1}]},
    ],
)
async def test_money_and_state_fields_are_refused(client, shop, database, admin_headers, tampered):
    order_id = await checkout(client, shop, [1])
    response = await change(client, order_id, tampered, admin_headers)
    assert response.status_code == 422
    assert await change_count(database, order_id) == 0


async def test_a_card_number_in_the_body_is_refused_and_not_echoed(client, shop, admin_headers):
    order_id = await checkout(client, shop, [1])
    body = {"payment": [{"kind": "card_online", "reference": "4111111111111111"}]}
    response = await change(client, order_id, body, admin_headers)
    assert response.status_code == 422
    assert "4111111111111111" not in response.text


async def test_if_match_on_an_old_version_is_refused(client, shop, database, admin_headers):
    order_id = await checkout(client, shop, [3])
    order = await read_order(client, order_id, admin_headers)
    line_id = order["lines"][0]["id"]
    stale = admin_headers | {"If-Match": f'"v{order["version"]}"'}
    first = await change(client, order_id, lines(**{line_id: 2}), stale)
    assert first.status_code == 201, first.text
    assert first.headers["etag"] == f'"v{order["version"] + 1}"'
    second = await change(client, order_id, lines(**{line_id: 1}), stale)
    assert second.status_code == 412
    assert await change_count(database, order_id) == 1


async def test_a_retried_change_answers_the_same_and_changes_once(
    client, shop, database, admin_headers
):
    order_id = await checkout(client, shop, [3])
    line_id = (await read_order(client, order_id, admin_headers))["lines"][0]["id"]
    same = key()
    first = await change(client, order_id, lines(**{line_id: 2}), admin_headers, idempotency=same)
    again = await change(client, order_id, lines(**{line_id: 2}), admin_headers, idempotency=same)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert await change_count(database, order_id) == 1
    assert reserved(await stock_state(database, shop.variants[0]), shop, 0) == 2


async def test_nothing_to_change_is_refused(client, shop, database, admin_headers):
    order_id = await checkout(client, shop, [2])
    line_id = (await read_order(client, order_id, admin_headers))["lines"][0]["id"]
    response = await change(client, order_id, lines(**{line_id: 2}), admin_headers)
    assert response.status_code == 422
    assert await change_count(database, order_id) == 0


async def test_a_declined_tender_for_a_raise_changes_nothing(client, shop, database, admin_headers):
    order_id = await checkout(client, shop, [1])
    order = await read_order(client, order_id, admin_headers)
    before = await stock_state(database, shop.variants[0])
    declined = [{"kind": "card_online", "reference": "tok_decline"}]
    body = lines(**{order["lines"][0]["id"]: 2}) | {"payment": declined}
    response = await change(client, order_id, body, admin_headers)
    assert response.status_code == 402
    assert await stock_state(database, shop.variants[0]) == before
    assert await read_order(client, order_id, admin_headers) == order
    assert await change_count(database, order_id) == 0
